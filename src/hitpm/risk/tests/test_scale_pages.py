"""The scale page: PMO administrators edit the scale and the categories; everyone else reads."""

from __future__ import annotations

from typing import Any

import pytest

from hitpm.core.tests.web_fixtures import PM, make_project, signed_in
from hitpm.risk.models import RiskCategory, RiskScale
from hitpm.risk.services import register as services
from hitpm.risk.tests.fixtures import Team, category, make_risk, make_team

pytestmark = pytest.mark.django_db
P = "/p/EHR-RISK/risk/scale"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def team() -> Team:
    return make_team()


def _scale(team: Team) -> RiskScale:
    return services.scale_for(team.project.portfolio)


def _scale_form(scale: RiskScale, levels: int | None = None, **fields: Any) -> dict[str, Any]:
    """What the page posts: the scale as shown, with ``fields`` changed."""
    levels = levels or scale.size
    data: dict[str, Any] = {
        "size": scale.size,
        "amber_from": scale.amber_from,
        "red_from": scale.red_from,
        "version": scale.version,
        "shown": levels,
    }
    for n in range(1, levels + 1):
        data[f"probability_{n}"] = f"P{n}"
        data[f"impact_{n}"] = f"I{n}"
    data.update(fields)
    return data


def _rename(c: RiskCategory, name: str, version: int | None = None) -> dict[str, Any]:
    return {f"cat-{c.pk}-name": name, f"cat-{c.pk}-version": version or c.version}


