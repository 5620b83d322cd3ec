"""Agile pages: every page renders for a viewer, writes need the right role, strangers 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hitpm.agile.models import Board, ItemMove, WorkItem
from hitpm.agile.services import sprints
from hitpm.agile.tests.factories import board_for, column, item, move
from hitpm.core.tests.web_fixtures import PM, TEAM, VIEWER, make_project, make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    pm, team, viewer, stranger = (make_user(n) for n in ("pam", "tess", "vic", "sam"))
    project = make_project("EHR-9", {pm: PM, team: TEAM, viewer: VIEWER})
    kanban = board_for(project)
    scrum = board_for(project, Board.Kind.SCRUM)
    story = item(kanban, "Heparin order set")
    move(story, "Build")
    sprint = sprints.create_sprint(
        scrum, name="Sprint 1", start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 14)
    )
    sprints.add_to_sprint(item(scrum, "MAR build", points=3), sprint)
    return {
        "pm": pm,
        "team": team,
        "viewer": viewer,
        "stranger": stranger,
        "kanban": kanban,
        "scrum": scrum,
        "story": story,
        "sprint": sprint,
    }


def _pages(w):
    k, s = w["kanban"].pk, w["scrum"].pk
    names = [
        ("board", k),
        ("backlog", k),
        ("metrics", k),
        ("forecast", k),
        ("settings", k),
        ("board", s),
        ("backlog", s),
        ("sprints", s),
        ("metrics", s),
    ]
    urls = [reverse("agile:index", args=["EHR-9"])]
    urls += [reverse(f"agile:{n}", args=["EHR-9", b]) for n, b in names]
    urls.append(reverse("agile:item", args=["EHR-9", k, w["story"].pk]))
    urls.append(reverse("agile:sprint", args=["EHR-9", s, w["sprint"].pk]))
    return urls


def test_viewer_sees_every_page_and_strangers_get_404(world):
    viewer, stranger = signed_in(world["viewer"]), signed_in(world["stranger"])
    for url in _pages(world):
        assert viewer.get(url).status_code == 200, url
        assert stranger.get(url).status_code == 404, url


def test_viewer_cannot_move_rank_or_create(world):
    client = signed_in(world["viewer"])
    k = world["kanban"]
    url = reverse("agile:move", args=["EHR-9", k.pk, world["story"].pk])
    assert client.post(url, {"column": column(k, "Test").pk}).status_code == 403
    assert (
        client.post(reverse("agile:item_new", args=["EHR-9", k.pk]), {"title": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("agile:rank", args=["EHR-9", k.pk]), {"item": world["story"].pk}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("agile:index", args=["EHR-9"]), {"board-name": "x"}).status_code == 403
    )


def test_htmx_move_shows_the_refusal_and_an_override_form(world):
    k = world["kanban"]
    k.allow_wip_override = True
    k.save()
    test = column(k, "Test")
    test.wip_limit = 1
    test.save()
    move(item(k, "full"), "Test")
    client = signed_in(world["team"])
    url = reverse("agile:move", args=["EHR-9", k.pk, world["story"].pk])
    answer = client.post(url, {"column": test.pk}, headers={"HX-Request": "true"})
    assert b"Column Test is at its WIP limit" in answer.content
    assert b"Move anyway" in answer.content
    client.post(
        url, {"column": test.pk, "reason": "Go-live blocker"}, headers={"HX-Request": "true"}
    )
    assert (
        ItemMove.objects.filter(item=world["story"])
        .order_by("pk")
        .values_list("wip_override_reason", flat=True)
        .last()
        == "Go-live blocker"
    )


def test_team_member_creates_ranks_and_plans_items(world):
    client = signed_in(world["team"])
    s = world["scrum"]
    answer = client.post(
        reverse("agile:item_new", args=["EHR-9", s.pk]),
        {
            "kind": "story",
            "title": "Vancomycin dosing",
            "clinical_area": "pharmacy",
            "points": "5",
            "labels": "pharmacy, go-live",
        },
    )
    assert answer.status_code == 302
    new = WorkItem.objects.get(title="Vancomycin dosing")
    assert new.labels == ["pharmacy", "go-live"]
    planned = client.post(
        reverse("agile:rank", args=["EHR-9", s.pk]),
        {"item": new.pk, "sprint": world["sprint"].pk, "after": "", "before": ""},
        headers={"HX-Request": "true"},
    )
    assert planned.status_code == 200
    assert b"Capacity" in planned.content
    new.refresh_from_db()
    assert new.sprint == world["sprint"]


def test_only_managers_change_the_workflow(world):
    k = world["kanban"]
    url = reverse("agile:column_add", args=["EHR-9", k.pk])
    data = {"new-name": "Security review", "new-category": "doing", "new-wip_limit": "2"}
    assert signed_in(world["team"]).post(url, data).status_code == 403
    assert signed_in(world["pm"]).post(url, data).status_code == 302
    names = list(k.columns.order_by("position").values_list("name", flat=True))
    assert names.index("Security review") == names.index("Done") - 1
    bad = {"new-name": "Late", "new-category": "todo", "new-wip_limit": ""}
    signed_in(world["pm"]).post(url, bad)
    assert list(k.columns.order_by("position").values_list("name", flat=True)) != [*names, "Late"]


def test_bad_item_input_is_shown_and_nothing_is_saved(world):
    client = signed_in(world["team"])
    url = reverse("agile:item_new", args=["EHR-9", world["kanban"].pk])
    before = WorkItem.objects.count()
    answer = client.post(
        url, {"kind": "story", "title": "", "points": "-2", "blocked": "on", "clinical_area": "ed"}
    )
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "This field is required." in text
    assert "greater than or equal to 0" in text
    answer = client.post(
        url, {"kind": "story", "title": "Triage", "blocked": "on", "clinical_area": "ed"}
    )
    assert "Say why the item is blocked." in answer.content.decode()
    assert WorkItem.objects.count() == before


def test_sprint_start_close_and_capacity_through_the_pages(world):
    client = signed_in(world["team"])
    s, sprint = world["scrum"], world["sprint"]
    args = ["EHR-9", s.pk, sprint.pk]
    bad = client.post(
        reverse("agile:sprint_capacity", args=args),
        {"user": world["team"].pk, "allocation_percent": "0", "days_off": "1"},
    )
    assert bad.status_code == 200
    assert sprint.members.count() == 0
    client.post(
        reverse("agile:sprint_capacity", args=args),
        {"user": world["team"].pk, "allocation_percent": "80", "days_off": "1"},
    )
    assert sprint.members.get().allocation_percent == 80
    client.post(reverse("agile:sprint_start", args=args), {"version": sprint.version})
    sprint.refresh_from_db()
    assert sprint.state == "active"
    assert sprint.committed_points == 3
    closed = client.post(reverse("agile:sprint_close", args=args), {"version": 1}, follow=True)
    assert "was changed by someone else" in closed.content.decode()
    client.post(
        reverse("agile:sprint_close", args=args), {"version": sprint.version, "unfinished_to": ""}
    )
    sprint.refresh_from_db()
    assert sprint.state == "closed"
    assert sprint.items.count() == 0
    assert (
        signed_in(world["viewer"]).post(reverse("agile:sprint_start", args=args)).status_code == 403
    )


def test_managers_edit_lanes_and_bad_input_changes_nothing(world):
    k = world["kanban"]
    pm = signed_in(world["pm"])
    pm.post(
        reverse("agile:lane_add", args=["EHR-9", k.pk]),
        {"lane-name": "Regulatory", "lane-wip_limit": "2"},
    )
    lane = k.lanes.get(name="Regulatory")
    url = reverse("agile:lane_edit", args=["EHR-9", k.pk, lane.pk])
    answer = pm.post(url, {f"l{lane.pk}-name": "", f"l{lane.pk}-wip_limit": "0"}, follow=True)
    assert "not changed" in answer.content.decode()
    assert k.lanes.get(pk=lane.pk).name == "Regulatory"
    assert signed_in(world["team"]).post(url, {"delete": "1"}).status_code == 403
    pm.post(url, {"delete": "1"})
    assert not k.lanes.filter(pk=lane.pk).exists()


def test_item_page_plans_without_dragging_and_deletes_after_asking(world):
    client = signed_in(world["team"])
    s = world["scrum"]
    story = item(s, "Order set: sepsis")
    rank = story.rank
    client.post(
        reverse("agile:rank", args=["EHR-9", s.pk]),
        {"item": story.pk, "sprint": world["sprint"].pk},
    )
    story.refresh_from_db()
    assert story.sprint == world["sprint"]
    assert story.rank == rank
    url = reverse("agile:item_delete", args=["EHR-9", s.pk, story.pk])
    assert b"Delete item" in client.get(url).content
    assert signed_in(world["viewer"]).post(url).status_code == 403
    client.post(url, {"version": story.version})
    assert not WorkItem.objects.filter(pk=story.pk).exists()
