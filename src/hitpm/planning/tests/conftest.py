"""A small scheduled plan shared by the planning tests."""

from __future__ import annotations

import datetime as dt

import pytest

from hitpm.planning.builder import PlanLink, PlanRow, build_plan
from hitpm.planning.models import Task
from hitpm.planning.services import create_default_calendar, reschedule
from hitpm.portfolio.models import Portfolio, Project

DAY = 480


@pytest.fixture
def plan() -> dict[str, Task]:
    """EHR-1 from Monday 1 March 2027: Build (Order sets -> Unit testing) -> Go-live, and an
    unlinked Training task; scheduled."""
    portfolio, _ = Portfolio.objects.get_or_create(name="Clinical IT")
    project = Project.objects.create(
        portfolio=portfolio, code="EHR-1", name="EHR go-live", start_date=dt.date(2027, 3, 1)
    )
    create_default_calendar(project)
    rows = [
        PlanRow("build", "Build", level=1),
        PlanRow("orders", "Order sets", level=2, duration_minutes=2 * DAY),
        PlanRow("testing", "Unit testing", 2, 3 * DAY, predecessors=(PlanLink("orders"),)),
        PlanRow("live", "Go-live", milestone=True, predecessors=(PlanLink("build"),)),
        PlanRow("training", "Training", duration_minutes=5 * DAY),
    ]
    build_plan(project, rows)
    reschedule(project)
    return {t.name: t for t in project.tasks.all()}
