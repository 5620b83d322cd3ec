"""Read models for the portfolio dashboard and the project home.

Each function runs a fixed number of queries, however many projects the user sees: the
dashboard must stay fast for a PMO administrator looking at the whole portfolio.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hitpm.planning.models import Task
from hitpm.portfolio.access import AnyUser, visible_projects
from hitpm.portfolio.models import Project
from hitpm.risk.services.insights import open_risk_counts


@dataclass(frozen=True)
class DashboardRow:
    """One project line of the dashboard."""

    project: Project
    next_milestone: Task | None
    task_count: int
    overdue_count: int
    open_risks: int = 0


def _reference_date(today: dt.date) -> Coalesce:
    """The date a project is judged against: its status date, else today."""
    return Coalesce(F("project__status_date"), Value(today, output_field=DateField()))


def _open_work() -> Q:
    """Tasks not finished yet, by their progress."""
    return Q(actual_finish__isnull=True, percent_complete__lt=100)


def _task_counts(projects: QuerySet[Project], today: dt.date) -> dict[int, tuple[int, int]]:
    """Per project: (tasks, overdue tasks), where overdue means open and due before the
    project's reference date. Summaries are left out: they roll up their children."""
    overdue = Q(finish__date__lt=_reference_date(today)) & _open_work()
    rows = (
        Task.objects.filter(project__in=projects.values("pk"), is_summary=False)
        .values("project_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=overdue))
        .order_by()
    )
    return {row["project_id"]: (row["total"], row["overdue"]) for row in rows}


def _next_milestones(projects: QuerySet[Project], today: dt.date) -> dict[int, Task]:
    """Per project: the earliest open milestone due on or after the project's reference date."""
    upcoming = (
        Task.objects.filter(
            _open_work(),
            project__in=projects.values("pk"),
            milestone=True,
            finish__date__gte=_reference_date(today),
        )
        .only("project_id", "name", "wbs", "finish")
        .order_by("project_id", "finish", "position")
    )
    first: dict[int, Task] = {}
    for task in upcoming:
        first.setdefault(task.project_id, task)
    return first


def dashboard_rows(user: AnyUser) -> list[DashboardRow]:
    """The projects a user may see, in portfolio then code order, with their key figures."""
    today = timezone.localdate()
    projects = visible_projects(user)
    counts = _task_counts(projects, today)
    milestones = _next_milestones(projects, today)
    ordered = list(projects.order_by("portfolio__name", "code"))
    risks = open_risk_counts(p.pk for p in ordered)
    return [
        DashboardRow(
            project=project,
            next_milestone=milestones.get(project.pk),
            task_count=counts.get(project.pk, (0, 0))[0],
            overdue_count=counts.get(project.pk, (0, 0))[1],
            open_risks=risks[project.pk],
        )
        for project in ordered
    ]


def key_milestones(project: Project) -> QuerySet[Task]:
    """A project's milestones in date order, for the project home."""
    return (
        Task.objects.filter(project=project, milestone=True)
        .only("name", "wbs", "finish", "percent_complete", "actual_finish", "critical")
        .order_by(F("finish").asc(nulls_last=True), "position")
    )
