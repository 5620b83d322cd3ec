"""Report pages and API: who may create, edit, publish and read; bad input changes nothing."""

from __future__ import annotations

import pytest

from hitpm.core.tests.api_fixtures import api_as, error_fields
from hitpm.core.tests.web_fixtures import signed_in
from hitpm.reports.models import StatusReport
from hitpm.stakeholders.tests.fixtures import Setup, make_setup

pytestmark = pytest.mark.django_db
PAGES = "/p/EHR-1/reports/"
API = "/projects/EHR-1/reports"


def _draft(s: Setup) -> StatusReport:
    reply = signed_in(s.pm).post(PAGES, {"audience": "executive", "as_of": "2027-03-10"})
    assert reply.status_code == 302
    return StatusReport.objects.get()


def test_pm_creates_edits_and_publishes_through_the_pages() -> None:
    s = make_setup()
    report = _draft(s)
    client = signed_in(s.pm)
    page = client.get(f"{PAGES}{report.pk}/").content.decode()
    assert "RAG by dimension" in page
    assert "Draft — live data" in page
    refused = client.post(f"{PAGES}{report.pk}/publish/", {"version": report.version})
    assert refused.status_code == 302
    assert not StatusReport.objects.get().is_published
    data = {"title": report.title, "as_of": "2027-03-10", "summary": "On track.",
            "version": report.version, "rating_budget": "amber", "note_budget": "Overtime",
            **{f"rating_{d}": "" for d in ("schedule", "scope", "quality", "risk")}}  # fmt: skip
    assert client.post(f"{PAGES}{report.pk}/", data).status_code == 302
    report.refresh_from_db()
    assert report.ratings["budget"] == {"rating": "amber", "note": "Overtime"}
    client.post(f"{PAGES}{report.pk}/publish/", {"version": report.version})
    report.refresh_from_db()
    assert report.is_published
    assert "On track." in report.html
    assert report.snapshot is not None
    assert report.snapshot["sections"][0]["rag"][2]["rating"] == "amber"
    page = client.get(f"{PAGES}{report.pk}/").content.decode()
    assert "Save draft" not in page
    assert "Publish</button>" not in page


def test_viewer_reads_and_downloads_but_cannot_write() -> None:
    s = make_setup()
    report = _draft(s)
    viewer = signed_in(s.viewer)
    assert viewer.get(PAGES).status_code == 200
    assert viewer.get(f"{PAGES}{report.pk}/").status_code == 200
    markdown = viewer.get(f"{PAGES}{report.pk}/export.md")
    assert markdown.status_code == 200
    assert markdown["Content-Type"].startswith("text/markdown")
    assert viewer.post(PAGES, {"audience": "it"}).status_code == 403
    assert viewer.post(f"{PAGES}{report.pk}/", {"summary": "x"}).status_code == 403
    assert viewer.post(f"{PAGES}{report.pk}/publish/").status_code == 403
    assert signed_in(s.member).post(f"{PAGES}{report.pk}/publish/").status_code == 403
    assert signed_in(s.stranger).get(f"{PAGES}{report.pk}/").status_code == 404
    assert viewer.get(f"{PAGES}{report.pk}/export.doc").status_code == 404
    assert StatusReport.objects.get().state == "draft"


def test_report_api_flow() -> None:
    s = make_setup()
    pm = api_as(s.pm)
    made = pm.post(API, {"audience": "clinical", "as_of": "2027-03-10"})
    assert made.status_code == 201
    body = made.json()
    assert [x["key"] for x in body["document"]["sections"]][:2] == ["go_live_readiness",
                                                                    "training"]  # fmt: skip
    one = f"{API}/{body['id']}"
    bad = pm.patch(one, {"ratings": {"cost": {"rating": "red"}}}, if_match='"1"')
    assert bad.status_code == 422
    assert error_fields(bad) == {"ratings.cost.[key]"}
    assert pm.post(f"{one}/publish", if_match='"1"').status_code == 422  # no summary yet
    edited = pm.patch(one, {"summary": "Ready.", "ratings": {"risk": {"rating": "red"}}},
                      if_match='"1"')  # fmt: skip
    assert edited.status_code == 200
    assert edited.json()["ratings"]["risk"]["rating"] == "red"
    assert pm.post(f"{one}/publish").status_code == 428
    published = pm.post(f"{one}/publish", if_match='"2"')
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    frozen = pm.patch(one, {"summary": "Changed"}, if_match='"3"')
    assert frozen.status_code == 422
    assert pm.delete(one, if_match='"3"').status_code == 422
    pdf = api_as(s.viewer).get(f"{one}/export", format="pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert api_as(s.viewer).post(API, {"audience": "it"}).status_code == 403
    assert api_as(s.member).patch(one, {"summary": "x"}, if_match='"3"').status_code == 403
    assert api_as(s.stranger).get(one).status_code == 404
    assert StatusReport.objects.get().summary == "Ready."
