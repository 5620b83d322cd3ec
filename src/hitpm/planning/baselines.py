"""Baselines: save, choose for the Gantt chart, delete; variance of the current schedule.

Variances follow Microsoft Project: start variance = start - baseline start, finish variance
= finish - baseline finish, both in working time on the project calendar (positive = later
than planned); duration variance = duration - baseline duration. A milestone has slipped when
its finish variance is positive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.accounts.models import User
from hitpm.core.services import delete_current, save_validated
from hitpm.planning.models import Baseline, BaselineTask, PlanSettings, Task
from hitpm.planning.spec import project_spec
from hitpm.planning.worktime import WorkTime
from hitpm.portfolio.models import Project


def save_baseline(
    project: Project, name: str, user: User | None = None, description: str = ""
) -> Baseline:
    """Snapshot every task's start, finish and duration under ``name``."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the baseline a name, e.g. 'Approved plan'."})
    with transaction.atomic():
        if project.baselines.filter(name=name).exists():
            raise ValidationError({"name": f"{project.code} already has a baseline {name!r}."})
        tasks = Task.objects.filter(project=project)
        if not tasks.filter(start__isnull=False).exists():
            raise ValidationError("Schedule the plan before saving a baseline: it has no dates.")
        finish = max((f for f in tasks.values_list("finish", flat=True) if f), default=None)
        baseline = save_validated(
            Baseline(
                project=project,
                name=name,
                description=description,
                saved_by=user,
                status_date=project.status_date,
                finish=finish,
            )
        )
        fields = ("pk", "start", "finish", "duration_minutes", "milestone")
        BaselineTask.objects.bulk_create(
            [
                BaselineTask(
                    baseline=baseline,
                    task_id=pk,
                    start=start,
                    finish=finish,
                    duration_minutes=duration,
                    milestone=milestone,
                )
                for pk, start, finish, duration, milestone in tasks.values_list(*fields)
            ],
            batch_size=1000,
        )
    return baseline


def baseline_of(project: Project, baseline_id: int) -> Baseline:
    baseline = project.baselines.filter(pk=baseline_id).first()
    if baseline is None:
        raise ValidationError({"baseline": f"{project.code} has no baseline {baseline_id}."})
    return baseline


def delete_baseline(project: Project, baseline_id: int, expected_version: int | None) -> None:
    delete_current(Baseline, baseline_of(project, baseline_id).pk, expected_version)


def settings_of(project: Project) -> PlanSettings:
    """The project's plan settings to read: the stored row, or the defaults unsaved (so a
    page that only shows them writes nothing)."""
    return PlanSettings.objects.filter(project=project).first() or PlanSettings(project=project)


def stored_settings_of(project: Project) -> PlanSettings:
    """The project's plan settings to change: stored with the defaults on first use."""
    found, _ = PlanSettings.objects.get_or_create(project=project)
    return found


def set_gantt_baseline(project: Project, baseline_id: int | None) -> PlanSettings:
    """Choose the baseline the Gantt chart draws (None: the most recently saved one)."""
    with transaction.atomic():
        settings = stored_settings_of(project)
        settings.gantt_baseline = (
            baseline_of(project, baseline_id) if baseline_id is not None else None
        )
        return save_validated(settings)


def baseline_for_gantt(project: Project) -> Baseline | None:
    """The chosen Gantt baseline, else the most recently saved; None without baselines."""
    chosen = PlanSettings.objects.filter(project=project).values_list("gantt_baseline", flat=True)
    chosen_id = chosen.first()
    if chosen_id is not None:
        return project.baselines.get(pk=chosen_id)
    return project.baselines.order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class Variance:
    """A task against a baseline; variances in working minutes, None where a date is missing."""

    task: Task
    baseline_start: dt.datetime | None
    baseline_finish: dt.datetime | None
    baseline_duration: int | None
    start_variance: int | None
    finish_variance: int | None
    duration_variance: int | None

    @property
    def slipped(self) -> bool:
        return (self.finish_variance or 0) > 0


def variances(project: Project, baseline: Baseline) -> list[Variance]:
    """Every task of the plan against ``baseline``, in plan order."""
    tasks = list(Task.objects.filter(project=project).select_related("owner").order_by("position"))
    rows = {r.task_id: r for r in baseline.rows.all()}
    pairs: list[tuple[dt.datetime, dt.datetime]] = []
    for task in tasks:
        row = rows.get(task.pk)
        if row and row.start and row.finish and task.start and task.finish:
            pairs.extend([(row.start, task.start), (row.finish, task.finish)])
    measured = iter(_measure(project, pairs))
    result = []
    for task in tasks:
        row = rows.get(task.pk)
        start_var = finish_var = None
        if row and row.start and row.finish and task.start and task.finish:
            start_var, finish_var = next(measured), next(measured)
        result.append(
            Variance(
                task=task,
                baseline_start=row.start if row else None,
                baseline_finish=row.finish if row else None,
                baseline_duration=row.duration_minutes if row else None,
                start_variance=start_var,
                finish_variance=finish_var,
                duration_variance=task.duration_minutes - row.duration_minutes if row else None,
            )
        )
    return result


def _measure(project: Project, pairs: list[tuple[dt.datetime, dt.datetime]]) -> list[int]:
    if not pairs:
        return []
    dates = [d for pair in pairs for d in pair]
    worktime = WorkTime(project_spec(project), None, min(dates).date(), max(dates).date())
    return [int(v) for v in worktime.between([a for a, _ in pairs], [b for _, b in pairs])]


def slipped_milestones(project: Project, baseline: Baseline) -> list[Variance]:
    """Milestones whose current finish is later than in the baseline, worst first."""
    slipped = [v for v in variances(project, baseline) if v.task.milestone and v.slipped]
    return sorted(slipped, key=lambda v: -(v.finish_variance or 0))
