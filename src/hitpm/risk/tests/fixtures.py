"""A project with a team, a small plan and the makings of risks, for the risk tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from hitpm.accounts.models import User
from hitpm.core.tests.web_fixtures import PM, TEAM, VIEWER, make_project, make_user
from hitpm.planning.models import Dependency, Task
from hitpm.planning.services import reschedule
from hitpm.portfolio.models import Project
from hitpm.risk.models import Risk, RiskCategory
from hitpm.risk.services.register import categories_for, create_risk

DAY = 480


@dataclass
class Team:
    project: Project
    pm: User
    member: User
    viewer: User
    stranger: User
    admin: User


def make_team(code: str = "EHR-RISK") -> Team:
    pm, member, viewer = make_user("pat"), make_user("tess"), make_user("vic")
    stranger, admin = make_user("sam"), make_user("pmo", pmo_admin=True)
    project = make_project(code, {pm: PM, member: TEAM, viewer: VIEWER})
    return Team(project, pm, member, viewer, stranger, admin)


def category(project: Project, name: str = "Patient safety") -> RiskCategory:
    return next(c for c in categories_for(project.portfolio) if c.name == name)


def make_risk(project: Project, by: User | None = None, **fields: Any) -> Risk:
    values: dict[str, Any] = {
        "title": "Medication orders lost at cutover",
        "category": category(project),
        "probability": 3,
        "impact_safety": 5,
        "impact_schedule": 2,
        "identified_on": dt.date(2027, 1, 4),
    }
    values.update(fields)
    return create_risk(project, by, values)


def make_chain(project: Project, days: tuple[int, ...] = (5, 10, 3)) -> list[Task]:
    """Tasks in series (A -> B -> C), scheduled."""
    tasks = [
        Task.objects.create(
            project=project,
            position=i + 1,
            wbs=str(i + 1),
            name=f"Task {chr(65 + i)}",
            duration_minutes=d * DAY,
        )
        for i, d in enumerate(days)
    ]
    for before, after in pairwise(tasks):
        Dependency.objects.create(project=project, predecessor=before, successor=after)
    reschedule(project)
    for task in tasks:
        task.refresh_from_db()
    return tasks


def make_milestones(
    project: Project, after: Task, names: tuple[str, ...], deadline: dt.datetime | None = None
) -> list[Task]:
    """Milestones in series after ``after`` (the first with ``deadline``), rescheduled."""
    position = project.tasks.count()
    milestones = [
        Task.objects.create(
            project=project,
            position=position + i + 1,
            wbs=str(position + i + 1),
            name=name,
            milestone=True,
            duration_minutes=0,
            deadline=deadline if i == 0 else None,
        )
        for i, name in enumerate(names)
    ]
    for before, later in pairwise([after, *milestones]):
        Dependency.objects.create(project=project, predecessor=before, successor=later)
    reschedule(project)
    for milestone in milestones:
        milestone.refresh_from_db()
    return milestones
