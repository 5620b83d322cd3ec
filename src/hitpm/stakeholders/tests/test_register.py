"""The register: grid quadrants, engagement matrix, and the pages."""

from __future__ import annotations

import pytest

from hitpm.audit.models import AuditEntry
from hitpm.core.tests.web_fixtures import signed_in
from hitpm.stakeholders.models import Stakeholder
from hitpm.stakeholders.models.register import Quadrant
from hitpm.stakeholders.services.register import (
    engagement_gaps,
    engagement_matrix,
    power_interest_grid,
)
from hitpm.stakeholders.tests.fixtures import make_setup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("influence", "interest", "quadrant"),
    [(5, 5, Quadrant.MANAGE_CLOSELY), (3, 3, Quadrant.MANAGE_CLOSELY),
     (4, 2, Quadrant.KEEP_SATISFIED), (2, 4, Quadrant.KEEP_INFORMED),
     (1, 2, Quadrant.MONITOR)],
)  # fmt: skip
def test_quadrant(influence: int, interest: int, quadrant: Quadrant) -> None:
    assert Stakeholder(influence=influence, interest=interest).quadrant == quadrant


def test_grid_matrix_and_gaps() -> None:
    s = make_setup()
    s.nursing.current_engagement, s.nursing.desired_engagement = "resistant", "supportive"
    s.nursing.save()
    grid = {q.quadrant: [p.name for p in q.stakeholders] for q in power_interest_grid(s.project)}
    assert grid == {
        Quadrant.KEEP_SATISFIED: ["Nursing leadership"], Quadrant.MANAGE_CLOSELY: ["CMIO"],
        Quadrant.MONITOR: [], Quadrant.KEEP_INFORMED: ["Pharmacy"],
    }  # fmt: skip
    rows = {r.stakeholder.name: r.cells for r in engagement_matrix(s.project)}
    assert rows["Nursing leadership"] == ["", "C", "", "D", ""]
    assert rows["CMIO"] == ["C", "", "", "D", ""]  # defaults: unaware -> supportive
    assert next(p.name for p in engagement_gaps(s.project)) == "CMIO"  # gap 3, most influential


def test_team_member_adds_a_stakeholder_through_the_form() -> None:
    s = make_setup()
    data = {"name": "Revenue cycle", "kind": "group", "influence": 3, "interest": 2,
            "attitude": "neutral", "current_engagement": "unaware",
            "desired_engagement": "supportive", "user": s.viewer.pk}  # fmt: skip
    reply = signed_in(s.member).post("/p/EHR-1/stakeholders/new/", data)
    assert reply.status_code == 302
    made = Stakeholder.objects.get(name="Revenue cycle")
    assert made.user == s.viewer
    assert made.project == s.project
    assert AuditEntry.objects.filter(model="stakeholders.stakeholder", action="create").exists()


def test_bad_input_shows_errors_and_saves_nothing() -> None:
    s = make_setup()
    before = Stakeholder.objects.count()
    client = signed_in(s.member)
    bad = {"name": "CMIO", "kind": "person", "influence": 9, "interest": 2,
           "attitude": "neutral", "current_engagement": "unaware",
           "desired_engagement": "supportive"}  # fmt: skip
    page = client.post("/p/EHR-1/stakeholders/new/", bad)
    assert page.status_code == 200
    assert "less than or equal to 5" in page.content.decode()
    bad["influence"] = 4  # now only the duplicate name is wrong
    page = client.post("/p/EHR-1/stakeholders/new/", bad)
    assert "conflicts" in page.content.decode() or "already exists" in page.content.decode()
    assert Stakeholder.objects.count() == before


def test_stale_edit_is_refused() -> None:
    s = make_setup()
    data = {"name": "CMIO (Dr Chen)", "kind": "person", "influence": 5, "interest": 5,
            "attitude": "champion", "current_engagement": "leading",
            "desired_engagement": "leading", "version": s.cmio.version + 1}  # fmt: skip
    page = signed_in(s.pm).post(f"/p/EHR-1/stakeholders/{s.cmio.pk}/edit/", data)
    assert "Not saved" in page.content.decode()
    s.cmio.refresh_from_db()
    assert s.cmio.name == "CMIO"


def test_permissions_on_register_pages() -> None:
    s = make_setup()
    viewer, stranger = signed_in(s.viewer), signed_in(s.stranger)
    page = viewer.get("/p/EHR-1/stakeholders/")
    assert page.status_code == 200
    assert "Add stakeholder" not in page.content.decode()
    assert viewer.get("/p/EHR-1/stakeholders/analysis/").status_code == 200
    assert viewer.get("/p/EHR-1/stakeholders/new/").status_code == 403
    assert viewer.post(f"/p/EHR-1/stakeholders/{s.cmio.pk}/delete/").status_code == 403
    assert stranger.get("/p/EHR-1/stakeholders/").status_code == 404
    assert signed_in(s.pm).get(f"/p/LAB-2/stakeholders/{s.cmio.pk}/edit/").status_code == 404
    assert Stakeholder.objects.filter(pk=s.cmio.pk).exists()
