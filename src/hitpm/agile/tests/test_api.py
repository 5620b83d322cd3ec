"""The agile API: permissions, ETag/If-Match, bad input, WIP refusals on moves."""

from __future__ import annotations

import datetime as dt

import pytest

from hitpm.agile.models import WorkItem
from hitpm.agile.tests.factories import board_for, column, item, move
from hitpm.core.tests.api_fixtures import api_as, audit_count, error_fields
from hitpm.core.tests.web_fixtures import TEAM, VIEWER, make_project, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    team, viewer, stranger = make_user("tess"), make_user("vic"), make_user("sam")
    project = make_project("IFC-9", {team: TEAM, viewer: VIEWER})
    board = board_for(project)
    test = column(board, "Test")
    test.wip_limit = 1
    test.save()
    move(item(board, "in test"), "Test")
    return project, board, api_as(team), api_as(viewer), api_as(stranger)


def test_strangers_get_404_and_viewers_read_only(setup):
    _project, board, team, viewer, stranger = setup
    for path in (
        "/projects/IFC-9/boards",
        f"/projects/IFC-9/boards/{board.pk}/metrics",
        "/projects/IFC-9/items",
    ):
        assert stranger.get(path).status_code == 404
        assert viewer.get(path).status_code == 200
    body = {"board_id": board.pk, "title": "ADT feed"}
    assert viewer.post("/projects/IFC-9/items", body).status_code == 403
    assert stranger.post("/projects/IFC-9/items", body).status_code == 404
    assert team.post("/projects/IFC-9/items", body).status_code == 201


def test_create_refuses_bad_input_and_writes_nothing(setup):
    _project, board, team, *_ = setup
    before = (WorkItem.objects.count(), audit_count())
    bad = team.post(
        "/projects/IFC-9/items", {"board_id": board.pk, "title": "", "points": -1, "colour": "red"}
    )
    assert bad.status_code == 422
    assert {"title", "points", "colour"} <= error_fields(bad)
    blocked = team.post(
        "/projects/IFC-9/items", {"board_id": board.pk, "title": "x", "blocked": True}
    )
    assert blocked.status_code == 422
    other = team.post("/projects/IFC-9/items", {"board_id": board.pk, "title": "x", "epic_id": 999})
    assert error_fields(other) == {"epic_id"}
    assert (WorkItem.objects.count(), audit_count()) == before


def test_move_needs_if_match_and_a_wip_refusal_is_422(setup):
    _project, board, team, *_ = setup
    story = item(board, "ORU feed", dt.datetime(2020, 1, 6, tzinfo=dt.UTC))
    url = f"/projects/IFC-9/items/{story.pk}/move"
    body = {"column_id": column(board, "Test").pk}
    assert team.post(url, body).status_code == 428
    etag = team.get(f"/projects/IFC-9/items/{story.pk}")["ETag"]
    refused = team.post(url, body, if_match=etag)
    assert refused.status_code == 422
    assert error_fields(refused) == {"column"}
    assert "WIP limit" in refused.json()["detail"]
    moved = team.post(url, {"column_id": column(board, "Build").pk}, if_match=etag)
    assert moved.status_code == 200
    assert moved.json()["column_id"] == column(board, "Build").pk
    assert team.post(url, body, if_match=etag).status_code == 412
    moves = team.get(f"/projects/IFC-9/items/{story.pk}/moves").json()
    assert [m["to_column_id"] for m in moves["items"]] == [
        column(board, "Backlog").pk,
        column(board, "Build").pk,
    ]


def test_patch_and_delete_follow_if_match(setup):
    _project, board, team, viewer, _ = setup
    story = item(board, "Lab feed")
    path = f"/projects/IFC-9/items/{story.pk}"
    assert viewer.patch(path, {"title": "x"}, if_match='"1"').status_code == 403
    changed = team.patch(
        path, {"title": "Lab results feed", "labels": ["Go-Live", "go-live"]}, if_match='"1"'
    )
    assert changed.status_code == 200
    assert changed.json()["labels"] == ["go-live"]
    assert changed["ETag"] == '"2"'
    assert team.delete(path, if_match='"1"').status_code == 412
    assert team.delete(path, if_match='"2"').status_code == 204


def test_forecast_route_explains_missing_history(setup):
    _project, board, team, *_ = setup
    answer = team.get(f"/projects/IFC-9/boards/{board.pk}/forecast", items=10)
    assert answer.status_code == 422
    assert "No items were finished" in answer.json()["detail"]
    assert team.get(f"/projects/IFC-9/boards/{board.pk}/forecast").status_code == 422
    assert team.get("/projects/IFC-9/boards/999/metrics").status_code == 404
