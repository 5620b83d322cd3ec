"""Sprint rules: capacity, start, close with unfinished work to the backlog or the next sprint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hitpm.agile.models import Board, Sprint, SprintEntry
from hitpm.agile.services import scrum, sprints
from hitpm.agile.tests.factories import board_for, item, move, when
from hitpm.core.tests.web_fixtures import make_project, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return board_for(make_project("EHR-1", {}), Board.Kind.SCRUM)


def _sprint(board, name="Sprint 1", start=dt.date(2027, 3, 1), days=14):
    end = start + dt.timedelta(days=days - 1)
    return sprints.create_sprint(
        board, name=name, goal="Order sets", start_date=start, end_date=end
    )


def test_capacity_is_working_days_times_allocation_minus_time_off(board):
    sprint = _sprint(board)  # Mon 1 - Sun 14 March 2027: 10 working days
    sprints.set_member(sprint, make_user("ana"), 100, Decimal("2"))
    sprints.set_member(sprint, make_user("ben"), 50, Decimal("0"))
    sprints.add_to_sprint(item(board, points=Decimal("8")), sprint)
    sprints.add_to_sprint(item(board), sprint)
    meter = sprints.capacity(sprint)
    assert meter.working_days == 10
    assert [p.person_days for p in meter.people] == [Decimal("8.0"), Decimal("5.0")]
    assert meter.points == Decimal("13.00")
    assert meter.planned_points == Decimal("8")
    assert meter.unestimated == 1
    assert meter.load_percent == 62
    assert not meter.over


def test_start_needs_items_and_no_other_active_sprint(board):
    first, second = _sprint(board), _sprint(board, "Sprint 2", dt.date(2027, 3, 15))
    with pytest.raises(ValidationError, match="no items"):
        sprints.start_sprint(first)
    sprints.add_to_sprint(item(board, points=Decimal("3")), first)
    sprints.add_to_sprint(item(board, points=Decimal("5")), second)
    first = sprints.start_sprint(first, at=when(1))
    assert (first.state, first.committed_points, first.committed_items) == ("active", 8 - 5, 1)
    with pytest.raises(ValidationError, match="still active"):
        sprints.start_sprint(second)
    with pytest.raises(ValidationError, match="only a planned sprint"):
        sprints.start_sprint(first)


def test_close_sends_unfinished_items_back_to_the_backlog(board):
    sprint = _sprint(board)
    done, open_ = item(board, "done", points=Decimal("5")), item(board, "open", points=Decimal("3"))
    for story in (done, open_):
        sprints.add_to_sprint(story, sprint)
    sprints.start_sprint(sprint, at=when(1))
    move(done, "Done", when(3))
    move(open_, "In progress", when(3))
    sprint = sprints.close_sprint(sprint, at=when(14))
    open_.refresh_from_db()
    assert open_.sprint is None
    assert open_.column.name == "In progress"
    assert (sprint.completed_points, sprint.completed_items, sprint.state) == (5, 1, "closed")
    assert SprintEntry.objects.get(item=open_).outcome == "backlog"
    rows = scrum.velocity_rows(board)
    assert [(r.committed, r.completed) for r in rows] == [(8.0, 5.0)]
    report = scrum.sprint_report(sprint)
    assert [e.item for e in report.completed] == [done]
    assert [e.item for e in report.not_completed] == [open_]


def test_close_can_carry_unfinished_items_to_the_next_planned_sprint(board):
    sprint, following = _sprint(board), _sprint(board, "Sprint 2", dt.date(2027, 3, 15))
    story = item(board, points=Decimal("2"))
    sprints.add_to_sprint(story, sprint)
    sprints.start_sprint(sprint, at=when(1))
    with pytest.raises(ValidationError):
        sprints.close_sprint(sprint, unfinished_to=sprint)
    sprints.close_sprint(sprint, unfinished_to=following, at=when(14))
    story.refresh_from_db()
    assert story.sprint == following
    assert SprintEntry.objects.get(item=story, sprint=sprint).outcome == "next"
    with pytest.raises(ValidationError, match="only the active sprint"):
        sprints.close_sprint(sprint)


def test_closed_sprints_refuse_planning_and_kanban_boards_have_no_sprints(board):
    sprint = _sprint(board)
    sprints.add_to_sprint(item(board), sprint)
    sprints.start_sprint(sprint)
    sprints.close_sprint(sprint)
    with pytest.raises(ValidationError, match="closed"):
        sprints.add_to_sprint(item(board), sprint)
    kanban = board_for(board.project, name="Interfaces")
    with pytest.raises(ValidationError, match="Kanban"):
        _sprint(kanban)
    assert Sprint.objects.count() == 1


def test_burndown_counts_scope_and_done_per_day(board):
    sprint = _sprint(board, days=5)
    a, b = item(board, points=Decimal("5")), item(board, points=Decimal("3"))
    sprints.add_to_sprint(a, sprint)
    sprints.start_sprint(sprint, at=when(1))
    sprints.add_to_sprint(b, Sprint.objects.get(pk=sprint.pk))
    move(a, "Done", when(3))
    sprint.refresh_from_db()
    chart = scrum.burndown(sprint, today=dt.date(2027, 3, 4))
    assert chart.ideal == [5.0, 3.75, 2.5, 1.25, 0.0]
    assert chart.remaining[4] is None
    assert chart.remaining[2:4] == [3.0, 3.0]  # added b (3) is scope change; a (5) done on day 3


def test_a_new_sprint_is_suggested_right_after_the_last(board):
    assert sprints.next_sprint(board, dt.date(2027, 3, 1))["name"] == "Sprint 1"
    _sprint(board, "Build sprint 1")
    suggested = sprints.next_sprint(board)
    assert suggested == {
        "name": "Build sprint 2",
        "start_date": dt.date(2027, 3, 15),
        "end_date": dt.date(2027, 3, 28),
    }