def test_admin_sees_the_forms_and_the_bands_preview(team: Team) -> None:
    page = signed_in(team.admin).get(P + "/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="scale-form"' in html
    assert html.count('name="probability_') == 5
    assert html.count('name="impact_') == 5
    assert 'value="Rare (&lt;10%)"' in html
    assert "Rename" in html
    assert "Delete" in html
    cells = page.context["preview"].rows
    # Default 5 x 5: green 1-4, amber 5-14, red 15-25; high probability on the top row.
    assert [c.rating for c in cells[0]] == ["amber", "amber", "red", "red", "red"]
    assert [c.rating for c in cells[-1]] == ["green", "green", "green", "green", "amber"]
    assert html.count('class="cell cell-red"') == 6
    assert html.count('class="cell cell-green"') == 8


def test_admin_changes_size_descriptors_and_thresholds(team: Team) -> None:
    client = signed_in(team.admin)
    scale = _scale(team)
    # Choosing 7 levels shows 7 inputs of each kind, keeping what was typed; nothing saved.
    resized = client.post(P + "/edit/", _scale_form(scale, size=7, probability_1="Very rare"))
    assert resized.status_code == 200
    html = resized.content.decode()
    assert html.count('name="probability_') == 7
    assert html.count('name="impact_') == 7
    assert 'value="Very rare"' in html
    assert "nothing has been saved yet" in html
    assert _scale(team).size == 5
    # The same round trip as an HTMX fragment (the size select posts resize=1).
    fragment = client.post(P + "/edit/", _scale_form(scale, size=4, resize="1"), headers=HTMX)
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert fragment.content.decode().count('name="impact_') == 4
    # Saving the 7-level form.
    saved = client.post(P + "/edit/", _scale_form(scale, 7, size=7, amber_from=10, red_from=29))
    assert saved.status_code == 302
    scale = _scale(team)
    assert (scale.size, scale.amber_from, scale.red_from) == (7, 10, 29)
    assert scale.probability_labels == [f"P{n}" for n in range(1, 8)]
    assert scale.impact_labels == [f"I{n}" for n in range(1, 8)]
    page = client.get(P + "/")
    assert len(page.context["preview"].rows) == 7
    assert page.content.decode().count('name="impact_') == 7
    # Thresholds alone.
    assert client.post(P + "/edit/", _scale_form(scale, amber_from=8)).status_code == 302
    assert _scale(team).amber_from == 8


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amber_from": 16, "red_from": 15}, "red_from", "amber_from < red_from"),
        ({"red_from": 26}, "red_from", "red_from <= size x size"),
        ({"amber_from": 1}, "red_from", "1 < amber_from"),
        ({"amber_from": "lots"}, "amber_from", "whole number"),
        ({"impact_3": ""}, "impact_3", "required"),
        ({"size": 99}, "size", "valid choice"),
    ],
)
def test_invalid_scale_is_refused_and_nothing_changes(
    team: Team, fields: dict[str, Any], field: str, message: str
) -> None:
    scale = _scale(team)
    before = (scale.version, scale.amber_from, scale.red_from, scale.impact_labels)
    response = signed_in(team.admin).post(P + "/edit/", _scale_form(scale, **fields))
    assert response.status_code == 200
    form = response.context["scale_form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    scale.refresh_from_db()
    assert (scale.version, scale.amber_from, scale.red_from, scale.impact_labels) == before


def test_a_size_below_a_rating_in_use_is_refused(team: Team) -> None:
    make_risk(team.project, team.pm)  # rated 3 x 5
    scale = _scale(team)
    data = _scale_form(scale, 3, size=3, amber_from=3, red_from=6)
    response = signed_in(team.admin).post(P + "/edit/", data)
    assert response.status_code == 200
    assert "the scale needs 5+ levels" in response.context["scale_form"].errors["size"][0]
    assert _scale(team).size == 5


def test_a_stale_version_is_refused(team: Team) -> None:
    client = signed_in(team.admin)
    seen = _scale(team)
    form = _scale_form(seen, amber_from=6)
    changed = services.update_scale(team.project.portfolio, {"red_from": 16}, seen.version)
    response = client.post(P + "/edit/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed by someone else" in html
    assert "Load the current scale" in html
    now = _scale(team)
    assert (now.version, now.amber_from, now.red_from) == (changed.version, 5, 16)
    # The version survives a resize round trip, so a resize does not dodge the check.
    resized = client.post(P + "/edit/", _scale_form(seen, size=6))
    assert resized.context["scale_form"].initial["version"] == str(seen.version)


def test_admin_renames_and_deletes_categories(team: Team) -> None:
    client = signed_in(team.admin)
    vendor = category(team.project, "Vendor")
    renamed = client.post(f"{P}/categories/{vendor.pk}/rename/", _rename(vendor, " Vendor/3rd "))
    assert renamed.status_code == 302
    vendor.refresh_from_db()
    assert (vendor.name, vendor.version) == ("Vendor/3rd", 2)
    # A name another category has is refused next to the field.
    taken = client.post(f"{P}/categories/{vendor.pk}/rename/", _rename(vendor, "Budget"))
    assert taken.status_code == 200
    row = next(r for r in taken.context["category_rows"] if r.category == vendor)
    assert "already exists" in row.form.non_field_errors()[0]
    assert "already exists" in taken.content.decode()
    empty = client.post(f"{P}/categories/{vendor.pk}/rename/", _rename(vendor, "  "))
    assert f'id="id_cat-{vendor.pk}-name_error"' in empty.content.decode()
    # A stale version is refused.
    stale = client.post(f"{P}/categories/{vendor.pk}/rename/", _rename(vendor, "Vendors", 1))
    assert "changed by someone else" in stale.content.decode()
    vendor.refresh_from_db()
    assert vendor.name == "Vendor/3rd"
    # HTMX gets the categories section back.
    fragment = client.post(
        f"{P}/categories/{vendor.pk}/rename/", _rename(vendor, "Vendors"), headers=HTMX
    )
    assert fragment.status_code == 200
    assert b'id="categories"' in fragment.content
    assert b"<html" not in fragment.content
    assert "renamed to “Vendors”" in fragment.content.decode()
    vendor.refresh_from_db()
    # Delete: GET asks first (no JavaScript), POST deletes the version shown.
    url = f"{P}/categories/{vendor.pk}/delete/"
    assert b"Delete category" in client.get(url, {"version": vendor.version}).content
    assert client.post(f"{url}?version=1").status_code == 200  # stale
    assert RiskCategory.objects.filter(pk=vendor.pk).exists()
    deleted = client.post(f"{url}?version={vendor.version}")
    assert deleted.status_code == 302
    assert not RiskCategory.objects.filter(pk=vendor.pk).exists()
    schedule = category(team.project, "Schedule")
    fragment = client.post(
        f"{P}/categories/{schedule.pk}/delete/", {"version": schedule.version}, headers=HTMX
    )
    assert "“Schedule” deleted" in fragment.content.decode()
    assert not RiskCategory.objects.filter(pk=schedule.pk).exists()


def test_a_category_in_use_is_not_deleted(team: Team) -> None:
    make_risk(team.project, team.pm)
    make_risk(team.project, team.pm, title="Wrong patient on barcode scan")
    used = category(team.project)
    client = signed_in(team.admin)
    page = client.get(P + "/")
    row = next(r for r in page.context["category_rows"] if r.category == used)
    assert row.risks == 2
    url = f"{P}/categories/{used.pk}/delete/"
    refused = client.post(url, {"version": used.version})
    assert refused.status_code == 200
    assert (
        "Not deleted: 2 risks of the portfolio use “Patient safety”; move them to another "
        "category first." in refused.content.decode()
    )
    fragment = client.post(url, {"version": used.version}, headers=HTMX)
    assert "Not deleted: 2 risks" in fragment.content.decode()
    assert RiskCategory.objects.filter(pk=used.pk).exists()


def test_read_only_roles_see_the_scale_but_cannot_change_it(team: Team) -> None:
    scale = _scale(team)
    vendor = category(team.project, "Vendor")
    for user in (team.viewer, team.member, team.pm):
        client = signed_in(user)
        page = client.get(P + "/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Almost certain" in html
        assert "Vendor" in html
        assert page.context["preview"].rows
        assert 'id="scale-form"' not in html
        assert "Rename" not in html
        assert "(portfolio)" not in html  # risk counts span projects the user may not see
        assert client.post(P + "/edit/", _scale_form(scale, amber_from=6)).status_code == 403
        assert client.post(P + "/categories/", {"name": "Downtime"}).status_code == 403
        rename = client.post(f"{P}/categories/{vendor.pk}/rename/", _rename(vendor, "x"))
        assert rename.status_code == 403
        delete = f"{P}/categories/{vendor.pk}/delete/"
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"version": vendor.version}).status_code == 403
    scale.refresh_from_db()
    vendor.refresh_from_db()
    assert (scale.version, scale.amber_from, vendor.name) == (1, 5, "Vendor")
    assert not RiskCategory.objects.filter(name="Downtime").exists()


def test_strangers_get_404(team: Team) -> None:
    scale = _scale(team)
    vendor = category(team.project, "Vendor")
    client = signed_in(team.stranger)
    assert client.get(P + "/").status_code == 404
    assert client.post(P + "/edit/", _scale_form(scale, amber_from=6)).status_code == 404
    assert client.post(P + "/categories/", {"name": "Downtime"}).status_code == 404
    assert (
        client.post(f"{P}/categories/{vendor.pk}/rename/", _rename(vendor, "x")).status_code == 404
    )
    assert client.post(f"{P}/categories/{vendor.pk}/delete/").status_code == 404
    assert RiskCategory.objects.filter(pk=vendor.pk, name="Vendor").exists()


def test_a_category_of_another_portfolio_is_not_found(team: Team) -> None:
    other = make_project("ERP-1", {team.pm: PM}, portfolio="Corporate IT")
    theirs = category(other, "Vendor")
    client = signed_in(team.admin)
    rename = client.post(f"{P}/categories/{theirs.pk}/rename/", _rename(theirs, "x"))
    assert rename.status_code == 404
    delete = client.post(f"{P}/categories/{theirs.pk}/delete/", {"version": theirs.version})
    assert delete.status_code == 404
    assert RiskCategory.objects.filter(pk=theirs.pk, name="Vendor").exists()
