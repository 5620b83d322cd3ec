"""The task table page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hitpm.core.tests.web_fixtures import (
    PM,
    TEAM,
    at,
    make_project,
    make_task,
    make_user,
    signed_in,
)

pytestmark = pytest.mark.django_db


def test_plan_shows_outline_dates_float_and_milestones() -> None:
    owner = make_user("tess")
    project = make_project("EHR-1", {make_user("pat"): PM, owner: TEAM})
    make_task(
        project, 1, "Build", wbs="1", is_summary=True, duration_minutes=4800, total_float_minutes=0
    )
    make_task(
        project,
        2,
        "Configure orders",
        wbs="1.1",
        outline_level=2,
        duration_minutes=1200,
        start=at(dt.date(2027, 1, 4), 8),
        finish=at(dt.date(2027, 1, 6), 12),
        total_float_minutes=960,
        percent_complete=25,
        owner=owner,
    )
    make_task(
        project,
        3,
        "Go-live",
        wbs="2",
        milestone=True,
        critical=True,
        start=at(dt.date(2027, 3, 1)),
        finish=at(dt.date(2027, 3, 1)),
        total_float_minutes=0,
    )
    make_task(project, 4, "Hypercare", wbs="3", is_summary=True, total_float_minutes=0)
    response = signed_in(owner).get(reverse("planning:tasks", args=["EHR-1"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Build") < page.index("Configure orders") < page.index("Go-live")
    assert 'style="--level: 2"' in page
    assert '<td class="num col-duration">2.5d</td>' in page
    assert '<td class="num col-total_float">2d</td>' in page
    assert page.count('<td class="num col-duration">—</td>') == 2  # summaries roll up
    assert "Mon 4 Jan 2027" in page
    assert "25%" in page
    assert 'class=" critical milestone"' in page
    assert "(milestone)" in page


def test_plan_table_queries_do_not_grow_with_the_plan() -> None:
    user = make_user("pat")
    project = make_project("BIG-1", {user: PM})
    client = signed_in(user)
    counts = []
    for size in (30, 300):
        for position in range(project.tasks.count() + 1, size + 1):
            make_task(project, position, f"Task {position}", owner=user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("planning:tasks", args=["BIG-1"]))
        counts.append(len(queries.captured_queries))
    assert response.content.decode().count('<tr id="task-') == 300
    assert counts[0] == counts[1] <= 16


def test_empty_plan_says_so() -> None:
    user = make_user("pat")
    make_project("NEW-1", {user: PM})
    page = signed_in(user).get(reverse("planning:tasks", args=["NEW-1"])).content.decode()
    assert "This plan has no tasks yet" in page
