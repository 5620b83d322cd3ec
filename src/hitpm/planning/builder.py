"""Building plans in bulk: an outline of rows with their links, validated, then inserted.

Used by the demo loader and importers; rows name each other by key, so an outline can be
written out before any task exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from hitpm.audit.signals import record_bulk_create
from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.planning.models import Calendar, Dependency, Task
from hitpm.portfolio.models import Project

UNDATED_CONSTRAINTS = (ConstraintType.ASAP, ConstraintType.ALAP)


@dataclass(frozen=True)
class PlanLink:
    """A predecessor of a :class:`PlanRow`, named by the predecessor row's key."""

    predecessor: str
    type: LinkType = LinkType.FS
    lag: float = 0
    lag_format: LagFormat = LagFormat.WORKING


@dataclass(frozen=True)
class PlanRow:
    """One task of an outline given to :func:`build_plan`; ``level`` 1 is the top."""

    key: str
    name: str
    level: int = 1
    duration_minutes: int = 0
    milestone: bool = False
    predecessors: tuple[PlanLink, ...] = ()
    constraint_type: ConstraintType = ConstraintType.ASAP
    constraint_date: dt.datetime | None = None
    deadline: dt.datetime | None = None
    calendar: str = ""
    notes: str = ""


def _check_outline(rows: Sequence[PlanRow]) -> None:
    """Unique keys, and levels that start at 1 and go down one level at a time."""
    seen: set[str] = set()
    previous = 0
    for row in rows:
        if not row.key or row.key in seen:
            raise ValidationError(
                f"Row {row.key!r} ({row.name}): every row needs a key no other row has."
            )
        if not 1 <= row.level <= previous + 1:
            raise ValidationError(
                f"Row {row.key!r} ({row.name}): level {row.level} must be between 1 and "
                f"{previous + 1}, one deeper than the row above at most."
            )
        seen.add(row.key)
        previous = row.level


def _new_task(project: Project, row: PlanRow, calendars: Mapping[str, Calendar]) -> Task:
    if row.calendar and row.calendar not in calendars:
        raise ValidationError(f"Row {row.key!r}: {project.code} has no calendar {row.calendar!r}.")
    return Task(
        project=project,
        name=row.name,
        outline_level=row.level,
        duration_minutes=row.duration_minutes,
        milestone=row.milestone,
        constraint_type=row.constraint_type,
        constraint_date=row.constraint_date,
        deadline=row.deadline,
        calendar=calendars.get(row.calendar) if row.calendar else None,
        notes=row.notes,
    )


def _place(tasks: Sequence[Task], first_position: int, top_count: int) -> None:
    """Set position, parent and WBS code (1, 1.1, 1.1.2 ...) of tasks in outline order."""
    stack: list[list[Any]] = []  # [task, number of children so far]
    for offset, task in enumerate(tasks):
        del stack[task.outline_level - 1 :]
        if stack:
            stack[-1][1] += 1
            parent = stack[-1][0]
            task.parent, task.wbs = parent, f"{parent.wbs}.{stack[-1][1]}"
        else:
            top_count += 1
            task.wbs = str(top_count)
        task.position = first_position + offset
        stack.append([task, 0])


def _validate(tasks: Sequence[Task], rows: Sequence[PlanRow]) -> None:
    """Field validation of every new task, reported together, before anything is written.

    The model's one check constraint (a dated constraint type needs its date) is checked here
    in Python: validating it through ``full_clean`` costs a query per task.
    """
    problems: list[str] = []
    for task, row in zip(tasks, rows, strict=True):
        errors: dict[str, list[str]] = {}
        try:
            task.clean_fields(exclude=["project", "parent", "calendar", "owner"])
        except ValidationError as exc:
            errors = exc.message_dict
        if task.constraint_date is None and task.constraint_type not in UNDATED_CONSTRAINTS:
            errors["constraint_date"] = ["This constraint type needs a constraint date."]
        if errors:
            details = "; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items())
            problems.append(f"Row {row.key!r} ({row.name}): {details}")
    if problems:
        raise ValidationError(problems)


def _new_links(
    project: Project, rows: Sequence[PlanRow], by_key: Mapping[str, Task]
) -> list[Dependency]:
    links: list[Dependency] = []
    pairs: set[tuple[str, str]] = set()
    for row in rows:
        for link in row.predecessors:
            if link.predecessor not in by_key:
                raise ValidationError(f"Row {row.key!r}: no row has key {link.predecessor!r}.")
            if link.predecessor == row.key or (link.predecessor, row.key) in pairs:
                raise ValidationError(
                    f"Row {row.key!r}: the link from {link.predecessor!r} is to itself or twice."
                )
            pairs.add((link.predecessor, row.key))
            links.append(
                Dependency(
                    project=project,
                    predecessor=by_key[link.predecessor],
                    successor=by_key[row.key],
                    type=link.type,
                    lag=link.lag,
                    lag_format=link.lag_format,
                )
            )
    return links


def build_plan(project: Project, rows: Sequence[PlanRow]) -> dict[str, Task]:
    """Append an outline of tasks and their links to the end of the plan, in bulk and audited.

    Rows are validated first, so a bad row leaves the plan unchanged. Returns the created tasks
    by row key, in outline order. Dates are not computed: call :func:`reschedule` afterwards.
    """
    _check_outline(rows)
    with transaction.atomic():
        calendars = {c.name: c for c in project.calendars.all()}
        tasks = [_new_task(project, row, calendars) for row in rows]
        tail = project.tasks.aggregate(last=Max("position"))["last"]
        top_count = project.tasks.filter(parent__isnull=True).count()
        _place(tasks, 0 if tail is None else tail + 1, top_count)
        _validate(tasks, rows)
        by_key = {row.key: task for row, task in zip(rows, tasks, strict=True)}
        links = _new_links(project, rows, by_key)
        for level in sorted({t.outline_level for t in tasks}):
            Task.objects.bulk_create([t for t in tasks if t.outline_level == level])
        Dependency.objects.bulk_create(links, batch_size=500)
        record_bulk_create([*tasks, *links])
    return by_key
