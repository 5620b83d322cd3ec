"""A small scheduled plan shared by the planning tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hitpm.core.tests.web_fixtures import PM, TEAM, VIEWER, make_user, signed_in
from hitpm.planning.builder import PlanLink, PlanRow, build_plan
from hitpm.planning.models import Task
from hitpm.planning.services import create_default_calendar, reschedule
from hitpm.portfolio.models import Membership, Portfolio, Project

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


@pytest.fixture
def clients(plan: dict[str, Task]) -> dict[str, Client]:
    """Signed-in clients of the plan's project: pm, tess (team), vic (viewer), a stranger."""
    project = plan["Build"].project
    clients = {}
    for name, role in {"pm": PM, "tess": TEAM, "vic": VIEWER, "stranger": None}.items():
        user = make_user(name)
        if role is not None:
            Membership.objects.create(project=project, user=user, role=role)
        clients[name] = signed_in(user)
    return clients


def url(name: str, *args: object) -> str:
    """A planning URL of the plan's project (EHR-1)."""
    return reverse(f"planning:{name}", args=["EHR-1", *args])
