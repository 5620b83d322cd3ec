"""The chart's page and data endpoint: content, link types, calendar, baselines, access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from hitpm.core.tests.web_fixtures import signed_in
from hitpm.planning.gantt.data import minutes
from hitpm.planning.gantt.tests.conftest import Team, save_baseline, start
from hitpm.planning.models import PlanSettings

pytestmark = pytest.mark.django_db


def data_of(team: Team, query: str = "", user: Any = None) -> dict[str, Any]:
    client = signed_in(user or team.pm)
    response = client.get(reverse("planning:gantt_data", args=[team.project.code]) + query)
    assert response.status_code == 200, response.content
    payload: dict[str, Any] = response.json()
    return payload


def test_the_data_carries_every_task_in_plan_order_with_engine_dates(team: Team) -> None:
    payload = data_of(team)
    names = [t["name"] for t in payload["tasks"]]
    assert names[:3] == ["Design", "Workflow validation", "Design sign-off"]
    assert len(names) == 9
    orders = team.tasks["Order sets"]
    row = next(t for t in payload["tasks"] if t["id"] == orders.pk)
    assert row["s"] == minutes(orders.start)
    assert row["f"] == minutes(orders.finish)
    assert row["v"] == orders.version
    assert row["dur"] == orders.duration_minutes
    design = next(t for t in payload["tasks"] if t["name"] == "Design")
    assert design["summary"]
    assert design["level"] == 1
    signoff = next(t for t in payload["tasks"] if t["name"] == "Design sign-off")
    assert signoff["milestone"]
    assert signoff["parent"] == design["id"]
    assert payload["project"]["can_edit"] is True
    assert payload["project"]["status_date"] == minutes(dt.datetime(2027, 1, 16, tzinfo=dt.UTC))


def test_links_of_all_four_types_and_critical_flags(team: Team) -> None:
    payload = data_of(team)
    assert sorted(link["type"] for link in payload["links"]) == [
        "FF",
        "FS",
        "FS",
        "FS",
        "FS",
        "SF",
        "SS",
    ]
    critical = {t["name"] for t in payload["tasks"] if t["critical"]}
    assert {"Go-live", "Order sets"} <= critical
    assert "Reports" not in critical  # SF-linked report has float
    ids = {t["id"] for t in payload["tasks"]}
    assert all(link["p"] in ids and link["s"] in ids for link in payload["links"])


def test_the_calendar_week_and_holidays_are_sent_for_shading(team: Team) -> None:
    calendar = data_of(team)["calendar"]
    assert calendar["weekly"][0] == [[480, 720], [780, 1020]]  # Monday
    assert calendar["weekly"][5] == []
    assert calendar["weekly"][6] == []
    assert calendar["exceptions"] == [
        {"start": "2027-01-18", "end": "2027-01-18", "name": "MLK Day", "working": False}
    ]


def test_no_baseline_until_one_is_saved_then_the_latest_or_the_chosen_one(team: Team) -> None:
    payload = data_of(team)
    assert payload["baseline"] is None
    assert payload["baselines"] == []
    assert all(t["bs"] is None for t in payload["tasks"])
    approved = save_baseline(team.project, "Approved plan", shift_days=7)
    latest = save_baseline(team.project, "Re-plan")
    payload = data_of(team)
    assert payload["baseline"] == latest.pk
    orders = team.tasks["Order sets"]
    row = next(t for t in payload["tasks"] if t["id"] == orders.pk)
    assert row["bs"] == minutes(orders.start)
    chosen = data_of(team, f"?baseline={approved.pk}")
    row = next(t for t in chosen["tasks"] if t["id"] == orders.pk)
    assert row["bs"] == minutes(start(orders) - dt.timedelta(days=7))
    assert data_of(team, "?baseline=none")["baseline"] is None
    PlanSettings.objects.create(project=team.project, gantt_baseline=approved)
    assert data_of(team)["baseline"] == approved.pk


def test_a_bad_baseline_choice_is_a_clear_error(team: Team) -> None:
    client = signed_in(team.pm)
    url = reverse("planning:gantt_data", args=[team.project.code])
    response = client.get(url + "?baseline=999999")
    assert response.status_code == 422
    assert "has no baseline 999999" in response.json()["detail"]
    assert client.get(url + "?baseline=latest").status_code == 422


def test_viewers_see_the_chart_read_only(team: Team) -> None:
    assert data_of(team, user=team.viewer)["project"]["can_edit"] is False
    page = signed_in(team.viewer).get(reverse("planning:gantt", args=[team.project.code]))
    assert page.status_code == 200
    assert b'data-edit="false"' in page.content
    assert b"read-only" in page.content


def test_the_page_has_the_grid_zoom_and_exports(team: Team) -> None:
    page = signed_in(team.analyst).get(reverse("planning:gantt", args=[team.project.code]))
    html = page.content.decode()
    assert 'role="treegrid"' in html
    assert 'data-edit="true"' in html
    for zoom in ("day", "week", "month", "quarter"):
        assert f'data-zoom="{zoom}"' in html
    for fmt in ("svg", "png", "pdf"):
        assert f"/gantt/export.{fmt}" in html


@pytest.mark.parametrize("name", ["gantt", "gantt_data"])
def test_non_members_get_404(team: Team, name: str) -> None:
    response = signed_in(team.outsider).get(reverse(f"planning:{name}", args=[team.project.code]))
    assert response.status_code == 404


def test_signed_out_people_are_sent_to_sign_in(team: Team, client: Any) -> None:
    response = client.get(reverse("planning:gantt_data", args=[team.project.code]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
