"""DCMA checks 1-10: logic, leads, lags, relationship types, hard constraints, float,
duration, invalid dates and resources, each over its population of tasks or links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from hitpm.engine.dcma.context import (
    NO_OPEN_TASKS,
    NO_STATUS,
    Context,
    is_complete,
    not_assessed,
    remaining_minutes,
    share,
)
from hitpm.engine.dcma.results import CheckResult, Direction, Offender, Threshold
from hitpm.engine.model import ConstraintType, LagFormat, LinkSpec, LinkType, TaskResult, TaskSpec

HARD_CONSTRAINTS = frozenset(
    {ConstraintType.MSO, ConstraintType.MFO, ConstraintType.SNLT, ConstraintType.FNLT}
)


_NO_LINKS = "no relationships into incomplete tasks to assess"


# --- checks 1-8: structure, float and duration --------------------------------------------


def check_logic(ctx: Context) -> CheckResult:
    """1. Incomplete tasks without a predecessor, a successor or both (<= 5%)."""
    has_predecessor = {link.successor_uid for link in ctx.project.links}
    has_successor = {link.predecessor_uid for link in ctx.project.links}
    offenders = []
    for task in ctx.total_tasks:
        missing = [
            label
            for label, present in (
                ("predecessor", task.uid in has_predecessor),
                ("successor", task.uid in has_successor),
            )
            if not present
        ]
        if missing:
            offenders.append(ctx.offender(task, "no " + " and no ".join(missing)))
    return share(
        1,
        "Incomplete tasks missing a predecessor, a successor or both.",
        Threshold(ctx.thresholds.logic_max_pct, Direction.AT_MOST),
        ctx.total_tasks,
        offenders,
        empty=NO_OPEN_TASKS,
    )


def assessed_links(ctx: Context) -> list[LinkSpec]:
    """Links into incomplete tasks, between tasks that are not summaries."""
    open_uids = {t.uid for t in ctx.open_tasks}
    known = {t.uid for t in ctx.tasks}
    return [
        link
        for link in ctx.project.links
        if link.successor_uid in open_uids and link.predecessor_uid in known
    ]


def _lag_text(link: LinkSpec, per_day: int) -> str:
    if link.lag_format is LagFormat.PERCENT:
        return f"{link.lag:g}%"
    suffix = "ed" if link.lag_format is LagFormat.ELAPSED else "d"
    days = link.lag / (1440 if link.lag_format is LagFormat.ELAPSED else per_day)
    return f"{days:+.2f}".rstrip("0").rstrip(".") + suffix


def _link_offender(ctx: Context, link: LinkSpec) -> Offender:
    detail = (
        f"{link.predecessor_uid} -> {link.successor_uid} {LinkType(link.type).name} "
        f"lag {_lag_text(link, ctx.per_day)}"
    )
    name = ctx.names.get(link.successor_uid, "")
    return Offender(link.successor_uid, name, detail, predecessor_uid=link.predecessor_uid)


def _link_share(
    ctx: Context,
    number: int,
    description: str,
    threshold: Threshold,
    offends: Callable[[LinkSpec], bool],
    *,
    compliant_share: bool = False,
) -> CheckResult:
    links = assessed_links(ctx)
    offenders = [_link_offender(ctx, link) for link in links if offends(link)]
    return share(
        number,
        description,
        threshold,
        links,
        offenders,
        empty=_NO_LINKS,
        compliant_share=compliant_share,
    )


def check_leads(ctx: Context) -> CheckResult:
    """2. Relationships with a negative lag (0%): leads hide logic and distort float."""
    return _link_share(
        ctx,
        2,
        "Relationships into incomplete tasks with a lead (negative lag).",
        Threshold(ctx.thresholds.leads_max_pct, Direction.AT_MOST),
        lambda link: link.lag < 0,
    )


def check_lags(ctx: Context) -> CheckResult:
    """3. Relationships with a positive lag (<= 5%): lags hide work that should be a task."""
    return _link_share(
        ctx,
        3,
        "Relationships into incomplete tasks with a positive lag.",
        Threshold(ctx.thresholds.lags_max_pct, Direction.AT_MOST),
        lambda link: link.lag > 0,
    )


def check_relationship_types(ctx: Context) -> CheckResult:
    """4. Finish-to-start share of relationships (>= 90%); offenders are the other types."""
    return _link_share(
        ctx,
        4,
        "Share of relationships into incomplete tasks that are finish-to-start.",
        Threshold(ctx.thresholds.fs_min_pct, Direction.AT_LEAST),
        lambda link: LinkType(link.type) is not LinkType.FS,
        compliant_share=True,
    )


def check_hard_constraints(ctx: Context) -> CheckResult:
    """5. Incomplete tasks with MSO, MFO, SNLT or FNLT (<= 5%): they override the logic."""
    offenders = [
        ctx.offender(task, ConstraintType(task.constraint_type).name)
        for task in ctx.total_tasks
        if task.constraint_type in HARD_CONSTRAINTS
    ]
    return share(
        5,
        "Incomplete tasks with a hard constraint (MSO, MFO, SNLT, FNLT).",
        Threshold(ctx.thresholds.hard_constraints_max_pct, Direction.AT_MOST),
        ctx.total_tasks,
        offenders,
        empty=NO_OPEN_TASKS,
    )


def _float_share(
    ctx: Context,
    number: int,
    description: str,
    threshold: Threshold,
    offends: Callable[[int], bool],
) -> CheckResult:
    pairs = ctx.scheduled(ctx.total_tasks)
    offenders = [
        ctx.offender(task, f"total float {ctx.days(row.total_float_minutes):g}d")
        for task, row in pairs
        if offends(row.total_float_minutes)
    ]
    return share(number, description, threshold, pairs, offenders, empty=NO_OPEN_TASKS)


def check_high_float(ctx: Context) -> CheckResult:
    """6. Incomplete tasks with total float over 44 working days (<= 5%): missing logic."""
    days = ctx.thresholds.high_float_days
    limit = days * ctx.per_day
    return _float_share(
        ctx,
        6,
        f"Incomplete tasks with total float over {days:g} working days.",
        Threshold(ctx.thresholds.high_float_max_pct, Direction.AT_MOST),
        lambda minutes: minutes > limit,
    )


def check_negative_float(ctx: Context) -> CheckResult:
    """7. Incomplete tasks with negative total float (0%): the plan cannot meet a date."""
    return _float_share(
        ctx,
        7,
        "Incomplete tasks with negative total float.",
        Threshold(ctx.thresholds.negative_float_max_pct, Direction.AT_MOST),
        lambda minutes: minutes < 0,
    )


def check_high_duration(ctx: Context) -> CheckResult:
    """8. Incomplete tasks with remaining duration over 44 working days (<= 5%): too coarse
    to manage. PAM 200.1 measures baseline duration; the remaining one is what is left to
    manage and needs no baseline."""
    days = ctx.thresholds.high_duration_days
    limit = days * ctx.per_day
    offenders = [
        ctx.offender(task, f"remaining duration {ctx.days(remaining_minutes(task)):g}d")
        for task in ctx.total_tasks
        if remaining_minutes(task) > limit
    ]
    return share(
        8,
        f"Incomplete tasks with remaining duration over {days:g} working days.",
        Threshold(ctx.thresholds.high_duration_max_pct, Direction.AT_MOST),
        ctx.total_tasks,
        offenders,
        empty=NO_OPEN_TASKS,
    )


# --- checks 9 and 10: status date and resources ------------------------------------------


def invalid_dates(task: TaskSpec, row: TaskResult | None, status: dt.datetime) -> list[str]:
    """Why a task's dates contradict the status date: actuals after it, or forecasts before
    it that have no actuals (work that should have happened but is not recorded)."""
    problems = []
    if task.actual_start is not None and task.actual_start > status:
        problems.append(f"actual start {task.actual_start:%Y-%m-%d %H:%M} after status date")
    if task.actual_finish is not None and task.actual_finish > status:
        problems.append(f"actual finish {task.actual_finish:%Y-%m-%d %H:%M} after status date")
    if row is None or is_complete(task):
        return problems
    if task.actual_start is None and row.start < status:
        problems.append(f"forecast start {row.start:%Y-%m-%d %H:%M} before status date")
    if row.finish < status:
        problems.append(f"forecast finish {row.finish:%Y-%m-%d %H:%M} before status date")
    return problems


def check_invalid_dates(ctx: Context) -> CheckResult:
    """9. Tasks (milestones and completed ones too) with invalid forecast or actual dates."""
    description = (
        "Tasks with forecast dates before the status date and no actuals, or actual dates after it."
    )
    threshold = Threshold(ctx.thresholds.invalid_dates_max_pct, Direction.AT_MOST)
    status = ctx.status_date
    if status is None:
        return not_assessed(9, description, threshold, NO_STATUS)
    offenders = []
    for task in ctx.tasks:
        problems = invalid_dates(task, ctx.results.get(task.uid), status)
        if problems:
            offenders.append(ctx.offender(task, "; ".join(problems)))
    return share(9, description, threshold, ctx.tasks, offenders, empty="no tasks to assess")


def check_resources(ctx: Context, resources: Mapping[int, bool] | None) -> CheckResult:
    """10. Incomplete tasks of a working day or more with no resources or cost."""
    days = ctx.thresholds.resources_min_duration_days
    description = f"Incomplete tasks of {days:g} working day(s) or more with no resources or cost."
    threshold = Threshold(ctx.thresholds.resources_max_pct, Direction.AT_MOST)
    if resources is None:
        return not_assessed(
            10,
            description,
            threshold,
            "no resource data: the schedule's source carries no assignments or costs",
        )
    population = [t for t in ctx.total_tasks if t.duration_minutes >= days * ctx.per_day]
    offenders = [
        ctx.offender(task, "no resources or cost")
        for task in population
        if not resources.get(task.uid, False)
    ]
    return share(10, description, threshold, population, offenders, empty=NO_OPEN_TASKS)
