"""Links between tasks: create, change, remove; loops and bad links refused by name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.core.services import lock_current, save_validated
from hitpm.engine.model import LagFormat, LinkType
from hitpm.planning.changes import ChangeResult, finish_change, label, task_of
from hitpm.planning.models import Dependency, Task
from hitpm.portfolio.models import Project

LINK_FIELDS = frozenset({"type", "lag", "lag_format"})


def _path(successors: Mapping[int, list[int]], start: int, goal: int) -> list[int] | None:
    """A chain of links from ``start`` to ``goal`` (breadth first), or None."""
    came_from: dict[int, int] = {start: start}
    frontier = [start]
    while frontier:
        following: list[int] = []
        for node in frontier:
            for nxt in successors.get(node, ()):
                if nxt not in came_from:
                    came_from[nxt] = node
                    if nxt == goal:
                        chain = [goal]
                        while chain[-1] != start:
                            chain.append(came_from[chain[-1]])
                        return chain[::-1]
                    following.append(nxt)
        frontier = following
    return None


def refuse_cycles(project: Project, new_links: Iterable[tuple[int, int]]) -> None:
    """Raise a ValidationError naming the tasks of the loop the new links would close."""
    successors: dict[int, list[int]] = {}
    pairs = Dependency.objects.filter(project=project).values_list("predecessor_id", "successor_id")
    for pred, succ in pairs:
        successors.setdefault(pred, []).append(succ)
    for pred, succ in new_links:
        chain = _path(successors, succ, pred) if pred != succ else [pred]
        if chain is not None:
            rows = Task.objects.filter(pk__in=chain).values_list("pk", "wbs", "name")
            names = {pk: f"{wbs} {name}".strip() for pk, wbs, name in rows}
            loop = " -> ".join(names[pk] for pk in [*chain, chain[0]])
            raise ValidationError(
                f"This link would make a loop: {loop}. A task cannot (even indirectly) wait "
                "for itself; remove one of these links first.",
                code="cycle",
            )
        successors.setdefault(pred, []).append(succ)


def check_link(project: Project, predecessor: Task, successor: Task) -> None:
    """Refuse self-links and links between a summary and its own subtasks."""
    if predecessor.pk == successor.pk:
        raise ValidationError(f"{label(successor)} cannot be linked to itself.")
    for outer, inner in ((predecessor, successor), (successor, predecessor)):
        if inner.wbs.startswith(f"{outer.wbs}.") and inner.outline_level > outer.outline_level:
            raise ValidationError(
                f"{label(outer)} is a summary of {label(inner)}; a summary task cannot be "
                "linked to its own subtasks."
            )


def _link_values(kind: Any, lag: Any, lag_format: Any) -> tuple[int, float, str]:
    try:
        link_type = LinkType[kind.upper()] if isinstance(kind, str) else LinkType(int(kind))
    except (KeyError, ValueError) as exc:
        raise ValidationError({"type": f"{kind!r} is not one of FS, SS, FF, SF."}) from exc
    try:
        fmt = LagFormat(lag_format)
    except ValueError as exc:
        choices = ", ".join(f.value for f in LagFormat)
        raise ValidationError({"lag_format": f"{lag_format!r} is not one of {choices}."}) from exc
    try:
        minutes = float(lag)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"lag": f"{lag!r} is not a number."}) from exc
    if minutes != minutes or abs(minutes) > 10**9:
        raise ValidationError({"lag": "The lag must be a finite number."})
    return int(link_type), minutes, fmt.value


def link_tasks(
    project: Project,
    predecessor_id: int,
    successor_id: int,
    type: LinkType = LinkType.FS,
    lag: float = 0,
    lag_format: LagFormat = LagFormat.WORKING,
) -> ChangeResult:
    """Link two tasks of the project; refuses self-links, duplicates and loops."""
    with transaction.atomic():
        predecessor = task_of(project, predecessor_id)
        successor = task_of(project, successor_id)
        check_link(project, predecessor, successor)
        existing = Dependency.objects.filter(predecessor=predecessor, successor=successor)
        if existing.exists():
            raise ValidationError(
                f"{label(predecessor)} is already a predecessor of {label(successor)}; "
                "change that link instead."
            )
        refuse_cycles(project, [(predecessor.pk, successor.pk)])
        kind, minutes, fmt = _link_values(type, lag, lag_format)
        link = save_validated(
            Dependency(
                project=project,
                predecessor=predecessor,
                successor=successor,
                type=kind,
                lag=minutes,
                lag_format=fmt,
            )
        )
        return finish_change(project, [successor.pk], created_id=link.pk)


def _link_of(project: Project, dependency_id: int, expected_version: int | None) -> Dependency:
    if not Dependency.objects.filter(project=project, pk=dependency_id).exists():
        raise ValidationError(f"{project.code} has no link with id {dependency_id}.")
    return lock_current(Dependency, dependency_id, expected_version)


def change_link(
    project: Project, dependency_id: int, changes: Mapping[str, Any], expected_version: int | None
) -> ChangeResult:
    """Change a link's type, lag or lag format, and reschedule."""
    unknown = sorted(set(changes) - LINK_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    with transaction.atomic():
        link = _link_of(project, dependency_id, expected_version)
        link.type, link.lag, link.lag_format = _link_values(
            changes.get("type", link.type),
            changes.get("lag", link.lag),
            changes.get("lag_format", link.lag_format),
        )
        save_validated(link)
        return finish_change(project, [link.successor_id])


def unlink(project: Project, dependency_id: int, expected_version: int | None) -> ChangeResult:
    """Remove a link and reschedule."""
    with transaction.atomic():
        link = _link_of(project, dependency_id, expected_version)
        successor_id = link.successor_id
        link.delete()
        return finish_change(project, [successor_id], [dependency_id])
