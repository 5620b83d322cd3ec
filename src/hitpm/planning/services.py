"""Planning use cases: schedule a stored plan and write back what changed; calendars.

The conversion to the engine's spec is in :mod:`.spec`, bulk plan building in
:mod:`.builder`, interactive edits in :mod:`.editing`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.audit.signals import record_bulk_create
from hitpm.core.services import save_validated
from hitpm.core.writeback import update_columns
from hitpm.engine.cpm import schedule
from hitpm.engine.model import STANDARD_DAY, ScheduleResult
from hitpm.engine.network import CycleError
from hitpm.planning.models import COMPUTED_FIELDS, Calendar, CalendarException, Task
from hitpm.planning.spec import (
    FALLBACK_CALENDAR_UID,
    StoredPlan,
    aware,
    load_plan,
    project_spec,
)
from hitpm.planning.spec import (
    weekly as stored_week,
)
from hitpm.portfolio.models import Project

__all__ = [
    "FALLBACK_CALENDAR_UID",
    "STANDARD_WEEK",
    "Rescheduled",
    "create_calendar",
    "create_default_calendar",
    "project_spec",
    "reschedule",
]

STANDARD_WEEK: dict[str, list[list[int]]] = {
    **{str(day): [list(interval) for interval in STANDARD_DAY] for day in range(5)},
    "5": [],
    "6": [],
}
"""Monday to Friday, 08:00-12:00 and 13:00-17:00, in the stored ``Calendar.weekly`` form."""

_LEADING_UID = re.compile(r"^(\d+)\b")


@dataclass(frozen=True)
class Rescheduled:
    """What a reschedule computed from which stored plan, and which tasks' stored outputs it
    changed."""

    schedule: ScheduleResult
    changed_ids: frozenset[int]
    plan: StoredPlan

    @property
    def finish(self) -> dt.datetime:
        """The project's finish, as the aware UTC datetime the database stores."""
        return aware(self.schedule.finish)


def _cycle_message(project: Project, error: CycleError, labels: Mapping[int, str]) -> str:
    """Name the loop's tasks by WBS code and name rather than by database id."""
    loop = []
    for label in error.labels:
        match = _LEADING_UID.match(label)
        loop.append(labels.get(int(match.group(1)), label) if match else label)
    chain = " -> ".join([*loop, loop[0]]) if loop else "?"
    return (
        f"The plan of {project.code} cannot be scheduled because its links form a loop: "
        f"{chain}. Remove or reverse one of these links."
    )


_OUTPUT_GETTER = attrgetter(*COMPUTED_FIELDS)
"""A task result's values of the computed fields, in COMPUTED_FIELDS order (same names)."""


def _write_results(plan: StoredPlan, result: ScheduleResult) -> frozenset[int]:
    """Store the outputs that changed, in a few statements; the ids of the changed tasks."""
    changed: dict[int, tuple[Any, ...]] = {}
    for out in result.tasks:
        values = _OUTPUT_GETTER(out)
        if plan.outputs.get(out.uid) != values:
            changed[out.uid] = values
    # Engine datetimes are naive UTC, as update_columns takes them.
    update_columns(Task, COMPUTED_FIELDS, changed)
    return frozenset(changed)


def reschedule(project: Project) -> Rescheduled:
    """Schedule the project's plan and store every task's dates, floats and critical flag.

    Only tasks whose outputs changed are written. Raises ValidationError, with nothing
    written, when the plan cannot be scheduled (a loop of links names its tasks; other
    engine errors are passed on in words).
    """
    with transaction.atomic():
        plan = load_plan(project)
        try:
            result = schedule(plan.spec)
        except CycleError as exc:
            message = _cycle_message(project, exc, plan.labels)
            raise ValidationError(message, code="cycle") from exc
        except ValueError as exc:
            raise ValidationError(
                f"The plan of {project.code} cannot be scheduled: {exc}", code="schedule"
            ) from exc
        changed = _write_results(plan, result)
    return Rescheduled(schedule=result, changed_ids=changed, plan=plan)


# -- calendars -----------------------------------------------------------------------------


def create_calendar(
    project: Project,
    name: str,
    *,
    weekly: Mapping[str, list[list[int]]] | None = None,
    base: Calendar | None = None,
    default: bool = False,
    holidays: Iterable[tuple[dt.date, str]] = (),
) -> Calendar:
    """Create a calendar with its non-working days; ``weekly`` overrides the base's week.

    Without a base, the week defaults to the standard Monday-Friday week. A project has at
    most one default calendar.
    """
    with transaction.atomic():
        if default and project.calendars.filter(is_project_default=True).exists():
            raise ValidationError(f"{project.code} already has a default calendar.")
        if weekly is None:
            weekly = {} if base is not None else STANDARD_WEEK
        calendar = Calendar(
            project=project,
            name=name,
            base=base,
            weekly=dict(weekly),
            is_project_default=default,
        )
        stored_week(calendar)
        save_validated(calendar)
        exceptions = [
            CalendarException(calendar=calendar, start=day, end=day, name=label)
            for day, label in holidays
        ]
        CalendarException.objects.bulk_create(exceptions)
        record_bulk_create(list(exceptions))
    return calendar


def create_default_calendar(
    project: Project, holidays: Iterable[tuple[dt.date, str]] = ()
) -> Calendar:
    """The project's standard Monday-Friday 08:00-17:00 calendar with the given holidays."""
    return create_calendar(project, "Standard", default=True, holidays=holidays)
