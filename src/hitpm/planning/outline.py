"""Structural edits of the WBS: insert, indent, outdent, move and delete tasks.

The outline is kept as MS Project keeps it: rows in order, each with an outline level; the
parent and WBS code follow from that. Every edit computes the new order and levels, checks
that each row is at most one level deeper than the row above, and renumbers. Changes of
parent and level are saved through the model (audited, version bumped); positions and WBS
codes are derived and renumbered in bulk. Outdenting a task makes the siblings that follow it
its subtasks, as in MS Project. Each edit reschedules and returns a
:class:`~hitpm.planning.editing.ChangeResult`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.core.services import lock_current
from hitpm.core.writeback import update_columns
from hitpm.planning.editing import ChangeResult, change_task, finish_change
from hitpm.planning.models import Dependency, Task
from hitpm.portfolio.models import Project

Place = Literal["before", "after"]


@dataclass
class _Row:
    pk: int
    parent_id: int | None
    level: int
    position: int
    wbs: str
    name: str


def _rows(project: Project) -> list[_Row]:
    fields = ("pk", "parent_id", "outline_level", "position", "wbs", "name")
    query = Task.objects.filter(project=project).order_by("position", "pk").values_list(*fields)
    return [_Row(*row) for row in query]


def _index(rows: Sequence[_Row], task_id: int) -> int:
    for i, row in enumerate(rows):
        if row.pk == task_id:
            return i
    raise ValidationError(f"This plan has no task with id {task_id}.")


def _block_end(rows: Sequence[_Row], start: int, levels: Sequence[int] | None = None) -> int:
    """Index after the subtree that starts at ``start``."""
    levels = levels or [r.level for r in rows]
    end = start + 1
    while end < len(rows) and levels[end] > levels[start]:
        end += 1
    return end


def _renumber(project: Project, rows: Sequence[_Row], levels: Sequence[int]) -> set[int]:
    """Store the outline given by ``rows`` in this order at ``levels``; ids that changed."""
    if levels and levels[0] != 1:
        raise ValidationError(f"{label_of(rows[0])} must stay at the top level.")
    parents: list[int] = []
    wbs_of: dict[int | None, str] = {None: ""}
    counts: dict[int | None, int] = {}
    moved: dict[int, tuple[int | None, int, int, str]] = {}
    derived: dict[int, tuple[int, str]] = {}
    for position, (row, level) in enumerate(zip(rows, levels, strict=True)):
        if level < 1 or level > len(parents) + 1:
            raise ValidationError(
                f"{label_of(row)} cannot be more than one level below the task above it."
            )
        del parents[level - 1 :]
        parent = parents[-1] if parents else None
        counts[parent] = counts.get(parent, 0) + 1
        wbs = f"{wbs_of[parent]}.{counts[parent]}".lstrip(".")
        wbs_of[row.pk] = wbs
        parents.append(row.pk)
        if (parent, level) != (row.parent_id, row.level):
            moved[row.pk] = (parent, level, position, wbs)
        elif (position, wbs) != (row.position, row.wbs):
            derived[row.pk] = (position, wbs)
    for task in Task.objects.filter(pk__in=moved):
        task.parent_id, task.outline_level, task.position, task.wbs = moved[task.pk]
        task.save(update_fields=["parent", "outline_level", "position", "wbs"])
    update_columns(Task, ("position", "wbs"), derived)
    return set(moved) | set(derived)


def label_of(row: _Row) -> str:
    return f"{row.wbs} {row.name}".strip()


def _selected(rows: Sequence[_Row], task_ids: Iterable[int]) -> list[int]:
    """Indices of the selected rows, without rows inside another selected row's subtree."""
    wanted = sorted(_index(rows, pk) for pk in set(task_ids))
    kept: list[int] = []
    for i in wanted:
        if not kept or i >= _block_end(rows, kept[-1]):
            kept.append(i)
    return kept


def _shifted(project: Project, task_ids: Iterable[int], step: int) -> ChangeResult:
    with transaction.atomic():
        rows = _rows(project)
        levels = [r.level for r in rows]
        for start in _selected(rows, task_ids):
            end = _block_end(rows, start)
            if step > 0 and (start == 0 or levels[start - 1] < levels[start]):
                raise ValidationError(
                    f"{label_of(rows[start])} cannot be indented: it is already the first "
                    "subtask under the task above it."
                )
            if step < 0 and levels[start] == 1:
                raise ValidationError(f"{label_of(rows[start])} is already at the top level.")
            for i in range(start, end):
                levels[i] += step
        changed = _renumber(project, rows, levels)
        return finish_change(project, changed)


