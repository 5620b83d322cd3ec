"""Sections from the plan: milestones, schedule detail, critical path, go-live readiness, and
the Gantt snapshot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from hitpm.planning.models import Task
from hitpm.reports.charts import GanttBar, gantt_svg
from hitpm.reports.formatting import day, percent
from hitpm.reports.sections import ReportContext, Section, section

MILESTONES_SHOWN = 12
TASKS_SHOWN = 15
RECENT_DAYS = 30
GANTT_ROWS = 36


def is_done(task: Task) -> bool:
    """Finished: an actual finish, or 100% complete."""
    return task.actual_finish is not None or task.percent_complete >= Decimal(100)


def _open() -> Q:
    return Q(actual_finish__isnull=True, percent_complete__lt=100)


def _tasks(context: ReportContext) -> QuerySet[Task]:
    return context.project.tasks.select_related("owner").order_by("position")


def milestone_state(task: Task, as_of: dt.date) -> str:
    """Done, late (open and past due), slipping (forecast past its deadline) or on track."""
    if is_done(task):
        return "Done"
    if task.finish and task.finish.date() < as_of:
        return "Late"
    if task.deadline and task.finish and task.finish > task.deadline:
        return "Slipping"
    return "On track"


def overdue_tasks(context: ReportContext) -> QuerySet[Task]:
    """Open work tasks whose scheduled finish is before the as-of date."""
    return (
        _tasks(context)
        .filter(_open(), is_summary=False, finish__date__lt=context.as_of)
        .order_by("finish", "position")
    )


def slipping_tasks(context: ReportContext) -> QuerySet[Task]:
    """Open tasks forecast to finish after their deadline."""
    return _tasks(context).filter(_open(), deadline__isnull=False, finish__gt=F("deadline"))


@section("milestones", "Milestones")
def milestones(context: ReportContext) -> Section:
    since = context.as_of - dt.timedelta(days=RECENT_DAYS)
    rows = _tasks(context).filter(milestone=True, finish__date__gte=since)
    shown = list(rows.order_by("finish", "position")[:MILESTONES_SHOWN])
    return {
        "note": f"Milestones from {day(since)} on, in date order.",
        "table": {
            "columns": ["Milestone", "Forecast", "Deadline", "Status"],
            "rows": [
                [m.name, day(m.finish), day(m.deadline), milestone_state(m, context.as_of)]
                for m in shown
            ],
            "empty": "The plan has no milestones in this period.",
        },
    }


def _counts(context: ReportContext) -> list[list[str]]:
    work = _tasks(context).filter(is_summary=False)
    total = work.count()
    done = work.exclude(_open()).count()
    started = work.filter(_open(), actual_start__isnull=False).count()
    late = overdue_tasks(context).count()
    critical = work.filter(_open(), critical=True).count()
    return [
        ["Tasks", str(total)], ["Complete", str(done)], ["In progress", str(started)],
        ["Overdue", str(late)], ["Open on the critical path", str(critical)],
    ]  # fmt: skip


def _task_rows(tasks: list[Task], as_of: dt.date) -> list[list[str]]:
    return [
        [t.wbs, t.name, day(t.finish), percent(float(t.percent_complete)),
         t.owner.get_full_name() if t.owner else "—", milestone_state(t, as_of)]
        for t in tasks
    ]  # fmt: skip


TASK_COLUMNS = ["WBS", "Task", "Finish", "Complete", "Owner", "Status"]


@section("schedule_detail", "Schedule detail")
def schedule_detail(context: ReportContext) -> Section:
    late = list(overdue_tasks(context)[:TASKS_SHOWN])
    slipping = [t for t in slipping_tasks(context)[:TASKS_SHOWN] if t not in late]
    return {
        "note": "Overdue: open and scheduled to finish before the report date. Slipping: "
        "forecast to finish after its deadline.",
        "facts": _counts(context),
        "table": {
            "columns": TASK_COLUMNS,
            "rows": _task_rows(late + slipping, context.as_of),
            "empty": "No task is overdue or slipping.",
        },
    }


@section("critical_path", "Critical path (open tasks)")
def critical_path(context: ReportContext) -> Section:
    tasks = list(_tasks(context).filter(_open(), critical=True, is_summary=False)[:TASKS_SHOWN])
    return {
        "note": "Open tasks with no total float, in plan order; any delay moves the finish.",
        "table": {
            "columns": TASK_COLUMNS,
            "rows": _task_rows(tasks, context.as_of),
            "empty": "No open task is on the critical path.",
        },
    }


def go_live_milestone(context: ReportContext) -> Task | None:
    """The go-live milestone: the one whose deadline is the project's target go-live, else
    the last milestone named "go-live"; None when the plan has neither."""
    milestones = _tasks(context).filter(milestone=True, finish__isnull=False)
    target = context.project.target_go_live
    if target:
        dated = milestones.filter(deadline__date=target).order_by("-finish").first()
        if dated is not None:
            return dated
    return milestones.filter(name__icontains="go-live").order_by("-finish").first()


@section("go_live_readiness", "Go-live readiness")
def go_live_readiness(context: ReportContext) -> Section:
    project = context.project
    milestone = go_live_milestone(context)
    go_live = milestone.finish.date() if milestone and milestone.finish else None
    target = project.target_go_live
    before = _tasks(context).filter(is_summary=False)
    if go_live:
        before = before.filter(finish__date__lte=go_live)
    total, done = before.count(), before.exclude(_open()).count()
    late = list(overdue_tasks(context)[:TASKS_SHOWN])
    days_left = (target - context.as_of).days if target else None
    return {
        "note": "Readiness is the share of plan work due by the go-live milestone that is "
        "complete. Tasks behind schedule are listed below.",
        "facts": [
            ["Target go-live", day(target)],
            ["Forecast go-live", day(go_live)],
            ["Days to target", "—" if days_left is None else str(days_left)],
            ["Work complete before go-live", percent(100 * done / total if total else None)],
            ["Tasks overdue", str(overdue_tasks(context).count())],
        ],
        "table": {
            "columns": TASK_COLUMNS,
            "rows": _task_rows(late, context.as_of),
            "empty": "No readiness work is overdue.",
        },
    }


@section("gantt", "Schedule snapshot")
def gantt(context: ReportContext) -> Section:
    rows = _tasks(context).filter(
        Q(is_summary=True, outline_level=1) | Q(milestone=True, outline_level__lte=2)
    )
    bars = [
        GanttBar(t.name, t.start.date(), t.finish.date(), t.milestone, t.is_summary,
                 t.critical, float(t.percent_complete))
        for t in rows[:GANTT_ROWS] if t.start and t.finish
    ]  # fmt: skip
    return {
        "note": "Phases (top-level summary tasks) and their milestones; the darker part of a "
        "bar is work complete, red is critical, the dashed line marks the report date.",
        "svg": gantt_svg(bars, context.as_of),
    }
