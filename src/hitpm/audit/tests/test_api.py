"""/api/v1 audit routes: history limited to the projects you can see; verification for PMO."""

from __future__ import annotations

import datetime as dt

import pytest

from hitpm.audit.models import AuditEntry
from hitpm.core.tests.api_fixtures import Team, error_fields, make_team
from hitpm.portfolio.models import Portfolio, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> Team:
    team = make_team()
    assert team.pm.patch("/projects/EHR-1", {"health": "red"}, if_match='"1"').status_code == 200
    return team


def test_project_history_newest_first(team: Team) -> None:
    page = team.viewer.get("/projects/EHR-1/audit").json()
    project_id = Project.objects.get(code="EHR-1").pk
    assert page["count"] == AuditEntry.objects.filter(project_id=project_id).count()
    latest = page["items"][0]
    assert (latest["action"], latest["actor"], latest["model"]) == (
        "update",
        "pm",
        "portfolio.project",
    )
    assert latest["changes"]["health"] == ["green", "red"]
    seqs = [e["seq"] for e in page["items"]]
    assert seqs == sorted(seqs, reverse=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"action": "update"}, {"update"}), ({"model": "portfolio.membership"}, {"create"}),
     ({"actor": "pm"}, {"update"}), ({"actor": "nobody"}, set())],
)  # fmt: skip
def test_project_history_filters(team: Team, query: dict[str, str], expected: set[str]) -> None:
    items = team.viewer.get("/projects/EHR-1/audit", **query).json()["items"]
    assert {e["action"] for e in items} == expected


def test_since_and_until(team: Team) -> None:
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(tzinfo=None)
    assert team.pm.get("/projects/EHR-1/audit", since=tomorrow.isoformat()).json()["count"] == 0
    assert team.pm.get("/projects/EHR-1/audit", until="2000-01-01").json()["count"] == 0
    assert team.pm.get("/projects/EHR-1/audit", since="2000-01-01T00:00:00+02:00").json()["count"]


@pytest.mark.parametrize(
    ("query", "field"), [({"since": "yesterday"}, "since"), ({"action": "edit"}, "action")]
)
def test_bad_audit_filters_are_422(team: Team, query: dict[str, str], field: str) -> None:
    response = team.pm.get("/projects/EHR-1/audit", **query)
    assert response.status_code == 422
    assert error_fields(response) == {field}


def test_strangers_cannot_read_a_projects_history(team: Team) -> None:
    assert team.stranger.get("/projects/EHR-1/audit").status_code == 404


def test_record_history(team: Team) -> None:
    project = Project.objects.get(code="EHR-1")
    page = team.viewer.get(f"/audit/portfolio.project/{project.pk}").json()
    assert [e["action"] for e in page["items"]] == ["update", "create"]


def test_record_history_of_foreign_projects_is_404(team: Team) -> None:
    foreign = Project.objects.get(code="LAB-2")
    response = team.pm.get(f"/audit/portfolio.project/{foreign.pk}")
    assert response.status_code == 404
    assert team.admin.get(f"/audit/portfolio.project/{foreign.pk}").status_code == 200


def test_records_outside_any_project_are_for_pmo_admins(team: Team) -> None:
    portfolio = Portfolio.objects.get(name="Clinical IT")
    assert team.pm.get(f"/audit/portfolio.portfolio/{portfolio.pk}").status_code == 404
    assert team.admin.get(f"/audit/portfolio.portfolio/{portfolio.pk}").json()["count"] == 1


def test_unknown_record_history_is_404(team: Team) -> None:
    assert team.admin.get("/audit/portfolio.project/9999").status_code == 404
    assert team.admin.get("/audit/no.such/1").status_code == 404


def test_verify_is_for_pmo_admins(team: Team) -> None:
    response = team.admin.get("/audit/verify")
    assert response.status_code == 200
    result = response.json()
    assert result["ok"] is True
    assert result["checked"] == AuditEntry.objects.count()
    assert result["broken_seq"] is None
    refused = team.pm.get("/audit/verify")
    assert refused.status_code == 403
    assert "PMO administrators" in refused.json()["detail"]


def test_verify_reports_tampering(team: Team) -> None:
    AuditEntry.objects.filter(seq=2).update(actor="mallory")
    result = team.admin.get("/audit/verify").json()
    assert (result["ok"], result["broken_seq"]) == (False, 2)
    assert "altered" in result["reason"]
