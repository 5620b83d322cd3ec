"""Interactive edits of a plan: change a task, link and unlink tasks; each reschedules.

The link functions live in :mod:`.linking` and the result type in :mod:`.changes`; both are
re-exported here, the one module the task table, the Gantt chart and the API call. Every
function runs in one transaction: it validates, writes, reschedules with the engine
and returns a :class:`ChangeResult` naming every task whose stored inputs or computed outputs
changed, so the task table and the Gantt chart redraw only what moved. On any error
(ValidationError with a message for people, StaleVersion for an edit of an old version)
nothing is written. Structural edits (insert, indent, outdent, move, delete) are in
:mod:`.outline` and return the same result.

Dragging a bar to a new start sets a *Start No Earlier Than* constraint on that date, as
Microsoft Project does; dragging its end sets the duration to the working time between the
start and the new finish on the task's calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.core.services import StaleVersion, lock_current, save_validated
from hitpm.engine.dcma import working_minutes_between
from hitpm.engine.model import ConstraintType
from hitpm.planning.changes import ChangeResult, finish_change, label, task_of
from hitpm.planning.linking import change_link, check_link, link_tasks, refuse_cycles, unlink
from hitpm.planning.models import Task
from hitpm.planning.spec import naive, project_spec
from hitpm.portfolio.models import Membership, Project

__all__ = [
    "EDITABLE_FIELDS",
    "ChangeResult",
    "StaleVersion",
    "apply_changes",
    "change_link",
    "change_task",
    "check_link",
    "finish_change",
    "label",
    "link_tasks",
    "refuse_cycles",
    "task_of",
    "unlink",
]

EDITABLE_FIELDS = frozenset(
    {
        "name", "notes", "owner_id", "duration_minutes", "start", "finish", "milestone",
        "manual", "constraint_type", "constraint_date", "deadline", "calendar_id",
        "percent_complete", "actual_start", "actual_finish", "remaining_minutes",
    }
)  # fmt: skip
"""What :func:`change_task` accepts; ``start`` and ``finish`` are the Gantt drag shortcuts."""

# -- task fields ---------------------------------------------------------------------------


def _as_aware(value: Any, field: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError({field: f"{value!r} is not a date and time (ISO 8601)."}) from exc
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(8))
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: f"{value!r} is not a date and time."})
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _constraint(value: Any) -> int:
    if isinstance(value, str) and value.upper() in ConstraintType.__members__:
        return int(ConstraintType[value.upper()])
    try:
        return int(ConstraintType(int(value)))
    except (TypeError, ValueError) as exc:
        names = ", ".join(ConstraintType.__members__)
        raise ValidationError({"constraint_type": f"{value!r} is not one of {names}."}) from exc


def _percent(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({"percent_complete": f"{value!r} is not a number."}) from exc


_CONVERTERS = {
    "constraint_type": lambda v: _constraint(v),
    "percent_complete": _percent,
    **{
        name: (lambda field: lambda v: _as_aware(v, field))(name)
        for name in ("constraint_date", "deadline", "actual_start", "actual_finish")
    },
}


def _check_references(project: Project, task: Task, changes: Mapping[str, Any]) -> None:
    """The owner must be on the project's team, the calendar one of the project's own."""
    owner_id = changes.get("owner_id")
    if owner_id and not Membership.objects.filter(project=project, user_id=owner_id).exists():
        raise ValidationError({"owner_id": "The owner must be a member of this project's team."})
    calendar_id = changes.get("calendar_id")
    if calendar_id and not project.calendars.filter(pk=calendar_id).exists():
        raise ValidationError({"calendar_id": f"{project.code} has no calendar {calendar_id}."})


def _drag(project: Project, task: Task, changes: dict[str, Any]) -> None:
    """Turn ``start``/``finish`` (a dragged bar) into an SNET constraint and a duration."""
    start = _as_aware(changes.pop("start", None), "start")
    finish = _as_aware(changes.pop("finish", None), "finish")
    if start is None and finish is None:
        return
    if task.is_summary:
        raise ValidationError("A summary task's dates come from its subtasks; move those.")
    if task.actual_start is not None and start is not None:
        raise ValidationError({"start": "This task has started: change its actual start."})
    if start is not None:
        changes["constraint_type"], changes["constraint_date"] = ConstraintType.SNET, start
    if finish is not None:
        begin = start or task.start
        if begin is None:
            raise ValidationError({"finish": "Schedule the plan before dragging a finish."})
        spec = project_spec(project)
        calendar = changes.get("calendar_id", task.calendar_id) or spec.calendar_uid
        minutes = working_minutes_between(spec, calendar, naive(begin), naive(finish))  # type: ignore[arg-type]
        if minutes < 0:
            raise ValidationError({"finish": "The finish cannot be before the start."})
        changes["duration_minutes"] = minutes


def _scheduled_actual(task: Task, planned: dt.datetime | None, field: str) -> dt.datetime:
    """The scheduled date as the actual one, unless it is after the status date."""
    status = task.project.status_date
    if planned is None or (status is not None and planned.date() > status):
        raise ValidationError(
            {field: "Enter the actual date: the scheduled one is after the status date."}
        )
    return planned


def check_progress(task: Task) -> None:
    """Fill in actual dates as MS Project does, then check they make sense: progress sets the
    actual start to the scheduled start, 100% the actual finish to the scheduled finish, and
    an actual finish makes the task 100% complete."""
    if task.percent_complete and task.actual_start is None:
        task.actual_start = _scheduled_actual(task, task.start, "actual_start")
    if task.percent_complete == 100 and task.actual_finish is None:
        task.actual_finish = _scheduled_actual(task, task.finish, "actual_finish")
    if task.actual_finish is not None:
        task.percent_complete = Decimal(100)
        task.remaining_minutes = 0
    if task.actual_finish is not None and task.actual_start is None:
        raise ValidationError({"actual_start": "A finished task needs an actual start."})
    if task.actual_start and task.actual_finish and task.actual_finish < task.actual_start:
        raise ValidationError({"actual_finish": "The actual finish is before the actual start."})


def apply_changes(
    project: Project, task_id: int, changes: Mapping[str, Any], expected_version: int | None
) -> Task:
    """Validate and save field changes of one task without rescheduling (for bulk edits)."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    task_of(project, task_id)
    task = lock_current(Task, task_id, expected_version)
    values = dict(changes)
    _drag(project, task, values)
    values = {k: _CONVERTERS[k](v) if k in _CONVERTERS else v for k, v in values.items()}
    if values.get("constraint_type") in (ConstraintType.ASAP, ConstraintType.ALAP):
        values.setdefault("constraint_date", None)
    _check_references(project, task, values)
    for name, value in values.items():
        setattr(task, name, value)
    check_progress(task)
    return save_validated(task)


def change_task(
    project: Project, task_id: int, changes: Mapping[str, Any], expected_version: int | None
) -> ChangeResult:
    """Change fields of one task (see :data:`EDITABLE_FIELDS`), validate and reschedule."""
    with transaction.atomic():
        task = apply_changes(project, task_id, changes, expected_version)
        return finish_change(project, [task.pk])
