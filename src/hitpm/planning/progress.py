"""Progress: status date, bulk progress updates, out-of-sequence mode, slipping work.

A progress update records, per task, the actual start and finish, percent complete and
remaining duration as of the status date, all in one transaction with one reschedule at the
end. Out-of-sequence progress (a task started before its predecessors finished) is scheduled
in the project's chosen mode: *retained logic* keeps the remaining work waiting for the
predecessors, *progress override* lets it continue at once (Primavera's two settings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from hitpm.core.services import save_validated
from hitpm.engine.model import ProgressMode
from hitpm.planning.baselines import Variance, stored_settings_of, variances
from hitpm.planning.editing import ChangeResult, apply_changes, finish_change, label
from hitpm.planning.models import Baseline, PlanSettings, Task
from hitpm.planning.services import Rescheduled, reschedule
from hitpm.portfolio.models import Project
from hitpm.portfolio.services import update_project

PROGRESS_FIELDS = ("actual_start", "actual_finish", "percent_complete", "remaining_minutes")
AT_RISK_FLOAT_MINUTES = 5 * 480
"""A milestone with less total float than five working days is at risk."""


def set_status_date(
    project: Project, status_date: dt.date | None, expected_version: int | None
) -> Rescheduled:
    """Move the project's status (data) date and reschedule remaining work from it."""
    with transaction.atomic():
        if status_date is not None and status_date < project.start_date:
            raise ValidationError({"status_date": "The status date is before the project start."})
        updated = update_project(project, {"status_date": status_date}, expected_version)
        project.status_date, project.version = updated.status_date, updated.version
        return reschedule(project)


def set_progress_mode(project: Project, mode: str) -> PlanSettings:
    """Choose how out-of-sequence progress is scheduled, and reschedule."""
    try:
        chosen = ProgressMode(mode)
    except ValueError as exc:
        modes = ", ".join(m.value for m in ProgressMode)
        raise ValidationError({"progress_mode": f"{mode!r} is not one of {modes}."}) from exc
    with transaction.atomic():
        settings = stored_settings_of(project)
        settings.progress_mode = chosen.value
        save_validated(settings)
        reschedule(project)
    return settings


def update_progress(project: Project, updates: Sequence[Mapping[str, Any]]) -> ChangeResult:
    """Apply many tasks' progress at once: each update has ``task_id``, ``version`` and any of
    :data:`PROGRESS_FIELDS`. Any bad row refuses the whole update, naming the task."""
    with transaction.atomic():
        touched: list[int] = []
        for update in updates:
            values = dict(update)
            task_id, version = values.pop("task_id", None), values.pop("version", None)
            unknown = set(values) - set(PROGRESS_FIELDS)
            if task_id is None or unknown:
                raise ValidationError("Each progress row needs a task_id and progress fields only.")
            task = Task.objects.filter(project=project, pk=task_id).first()
            if task is None:
                raise ValidationError(f"{project.code} has no task with id {task_id}.")
            if task.is_summary:
                raise ValidationError(f"{label(task)} is a summary: record progress on its tasks.")
            try:
                apply_changes(project, task.pk, values, version)
            except ValidationError as exc:
                raise ValidationError(f"{label(task)}: {'; '.join(exc.messages)}") from exc
            touched.append(task.pk)
        return finish_change(project, touched)


def candidates(
    project: Project, *, everything: bool = False, window_days: int = 7
) -> QuerySet[Task]:
    """Tasks a progress update is about: work tasks not finished that are in progress or due
    to start within ``window_days`` after the status date (all work tasks with
    ``everything``). Unstarted work is scheduled after the status date, so the window is the
    coming status period."""
    tasks = Task.objects.filter(project=project, is_summary=False).order_by("position")
    if everything or project.status_date is None:
        return tasks
    cutoff = dt.datetime.combine(
        project.status_date + dt.timedelta(days=1 + window_days), dt.time(), dt.UTC
    )
    started = Q(actual_start__isnull=False, actual_finish__isnull=True)
    due = Q(actual_finish__isnull=True, start__lt=cutoff)
    return tasks.filter(started | due)


def slipping_tasks(project: Project, baseline: Baseline) -> list[Variance]:
    """Unfinished tasks that now finish later than in the baseline, worst slip first."""
    rows = [
        v
        for v in variances(project, baseline)
        if v.slipped and v.task.actual_finish is None and not v.task.is_summary
    ]
    return sorted(rows, key=lambda v: -(v.finish_variance or 0))


@dataclass(frozen=True)
class AtRisk:
    """An unfinished milestone and why it is at risk."""

    variance: Variance
    reasons: tuple[str, ...]


def milestones_at_risk(project: Project, baseline: Baseline | None) -> list[AtRisk]:
    """Unfinished milestones that slipped against the baseline, will miss their deadline,
    have negative float, or less than five working days of float."""
    rows = variances(project, baseline) if baseline is not None else _without_baseline(project)
    found: list[AtRisk] = []
    for row in rows:
        task = row.task
        if not task.milestone or task.actual_finish is not None:
            continue
        reasons: list[str] = []
        if row.slipped:
            reasons.append(f"{_days(row.finish_variance or 0)} later than the baseline")
        if task.deadline and task.finish and task.finish > task.deadline:
            reasons.append(f"misses its deadline of {task.deadline:%d %b %Y}")
        total_float = task.total_float_minutes
        if total_float is not None and total_float < 0:
            reasons.append(f"negative float ({_days(total_float)})")
        elif total_float is not None and total_float < AT_RISK_FLOAT_MINUTES and not task.critical:
            reasons.append(f"only {_days(total_float)} of float")
        if reasons:
            found.append(AtRisk(row, tuple(reasons)))
    return found


def _days(minutes: int) -> str:
    days = round(minutes / 480, 1)
    return f"{days:g} working day{'' if abs(days) == 1 else 's'}"


def _without_baseline(project: Project) -> list[Variance]:
    tasks = Task.objects.filter(project=project).order_by("position")
    return [Variance(t, None, None, None, None, None, None) for t in tasks]
