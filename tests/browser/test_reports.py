"""A project manager edits the RACI grid with HTMX, then writes and publishes a status report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hitpm.core.tests.web_fixtures import (
    PASSWORD,
    PM,
    VIEWER,
    at,
    make_project,
    make_task,
    make_user,
)
from hitpm.reports.models import StatusReport
from hitpm.stakeholders.models import RaciAssignment, Stakeholder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = dt.date(2027, 3, 10)


def _project() -> None:
    pat = make_user("pat", password=PASSWORD)
    pat.first_name, pat.last_name = "Pat", "Lee"
    pat.save()
    project = make_project("EHR-2027", {pat: PM, make_user("vic"): VIEWER},
                           status_date=DAY, name="Epic ambulatory go-live")  # fmt: skip
    rows = [("Design", True, False), ("Design sign-off", False, True),
            ("Go-live", False, True)]  # fmt: skip
    for position, (name, summary, milestone) in enumerate(rows, start=1):
        day = DAY + dt.timedelta(days=20 * position)
        make_task(project, position, name, is_summary=summary, milestone=milestone,
                  start=at(DAY), finish=at(day))  # fmt: skip
    for name, influence in (("CMIO", 5), ("Nursing leadership", 4)):
        Stakeholder.objects.create(project=project, name=name, influence=influence, interest=5)


def _sign_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_raci_cells_save_with_htmx(page: Page, live_server, artifacts: Path) -> None:
    _project()
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/p/EHR-2027/stakeholders/raci/")
    expect(page.get_by_role("heading", name="6 problems to fix")).to_be_visible()
    page.get_by_label("CMIO on Design", exact=True).select_option("A")
    expect(page.get_by_role("heading", name="5 problems to fix")).to_be_visible()
    page.get_by_label("Nursing leadership on Design", exact=True).select_option("R")
    expect(page.get_by_role("heading", name="4 problems to fix")).to_be_visible()
    assert RaciAssignment.objects.count() == 2
    page.screenshot(path=str(artifacts / "raci.png"), full_page=True)


def test_project_manager_publishes_a_status_report(
    page: Page, live_server, artifacts: Path
) -> None:
    _project()
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/p/EHR-2027/")
    page.get_by_role("link", name="Status reports").first.click()
    page.get_by_label("Audience").select_option("executive")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_text("Draft — live data")).to_be_visible()
    expect(page.get_by_role("heading", name="RAG by dimension")).to_be_visible()
    page.get_by_label("Summary").fill("Design signed off; build starts on time.")
    page.get_by_label("Budget rating").select_option("amber")
    page.get_by_label("Budget note").fill("Overtime for the pharmacy build.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Report saved.")).to_be_visible()
    expect(page.locator("#section-rag")).to_contain_text("Overtime for the pharmacy build.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. This report is now a fixed snapshot.")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    report = StatusReport.objects.get()
    assert report.is_published
    assert report.published_by is not None
    assert "Design signed off" in report.html
    page.screenshot(path=str(artifacts / "status-report.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
