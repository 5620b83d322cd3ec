"""Resources, assignments and the resource usage histogram.

Usage spreads each assignment's units evenly over its task's working time (MS Project's flat
contour): a trainer assigned at 50% to a five-day task works 2 hours a day of it. For each
period the histogram adds up a resource's assigned work and compares it with what the
resource can give: its calendar's working time in the period times its capacity (Max.
Units). More work than that is over-allocation, shown in red. Levelling is not done here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.core.services import delete_current, lock_current, save_validated
from hitpm.planning.models import Assignment, Resource, Task
from hitpm.planning.spec import project_spec
from hitpm.planning.worktime import WorkTime
from hitpm.portfolio.models import Project

Period = Literal["day", "week", "month"]
RESOURCE_FIELDS = frozenset({"name", "kind", "role", "user_id", "calendar_id", "capacity_percent"})


def _checked_resource(project: Project, resource: Resource) -> Resource:
    if resource.calendar_id and not project.calendars.filter(pk=resource.calendar_id).exists():
        raise ValidationError({"calendar_id": f"{project.code} has no such calendar."})
    return save_validated(resource)


def create_resource(project: Project, fields: Mapping[str, Any]) -> Resource:
    unknown = sorted(set(fields) - RESOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    with transaction.atomic():
        return _checked_resource(project, Resource(project=project, **fields))


def resource_of(project: Project, resource_id: int) -> Resource:
    found = project.resources.filter(pk=resource_id).first()
    if found is None:
        raise ValidationError(f"{project.code} has no resource {resource_id}.")
    return found


def update_resource(
    project: Project, resource_id: int, fields: Mapping[str, Any], expected_version: int | None
) -> Resource:
    unknown = sorted(set(fields) - RESOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    with transaction.atomic():
        resource = lock_current(Resource, resource_of(project, resource_id).pk, expected_version)
        for name, value in fields.items():
            setattr(resource, name, value)
        return _checked_resource(project, resource)


def delete_resource(project: Project, resource_id: int, expected_version: int | None) -> None:
    delete_current(Resource, resource_of(project, resource_id).pk, expected_version)


def assign(
    project: Project, task_id: int, resource_id: int, units_percent: int = 100
) -> Assignment:
    """Assign a resource to a work task (not a summary) at ``units_percent``."""
    with transaction.atomic():
        task = Task.objects.filter(project=project, pk=task_id).first()
        if task is None:
            raise ValidationError({"task_id": f"{project.code} has no task {task_id}."})
        if task.is_summary:
            raise ValidationError({"task_id": "Assign resources to work tasks, not summaries."})
        resource = resource_of(project, resource_id)
        if Assignment.objects.filter(task=task, resource=resource).exists():
            raise ValidationError(f"{resource} is already assigned to {task.name}.")
        return save_validated(
            Assignment(project=project, task=task, resource=resource, units_percent=units_percent)
        )


def assignment_of(project: Project, assignment_id: int) -> Assignment:
    found = project.assignments.filter(pk=assignment_id).first()
    if found is None:
        raise ValidationError(f"{project.code} has no assignment {assignment_id}.")
    return found


def change_units(
    project: Project, assignment_id: int, units_percent: int, expected_version: int | None
) -> Assignment:
    with transaction.atomic():
        current = lock_current(
            Assignment, assignment_of(project, assignment_id).pk, expected_version
        )
        current.units_percent = units_percent
        return save_validated(current)


def unassign(project: Project, assignment_id: int, expected_version: int | None) -> None:
    delete_current(Assignment, assignment_of(project, assignment_id).pk, expected_version)


# -- usage histogram -----------------------------------------------------------------------


def _period_start(day: dt.date, period: Period) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next(day: dt.date, period: Period) -> dt.date:
    if period == "week":
        return day + dt.timedelta(days=7)
    if period == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day + dt.timedelta(days=1)


def periods(first: dt.date, last: dt.date, period: Period) -> list[dt.date]:
    """Starts of the periods covering ``first`` to ``last``."""
    starts, day = [], _period_start(first, period)
    while day <= last:
        starts.append(day)
        day = _next(day, period)
    return starts


@dataclass
class ResourceUsage:
    """One resource's work and availability per period, in working minutes."""

    resource: Resource
    work: list[int] = field(default_factory=list)
    available: list[int] = field(default_factory=list)

    @property
    def over(self) -> list[bool]:
        return [w > a for w, a in zip(self.work, self.available, strict=True)]

    @property
    def overallocated(self) -> bool:
        return any(self.over)

    @property
    def peak_percent(self) -> int:
        loads = [w * 100 // a for w, a in zip(self.work, self.available, strict=True) if a]
        return max(loads, default=0)


@dataclass
class Histogram:
    """Usage of every resource over the same periods."""

    period: Period
    starts: list[dt.date]
    rows: list[ResourceUsage]


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def histogram(
    project: Project,
    period: Period = "week",
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> Histogram:
    """Work against availability per resource and period (see the module notes)."""
    query = Assignment.objects.filter(
        project=project, task__start__isnull=False, task__finish__isnull=False
    ).values_list("resource_id", "units_percent", "task__start", "task__finish")
    assignments = [(r, u, s, f) for r, u, s, f in query if s is not None and f is not None]
    resources = list(project.resources.order_by("name"))
    dates = [d for row in assignments for d in row[2:]]
    first = first or (min(dates).date() if dates else project.start_date)
    last = last or (max(dates).date() if dates else first + dt.timedelta(days=27))
    if last < first:
        raise ValidationError("The histogram's last day is before its first.")
    if (last - first).days > 3660:
        raise ValidationError("Show at most ten years at once.")
    starts = periods(first, last, period)
    bounds = [_utc(s) for s in [*starts, _next(starts[-1], period)]]
    spec = project_spec(project)
    by_resource: dict[int, list[tuple[int, dt.datetime, dt.datetime]]] = defaultdict(list)
    for resource_id, units, start, finish in assignments:
        by_resource[resource_id].append((units, start, finish))
    rows = []
    for resource in resources:
        worktime = WorkTime(spec, resource.calendar_id, bounds[0].date(), bounds[-1].date())
        available = worktime.between(bounds[:-1], bounds[1:])
        usage = ResourceUsage(
            resource,
            work=[0] * len(starts),
            available=[int(a) * resource.capacity_percent // 100 for a in available],
        )
        for units, start, finish in by_resource[resource.pk]:
            lows = [max(start, b) for b in bounds[:-1]]
            highs = [min(finish, b) for b in bounds[1:]]
            spans = worktime.between(
                lows, [max(lo, hi) for lo, hi in zip(lows, highs, strict=True)]
            )
            for i, minutes in enumerate(spans):
                usage.work[i] += int(minutes) * units // 100
        rows.append(usage)
    return Histogram(period, starts, rows)
