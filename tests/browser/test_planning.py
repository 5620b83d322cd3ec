"""The planning workspace in a real browser: edit a task in the table, type predecessors and
watch the dates move; save a baseline and see the variance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from hitpm.audit.context import acting_as
from hitpm.core.tests.web_fixtures import PASSWORD, PM, make_project, make_user
from hitpm.planning.builder import PlanLink, PlanRow, build_plan
from hitpm.planning.models import Task
from hitpm.planning.services import create_default_calendar, reschedule
from hitpm.portfolio.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = 480


def _project() -> Project:
    """Row 1 Build (2 Order sets, 3 Unit testing after 2), 4 Go-live, 5 Training."""
    pat = make_user("pat", password=PASSWORD)
    with acting_as("pat"):
        project = make_project("EHR-7", {pat: PM}, start_date=dt.date(2027, 3, 1))
        create_default_calendar(project)
        build_plan(
            project,
            [
                PlanRow("build", "Build"),
                PlanRow("orders", "Order sets", 2, 2 * DAY),
                PlanRow("testing", "Unit testing", 2, 3 * DAY, predecessors=(PlanLink("orders"),)),
                PlanRow("live", "Go-live", milestone=True, predecessors=(PlanLink("build"),)),
                PlanRow("training", "Training", duration_minutes=5 * DAY),
            ],
        )
        reschedule(project)
    return project


def _sign_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _row(page: Page, task: Task) -> Locator:
    return page.locator(f"#task-{task.pk}")


def test_edit_inline_and_type_predecessors(page: Page, live_server, artifacts: Path) -> None:
    project = _project()
    orders, testing = Task.objects.get(name="Order sets"), Task.objects.get(name="Unit testing")
    training = Task.objects.get(name="Training")
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/p/{project.code}/plan/")
    expect(_row(page, testing).locator(".col-start")).to_have_text("Wed 3 Mar 2027")

    _row(page, orders).get_by_role("button", name="Edit Order sets").click()
    page.locator(".row-editor").get_by_label("Duration (days)").fill("4")
    page.get_by_role("button", name="Save").click()
    expect(_row(page, testing).locator(".col-start")).to_have_text("Fri 5 Mar 2027")
    expect(page.locator("#plan-status")).to_contain_text("Project finish: Tue 9 Mar 2027")

    _row(page, training).get_by_role("button", name="Edit Training").click()
    page.locator(".row-editor").get_by_label("Predecessors").fill("3FS+1d")
    page.get_by_role("button", name="Save").click()
    expect(_row(page, training).locator(".col-predecessors")).to_have_text("3FS+1d")
    expect(_row(page, training).locator(".col-start")).to_have_text("Thu 11 Mar 2027")
    page.screenshot(path=str(artifacts / "planning-inline-edit.png"), full_page=True)

    _row(page, orders).get_by_role("button", name="Edit Order sets").click()
    page.locator(".row-editor").get_by_label("Predecessors").fill("5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("loop")
    assert Task.objects.get(pk=orders.pk).duration_minutes == 4 * DAY


def test_save_a_baseline_and_see_variance(page: Page, live_server, artifacts: Path) -> None:
    project = _project()
    testing = Task.objects.get(name="Unit testing")
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/p/{project.code}/plan/baselines/")
    page.get_by_label("Name").fill("Approved plan")
    page.get_by_role("button", name="Save baseline").click()
    expect(page.get_by_role("heading", name="Variance against Approved plan")).to_be_visible()

    page.goto(f"{live_server.url}/p/{project.code}/plan/")
    _row(page, testing).get_by_role("button", name="Edit Unit testing").click()
    page.locator(".row-editor").get_by_label("Duration (days)").fill("5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#plan-status")).to_contain_text("Saved Unit testing")

    page.get_by_role("link", name="Baselines").click()
    page.get_by_role("link", name="Approved plan").click()
    expect(page.locator(".slipped-milestones")).to_contain_text("Go-live")
    expect(page.locator(".slipped-milestones")).to_contain_text("+2d")
    page.screenshot(path=str(artifacts / "planning-variance.png"), full_page=True)
