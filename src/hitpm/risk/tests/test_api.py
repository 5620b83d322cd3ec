"""The risk API: permissions, ETag/If-Match, validation errors, simulations, FMEA."""

from __future__ import annotations

from typing import Any

import pytest

from hitpm.core.tests.api_fixtures import ApiClient, api_as, audit_count, error_fields
from hitpm.risk.models import Risk, RiskScoreChange, SimulationRun
from hitpm.risk.tests.fixtures import Team, category, make_chain, make_risk, make_team

pytestmark = pytest.mark.django_db
BASE = "/projects/EHR-RISK"


@pytest.fixture
def team() -> Team:
    return make_team()


def _body(team: Team, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Super-users unavailable during go-live week",
        "owner": "tess",
        "category_id": category(team.project, "Resources").pk,
        "probability": 4,
        "impact_schedule": 3,
        "impact_safety": 2,
    }
    body.update(fields)
    return body


def test_members_read_strangers_get_404_viewers_cannot_write(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    assert api_as(team.viewer).get(f"{BASE}/risks").json()["count"] == 1
    assert api_as(team.stranger).get(f"{BASE}/risks").status_code == 404
    assert api_as(team.stranger).get(f"{BASE}/risks/{risk.pk}").status_code == 404
    viewer, member = api_as(team.viewer), api_as(team.member)
    before = audit_count()
    assert viewer.post(f"{BASE}/risks", _body(team)).status_code == 403
    assert (
        viewer.patch(f"{BASE}/risks/{risk.pk}", {"probability": 1}, if_match='"1"').status_code
        == 403
    )
    assert member.delete(f"{BASE}/risks/{risk.pk}", if_match='"1"').status_code == 403
    assert audit_count() == before
    assert ApiClient().get(f"{BASE}/risks").status_code == 401


def test_create_read_patch_with_if_match_and_history(team: Team) -> None:
    client = api_as(team.member)
    task = make_chain(team.project)[0]
    created = client.post(f"{BASE}/risks", _body(team, task_ids=[task.pk]))
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["ref"] == "R-001"
    assert data["inherent_score"] == 12
    assert data["rating"] == "amber"
    assert data["task_ids"] == [task.pk]
    assert data["owner"] == "tess"
    url = f"{BASE}/risks/{data['id']}"
    got = client.get(url)
    assert got["ETag"] == '"1"'
    assert client.patch(url, {"probability": 5}).status_code == 428
    changed = client.patch(url, {"probability": 5, "strategy": "mitigate"}, if_match='"1"')
    assert changed.status_code == 200
    assert changed.json()["inherent_score"] == 15
    stale = client.patch(url, {"probability": 1}, if_match='"1"')
    assert stale.status_code == 412
    assert stale.json()["current"]["probability"] == 5
    history = client.get(f"{url}/history").json()
    assert [h["inherent_score"] for h in history] == [12, 15]
    reviewed = client.post(f"{url}/review", {"reviewed_on": "2027-03-01"}, if_match=changed["ETag"])
    assert reviewed.json()["next_review_on"] == "2027-03-15"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"probability": 7}, "probability"),
        ({"owner": "nobody"}, "owner"),
        ({"colour": "red"}, "colour"),
        ({"strategy": "exploit"}, "strategy"),
        ({"category_id": 999999}, "category"),
        ({"task_ids": [999999]}, "task_ids"),
        ({"schedule_probability": 150}, "schedule_probability"),
    ],
)
def test_bad_input_is_422_naming_the_field(team: Team, fields: dict[str, Any], field: str) -> None:
    response = api_as(team.member).post(f"{BASE}/risks", _body(team, **fields))
    assert response.status_code == 422, response.json()
    assert field in error_fields(response)
    assert not Risk.objects.exists()
    assert not RiskScoreChange.objects.exists()


def test_filters_heatmap_trend_overdue_top_and_export(team: Team) -> None:
    make_risk(team.project, team.pm, probability=5, impact_safety=5)
    make_risk(team.project, team.pm, title="Closed one", status="closed")
    client = api_as(team.viewer)
    assert client.get(f"{BASE}/risks", open="true").json()["count"] == 1
    assert client.get(f"{BASE}/risks", status="bogus").status_code == 422
    heat = client.get(f"{BASE}/risk-heatmap", which="inherent").json()
    assert heat["size"] == 5
    assert heat["cells"][4]["count"] == 1
    assert heat["cells"][4]["score"] == 25
    assert len(client.get(f"{BASE}/risk-trend", weeks=4).json()) == 4
    assert len(client.get(f"{BASE}/risk-trend").json()) == 12
    assert client.get(f"{BASE}/risk-trend", weeks=0).status_code == 422
    assert client.get(f"{BASE}/risk-overdue").json()["actions"] == []
    assert client.get(f"{BASE}/risk-top").json()[0]["current_score"] == 25
    exported = client.get(f"{BASE}/risk-export", format="xlsx")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd")


