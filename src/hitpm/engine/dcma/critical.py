"""DCMA checks 12 (critical path test) and 13 (critical path length index): whether the
critical path really drives the project finish, and how much slack the finish has left."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hitpm.engine.calendar import build_calendar, to_minutes
from hitpm.engine.dcma.context import (
    NAMES,
    Context,
    Reschedule,
    not_assessed,
    remaining_minutes,
)
from hitpm.engine.dcma.results import CheckResult, Direction, Threshold
from hitpm.engine.model import ProjectSpec, TaskSpec


def working_minutes_between(
    project: ProjectSpec, calendar_uid: int, start: dt.datetime, finish: dt.datetime
) -> int:
    """Signed working minutes from ``start`` to ``finish`` on one of the project's calendars."""
    low, high = sorted((start, finish))
    first_day = low.date() - dt.timedelta(days=1)
    days = (high.date() - first_day).days + 2
    calendars = {c.uid: c for c in project.calendars}
    calendar = build_calendar(calendar_uid, calendars, first_day, days)
    return int(calendar.working_between(to_minutes(start), to_minutes(finish)))


def _delay_target(ctx: Context) -> TaskSpec | None:
    """The critical task nearest the start that can take a delay: incomplete, not a summary,
    milestone or manual task. The critical path's order wins; then early start."""
    candidates = {t.uid: t for t in ctx.total_tasks if not t.manual}
    on_path = [uid for uid in ctx.schedule.critical_path if uid in candidates]
    if on_path:
        return candidates[on_path[0]]
    critical = [
        (row.early_start, uid)
        for uid, row in ctx.results.items()
        if row.critical and uid in candidates
    ]
    return candidates[min(critical)[1]] if critical else None


def _with_delay(project: ProjectSpec, uid: int, minutes: int) -> ProjectSpec:
    """The project with ``minutes`` more work on task ``uid``, whether started or not."""

    def delayed(task: TaskSpec) -> TaskSpec:
        if task.uid != uid:
            return task
        started = task.remaining_duration_minutes is not None or task.percent_complete > 0
        return replace(
            task,
            duration_minutes=task.duration_minutes + minutes,
            remaining_duration_minutes=remaining_minutes(task) + minutes if started else None,
        )

    return replace(project, tasks=[delayed(t) for t in project.tasks])


def _default_reschedule() -> Reschedule:
    from hitpm.engine.cpm import schedule  # late: assessing needs no scheduler until check 12

    return schedule


def check_critical_path(ctx: Context, reschedule: Reschedule | None) -> CheckResult:
    """12. Critical path test: a large delay on the first critical task must move the project
    finish by exactly as much; if it does not, constraints or broken logic drive the finish."""
    days = ctx.thresholds.critical_path_delay_days
    description = (
        f"Delaying the first incomplete critical task by {days:g} working days must delay "
        "the project finish by the same amount."
    )
    threshold = Threshold(days, Direction.EQUAL, unit="d")
    task = _delay_target(ctx)
    if task is None:
        return not_assessed(12, description, threshold, "no incomplete critical task to delay")
    try:
        run = reschedule or _default_reschedule()
    except ImportError as exc:
        return not_assessed(12, description, threshold, f"no scheduler to re-run: {exc}")
    delay = round(days * ctx.per_day)
    calendar_uid = task.calendar_uid if task.calendar_uid is not None else ctx.project.calendar_uid
    try:
        delayed = run(_with_delay(ctx.project, task.uid, delay))
        slip = working_minutes_between(
            ctx.project, calendar_uid, ctx.schedule.finish, delayed.finish
        )
    except ValueError as exc:  # the engine's and the calendar's validation errors
        return not_assessed(12, description, threshold, f"rescheduling failed: {exc}")
    passed = slip == delay
    detail = f"delayed {days:g}d; project finish moved {ctx.days(slip):g}d"
    return CheckResult(
        12,
        NAMES[12],
        description,
        threshold,
        metric=ctx.days(slip),
        passed=passed,
        offenders=() if passed else (ctx.offender(task, detail),),
        note=f"task {task.uid} {task.name!r} {detail}",
    )


def _finish_float(ctx: Context) -> int | None:
    """Total float of the task that ends the critical path (or of the latest-finishing one)."""
    path = [uid for uid in ctx.schedule.critical_path if uid in ctx.results]
    if path:
        return ctx.results[path[-1]].total_float_minutes
    rows = [r for r in ctx.results.values() if not r.is_summary]
    if not rows:
        return None
    latest = max(r.early_finish for r in rows)
    return min(r.total_float_minutes for r in rows if r.early_finish == latest)


def check_cpli(ctx: Context) -> CheckResult:
    """13. Critical path length index: (CPL + finish float) / CPL (>= 0.95), where CPL is the
    working time from the status date (or the project start) to the project finish. Below 1
    the remaining work must run faster than planned to make the date."""
    description = (
        "(critical path length + total float of the finish) / critical path length, "
        "from the status date or project start."
    )
    threshold = Threshold(ctx.thresholds.cpli_min, Direction.AT_LEAST, unit="")
    float_minutes = _finish_float(ctx)
    if float_minutes is None:
        return not_assessed(13, description, threshold, "the schedule has no tasks")
    origin = max(ctx.status_date or ctx.schedule.start, ctx.schedule.start)
    try:
        length = working_minutes_between(
            ctx.project, ctx.project.calendar_uid, origin, ctx.schedule.finish
        )
    except ValueError as exc:
        return not_assessed(13, description, threshold, f"cannot measure the path: {exc}")
    if length <= 0:
        return not_assessed(
            13, description, threshold, "no critical path remains after the status date"
        )
    metric = (length + float_minutes) / length
    return CheckResult(
        13,
        NAMES[13],
        description,
        threshold,
        metric=metric,
        passed=threshold.met_by(metric),
        note=(
            f"critical path length {ctx.days(length):g}d, finish float {ctx.days(float_minutes):g}d"
        ),
    )
