"""A project manager works the risk area: heat map cells, a risk, and a small simulation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hitpm.core.tests.web_fixtures import PASSWORD
from hitpm.risk.models import FailureMode, FmeaWorksheet, SimulationRun
from hitpm.risk.services import fmea
from hitpm.risk.tests.fixtures import make_chain, make_risk, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()


def test_heat_map_cell_and_a_small_simulation(
    page: Page, live_server, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HITPM_JOBS", "thread")  # the real embedded mode: a background thread
    team = make_team()
    team.pm.set_password(PASSWORD)
    team.pm.save()
    tasks = make_chain(team.project)
    make_risk(
        team.project,
        team.pm,
        title="Interface vendor delivers late",
        probability=4,
        impact_safety=None,
        impact_schedule=4,
        residual_probability=2,
        residual_schedule=3,
    )
    make_risk(
        team.project,
        team.pm,
        title="BCMA scanning bypassed at go-live",
        probability=3,
        impact_safety=5,
        residual_probability=2,
        residual_safety=4,
    )
    base = f"{live_server.url}/p/{team.project.code}/risk"
    _sign_in(page, live_server.url, "pat")

    page.goto(f"{base}/heatmap/")
    expect(page.get_by_role("heading", name=re.compile("Inherent"))).to_be_visible()
    inherent = page.locator("table.heatmap[data-which=inherent]")
    cell = inherent.get_by_role(
        "link", name=re.compile("Probability 3, impact 5, score 15: 1 risk")
    )
    expect(cell).to_have_text("1")
    cell.click()  # HTMX swaps the list in below, no page load
    panel = page.locator("#cell-risks")
    expect(panel).to_contain_text("BCMA scanning bypassed at go-live")
    expect(panel).not_to_contain_text("Interface vendor")
    page.screenshot(path=str(artifacts / "risk-heatmap.png"), full_page=True)

    panel.get_by_role("link", name=re.compile("BCMA scanning")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BCMA scanning bypassed at go-live")
    expect(page.get_by_role("main")).to_contain_text("Score history")

    page.goto(f"{base}/simulation/")
    page.get_by_label("Name").fill("Browser run")
    page.get_by_label("Iterations").fill("300")
    page.get_by_label("Seed").fill("11")
    page.get_by_role("button", name="Run simulation").click()
    expect(page.get_by_role("heading", name="Browser run")).to_be_visible()
    expect(page.get_by_text("Deterministic finish")).to_be_visible(timeout=30_000)
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Critical in")).to_contain_text(tasks[1].name)
    page.screenshot(path=str(artifacts / "risk-simulation.png"), full_page=True)
    run = SimulationRun.objects.get()
    assert run.status == SimulationRun.Status.DONE
    assert run.seed == 11
    assert run.results is not None
    assert run.results["iterations"] == 300


def test_every_risk_form_field_has_a_label(page: Page, live_server) -> None:
    team = make_team()
    team.member.set_password(PASSWORD)
    team.member.save()
    make_chain(team.project)
    risk = make_risk(team.project, team.pm)
    sheet = FmeaWorksheet.objects.create(project=team.project, process="BCMA medication pass")
    for number in (1, 2):
        step = fmea.add_step(sheet, f"Step {number}")
        fmea.save_failure_mode(
            FailureMode(step=step, description="Fails", severity=2, probability=2)
        )
    _sign_in(page, live_server.url, "tess")
    base = f"{live_server.url}/p/{team.project.code}/risk"
    paths = (
        "/",
        "/new/",
        f"/{risk.pk}/",
        "/simulation/",
        "/simulation/estimates/",
        "/fmea/",
        f"/fmea/{sheet.pk}/",
    )
    for path in paths:
        page.goto(base + path)
        duplicated = page.evaluate(
            """() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
                       return ids.filter((id, i) => ids.indexOf(id) !== i); }"""
        )
        assert duplicated == [], f"{path}: duplicate ids {duplicated}"
        unlabeled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label'))
                .map(el => el.name)"""
        )
        assert unlabeled == [], f"{path}: fields without a label: {unlabeled}"
