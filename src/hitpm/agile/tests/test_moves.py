"""Moves: WIP limits refused or overridden with a recorded reason, the expedite lane, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hitpm.agile.models import Board, ItemMove, WorkItem
from hitpm.agile.services import sprints
from hitpm.agile.services.moves import Move, WipLimitReached, move_item
from hitpm.agile.tests.factories import board_for, column, item, move, when
from hitpm.core.tests.web_fixtures import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    board = board_for(make_project("IFC-1", {}))
    test = column(board, "Test")
    test.wip_limit = 1
    test.save()
    return board


def test_move_is_history_and_stamps_start_and_done(board):
    story = item(board)
    move(story, "Build", when(2))
    story = move(story, "Done", when(4))
    moves = list(
        ItemMove.objects.filter(item=story).values_list("from_column__name", "to_column__name")
    )
    assert moves == [(None, "Backlog"), ("Backlog", "Build"), ("Build", "Done")]
    assert story.started_at == when(2)
    assert story.done_at == when(4)
    story = move(story, "Test", when(5))
    assert story.done_at is None
    assert story.started_at == when(2)


def test_move_past_wip_limit_is_refused_and_nothing_changes(board):
    move(item(board, "first"), "Test")
    second = item(board, "second")
    with pytest.raises(WipLimitReached) as refused:
        move(second, "Test")
    assert "Column Test is at its WIP limit (1 of 1)" in refused.value.text
    assert not refused.value.can_override
    second.refresh_from_db()
    assert second.column.name == "Backlog"
    assert ItemMove.objects.filter(item=second).count() == 1


def test_override_needs_a_reason_and_keeps_it(board):
    board.allow_wip_override = True
    board.save()
    move(item(board, "first"), "Test")
    second = item(board, "second")
    with pytest.raises(WipLimitReached) as refused:
        move(second, "Test", reason="   ")
    assert refused.value.can_override
    second = move(second, "Test", reason="Sepsis alert fix for the go-live")
    last = ItemMove.objects.filter(item=second).order_by("pk").last()
    assert last is not None
    assert last.wip_override_reason == "Sepsis alert fix for the go-live"
    assert second.column.name == "Test"


def test_reason_is_not_recorded_when_no_limit_was_passed(board):
    board.allow_wip_override = True
    board.save()
    story = move(item(board), "Build", reason="not needed")
    assert ItemMove.objects.filter(item=story, wip_override_reason="").count() == 2


def test_expedite_lane_skips_column_limit_but_has_its_own(board):
    move(item(board, "standard"), "Test")
    defect = item(
        board, "Wrong dose unit in the pharmacy interface", kind="defect", patient_safety=True
    )
    assert defect.lane is not None
    assert defect.lane.expedite
    defect = move(defect, "Test")
    assert defect.column.name == "Test"
    other = item(board, "Allergy not shown", kind="defect", patient_safety=True)
    with pytest.raises(WipLimitReached, match="Expedite"):
        move(other, "Build")


def test_epics_are_not_moved_and_foreign_columns_refused(board):
    epic = item(board, "Results interfaces", kind=WorkItem.Kind.EPIC)
    with pytest.raises(ValidationError, match="Epics"):
        move(epic, "Build")
    other = board_for(board.project, name="Other team")
    story = item(board)
    with pytest.raises(ValidationError, match="another board"):
        move_item(story, Move(column(other, "Build")), actor=None)


def test_scrum_wip_limits_count_the_cards_of_the_same_sprint():
    board = board_for(make_project("EHR-5", {}), Board.Kind.SCRUM)
    doing = column(board, "In progress")
    doing.wip_limit = 1
    doing.save()
    old = move(item(board, "left over from an old sprint"), "In progress")
    assert old.sprint is None
    sprint = sprints.create_sprint(
        board, name="S1", start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 14)
    )
    first, second = item(board, "first"), item(board, "second")
    for story in (first, second):
        sprints.add_to_sprint(story, sprint)
    move(WorkItem.objects.get(pk=first.pk), "In progress")
    with pytest.raises(WipLimitReached):
        move(WorkItem.objects.get(pk=second.pk), "In progress")
