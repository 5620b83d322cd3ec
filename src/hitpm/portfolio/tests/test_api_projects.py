"""/api/v1/projects: visibility, roles, validation and optimistic concurrency."""

from __future__ import annotations

import pytest

from hitpm.audit.models import AuditEntry
from hitpm.core.tests.api_fixtures import Response, Team, audit_count, error_fields, make_team
from hitpm.portfolio.models import Membership, Portfolio, Project

pytestmark = pytest.mark.django_db

NEW_PROJECT = {
    "portfolio_id": 0,  # filled in per test
    "code": "FHIR-3",
    "name": "FHIR gateway",
    "start_date": "2027-02-01",
    "target_go_live": "2027-09-01",
}


@pytest.fixture
def team() -> Team:
    return make_team()


def codes(response: Response) -> list[str]:
    return [p["code"] for p in response.json()["items"]]


def stored(code: str = "EHR-1") -> Project:
    return Project.objects.get(code=code)


# --- Reading --------------------------------------------------------------------------------


def test_members_list_only_their_projects(team: Team) -> None:
    assert codes(team.pm.get("/projects")) == ["EHR-1"]
    assert codes(team.viewer.get("/projects")) == ["EHR-1"]
    assert codes(team.stranger.get("/projects")) == ["LAB-2"]
    assert codes(team.admin.get("/projects")) == ["EHR-1", "LAB-2"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "lab"}, ["LAB-2"]),
        ({"q": "ehr-1 PRO"}, ["EHR-1"]),
        ({"health": "red"}, ["LAB-2"]),
        ({"phase": "build"}, ["EHR-1"]),
        ({"status": "on_hold"}, []),
        ({"order": "-code"}, ["LAB-2", "EHR-1"]),
    ],
)
def test_filters_and_order(team: Team, query: dict[str, str], expected: list[str]) -> None:
    Project.objects.filter(code="LAB-2").update(health="red")
    Project.objects.filter(code="EHR-1").update(phase="build")
    assert codes(team.admin.get("/projects", **query)) == expected


def test_filter_by_portfolio(team: Team) -> None:
    lab = Portfolio.objects.get(name="Laboratory")
    assert codes(team.admin.get("/projects", portfolio=lab.pk)) == ["LAB-2"]


def test_filters_never_reveal_foreign_projects(team: Team) -> None:
    assert codes(team.pm.get("/projects", q="LAB")) == []


def test_get_carries_the_version_as_etag(team: Team) -> None:
    response = team.viewer.get("/projects/EHR-1")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert (body["code"], body["version"], body["portfolio_name"]) == ("EHR-1", 1, "Clinical IT")


@pytest.mark.parametrize("code", ["LAB-2", "NOPE-9"])
def test_foreign_and_unknown_projects_are_404(team: Team, code: str) -> None:
    response = team.pm.get(f"/projects/{code}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such project."


# --- Creating -------------------------------------------------------------------------------


def _new(team: Team, **changes: object) -> dict[str, object]:
    portfolio = Portfolio.objects.get(name="Clinical IT")
    return {**NEW_PROJECT, "portfolio_id": portfolio.pk, **changes}


def test_pmo_admin_creates_a_project(team: Team) -> None:
    response = team.admin.post("/projects", _new(team))
    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    assert response.json()["phase"] == "initiation"
    created = stored("FHIR-3")
    assert not created.memberships.exists()
    entry = AuditEntry.objects.get(model="portfolio.project", object_id=str(created.pk))
    assert (entry.action, entry.actor) == ("create", "admin")


@pytest.mark.parametrize("who", ["pm", "member", "viewer", "stranger"])
def test_only_pmo_admins_create_projects(team: Team, who: str) -> None:
    response = getattr(team, who).post("/projects", _new(team))
    assert response.status_code == 403
    assert "PMO administrators" in response.json()["detail"]
    assert not Project.objects.filter(code="FHIR-3").exists()


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"portfolio_id": 9999}, {"portfolio_id"}),
        ({"code": "lower case"}, {"code"}),
        ({"code": "EHR-1"}, {"code"}),
        ({"name": ""}, {"name"}),
        ({"name": "x" * 201}, {"name"}),
        ({"target_go_live": "2026-01-01"}, {None}),
        ({"start_date": "2027-02-30"}, {"start_date"}),
        ({"phase": "done"}, {"phase"}),
        ({"owner": "me"}, {"owner"}),
    ],
)
def test_invalid_projects_are_422_and_not_created(
    team: Team, changes: dict[str, object], fields: set[str | None]
) -> None:
    before = Project.objects.count(), audit_count()
    response = team.admin.post("/projects", _new(team, **changes))
    assert response.status_code == 422, response.content
    assert error_fields(response) == fields
    assert (Project.objects.count(), audit_count()) == before


def test_missing_fields_are_named(team: Team) -> None:
    response = team.admin.post("/projects", {"name": "No code"})
    assert response.status_code == 422
    assert error_fields(response) == {"portfolio_id", "code", "start_date"}


# --- Changing -------------------------------------------------------------------------------


def test_manager_patch_bumps_version_and_is_audited(team: Team) -> None:
    response = team.pm.patch(
        "/projects/EHR-1", {"health": "amber", "sponsor": "CMIO"}, if_match='"1"'
    )
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert response.json()["version"] == 2
    project = stored()
    assert (project.health, project.sponsor, project.name) == ("amber", "CMIO", "EHR-1 project")
    entry = AuditEntry.objects.filter(model="portfolio.project").order_by("-seq")[0]
    assert (entry.action, entry.actor) == ("update", "pm")
    assert entry.changes["health"] == ["green", "amber"]
    assert entry.changes["sponsor"] == ["", "CMIO"]


