"""Risk pages: who sees and changes what, and that every page renders with real data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hitpm.core.tests.web_fixtures import signed_in
from hitpm.risk.models import FailureMode, FmeaWorksheet, Risk, SimulationRun, TaskEstimate
from hitpm.risk.services import fmea as fmea_services
from hitpm.risk.tests.fixtures import (
    Team,
    category,
    make_chain,
    make_milestones,
    make_risk,
    make_team,
)

pytestmark = pytest.mark.django_db
P = "/p/EHR-RISK/risk"


@pytest.fixture
def team() -> Team:
    return make_team()


def _risk_form(team: Team, **fields: str) -> dict[str, str]:
    data = {
        "kind": "threat",
        "title": "Downtime procedures not rehearsed",
        "category": str(category(team.project, "Clinical workflow").pk),
        "status": "identified",
        "identified_on": "2027-01-04",
        "probability": "3",
        "impact_safety": "4",
        "review_cadence": "14",
    }
    data.update(fields)
    return data


def test_strangers_get_404_everywhere(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    client = signed_in(team.stranger)
    for url in (
        "/",
        "/heatmap/",
        "/trend/",
        "/overdue/",
        "/simulation/",
        "/fmea/",
        "/scale/",
        f"/{risk.pk}/",
        "/export.csv",
    ):
        assert client.get(P + url).status_code == 404, url
    assert Client().get(P + "/").status_code == 302  # anonymous: to the sign-in page


def test_viewer_reads_but_cannot_change(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    client = signed_in(team.viewer)
    page = client.get(P + "/")
    assert page.status_code == 200
    assert b"Medication orders lost at cutover" in page.content
    assert b"New risk" not in page.content
    assert client.get(f"{P}/{risk.pk}/").status_code == 200
    assert client.get(P + "/new/").status_code == 403
    assert client.post(P + "/new/", _risk_form(team)).status_code == 403
    assert client.post(f"{P}/{risk.pk}/review/").status_code == 403
    assert client.post(P + "/simulation/", {"iterations": "100"}).status_code == 403
    assert client.post(P + "/fmea/", {"process": "x", "method": "hfmea"}).status_code == 403
    assert Risk.objects.count() == 1
    assert not FmeaWorksheet.objects.exists()


def test_team_member_adds_and_edits_a_risk(team: Team) -> None:
    task = make_chain(team.project)[0]
    client = signed_in(team.member)
    assert client.get(P + "/new/").status_code == 200
    bad = client.post(P + "/new/", _risk_form(team, probability="3", strategy="exploit"))
    assert bad.status_code == 200
    assert b"opportunities" in bad.content
    created = client.post(P + "/new/", _risk_form(team, tasks=str(task.pk), owner=str(team.pm.pk)))
    risk = Risk.objects.get()
    assert created.status_code == 302
    assert risk.inherent_score == 12
    assert list(risk.tasks.all()) == [task]
    edit = _risk_form(team, probability="5", version=str(risk.version))
    assert client.post(f"{P}/{risk.pk}/edit/", edit).status_code == 302
    stale = client.post(f"{P}/{risk.pk}/edit/", _risk_form(team, version="1"))
    assert b"changed by someone else" in stale.content
    risk.refresh_from_db()
    assert risk.inherent_score == 20
    assert risk.history.count() == 2
    assert (
        client.post(
            f"{P}/{risk.pk}/actions/",
            {"description": "Run a downtime drill", "due_on": "2027-02-01"},
        ).status_code
        == 302
    )
    action = risk.actions.get()
    row = client.post(
        f"{P}/actions/{action.pk}/status/", {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    assert b"Reopen" in row.content


def test_register_heat_map_trend_overdue_and_exports_render(team: Team) -> None:
    make_risk(
        team.project,
        team.pm,
        probability=5,
        impact_safety=5,
        residual_probability=2,
        residual_safety=3,
    )
    client = signed_in(team.viewer)
    register = client.get(P + "/", {"q": "medication", "order": "title"})
    assert b"R-001" in register.content
    heat = client.get(P + "/heatmap/")
    assert heat.status_code == 200
    assert b"Inherent (before response)" in heat.content
    cell = client.get(
        P + "/heatmap/cell/", {"which": "residual", "p": "2", "i": "3"}, HTTP_HX_REQUEST="true"
    )
    assert b"Medication orders lost" in cell.content
    assert b"<html" not in cell.content
    no_js = client.get(P + "/heatmap/", {"which": "inherent", "p": "5", "i": "5"})
    assert b"Medication orders lost" in no_js.content
    assert b"<svg" in client.get(P + "/trend/").content
    assert b"Top risks" in client.get(P + "/overdue/").content
    csv = client.get(P + "/export.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert b"R-001" in csv.content
    assert client.get(P + "/export.xlsx").content[:2] == b"PK"


def test_simulation_pages(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HITPM_JOBS", "worker")
    tasks = make_chain(team.project)
    client = signed_in(team.member)
    assert client.get(P + "/simulation/").status_code == 200
    saved = client.post(
        P + "/simulation/estimates/",
        {
            "task": str(tasks[0].pk),
            f"{tasks[0].pk}-low": "4",
            f"{tasks[0].pk}-likely": "5",
            f"{tasks[0].pk}-high": "9",
        },
    )
    assert saved.status_code == 302
    assert tasks[0].estimate.high_minutes == 9 * 480
    bad = {
        "task": str(tasks[1].pk),
        f"{tasks[1].pk}-low": "9",
        f"{tasks[1].pk}-likely": "5",
        f"{tasks[1].pk}-high": "7",
    }
    shown = client.post(P + "/simulation/estimates/", bad)
    assert shown.status_code == 200
    assert b"minimum &lt;= most likely &lt;= maximum" in shown.content
    assert not TaskEstimate.objects.filter(task=tasks[1]).exists()
    refused = client.post(
        P + "/simulation/",
        {
            "iterations": "100",
            "template_low": "130",
            "template_likely": "100",
            "template_high": "90",
            "distribution": "triangular",
        },
    )
    assert refused.status_code == 200
    assert not SimulationRun.objects.exists()
    started = client.post(
        P + "/simulation/",
        {
            "iterations": "200",
            "seed": "5",
            "template_low": "90",
            "template_likely": "100",
            "template_high": "130",
            "distribution": "pert",
            "include_risks": "on",
        },
    )
    run = SimulationRun.objects.get()
    assert started.status_code == 302
    assert run.seed == 5
    waiting = client.get(f"{P}/simulation/{run.pk}/")
    assert b"Queued" in waiting.content
    assert b"every 1s" in waiting.content
    from hitpm.risk.services.simulation import execute

    execute(run.pk)
    listed = client.get(P + "/simulation/")
    assert run.pk in [r.pk for r in listed.context["runs"]]
    assert listed.context["runs"][0].p80 is not None
    done = client.get(f"{P}/simulation/{run.pk}/")
    assert b"P80" in done.content
    assert b"<svg" in done.content
    poll = client.get(f"{P}/simulation/{run.pk}/", {"fragment": "status"}, HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    assert client.post(f"{P}/simulation/{run.pk}/repeat/").status_code == 302
    second = SimulationRun.objects.exclude(pk=run.pk).get()
    execute(second.pk)
    compared = client.get(f"{P}/simulation/{run.pk}/vs/{second.pk}/")
    assert compared.status_code == 200
    assert b"Deterministic finish" in compared.content


def test_run_page_shows_the_chosen_milestones_distribution(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HITPM_JOBS", "worker")
    from hitpm.risk.services import simulation

    tasks = make_chain(team.project)
    finish = tasks[-1].finish
    assert finish is not None
    ready, go_live = make_milestones(
        team.project, tasks[-1], ("Readiness sign-off", "Go-live"), finish + dt.timedelta(days=7)
    )
    team.project.target_go_live = finish.date()
    team.project.save()
    options = simulation.RunOptions(iterations=300, seed=3)
    run = simulation.simulate_now(team.project, team.pm, options)
    client = signed_in(team.viewer)
    url = f"{P}/simulation/{run.pk}/"
    page = client.get(url).content.decode()
    # Go-live by name; no deadline on the target date
    assert "Milestone date distribution" in page
    assert "Histogram of simulated dates of Go-live" in page
    assert "S-curve: probability of reaching Go-live on or before each date" in page
    assert f'<option value="{go_live.pk}" selected>Go-live (go-live)</option>' in page
    assert "Target go-live" in page
    chosen = client.get(url, {"milestone": str(ready.pk)}).content.decode()
    assert "Histogram of simulated dates of Readiness sign-off" in chosen
    assert "Histogram of simulated dates of Go-live" not in chosen
    assert "Deadline" in chosen
    assert chosen.count("<svg") == 6  # project histogram, S-curve, tornado; milestone pair
    fragment = client.get(
        url, {"milestone": str(ready.pk), "fragment": "milestone"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.startswith('<div id="milestone-distribution">')
    assert "Histogram of simulated dates of Readiness sign-off" in fragment
    assert "<html" not in fragment
    unknown = client.get(url, {"milestone": "nonsense"}).content.decode()
    assert "Histogram of simulated dates of Go-live" in unknown


def test_runs_stored_before_milestone_charts_still_render(team: Team) -> None:
    from hitpm.risk.services import simulation

    tasks = make_chain(team.project)
    make_milestones(team.project, tasks[-1], ("Go-live",))
    run = simulation.simulate_now(team.project, team.pm, simulation.RunOptions(iterations=100))
    assert run.results is not None
    keep = {"id", "name", "p10", "p50", "p80", "p90"}  # what a milestone had before
    run.results["milestones"] = [
        {k: v for k, v in m.items() if k in keep} for m in run.results["milestones"]
    ]
    run.save()
    client = signed_in(team.viewer)
    page = client.get(f"{P}/simulation/{run.pk}/", {"milestone": "1"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Go-live" in body
    assert "Milestone date distribution" not in body
    assert "Histogram of simulated project finish dates" in body
    compared = client.get(f"{P}/simulation/{run.pk}/vs/{run.pk}/")
    assert b"Go-live P80" in compared.content


def test_fmea_pages(team: Team) -> None:
    client = signed_in(team.member)
    blank = client.post(P + "/fmea/", {"process": "", "method": "hfmea"})
    assert blank.status_code == 200
    assert not FmeaWorksheet.objects.exists()
    created = client.post(P + "/fmea/", {"process": "BCMA medication pass", "method": "hfmea"})
    sheet = FmeaWorksheet.objects.get()
    assert created.status_code == 302
    assert (
        client.post(f"{P}/fmea/{sheet.pk}/steps/", {"description": "Scan wristband"}).status_code
        == 302
    )
    step = sheet.steps.get()
    bad = client.post(
        f"{P}/fmea/steps/{step.pk}/modes/",
        {"description": "Unreadable", "severity": "7", "probability": "2"},
    )
    assert bad.status_code == 200
    assert not FailureMode.objects.exists()
    ok = client.post(
        f"{P}/fmea/steps/{step.pk}/modes/",
        {"description": "Unreadable", "severity": "4", "probability": "2"},
    )
    assert ok.status_code == 302
    mode = FailureMode.objects.get()
    assert fmea_services.assess(sheet, mode).score == 8
    page = client.get(f"{P}/fmea/{sheet.pk}/")
    assert b"Proceed" in page.content
    assert (
        client.post(
            f"{P}/fmea/modes/{mode.pk}/actions/",
            {"kind": "control", "description": "Spare printers"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{P}/fmea/modes/{mode.pk}/",
            {
                "description": "Unreadable",
                "severity": "4",
                "probability": "2",
                "revised_severity": "4",
                "revised_probability": "1",
            },
        ).status_code
        == 302
    )
    assert b"Unreadable" in client.get(f"{P}/fmea/{sheet.pk}/export.csv").content
    assert (
        signed_in(team.viewer).post(f"{P}/fmea/{sheet.pk}/steps/", {"description": "x"}).status_code
        == 403
    )


def test_only_pmo_admins_add_categories(team: Team) -> None:
    assert (
        signed_in(team.pm).post(P + "/scale/categories/", {"name": "Downtime"}).status_code == 403
    )
    assert (
        signed_in(team.admin).post(P + "/scale/categories/", {"name": "Downtime"}).status_code
        == 302
    )
    assert b"Downtime" in signed_in(team.viewer).get(P + "/scale/").content


def test_portfolio_dashboard_shows_open_risks_per_project(team: Team) -> None:
    make_risk(team.project, team.pm)
    make_risk(team.project, team.pm, title="Closed", status="closed")
    page = signed_in(team.viewer).get("/")
    row = next(r for r in page.context["rows"] if r.project == team.project)
    assert row.open_risks == 1
    assert b"Open risks" in page.content
    assert f'href="{P}/">1</a>'.encode() in page.content