def test_actions_categories_and_scale(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    client = api_as(team.member)
    action = client.post(
        f"{BASE}/risks/{risk.pk}/actions",
        {"description": "Schedule downtime drill", "owner": "tess", "due_on": "2026-01-05"},
    )
    assert action.status_code == 201
    assert action.json()["overdue"] is True
    done = client.patch(
        f"{BASE}/risk-actions/{action.json()['id']}", {"status": "done"}, if_match='"1"'
    )
    assert done.json()["completed_on"] is not None
    assert client.post(f"{BASE}/risk-categories", {"name": "Downtime"}).status_code == 403
    admin = api_as(team.admin)
    assert admin.post(f"{BASE}/risk-categories", {"name": "Downtime"}).status_code == 201
    used = category(team.project).pk
    downtime = admin.get(f"{BASE}/risk-categories").json()[-1]
    renamed = admin.patch(
        f"{BASE}/risk-categories/{downtime['id']}", {"name": "Downtime BCA"}, if_match='"1"'
    )
    assert renamed.json()["name"] == "Downtime BCA"
    assert admin.delete(f"{BASE}/risk-categories/{used}", if_match='"1"').status_code == 409
    assert (
        admin.delete(f"{BASE}/risk-categories/{downtime['id']}", if_match='"2"').status_code == 204
    )
    assert (
        client.patch(f"{BASE}/risk-categories/{used}", {"name": "x"}, if_match='"1"').status_code
        == 403
    )
    scale = admin.get(f"{BASE}/risk-scale")
    assert len(scale.json()["probability_labels"]) == 5
    bad = admin.put(
        f"{BASE}/risk-scale",
        {
            "size": 3,
            "probability_labels": ["a", "b", "c"],
            "impact_labels": ["a", "b", "c"],
            "amber_from": 3,
            "red_from": 6,
        },
        if_match=scale["ETag"],
    )
    assert bad.status_code == 422
    assert "size" in error_fields(bad)


def test_simulation_create_poll_repeat(
    team: Team, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """Start a run through the API and poll it until its results arrive (inline jobs)."""
    monkeypatch.setenv("HITPM_JOBS", "inline")
    make_chain(team.project)
    client = api_as(team.member)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(f"{BASE}/simulations", {"iterations": 200, "seed": 3})
    assert created.status_code == 201, created.json()
    assert created["Location"].endswith(f"/simulations/{created.json()['id']}")
    polled = client.get(f"{BASE}/simulations/{created.json()['id']}").json()
    assert polled["status"] == "done"
    assert polled["results"]["iterations"] == 200
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"{BASE}/simulations/{polled['id']}/repeat")
    repeat = client.get(f"{BASE}/simulations/{again.json()['id']}").json()
    assert repeat["results"]["finish"] == polled["results"]["finish"]
    assert api_as(team.viewer).post(f"{BASE}/simulations", {}).status_code == 403
    bad = client.post(f"{BASE}/simulations", {"iterations": 5, "template": [130, 100, 90]})
    assert bad.status_code == 422
    assert error_fields(bad) == {"iterations"}
    assert SimulationRun.objects.count() == 2
    assert api_as(team.viewer).get(f"{BASE}/simulations").json()["count"] == 2


def test_estimates(team: Team) -> None:
    task = make_chain(team.project)[0]
    client = api_as(team.member)
    url = f"{BASE}/tasks/{task.pk}/estimate"
    body = {"low_minutes": 960, "likely_minutes": 2400, "high_minutes": 4800}
    assert client.put(url, body).status_code == 200
    assert client.put(url, body).status_code == 428  # replacing needs If-Match
    assert client.put(url, {**body, "low_minutes": 9999}, if_match='"1"').status_code == 422
    assert client.get(f"{BASE}/estimates").json()["count"] == 1
    assert client.get(url)["ETag"] == '"1"'
    assert api_as(team.viewer).put(url, body, if_match='"1"').status_code == 403
    assert client.delete(url, if_match='"1"').status_code == 204


def test_fmea_api(team: Team) -> None:
    client = api_as(team.member)
    sheet = client.post(f"{BASE}/fmeas", {"process": "BCMA medication administration"}).json()
    step = client.post(f"{BASE}/fmeas/{sheet['id']}/steps", {"description": "Scan the patient"})
    assert step.status_code == 201
    mode = client.post(
        f"{BASE}/fmea-steps/{step.json()['id']}/failure-modes",
        {
            "description": "Wristband unreadable",
            "severity": 3,
            "probability": 3,
            "single_point_weakness": True,
        },
    )
    assert mode.status_code == 201
    assert mode.json()["score"] == 9
    assert mode.json()["proceed"]
    bad = client.post(
        f"{BASE}/fmea-steps/{step.json()['id']}/failure-modes",
        {"description": "x", "severity": 9, "probability": 1},
    )
    assert bad.status_code == 422
    assert "severity" in error_fields(bad)
    action = client.post(
        f"{BASE}/failure-modes/{mode.json()['id']}/actions",
        {"description": "Spare printers", "owner": "tess"},
    )
    assert action.status_code == 201
    rescored = client.patch(
        f"{BASE}/failure-modes/{mode.json()['id']}",
        {"revised_severity": 3, "revised_probability": 1},
        if_match='"1"',
    )
    assert rescored.json()["revised_score"] == 3
    detail = client.get(f"{BASE}/fmeas/{sheet['id']}").json()
    assert detail["steps"][0]["failure_modes"][0]["actions"][0]["owner"] == "tess"
    assert api_as(team.viewer).post(f"{BASE}/fmeas", {"process": "x"}).status_code == 403
    assert api_as(team.stranger).get(f"{BASE}/fmeas/{sheet['id']}").status_code == 404
    exported = client.get(f"{BASE}/fmeas/{sheet['id']}/export")
    assert b"Wristband unreadable" in exported.content


def test_listing_risks_takes_a_fixed_number_of_queries(
    team: Team, django_assert_max_num_queries: Any
) -> None:
    client = api_as(team.viewer)
    for n in range(8):
        make_risk(team.project, team.pm, title=f"Risk {n}", owner=team.member)
    with django_assert_max_num_queries(12):
        page = client.get(f"{BASE}/risks").json()
    assert page["count"] == 8
    assert {item["rating"] for item in page["items"]} == {"red"}  # 3 x 5 = 15