def indent(project: Project, task_ids: Iterable[int]) -> ChangeResult:
    """Make each task (with its subtasks) a subtask of the task above it."""
    return _shifted(project, task_ids, 1)


def outdent(project: Project, task_ids: Iterable[int]) -> ChangeResult:
    """Move each task (with its subtasks) up one level; siblings after it become its subtasks."""
    return _shifted(project, task_ids, -1)


def move_task(project: Project, task_id: int, target_id: int, place: Place) -> ChangeResult:
    """Move a task and its subtasks before or after ``target`` (after its subtasks), at the
    target's level."""
    with transaction.atomic():
        rows = _rows(project)
        start = _index(rows, task_id)
        end = _block_end(rows, start)
        target = _index(rows, target_id)
        if start <= target < end:
            raise ValidationError(f"{label_of(rows[start])} cannot be moved into itself.")
        block = rows[start:end]
        step = rows[target].level - rows[start].level
        insert_at = target if place == "before" else _block_end(rows, target)
        kept = [r for i, r in enumerate(rows) if not start <= i < end]
        at = insert_at - (end - start if insert_at >= end else 0)
        order = [*kept[:at], *block, *kept[at:]]
        block_ids = {r.pk for r in block}
        levels = [r.level + step if r.pk in block_ids else r.level for r in order]
        changed = _renumber(project, order, levels)
        return finish_change(project, changed)


def reorder(project: Project, task_id: int, direction: Literal["up", "down"]) -> ChangeResult:
    """Swap a task (with its subtasks) with its previous or next sibling."""
    rows = _rows(project)
    i = _index(rows, task_id)
    level, siblings = rows[i].level, []
    for j, row in enumerate(rows):
        if row.parent_id == rows[i].parent_id and row.level == level:
            siblings.append(j)
    k = siblings.index(i) + (-1 if direction == "up" else 1)
    if not 0 <= k < len(siblings):
        edge = "first" if direction == "up" else "last"
        raise ValidationError(f"{label_of(rows[i])} is already the {edge} of its siblings.")
    place: Place = "before" if direction == "up" else "after"
    return move_task(project, task_id, rows[siblings[k]].pk, place)


def create_task(
    project: Project,
    fields: Mapping[str, Any],
    *,
    before_id: int | None = None,
    parent_id: int | None = None,
) -> ChangeResult:
    """Insert a task above ``before_id`` (at its level), as the last subtask of ``parent_id``,
    or at the end of the plan; then apply ``fields`` as :func:`change_task` does."""
    name = str(fields.get("name", "")).strip()
    if not name:
        raise ValidationError({"name": "Give the task a name."})
    with transaction.atomic():
        rows = _rows(project)
        levels = [r.level for r in rows]
        if before_id is not None:
            at = _index(rows, before_id)
            level = rows[at].level
        elif parent_id is not None:
            parent = _index(rows, parent_id)
            at, level = _block_end(rows, parent), rows[parent].level + 1
        else:
            at, level = len(rows), 1
        task = Task(project=project, name=name, position=len(rows), outline_level=level)
        task.full_clean(exclude=["parent"])
        task.save()
        new = _Row(task.pk, None, level, len(rows), "", name)
        order = [*rows[:at], new, *rows[at:]]
        changed = _renumber(project, order, [*levels[:at], level, *levels[at:]])
        rest = {k: v for k, v in fields.items() if k != "name"}
        if rest:
            task.refresh_from_db()
            change_task(project, task.pk, rest, task.version)
        return finish_change(project, {task.pk, *changed}, created_id=task.pk)


def delete_tasks(
    project: Project, task_ids: Iterable[int], expected_version: int | None = None
) -> ChangeResult:
    """Delete tasks with their subtasks and links. ``expected_version`` guards a single task."""
    with transaction.atomic():
        rows = _rows(project)
        selected = _selected(rows, task_ids)
        if expected_version is not None and len(selected) == 1:
            lock_current(Task, rows[selected[0]].pk, expected_version)
        doomed = {r.pk for s in selected for r in rows[s : _block_end(rows, s)]}
        touching = Dependency.objects.filter(project=project)
        link_ids = set(
            touching.filter(predecessor_id__in=doomed).values_list("pk", flat=True)
        ) | set(touching.filter(successor_id__in=doomed).values_list("pk", flat=True))
        successors = (
            set(touching.filter(predecessor_id__in=doomed).values_list("successor_id", flat=True))
            - doomed
        )
        for task in Task.objects.filter(pk__in=doomed).order_by("-outline_level"):
            task.delete()
        remaining = [r for r in rows if r.pk not in doomed]
        changed = _renumber(project, remaining, [r.level for r in remaining])
        return finish_change(project, changed | successors, doomed, link_ids)