def test_pmo_admin_may_patch_any_project(team: Team) -> None:
    response = team.admin.patch("/projects/LAB-2", {"phase": "testing"}, if_match='"1"')
    assert response.status_code == 200
    assert stored("LAB-2").phase == "testing"


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_team_members_and_viewers_cannot_change_the_project(team: Team, who: str) -> None:
    before = audit_count()
    response = getattr(team, who).patch("/projects/EHR-1", {"name": "Mine"}, if_match='"1"')
    assert response.status_code == 403
    assert "cannot manage" in response.json()["detail"]
    assert stored().name == "EHR-1 project"
    assert audit_count() == before


def test_strangers_get_404_when_writing(team: Team) -> None:
    response = team.stranger.patch("/projects/EHR-1", {"name": "Mine"}, if_match='"1"')
    assert response.status_code == 404
    assert stored().version == 1


def test_patch_without_if_match_is_428(team: Team) -> None:
    response = team.pm.patch("/projects/EHR-1", {"name": "Renamed"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert "ETag" in response.json()["detail"]
    assert stored().version == 1


def test_stale_patch_is_412_with_the_current_state(team: Team) -> None:
    assert team.pm.patch("/projects/EHR-1", {"name": "First"}, if_match='"1"').status_code == 200
    before = audit_count()
    response = team.admin.patch("/projects/EHR-1", {"name": "Second"}, if_match='"1"')
    assert response.status_code == 412
    body = response.json()
    assert "changed by someone else" in body["detail"]
    assert body["current"]["name"] == "First"
    assert body["current"]["version"] == 2
    assert response["ETag"] == '"2"'
    assert stored().name == "First"
    assert audit_count() == before


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"name": None}, {"name"}),
        ({"code": "LAB-2"}, {"code"}),
        ({"target_go_live": "2026-12-31"}, {None}),
        ({"health": "blue"}, {"health"}),
        ({"version": 7}, {"version"}),
    ],
)
def test_invalid_patches_are_422_and_change_nothing(
    team: Team, changes: dict[str, object], fields: set[str | None]
) -> None:
    before = audit_count()
    response = team.pm.patch("/projects/EHR-1", changes, if_match='"1"')
    assert response.status_code == 422, response.content
    assert error_fields(response) == fields
    assert stored().version == 1
    assert audit_count() == before


def test_renaming_the_code_moves_the_url(team: Team) -> None:
    response = team.pm.patch("/projects/EHR-1", {"code": "EHR-2027"}, if_match='"1"')
    assert response.status_code == 200
    assert team.pm.get("/projects/EHR-2027").status_code == 200
    assert team.pm.get("/projects/EHR-1").status_code == 404


def test_only_pmo_admins_move_projects_between_portfolios(team: Team) -> None:
    lab = Portfolio.objects.get(name="Laboratory")
    refused = team.pm.patch("/projects/EHR-1", {"portfolio_id": lab.pk}, if_match='"1"')
    assert refused.status_code == 403
    assert stored().portfolio.name == "Clinical IT"
    moved = team.admin.patch("/projects/EHR-1", {"portfolio_id": lab.pk}, if_match='"1"')
    assert moved.status_code == 200
    assert moved.json()["portfolio_name"] == "Laboratory"


def test_moving_to_an_unknown_portfolio_is_422(team: Team) -> None:
    response = team.admin.patch("/projects/EHR-1", {"portfolio_id": 9999}, if_match='"1"')
    assert response.status_code == 422
    assert error_fields(response) == {"portfolio_id"}


def test_put_replaces_every_field(team: Team) -> None:
    Project.objects.filter(code="EHR-1").update(sponsor="CFO")
    current = team.pm.get("/projects/EHR-1").json()
    body = {k: current[k] for k in ("portfolio_id", "code", "start_date")}
    response = team.pm.put("/projects/EHR-1", {**body, "name": "Epic go-live"}, if_match='"1"')
    assert response.status_code == 200
    project = stored()
    assert (project.name, project.sponsor, project.target_go_live) == ("Epic go-live", "", None)


def test_put_needs_every_required_field(team: Team) -> None:
    response = team.pm.put("/projects/EHR-1", {"name": "Only a name"}, if_match='"1"')
    assert response.status_code == 422
    assert error_fields(response) == {"portfolio_id", "code", "start_date"}


def test_put_by_a_viewer_is_403(team: Team) -> None:
    current = team.viewer.get("/projects/EHR-1").json()
    body = {k: current[k] for k in ("portfolio_id", "code", "start_date", "name")}
    assert team.viewer.put("/projects/EHR-1", body, if_match='"1"').status_code == 403


# --- Deleting -------------------------------------------------------------------------------


def test_pmo_admin_deletes_with_if_match(team: Team) -> None:
    assert team.admin.delete("/projects/EHR-1").status_code == 428
    stale = team.admin.delete("/projects/EHR-1", if_match='"7"')
    assert stale.status_code == 412
    assert stale.json()["current"]["code"] == "EHR-1"
    assert Project.objects.filter(code="EHR-1").exists()
    response = team.admin.delete("/projects/EHR-1", if_match='"1"')
    assert response.status_code == 204
    assert not Project.objects.filter(code="EHR-1").exists()
    assert not Membership.objects.filter(project__code="EHR-1").exists()
    assert AuditEntry.objects.filter(model="portfolio.project", action="delete").exists()


@pytest.mark.parametrize(("who", "status"), [("pm", 403), ("viewer", 403), ("stranger", 404)])
def test_others_cannot_delete_projects(team: Team, who: str, status: int) -> None:
    response = getattr(team, who).delete("/projects/EHR-1", if_match='"1"')
    assert response.status_code == status
    assert Project.objects.filter(code="EHR-1").exists()
