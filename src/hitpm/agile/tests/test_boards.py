"""Board workflow rules and backlog ranking."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hitpm.agile.models import Board, Column, WorkItem
from hitpm.agile.services import boards, items
from hitpm.agile.tests.factories import board_for, column, item, move
from hitpm.core.tests.web_fixtures import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return board_for(make_project("IFC-7", {}))


def _names(board: Board) -> list[str]:
    return list(board.columns.order_by("position").values_list("name", flat=True))


def test_new_boards_have_a_workflow_per_kind_and_two_lanes(board):
    assert _names(board) == ["Backlog", "Ready", "Build", "Test", "Validate", "Done"]
    scrum = board_for(board.project, Board.Kind.SCRUM)
    assert _names(scrum) == ["To do", "In progress", "Review", "Done"]
    assert list(board.lanes.values_list("expedite", flat=True)) == [True, False]
    engine = boards.engine_board(boards.columns_of(board))
    assert (engine.started, engine.done) == ("Build", "Done")


def test_columns_keep_workflow_order(board):
    boards.add_column(board, "Security review", Column.Category.DOING, 2)
    assert _names(board)[-2:] == ["Security review", "Done"]
    with pytest.raises(ValidationError, match="left to right"):
        boards.update_column(column(board, "Ready"), {"category": "done"}, None)
    assert column(board, "Ready").category == "todo"
    with pytest.raises(ValidationError, match="left to right"):
        boards.move_column(column(board, "Done"), -1)
    boards.move_column(column(board, "Test"), 1)
    assert _names(board)[2:5] == ["Build", "Validate", "Test"]
    with pytest.raises(ValidationError, match="already at that end"):
        boards.move_column(column(board, "Backlog"), -1)


def test_columns_in_use_or_in_history_are_not_deleted(board):
    story = item(board)
    with pytest.raises(ValidationError, match="still holds cards"):
        boards.delete_column(column(board, "Backlog"))
    move(story, "Build")
    move(story, "Backlog")
    with pytest.raises(ValidationError, match="history"):
        boards.delete_column(column(board, "Build"))
    boards.delete_column(column(board, "Validate"))
    with pytest.raises(ValidationError, match="at least one done"):
        boards.delete_column(column(board, "Done"))
    assert "Done" in _names(board)


def test_ranking_between_neighbours_and_respreading(board):
    a, b, c = item(board, "a"), item(board, "b"), item(board, "c")
    items.place(c, after=None, before=a)
    order = list(board.items.order_by("rank").values_list("title", flat=True))
    assert order == ["c", "a", "b"]
    WorkItem.objects.filter(pk=a.pk).update(rank=10)
    WorkItem.objects.filter(pk=b.pk).update(rank=11)
    a.refresh_from_db()
    b.refresh_from_db()
    items.place(c, after=a, before=b)  # no gap left: ranks are spread out first
    assert list(board.items.order_by("rank").values_list("title", flat=True)) == ["a", "c", "b"]
    with pytest.raises(ValidationError, match="not in rank order"):
        items.place(c, after=b, before=a)


def test_item_rules(board):
    with pytest.raises(ValidationError) as refused:
        item(board, "x", blocked=True)
    assert "Say why" in str(refused.value)
    with pytest.raises(ValidationError, match="Only defects"):
        item(board, "x", patient_safety=True)
    epic = item(board, "Epic", kind=WorkItem.Kind.EPIC)
    with pytest.raises(ValidationError, match="cannot belong"):
        item(board, "Sub-epic", kind=WorkItem.Kind.EPIC, epic=epic)
    story = item(board, "story")
    with pytest.raises(ValidationError, match="cannot be changed here"):
        items.update_item(story, {"column": column(board, "Done")}, None)
    assert items.clean_labels(" Go-Live, regulatory,go-live ,") == ["go-live", "regulatory"]
    assert WorkItem.objects.filter(title="x").count() == 0


def test_lanes_are_added_and_deleted_with_their_cards_kept(board):
    lane = boards.add_lane(board, "Regulatory", 2)
    story = item(board, "Immunization registry feed")
    items.update_item(story, {"lane": lane}, None)
    boards.delete_lane(lane)
    story.refresh_from_db()
    assert story.lane is not None
    assert story.lane.name == "Standard"
    with pytest.raises(ValidationError, match="expedite lane"):
        boards.delete_lane(board.lanes.get(expedite=True))
    with pytest.raises(ValidationError, match="at least one standard lane"):
        boards.delete_lane(board.lanes.get(name="Standard"))
