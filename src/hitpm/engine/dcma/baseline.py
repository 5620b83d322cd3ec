"""DCMA checks 11 (missed tasks) and 14 (baseline execution index): progress against the
baseline finish dates up to the status date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from hitpm.engine.dcma.context import (
    NAMES,
    NO_STATUS,
    Baseline,
    Context,
    is_complete,
    is_milestone,
    not_assessed,
    share,
)
from hitpm.engine.dcma.results import CheckResult, Direction, Threshold
from hitpm.engine.model import TaskResult, TaskSpec

_NO_BASELINE = "no baseline finish dates: save a baseline (Baseline 0) of the schedule"


def _missing_input(status: dt.datetime | None) -> str:
    """Why a baseline check cannot run: no status date, else no baseline."""
    return NO_STATUS if status is None else _NO_BASELINE


def _finished_at(task: TaskSpec, results: Mapping[int, TaskResult]) -> dt.datetime | None:
    """When a task finished: its actual finish, or its scheduled finish once it is complete."""
    if task.actual_finish is not None:
        return task.actual_finish
    if is_complete(task) and task.uid in results:
        return results[task.uid].finish
    return None


def _due_by_status(
    tasks: Iterable[TaskSpec], baseline: Baseline, status: dt.datetime
) -> list[tuple[TaskSpec, dt.datetime]]:
    """Tasks whose baseline finish is on or before the status date, with that finish."""
    due = []
    for task in tasks:
        finish = baseline.get(task.uid, (None, None))[1]
        if finish is not None and finish <= status:
            due.append((task, finish))
    return due


def check_missed_tasks(ctx: Context, baseline: Baseline | None) -> CheckResult:
    """11. Tasks due per baseline that finished after their baseline finish or not yet."""
    description = (
        "Tasks with a baseline finish on or before the status date that finished late "
        "or have not finished."
    )
    threshold = Threshold(ctx.thresholds.missed_tasks_max_pct, Direction.AT_MOST)
    status = ctx.status_date
    if status is None or not baseline:
        return not_assessed(11, description, threshold, _missing_input(status))
    due = _due_by_status((t for t in ctx.tasks if not is_milestone(t)), baseline, status)
    offenders = []
    for task, planned in due:
        finished = _finished_at(task, ctx.results)
        if finished is None:
            offenders.append(ctx.offender(task, f"not finished; baseline {planned:%Y-%m-%d}"))
        elif finished > planned:
            detail = f"finished {finished:%Y-%m-%d}; baseline {planned:%Y-%m-%d}"
            offenders.append(ctx.offender(task, detail))
    return share(
        11,
        description,
        threshold,
        due,
        offenders,
        empty="no task had a baseline finish on or before the status date",
    )


def check_bei(ctx: Context, baseline: Baseline | None) -> CheckResult:
    """14. Baseline execution index: tasks completed / tasks due by the status date (>= 0.95).

    Milestones count, as in the DCMA's BEI; early completions count in the numerator, so a
    team ahead of plan scores above 1."""
    description = "Tasks completed divided by tasks with a baseline finish by the status date."
    threshold = Threshold(ctx.thresholds.bei_min, Direction.AT_LEAST, unit="")
    status = ctx.status_date
    if status is None or not baseline:
        return not_assessed(14, description, threshold, _missing_input(status))
    due = _due_by_status(ctx.tasks, baseline, status)
    if not due:
        return not_assessed(
            14, description, threshold, "no task had a baseline finish on or before the status date"
        )
    completed = [t for t in ctx.tasks if t.uid in baseline and is_complete(t)]
    offenders = tuple(
        ctx.offender(task, f"not complete; baseline finish {planned:%Y-%m-%d}")
        for task, planned in due
        if not is_complete(task)
    )
    metric = len(completed) / len(due)
    return CheckResult(
        14,
        NAMES[14],
        description,
        threshold,
        metric=metric,
        passed=threshold.met_by(metric),
        numerator=len(completed),
        denominator=len(due),
        offenders=offenders,
    )
