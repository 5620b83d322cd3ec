"""A project manager pages the month view of a calendar and adds a holiday that moves the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hitpm.core.tests.web_fixtures import PASSWORD, PM, make_project, make_user
from hitpm.planning.gantt.tests.conftest import ehr_plan
from hitpm.planning.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_holiday_added_on_the_calendar_page_moves_the_plan(
    page: Page, live_server, artifacts: Path
) -> None:
    project = make_project(
        "EHR-C", {make_user("pat", password=PASSWORD): PM}, start_date=dt.date(2027, 1, 4)
    )
    plan = ehr_plan(project)  # Workflow validation: 3 days from Mon 4 Jan 2027
    workflows = plan["Workflow validation"]
    assert workflows.finish is not None
    assert workflows.finish.date() == dt.date(2027, 1, 6)

    page.goto(f"{live_server.url}/accounts/login/?next=/p/EHR-C/plan/calendars/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Calendars", exact=True)).to_be_visible()
    page.get_by_role("link", name="Standard", exact=True).click()

    month = page.locator("#calendar-month")
    page.goto(page.url + "?month=2026-12")
    expect(month.get_by_role("heading", name="December 2026")).to_be_visible()
    month.get_by_role("link", name="Next month").click()  # swapped in by HTMX
    expect(month.get_by_role("heading", name="January 2027")).to_be_visible()
    assert page.url.endswith("?month=2027-01")
    expect(month.locator('td[data-date="2027-01-18"]')).to_have_class("off exception")
    expect(month.locator('td[data-date="2027-01-05"]')).to_have_class("work")

    form = page.locator("#exception-form")
    form.get_by_label("Name").fill("Downtime drill")
    form.get_by_label("Start").fill("2027-01-05")
    form.get_by_role("button", name="Add exception").click()
    expect(page.get_by_role("cell", name="Downtime drill")).to_be_visible()
    page.goto(page.url.split("?")[0] + "?month=2027-01")
    expect(month.locator('td[data-date="2027-01-05"]')).to_have_class("off exception")
    page.screenshot(path=str(artifacts / "calendar.png"), full_page=True)

    moved = Task.objects.get(pk=workflows.pk)
    assert moved.finish is not None
    assert moved.finish.date() == dt.date(2027, 1, 7)  # one working day later
