"""/api/v1/projects/{code}/members: managers and PMO admins manage the team."""

from __future__ import annotations

import pytest

from hitpm.audit.models import AuditEntry
from hitpm.core.tests.api_fixtures import Team, audit_count, error_fields, make_team
from hitpm.core.tests.web_fixtures import make_user
from hitpm.portfolio.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> Team:
    make_user("newcomer")
    return make_team()


def membership(username: str, code: str = "EHR-1") -> Membership:
    return Membership.objects.get(project__code=code, user__username=username)


def test_anyone_on_the_project_lists_the_team(team: Team) -> None:
    response = team.viewer.get("/projects/EHR-1/members")
    assert response.status_code == 200
    roles = {m["username"]: m["role"] for m in response.json()["items"]}
    assert roles == {"pm": "project_manager", "member": "team_member", "viewer": "viewer"}
    viewers = team.viewer.get("/projects/EHR-1/members", role="viewer").json()["items"]
    assert [m["username"] for m in viewers] == ["viewer"]


def test_strangers_cannot_list_the_team(team: Team) -> None:
    assert team.stranger.get("/projects/EHR-1/members").status_code == 404


def test_get_one_member_with_etag(team: Team) -> None:
    pk = membership("member").pk
    response = team.viewer.get(f"/projects/EHR-1/members/{pk}")
    assert (response.status_code, response["ETag"]) == (200, '"1"')
    foreign = membership("stranger", "LAB-2").pk
    assert team.pm.get(f"/projects/EHR-1/members/{foreign}").status_code == 404
    assert team.pm.get("/projects/EHR-1/members/9999").status_code == 404


def test_manager_adds_a_member(team: Team) -> None:
    response = team.pm.post("/projects/EHR-1/members", {"username": "newcomer", "role": "viewer"})
    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    assert membership("newcomer").role == "viewer"
    entry = AuditEntry.objects.filter(model="portfolio.membership").order_by("-seq")[0]
    assert (entry.action, entry.actor) == ("create", "pm")


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("viewer", 403), ("stranger", 404)])
def test_others_cannot_add_members(team: Team, who: str, status: int) -> None:
    body = {"username": "newcomer", "role": "project_manager"}
    assert getattr(team, who).post("/projects/EHR-1/members", body).status_code == status
    assert not Membership.objects.filter(user__username="newcomer").exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [({"username": "nobody", "role": "viewer"}, {"username"}),
     ({"username": "member", "role": "viewer"}, {"username"}),
     ({"username": "newcomer", "role": "owner"}, {"role"}),
     ({"username": "newcomer"}, {"role"})],
)  # fmt: skip
def test_invalid_new_members_are_422(team: Team, body: dict[str, str], fields: set[str]) -> None:
    before = Membership.objects.count(), audit_count()
    response = team.pm.post("/projects/EHR-1/members", body)
    assert response.status_code == 422
    assert error_fields(response) == fields
    assert (Membership.objects.count(), audit_count()) == before


def test_changing_a_role_needs_if_match(team: Team) -> None:
    url = f"/projects/EHR-1/members/{membership('viewer').pk}"
    assert team.pm.patch(url, {"role": "team_member"}).status_code == 428
    changed = team.pm.patch(url, {"role": "team_member"}, if_match='"1"')
    assert (changed.status_code, changed["ETag"]) == (200, '"2"')
    stale = team.admin.patch(url, {"role": "viewer"}, if_match='"1"')
    assert stale.status_code == 412
    assert stale.json()["current"]["role"] == "team_member"
    assert membership("viewer").role == "team_member"


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("viewer", 403), ("stranger", 404)])
def test_others_cannot_change_roles(team: Team, who: str, status: int) -> None:
    url = f"/projects/EHR-1/members/{membership('viewer').pk}"
    response = getattr(team, who).patch(url, {"role": "project_manager"}, if_match='"1"')
    assert response.status_code == status
    assert membership("viewer").role == "viewer"


def test_the_only_manager_cannot_be_demoted_or_removed(team: Team) -> None:
    url = f"/projects/EHR-1/members/{membership('pm').pk}"
    demoted = team.admin.patch(url, {"role": "viewer"}, if_match='"1"')
    assert demoted.status_code == 422
    assert "at least one project manager" in demoted.json()["detail"]
    removed = team.admin.delete(url, if_match='"1"')
    assert removed.status_code == 422
    assert membership("pm").role == "project_manager"


def test_manager_removes_a_member(team: Team) -> None:
    url = f"/projects/EHR-1/members/{membership('viewer').pk}"
    assert team.member.delete(url, if_match='"1"').status_code == 403
    assert team.pm.delete(url).status_code == 428
    assert team.pm.delete(url, if_match='"5"').status_code == 412
    assert team.pm.delete(url, if_match='"1"').status_code == 204
    assert not Membership.objects.filter(user__username="viewer").exists()
    assert team.viewer.get("/projects/EHR-1").status_code == 404
