"""The stakeholders API: CRUD conventions, RACI, communications, actions."""

from __future__ import annotations

import datetime as dt

import pytest

from hitpm.core.tests.api_fixtures import api_as, audit_count, error_fields
from hitpm.stakeholders.models import Communication, RaciAssignment, Stakeholder
from hitpm.stakeholders.tests.fixtures import make_setup

pytestmark = pytest.mark.django_db
BASE = "/projects/EHR-1"


def test_stakeholder_crud_with_etags() -> None:
    s = make_setup()
    api = api_as(s.member)
    made = api.post(f"{BASE}/stakeholders", {"name": "Revenue cycle", "kind": "group",
                                              "influence": 3, "interest": 2})  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["quadrant"] == "keep_satisfied"
    assert made["ETag"] == '"1"'
    one = f"{BASE}/stakeholders/{body['id']}"
    assert api.patch(one, {"interest": 5}).status_code == 428
    assert api.patch(one, {"interest": 5}, if_match='"9"').status_code == 412
    changed = api.patch(one, {"interest": 5}, if_match='"1"')
    assert changed.json()["quadrant"] == "manage_closely"
    assert changed["ETag"] == '"2"'
    listed = api.get(f"{BASE}/stakeholders", kind="group", q="revenue").json()
    assert [i["name"] for i in listed["items"]] == ["Revenue cycle"]
    assert api.delete(one, if_match='"2"').status_code == 204


def test_bad_input_is_422_and_changes_nothing() -> None:
    s = make_setup()
    api = api_as(s.member)
    before = audit_count()
    reply = api.post(f"{BASE}/stakeholders", {"name": "X", "influence": 7, "colour": "red"})
    assert reply.status_code == 422
    assert {"influence", "colour"} <= error_fields(reply)
    reply = api.post(f"{BASE}/stakeholders", {"name": "X", "user_id": 999999})
    assert reply.status_code == 422
    assert error_fields(reply) == {"user_id"}
    reply = api.post(f"{BASE}/actions", {"description": "Y", "owner_id": s.stranger.pk,
                                         "due_on": "2027-03-20"})  # fmt: skip
    assert reply.status_code == 422
    assert error_fields(reply) == {"owner"}
    assert audit_count() == before


def test_viewers_read_and_cannot_write_strangers_see_nothing() -> None:
    s = make_setup()
    viewer, stranger = api_as(s.viewer), api_as(s.stranger)
    assert viewer.get(f"{BASE}/stakeholders").json()["count"] == 3
    assert viewer.post(f"{BASE}/stakeholders", {"name": "Z"}).status_code == 403
    one = f"{BASE}/stakeholders/{s.cmio.pk}"
    assert viewer.patch(one, {"name": "Z"}, if_match='"1"').status_code == 403
    assert viewer.delete(one, if_match='"1"').status_code == 403
    assert stranger.get(one).status_code == 404
    assert stranger.get(f"{BASE}/raci").status_code == 404
    assert api_as(s.stranger).get(f"/projects/LAB-2/stakeholders/{s.cmio.pk}").status_code == 404
    assert Stakeholder.objects.get(pk=s.cmio.pk).name == "CMIO"


def test_raci_matrix_and_cells() -> None:
    s = make_setup()
    api = api_as(s.member)
    cell = {"task_id": s.phase.pk, "stakeholder_id": s.cmio.pk, "letter": "A"}
    body = api.post(f"{BASE}/raci", cell).json()
    row = body["rows"][0]
    assert row["letters"] == {str(s.cmio.pk): "A"}
    assert row["problems"] == ["No one is Responsible; name at least one."]
    assert body["valid"] is False
    bad = api.post(f"{BASE}/raci", {**cell, "letter": "X"})
    assert bad.status_code == 422
    assert error_fields(bad) == {"letter"}
    other = api.post(f"{BASE}/raci", {**cell, "task_id": 999999})
    assert other.status_code == 422
    assert error_fields(other) == {"task_id"}
    cleared = api.post(f"{BASE}/raci", {**cell, "letter": None}).json()
    assert cleared["rows"][0]["letters"] == {}
    assert api_as(s.viewer).post(f"{BASE}/raci", cell).status_code == 403
    assert not RaciAssignment.objects.exists()


def test_communication_plan_due_and_sent() -> None:
    s = make_setup()
    api = api_as(s.member)
    first = dt.date.today() - dt.timedelta(days=1)
    made = api.post(f"{BASE}/communications", {
        "title": "Readiness update", "frequency": "weekly", "owner_id": s.member.pk,
        "first_due": first.isoformat(), "audience_ids": [s.nursing.pk], "channel": "email",
    })  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["next_due"] == first.isoformat()
    assert body["audience_ids"] == [s.nursing.pk]
    due = api.get(f"{BASE}/communications-due").json()
    assert [c["id"] for c in due["overdue"]] == [body["id"]]
    path = f"{BASE}/communications/{body['id']}/sent"
    assert api.post(path, {"sent_on": dt.date.today().isoformat()}).status_code == 428
    sent = api.post(path, {"sent_on": dt.date.today().isoformat()}, if_match='"1"')
    assert sent.status_code == 201
    assert sent.json()["due_on"] == first.isoformat()
    assert Communication.objects.get().next_due == first + dt.timedelta(days=7)
    log = api.get(f"{BASE}/communications/{body['id']}/log").json()
    assert log["count"] == 1
    wrong = api.post(f"{BASE}/communications", {
        "title": "X", "frequency": "weekly", "owner_id": s.member.pk,
        "first_due": "2027-01-01", "audience_ids": [999999]})  # fmt: skip
    assert wrong.status_code == 422
    assert error_fields(wrong) == {"audience_ids"}


def test_my_actions_over_the_api() -> None:
    s = make_setup()
    pm = api_as(s.pm)
    made = pm.post(f"{BASE}/actions", {"description": "Draft FAQ", "owner_id": s.member.pk,
                                        "due_on": "2027-03-20"})  # fmt: skip
    assert made.status_code == 201
    mine = api_as(s.member).get("/me/actions").json()
    assert [(a["project_code"], a["description"]) for a in mine["items"]] == [
        ("EHR-1", "Draft FAQ")
    ]
    notes = api_as(s.member).get("/me/notifications", unread="true").json()
    assert notes["count"] == 1
    assert notes["items"][0]["kind"] == "action_assigned"


def test_meetings_and_decisions_over_the_api() -> None:
    s = make_setup()
    api = api_as(s.member)
    meeting = api.post(f"{BASE}/meetings", {"title": "Design session",
                                             "starts_at": "2027-03-10T14:00:00Z",
                                             "attendee_ids": [s.cmio.pk]})  # fmt: skip
    assert meeting.status_code == 201
    assert meeting.json()["attendee_ids"] == [s.cmio.pk]
    undecided = api.post(f"{BASE}/decisions", {"title": "Big-bang"})
    assert undecided.status_code == 422
    assert error_fields(undecided) == {"decided_by", "decided_on"}
    decision = api.post(f"{BASE}/decisions", {
        "title": "Big-bang", "decided_by": "Steering committee", "decided_on": "2027-03-10",
        "meeting_id": meeting.json()["id"], "task_ids": [s.milestone.pk]})  # fmt: skip
    assert decision.status_code == 201
    assert decision.json()["task_ids"] == [s.milestone.pk]
