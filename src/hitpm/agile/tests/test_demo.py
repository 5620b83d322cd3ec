"""The demo boards: months of generated history that the metrics and forecasts can use."""

from __future__ import annotations

import datetime as dt

import pytest

from hitpm.agile import demo
from hitpm.agile.models import Board, Sprint
from hitpm.agile.services import forecasts, metrics
from hitpm.audit.context import acting_as
from hitpm.core.tests.web_fixtures import TEAM, at, make_project, make_task, make_user

pytestmark = pytest.mark.django_db


def test_demo_boards_have_history_sprints_and_forecasts():
    today = dt.date(2027, 3, 17)
    people = {make_user("ana"): TEAM, make_user("ben"): TEAM}
    projects = {code: make_project(code, people) for code in ("IFC-HL7FHIR", "EHR-GOLIVE")}
    make_task(
        projects["EHR-GOLIVE"],
        1,
        "Content build and refinement (round 3)",
        finish=at(dt.date(2027, 4, 30)),
    )
    with acting_as("system:demo"):
        demo.load(projects, {}, today)
    kanban = Board.objects.get(kind=Board.Kind.KANBAN)
    flow = metrics.board_flow(kanban).metrics
    assert flow is not None
    assert flow.done_mask.sum() > 80
    assert flow.days.size >= 140
    assert kanban.items.filter(lane__expedite=True, patient_safety=True).exists()
    for column in kanban.columns.exclude(wip_limit=None):
        in_column = column.items.exclude(lane__expedite=True).count()
        assert in_column <= (column.wip_limit or 0), column.name
    assert forecasts.when_items(kanban, 20, today).periods[85] > 0
    scrum = Board.objects.get(kind=Board.Kind.SCRUM)
    states = list(scrum.sprints.values_list("state", flat=True))
    assert states.count(Sprint.State.CLOSED) == 8
    assert Sprint.State.ACTIVE in states
    assert all(
        s.completed_points and s.committed_points for s in scrum.sprints.filter(state="closed")
    )
    assert forecasts.when_points(scrum, 60).periods[50] >= 1
    epic = scrum.items.get(kind="epic")
    assert epic.plan_task is not None
    epic.plan_task.refresh_from_db()
    assert epic.plan_task.percent_complete > 0
