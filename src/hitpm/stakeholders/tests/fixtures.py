"""Projects with stakeholders, plan rows and people for the stakeholder tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hitpm.accounts.models import User
from hitpm.core.tests.web_fixtures import PM, TEAM, VIEWER, at, make_project, make_task, make_user
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models import Stakeholder

TODAY = dt.date(2027, 3, 10)


@dataclass
class Setup:
    """EHR-1 with a manager, team member and viewer, two plan rows and three stakeholders;
    LAB-2 belongs to a stranger."""

    pm: User
    member: User
    viewer: User
    stranger: User
    project: Project
    foreign: Project
    phase: Task
    milestone: Task
    work: Task
    cmio: Stakeholder
    nursing: Stakeholder
    pharmacy: Stakeholder


def stakeholder(project: Project, name: str, **fields: object) -> Stakeholder:
    return Stakeholder.objects.create(project=project, name=name, **fields)


def make_setup() -> Setup:
    pm, member, viewer = make_user("pm"), make_user("member"), make_user("viewer")
    stranger = make_user("stranger")
    project = make_project("EHR-1", {pm: PM, member: TEAM, viewer: VIEWER})
    foreign = make_project("LAB-2", {stranger: PM}, portfolio="Laboratory")
    phase = make_task(project, 1, "Build", is_summary=True, start=at(TODAY), finish=at(TODAY))
    milestone = make_task(project, 2, "Build complete", milestone=True, outline_level=2,
                          start=at(TODAY), finish=at(TODAY))  # fmt: skip
    work = make_task(project, 3, "Configure order sets", outline_level=2)
    return Setup(
        pm, member, viewer, stranger, project, foreign, phase, milestone, work,
        cmio=stakeholder(project, "CMIO", influence=5, interest=5),
        nursing=stakeholder(project, "Nursing leadership", kind="group", influence=4,
                            interest=2),
        pharmacy=stakeholder(project, "Pharmacy", kind="group", influence=2, interest=4),
    )  # fmt: skip
