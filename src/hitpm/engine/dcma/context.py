"""What every DCMA check reads, and the shapes the checks share.

:class:`Context` computes the populations once: the DCMA's "total tasks" are incomplete tasks
that are neither summaries nor milestones. :func:`share` turns offenders over a population into
a :class:`CheckResult`; :func:`not_assessed` records why a check could not run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from hitpm.engine.dcma.results import CheckResult, DcmaThresholds, Offender, Threshold
from hitpm.engine.model import ProjectSpec, ScheduleResult, TaskResult, TaskSpec

Baseline = Mapping[int, tuple[dt.datetime | None, dt.datetime | None]]
"""Baseline (start, finish) per task uid, as Microsoft Project's Baseline 0 holds them."""

Reschedule = Callable[[ProjectSpec], ScheduleResult]


@dataclass
class Context:
    """What every check reads, computed once."""

    project: ProjectSpec
    results: dict[int, TaskResult]
    schedule: ScheduleResult
    status_date: dt.datetime | None
    thresholds: DcmaThresholds
    summaries: frozenset[int]
    tasks: list[TaskSpec] = field(init=False)  # every non-summary task
    open_tasks: list[TaskSpec] = field(init=False)  # incomplete, milestones included
    total_tasks: list[TaskSpec] = field(init=False)  # the DCMA's "total tasks"
    names: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.tasks = [t for t in self.project.tasks if t.uid not in self.summaries]
        self.open_tasks = [t for t in self.tasks if not is_complete(t)]
        self.total_tasks = [t for t in self.open_tasks if not is_milestone(t)]
        self.names = {t.uid: t.name for t in self.project.tasks}

    @property
    def per_day(self) -> int:
        return max(self.project.options.minutes_per_day, 1)

    def days(self, minutes: float) -> float:
        return minutes / self.per_day

    def offender(self, task: TaskSpec, detail: str) -> Offender:
        return Offender(task.uid, task.name, detail)

    def scheduled(self, tasks: Iterable[TaskSpec]) -> list[tuple[TaskSpec, TaskResult]]:
        """Pairs of task and result, for the tasks the scheduler returned."""
        return [(t, self.results[t.uid]) for t in tasks if t.uid in self.results]


# --- populations -------------------------------------------------------------------------


def is_complete(task: TaskSpec) -> bool:
    """Finished: an actual finish, or 100% complete."""
    return task.actual_finish is not None or task.percent_complete >= 100.0


def is_milestone(task: TaskSpec) -> bool:
    """Flagged as a milestone, or of zero duration: the DCMA counts both as milestones."""
    return task.milestone or task.duration_minutes == 0


def remaining_minutes(task: TaskSpec) -> int:
    """Working minutes left: as given, else the duration less the percent complete."""
    if task.remaining_duration_minutes is not None:
        return max(int(task.remaining_duration_minutes), 0)
    done = min(max(task.percent_complete, 0.0), 100.0)
    return round(task.duration_minutes * (100.0 - done) / 100.0)


def summary_uids(project: ProjectSpec, result: ScheduleResult) -> frozenset[int]:
    """Summary tasks: flagged by the scheduler, or followed by a deeper outline level."""
    flagged = {t.uid for t in result.tasks if t.is_summary}
    tasks = project.tasks
    by_outline = {
        task.uid
        for task, following in pairwise(tasks)
        if following.outline_level > task.outline_level
    }
    return frozenset(flagged | by_outline)


# --- shared shapes of a check ------------------------------------------------------------


NAMES = {
    1: "Logic",
    2: "Leads",
    3: "Lags",
    4: "Relationship types",
    5: "Hard constraints",
    6: "High float",
    7: "Negative float",
    8: "High duration",
    9: "Invalid dates",
    10: "Resources",
    11: "Missed tasks",
    12: "Critical path test",
    13: "CPLI",
    14: "BEI",
}


def share(
    number: int,
    description: str,
    threshold: Threshold,
    population: Sequence[object],
    offenders: Sequence[Offender],
    *,
    empty: str,
    compliant_share: bool = False,
) -> CheckResult:
    """A percentage check: offenders over the population (or its complement for ``>=`` marks,
    such as the FS share). An empty population cannot be judged, so it is not assessed."""
    base = CheckResult(number, NAMES[number], description, threshold)
    total = len(population)
    if total == 0:
        return replace(base, reason=empty, denominator=0)
    counted = total - len(offenders) if compliant_share else len(offenders)
    metric = 100.0 * counted / total
    return replace(
        base,
        metric=metric,
        passed=threshold.met_by(metric),
        numerator=counted,
        denominator=total,
        offenders=tuple(offenders),
    )


def not_assessed(number: int, description: str, threshold: Threshold, reason: str) -> CheckResult:
    return CheckResult(number, NAMES[number], description, threshold, reason=reason)


NO_OPEN_TASKS = "no incomplete tasks (other than summaries and milestones) to assess"
NO_STATUS = "no status date: set the project's status date"
