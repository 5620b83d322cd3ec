"""/api/v1/portfolios: visible to members of their projects, governed by PMO administrators."""

from __future__ import annotations

import pytest

from hitpm.audit.models import AuditEntry
from hitpm.core.tests.api_fixtures import Response, Team, audit_count, error_fields, make_team
from hitpm.portfolio.models import Portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> Team:
    return make_team()


def clinical() -> Portfolio:
    return Portfolio.objects.get(name="Clinical IT")


def names(response: Response) -> list[str]:
    return [p["name"] for p in response.json()["items"]]


def test_members_see_the_portfolios_of_their_projects(team: Team) -> None:
    Portfolio.objects.create(name="Empty")
    assert names(team.viewer.get("/portfolios")) == ["Clinical IT"]
    assert names(team.stranger.get("/portfolios")) == ["Laboratory"]
    assert names(team.admin.get("/portfolios")) == ["Clinical IT", "Empty", "Laboratory"]
    assert names(team.admin.get("/portfolios", q="lab")) == ["Laboratory"]
    assert names(team.admin.get("/portfolios", order="-name"))[0] == "Laboratory"


def test_get_a_portfolio_with_its_etag(team: Team) -> None:
    response = team.pm.get(f"/portfolios/{clinical().pk}")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["name"] == "Clinical IT"


def test_foreign_and_unknown_portfolios_are_404(team: Team) -> None:
    assert team.stranger.get(f"/portfolios/{clinical().pk}").status_code == 404
    assert team.admin.get("/portfolios/9999").status_code == 404


def test_pmo_admin_creates_portfolios(team: Team) -> None:
    response = team.admin.post("/portfolios", {"name": "Revenue cycle"})
    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    assert Portfolio.objects.filter(name="Revenue cycle").exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [({"name": "Laboratory"}, {"name"}), ({"name": ""}, {"name"}), ({}, {"name"}),
     ({"name": "X", "colour": "red"}, {"colour"}), ({"name": 5}, {"name"})],
)  # fmt: skip
def test_invalid_portfolios_are_422(team: Team, body: dict[str, object], fields: set[str]) -> None:
    before = Portfolio.objects.count()
    response = team.admin.post("/portfolios", body)
    assert response.status_code == 422
    assert error_fields(response) == fields
    assert Portfolio.objects.count() == before


def test_others_cannot_create_portfolios(team: Team) -> None:
    response = team.pm.post("/portfolios", {"name": "Mine"})
    assert response.status_code == 403
    assert not Portfolio.objects.filter(name="Mine").exists()


def test_admin_patches_and_puts_with_if_match(team: Team) -> None:
    url = f"/portfolios/{clinical().pk}"
    assert team.admin.patch(url, {"description": "Epic"}).status_code == 428
    patched = team.admin.patch(url, {"description": "Epic"}, if_match='"1"')
    assert (patched.status_code, patched["ETag"]) == (200, '"2"')
    stale = team.admin.put(url, {"name": "Clinical"}, if_match='"1"')
    assert stale.status_code == 412
    assert stale.json()["current"]["description"] == "Epic"
    replaced = team.admin.put(url, {"name": "Clinical"}, if_match='"2"')
    assert replaced.status_code == 200
    portfolio = Portfolio.objects.get(pk=patched.json()["id"])
    assert (portfolio.name, portfolio.description, portfolio.version) == ("Clinical", "", 3)
    entry = AuditEntry.objects.filter(model="portfolio.portfolio").order_by("-seq")[0]
    assert entry.actor == "admin"
    assert entry.changes["name"] == ["Clinical IT", "Clinical"]


def test_members_cannot_change_portfolios(team: Team) -> None:
    before = audit_count()
    response = team.pm.patch(f"/portfolios/{clinical().pk}", {"name": "Mine"}, if_match='"1"')
    assert response.status_code == 403
    assert clinical().version == 1
    assert audit_count() == before


def test_strangers_get_404_when_changing_portfolios(team: Team) -> None:
    url = f"/portfolios/{clinical().pk}"
    assert team.stranger.patch(url, {"name": "Mine"}, if_match='"1"').status_code == 404
    assert team.stranger.delete(url, if_match='"1"').status_code == 404


def test_renaming_onto_another_portfolio_is_422(team: Team) -> None:
    response = team.admin.patch(
        f"/portfolios/{clinical().pk}", {"name": "Laboratory"}, if_match='"1"'
    )
    assert response.status_code == 422
    assert error_fields(response) == {"name"}


def test_a_portfolio_with_projects_cannot_be_deleted(team: Team) -> None:
    response = team.admin.delete(f"/portfolios/{clinical().pk}", if_match='"1"')
    assert response.status_code == 409
    assert "projects" in response.json()["detail"]
    assert Portfolio.objects.filter(name="Clinical IT").exists()


def test_an_empty_portfolio_is_deleted(team: Team) -> None:
    empty = Portfolio.objects.create(name="Empty")
    assert team.pm.delete(f"/portfolios/{empty.pk}", if_match='"1"').status_code == 404
    assert team.admin.delete(f"/portfolios/{empty.pk}", if_match='"1"').status_code == 204
    assert not Portfolio.objects.filter(name="Empty").exists()
