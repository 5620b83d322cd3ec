"""A scheduled EHR plan with every link type, a holiday and a saved baseline, and its team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from hitpm.accounts.models import User
from hitpm.core.tests.web_fixtures import PM, TEAM, VIEWER, make_project, make_user
from hitpm.engine.model import LinkType
from hitpm.planning.builder import PlanLink, PlanRow, build_plan
from hitpm.planning.models import Baseline, BaselineTask, Task
from hitpm.planning.services import create_default_calendar, reschedule
from hitpm.portfolio.models import Project

DAY = 480


def start(task: Task) -> dt.datetime:
    """A scheduled task's start (the fixtures' tasks are all scheduled)."""
    assert task.start is not None
    return task.start


def finish(task: Task) -> dt.datetime:
    assert task.finish is not None
    return task.finish


@dataclass
class Team:
    project: Project
    pm: User
    analyst: User
    viewer: User
    outsider: User
    tasks: dict[str, Task]


def ehr_plan(project: Project) -> dict[str, Task]:
    """Design (FS chain), Build with SS/FF/SF links, a go-live milestone; scheduled."""
    create_default_calendar(project, holidays=[(dt.date(2027, 1, 18), "MLK Day")])
    rows = [
        PlanRow("design", "Design", level=1),
        PlanRow("workflows", "Workflow validation", 2, 3 * DAY),
        PlanRow("signoff", "Design sign-off", 2, milestone=True,
                predecessors=(PlanLink("workflows"),)),
        PlanRow("build", "Build", level=1),
        PlanRow("orders", "Order sets", 2, 5 * DAY, predecessors=(PlanLink("signoff"),)),
        PlanRow("rules", "Clinical decision rules", 2, 4 * DAY,
                predecessors=(PlanLink("orders", LinkType.SS, lag=DAY),)),
        PlanRow("interfaces", "HL7 interfaces", 2, 6 * DAY,
                predecessors=(PlanLink("orders", LinkType.FF),)),
        PlanRow("reports", "Reports", 2, 2 * DAY,
                predecessors=(PlanLink("interfaces", LinkType.SF),)),
        PlanRow("live", "Go-live", 1, milestone=True,
                predecessors=(PlanLink("rules"), PlanLink("interfaces"))),
    ]  # fmt: skip
    build_plan(project, rows)
    reschedule(project)
    return {t.name: t for t in project.tasks.all()}


def save_baseline(project: Project, name: str, shift_days: int = 0) -> Baseline:
    """A baseline of the current dates, shifted ``shift_days`` earlier (to show a slip)."""
    baseline = Baseline.objects.create(project=project, name=name)
    shift = dt.timedelta(days=shift_days)
    BaselineTask.objects.bulk_create(
        BaselineTask(
            baseline=baseline,
            task=task,
            start=task.start - shift if task.start else None,
            finish=task.finish - shift if task.finish else None,
            duration_minutes=task.duration_minutes,
            milestone=task.milestone,
        )
        for task in project.tasks.all()
    )
    return baseline


@pytest.fixture
def team(db: None) -> Team:
    pm, analyst, viewer, outsider = (make_user(n) for n in ("pat", "ana", "vic", "otto"))
    project = make_project(
        "EHR-G",
        {pm: PM, analyst: TEAM, viewer: VIEWER},
        name="Epic ambulatory go-live",
        start_date=dt.date(2027, 1, 4),
        status_date=dt.date(2027, 1, 15),
    )
    make_project("OTHER", {outsider: PM})
    return Team(project, pm, analyst, viewer, outsider, ehr_plan(project))
