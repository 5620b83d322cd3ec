"""What a project manager sees: sign in, open the EHR project, read its plan, use HTMX."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hitpm.accounts.models import User
from hitpm.audit.context import acting_as
from hitpm.core.tests.web_fixtures import PASSWORD, TEAM, VIEWER, at, make_task, make_user
from hitpm.portfolio import services
from hitpm.portfolio.models import Membership, Portfolio, Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo() -> Project:
    """A small EHR go-live: a manager, a team, two phases, three milestones."""
    pat = make_user("pat", password=PASSWORD)
    pat.first_name, pat.last_name = "Pat", "Lee"
    pat.save()
    with acting_as("pat"):
        portfolio = Portfolio.objects.create(name="Clinical IT")
        project = services.create_project(
            portfolio,
            pat,
            code="EHR-2027",
            name="Epic ambulatory go-live",
            description="Replace the legacy clinic EHR at 14 ambulatory sites.",
            phase=Project.Phase.BUILD,
            health=Project.Health.AMBER,
            sponsor="Chief Medical Information Officer",
            start_date=dt.date(2027, 1, 4),
            status_date=dt.date(2027, 2, 1),
            target_go_live=dt.date(2027, 6, 7),
        )
        services.set_member(project, make_user("tess"), TEAM)
        services.set_member(project, make_user("vic"), VIEWER)
        _plan(project, pat)
    return project


def _plan(project: Project, owner: User) -> None:
    day = dt.date(2027, 1, 4)
    rows: list[tuple[str, int, str, dict[str, Any]]] = [
        ("1", 1, "Design", {"is_summary": True, "duration_minutes": 9600}),
        ("1.1", 2, "Workflow validation sessions", {"duration_minutes": 4800}),
        ("1.2", 2, "Design sign-off", {"milestone": True, "critical": True}),
        ("2", 1, "Build & test", {"is_summary": True, "duration_minutes": 28800}),
        ("2.1", 2, "Order sets and preference lists", {"duration_minutes": 9600}),
        ("2.2", 2, "Integrated testing complete", {"milestone": True, "critical": True}),
        ("3", 1, "Go-live", {"milestone": True, "critical": True}),
    ]
    for position, (wbs, level, name, fields) in enumerate(rows, start=1):
        finish = day + dt.timedelta(days=21 * position)
        make_task(
            project,
            position,
            name,
            wbs=wbs,
            outline_level=level,
            owner=owner,
            start=at(finish - dt.timedelta(days=14), 8),
            finish=at(finish),
            total_float_minutes=0 if fields.get("critical") else 2400,
            **fields,
        )


def _sign_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()


def test_project_manager_opens_the_ehr_project(page: Page, live_server, artifacts: Path) -> None:
    _demo()
    _sign_in(page, live_server.url)
    dashboard = page.get_by_role("main")
    expect(dashboard.get_by_role("heading", name="Clinical IT")).to_be_visible()
    expect(dashboard.get_by_text("Amber")).to_be_visible()
    expect(dashboard.get_by_text("Design sign-off")).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

    dashboard.get_by_role("link", name="Epic ambulatory go-live").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Epic ambulatory go-live")
    main = page.get_by_role("main")
    expect(main.locator(".rag-amber")).to_have_text(re.compile("Amber"))
    expect(main.get_by_text("Project manager", exact=True)).to_be_visible()
    for area in ("Plan & schedule", "Audit trail", "Members"):
        expect(main.get_by_role("link", name=area)).to_be_visible()
    expect(main.locator(".milestones")).to_contain_text("Go-live")
    page.screenshot(path=str(artifacts / "project.png"), full_page=True)

    main.get_by_role("link", name="Plan & schedule").click()
    expect(page.get_by_role("heading", name="Plan & schedule")).to_be_visible()
    go_live = page.get_by_role("row", name=re.compile("Go-live"))
    expect(go_live).to_contain_text("◆")
    expect(go_live).to_contain_text("Critical")
    expect(page.locator("table.plan tbody tr")).to_have_count(7)
    page.screenshot(path=str(artifacts / "plan.png"), full_page=True)


def test_htmx_fragments_work_with_csrf(page: Page, live_server, artifacts: Path) -> None:
    project = _demo()
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/p/{project.code}/members/")
    page.get_by_label("Role of vic").select_option(Membership.Role.TEAM_MEMBER)
    expect(page.locator("#member-{}".format(User.objects.get(username="vic").pk))).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert project.memberships.get(user__username="vic").role == Membership.Role.TEAM_MEMBER

    page.get_by_label("Role of pat").select_option(Membership.Role.VIEWER)
    expect(page.get_by_role("alert")).to_have_text("A project needs at least one project manager.")

    page.goto(f"{live_server.url}/p/{project.code}/audit/")
    page.get_by_text("Show fields").first.click()
    expect(page.locator("table.changes").first).to_be_visible()
    expect(page.locator("table.changes").first).to_contain_text("role")
    page.screenshot(path=str(artifacts / "audit.png"), full_page=True)


def test_every_form_field_has_a_label(page: Page, live_server) -> None:
    project = _demo()
    _sign_in(page, live_server.url)
    for path in (f"/p/{project.code}/edit/", f"/p/{project.code}/members/", "/accounts/tokens/"):
        page.goto(f"{live_server.url}{path}")
        unlabeled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label'))
                .map(el => el.name)"""
        )
        assert unlabeled == [], f"{path}: fields without a label: {unlabeled}"


def test_the_demo_portfolio_in_a_browser(page: Page, live_server, artifacts: Path) -> None:
    """`make demo`'s data as its project manager sees it: every area of the EHR go-live opens
    without a script error, and the Gantt draws the whole plan."""
    from hitpm.portfolio.demo.loader import PASSWORD as DEMO_PASSWORD
    from hitpm.portfolio.demo.loader import load_demo

    load_demo()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ehr.pm")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Inpatient EHR replacement and go-live")).to_be_visible()
    page.screenshot(path=str(artifacts / "demo-dashboard.png"), full_page=True)

    main.get_by_role("link", name="Inpatient EHR replacement and go-live").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inpatient EHR replacement and go-live"
    )
    areas = page.get_by_role("navigation", name="Project EHR-GOLIVE").get_by_role("link")
    links = [areas.nth(i).get_attribute("href") for i in range(areas.count())]
    assert len(links) >= 8
    for href in links:
        page.goto(f"{live_server.url}{href}")
        expect(page.get_by_role("heading", level=1).first).to_be_visible()

    page.goto(f"{live_server.url}/p/EHR-GOLIVE/plan/gantt/")
    expect(page.locator("#gantt")).to_have_attribute("data-ready", "true")
    expect(page.locator(".gantt-row").first).to_contain_text("Initiation and planning")
    page.screenshot(path=str(artifacts / "demo-gantt.png"), full_page=True)
