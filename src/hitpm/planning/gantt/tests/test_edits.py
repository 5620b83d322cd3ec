"""Edits sent by the chart: what moved comes back; bad edits are refused and change nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hitpm.core.tests.web_fixtures import signed_in
from hitpm.planning.gantt.data import minutes, task_row, values_row
from hitpm.planning.gantt.tests.conftest import DAY, Team, finish, start
from hitpm.planning.models import Dependency, Task
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db


def post(client: Client, name: str, code: str, body: Any, **ids: int) -> Any:
    url = reverse(f"planning:{name}", kwargs={"code": code, **ids})
    return client.post(url, json.dumps(body), content_type="application/json")


def snapshot(project: Project) -> list[tuple[Any, ...]]:
    tasks = project.tasks.order_by("pk").values_list("pk", "version", "start", "finish")
    links = project.dependencies.order_by("pk").values_list("pk", "version", "type")
    return [*tasks, *links]


def test_dragging_a_bar_moves_it_and_answers_with_only_what_moved(team: Team) -> None:
    orders = team.tasks["Order sets"]
    before = {t.pk: task_row(t) for t in team.project.tasks.all()}
    later = minutes(start(orders) + dt.timedelta(days=7))
    response = post(
        signed_in(team.analyst), "gantt_move", "EHR-G", {"start": later, "version": 1},
        task_id=orders.pk,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response["Server-Timing"].startswith("edit;dur=")
    answer = response.json()
    moved = {t["name"]: t for t in answer["tasks"]}
    assert moved["Order sets"]["s"] == later
    assert {"Clinical decision rules", "HL7 interfaces", "Go-live"} <= set(moved)
    assert all(row != before[row["id"]] for row in answer["tasks"])  # only what changed
    assert Task.objects.get(pk=orders.pk).start == start(orders) + dt.timedelta(days=7)
    assert answer["project_finish"] == max(t["f"] for t in answer["tasks"] if t["f"])
    # The answer is built from the reschedule without reading tasks back: it is what is stored.
    stored = {
        t.pk: task_row(t) for t in Task.objects.filter(pk__in=[r["id"] for r in answer["tasks"]])
    }
    assert answer["tasks"] == [stored[row["id"]] for row in answer["tasks"]]


def test_dragging_a_bar_end_changes_its_duration(team: Team) -> None:
    orders = team.tasks["Order sets"]
    finish_day = (finish(orders) + dt.timedelta(days=7)).date()  # five working days more
    new_finish = minutes(dt.datetime.combine(finish_day + dt.timedelta(days=1), dt.time(), dt.UTC))
    body = {"finish": new_finish, "version": 1}
    response = post(signed_in(team.pm), "gantt_resize", "EHR-G", body, task_id=orders.pk)
    assert response.status_code == 200, response.content
    assert Task.objects.get(pk=orders.pk).duration_minutes == 10 * DAY


def test_drawing_a_link_adds_it_and_reschedules(team: Team) -> None:
    reports, training = team.tasks["Reports"], team.tasks["Workflow validation"]
    client = signed_in(team.analyst)
    body = {"predecessor": reports.pk, "successor": team.tasks["Go-live"].pk, "type": "FS"}
    response = post(client, "gantt_link", "EHR-G", body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["links"][0]["type"] == "FS"
    assert answer["links"][0]["p"] == reports.pk
    assert Dependency.objects.filter(predecessor=reports, successor__name="Go-live").exists()
    assert training.pk not in {t["id"] for t in answer["tasks"]}


@pytest.mark.parametrize(
    ("pred", "succ", "message"),
    [
        ("Go-live", "Workflow validation", "would make a loop"),
        ("Order sets", "Order sets", "cannot be linked to itself"),
        ("Order sets", "HL7 interfaces", "already a predecessor"),
    ],
)
def test_a_cycle_self_link_or_duplicate_is_refused_and_nothing_changes(
    team: Team, pred: str, succ: str, message: str
) -> None:
    before = snapshot(team.project)
    body = {"predecessor": team.tasks[pred].pk, "successor": team.tasks[succ].pk, "type": "FS"}
    response = post(signed_in(team.pm), "gantt_link", "EHR-G", body)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert snapshot(team.project) == before


def test_the_loop_message_names_the_tasks(team: Team) -> None:
    body = {"predecessor": team.tasks["Go-live"].pk, "successor": team.tasks["Order sets"].pk}
    detail = post(signed_in(team.pm), "gantt_link", "EHR-G", body).json()["detail"]
    assert "Go-live" in detail
    assert "Order sets" in detail


def test_removing_a_link_answers_with_the_removed_link(team: Team) -> None:
    link = Dependency.objects.get(successor=team.tasks["Reports"])
    response = post(
        signed_in(team.pm), "gantt_unlink", "EHR-G", {"version": link.version}, link_id=link.pk
    )
    assert response.status_code == 200, response.content
    assert response.json()["removed_links"] == [link.pk]
    assert response.json()["removed_ids"] == []
    assert not Dependency.objects.filter(pk=link.pk).exists()


def test_an_edit_of_an_old_version_is_refused_with_the_current_task(team: Team) -> None:
    orders = team.tasks["Order sets"]
    before = snapshot(team.project)
    body = {"start": minutes(start(orders)) + 1440, "version": 7}
    response = post(signed_in(team.pm), "gantt_move", "EHR-G", body, task_id=orders.pk)
    assert response.status_code == 409
    assert response.json()["task"]["v"] == orders.version
    assert "changed by someone else" in response.json()["detail"]
    assert snapshot(team.project) == before


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ("not json", 400, "JSON object"),
        ([1, 2], 400, "JSON object"),
        ({"start": "tomorrow", "version": 1}, 422, "start must be a whole number"),
        ({"version": 1}, 422, "start must be a whole number"),
        ({"start": 28000000, "version": "1"}, 422, "version must be a whole number"),
    ],
)
def test_bad_input_is_refused_clearly(team: Team, body: Any, status: int, text: str) -> None:
    orders = team.tasks["Order sets"]
    url = reverse("planning:gantt_move", args=["EHR-G", orders.pk])
    data = body if isinstance(body, str) else json.dumps(body)
    response = signed_in(team.pm).post(url, data, content_type="application/json")
    assert response.status_code == status
    assert text in response.json()["detail"]


def test_a_summary_cannot_be_dragged(team: Team) -> None:
    design = team.tasks["Design"]
    body = {"start": minutes(start(design)) + 1440, "version": design.version}
    response = post(signed_in(team.pm), "gantt_move", "EHR-G", body, task_id=design.pk)
    assert response.status_code == 422
    assert "summary" in response.json()["detail"]


def test_a_link_type_must_be_one_of_the_four(team: Team) -> None:
    body = {"predecessor": team.tasks["Reports"].pk, "successor": team.tasks["Go-live"].pk}
    response = post(signed_in(team.pm), "gantt_link", "EHR-G", {**body, "type": "XX"})
    assert response.status_code == 422
    assert "FS, SS, FF, SF" in response.json()["detail"]


def test_a_task_of_another_project_cannot_be_moved(team: Team) -> None:
    other = Project.objects.get(code="OTHER")
    stranger = Task.objects.create(project=other, position=0, name="Elsewhere")
    response = post(
        signed_in(team.pm), "gantt_move", "EHR-G", {"start": 28000000}, task_id=stranger.pk
    )
    assert response.status_code == 422
    assert Task.objects.get(pk=stranger.pk).version == 1


def test_viewers_cannot_edit_and_non_members_do_not_see_the_project(team: Team) -> None:
    orders = team.tasks["Order sets"]
    body = {"start": minutes(start(orders)) + 1440, "version": 1}
    before = snapshot(team.project)
    assert (
        post(signed_in(team.viewer), "gantt_move", "EHR-G", body, task_id=orders.pk).status_code
        == 403
    )
    link = {"predecessor": orders.pk, "successor": team.tasks["Reports"].pk}
    assert post(signed_in(team.viewer), "gantt_link", "EHR-G", link).status_code == 403
    assert (
        post(signed_in(team.outsider), "gantt_move", "EHR-G", body, task_id=orders.pk).status_code
        == 404
    )
    assert snapshot(team.project) == before


def test_edits_need_the_csrf_token(team: Team) -> None:
    orders = team.tasks["Order sets"]
    client = signed_in(team.pm, enforce_csrf_checks=True)
    response = post(client, "gantt_move", "EHR-G", {"start": 28000000}, task_id=orders.pk)
    assert response.status_code == 403


def test_edits_are_posts(team: Team) -> None:
    url = reverse("planning:gantt_move", args=["EHR-G", team.tasks["Order sets"].pk])
    assert signed_in(team.pm).get(url).status_code == 405


def test_change_values_are_the_stored_tasks(team: Team) -> None:
    """The plain values an edit answers with equal the tasks read back, key by key."""
    from hitpm.planning.editing import change_task

    orders = team.tasks["Order sets"]
    result = change_task(team.project, orders.pk, {"duration_minutes": 9 * DAY}, None)
    assert [v["id"] for v in result.values] == [t.pk for t in result.changed]
    for values, task in zip(result.values, result.changed, strict=True):
        assert values == {name: getattr(task, name) for name in values}
        assert values_row(values, {}) == task_row(task)
