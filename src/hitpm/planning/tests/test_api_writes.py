"""Planning API writes: tasks, links, progress, baselines, resources, DCMA; roles and ETags."""

from __future__ import annotations

import pytest

from hitpm.core.tests.api_fixtures import Team, audit_count, error_fields, make_team
from hitpm.planning.builder import PlanLink, PlanRow, build_plan
from hitpm.planning.models import Dependency, Task
from hitpm.planning.services import create_default_calendar, reschedule

pytestmark = pytest.mark.django_db
DAY = 480
P = "/projects/EHR-1"


@pytest.fixture
def team() -> Team:
    team = make_team()
    create_default_calendar(team.project)
    build_plan(
        team.project,
        [
            PlanRow("build", "Build"),
            PlanRow("orders", "Order sets", 2, 2 * DAY),
            PlanRow("testing", "Unit testing", 2, 3 * DAY, predecessors=(PlanLink("orders"),)),
            PlanRow("live", "Go-live", milestone=True, predecessors=(PlanLink("build"),)),
        ],
    )
    reschedule(team.project)
    return team


def task(name: str) -> Task:
    return Task.objects.get(name=name)


def test_patch_reschedules_and_returns_the_changed_tasks(team: Team) -> None:
    orders = task("Order sets")
    response = team.member.patch(
        f"{P}/tasks/{orders.pk}", {"duration_minutes": 4 * DAY}, if_match='"1"'
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert response["ETag"] == '"2"'
    assert body["task"]["duration_minutes"] == 4 * DAY
    assert {t["name"] for t in body["changed"]} == {
        "Build",
        "Order sets",
        "Unit testing",
        "Go-live",
    }
    assert body["project_finish"].startswith("2027-01-12T17:00")


def test_patch_needs_if_match_and_a_current_version(team: Team) -> None:
    orders = task("Order sets")
    assert team.member.patch(f"{P}/tasks/{orders.pk}", {"name": "X"}).status_code == 428
    stale = team.member.patch(f"{P}/tasks/{orders.pk}", {"name": "X"}, if_match='"7"')
    assert stale.status_code == 412
    assert stale.json()["current"]["name"] == "Order sets"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"duration_minutes": -1}, "duration_minutes"),
        ({"percent_complete": 101}, "percent_complete"),
        ({"constraint_type": "SOON"}, "constraint_type"),
        ({"wbs": "7"}, "wbs"),
        ({"predecessors": "99"}, None),
        ({"predecessors": "2FS+1x"}, None),
    ],
)
def test_bad_patches_are_422_and_change_nothing(
    team: Team, body: dict[str, object], field: str | None
) -> None:
    testing = task("Unit testing")
    before = audit_count()
    response = team.member.patch(f"{P}/tasks/{testing.pk}", body, if_match='"1"')
    assert response.status_code == 422, response.content
    assert error_fields(response) == {field}
    assert audit_count() == before
    assert task("Unit testing").version == 1
    assert Dependency.objects.count() == 2


def test_predecessors_text_through_patch(team: Team) -> None:
    live = task("Go-live")
    # Rows: 1 Build, 2 Order sets, 3 Unit testing, 4 Go-live.
    response = team.member.patch(f"{P}/tasks/{live.pk}", {"predecessors": "3FS+2d"}, if_match='"1"')
    assert response.status_code == 200, response.content
    link = Dependency.objects.get(successor=live)
    assert (link.predecessor.name, link.lag) == ("Unit testing", 2 * DAY)
    assert response.json()["task"]["start"].startswith("2027-01-12T17:00")


def test_create_indent_move_and_delete_tasks(team: Team) -> None:
    response = team.member.post(
        f"{P}/tasks", {"name": "Smoke test", "duration_minutes": DAY, "predecessors": "3"}
    )
    assert response.status_code == 201, response.content
    new = response.json()["task"]
    assert (new["wbs"], new["start"][:10]) == ("3", "2027-01-11")
    moved = team.member.post(
        f"{P}/tasks/{new['id']}/move", {"target_id": task("Unit testing").pk, "place": "after"}
    )
    assert moved.status_code == 200, moved.content
    assert task("Smoke test").wbs == "1.3"
    assert team.member.post(f"{P}/tasks/{new['id']}/outdent").status_code == 200
    assert task("Smoke test").wbs == "2"
    assert team.member.post(f"{P}/tasks/{new['id']}/indent").status_code == 200
    assert task("Smoke test").wbs == "1.3"
    current = task("Smoke test").version
    assert team.member.delete(f"{P}/tasks/{new['id']}", if_match=f'"{current}"').status_code == 204
    assert not Task.objects.filter(name="Smoke test").exists()


def test_links_create_change_and_delete(team: Team) -> None:
    orders, live = task("Order sets"), task("Go-live")
    made = team.member.post(
        f"{P}/dependencies",
        {"predecessor_id": orders.pk, "successor_id": live.pk, "type": "SS", "lag": DAY},
    )
    assert made.status_code == 201, made.content
    link = made.json()["link"]
    changed = team.member.patch(f"{P}/dependencies/{link['id']}", {"lag": 0}, if_match='"1"')
    assert changed.status_code == 200
    assert changed.json()["link"]["lag"] == 0
    gone = team.member.delete(f"{P}/dependencies/{link['id']}", if_match='"2"')
    assert gone.status_code == 204


def test_a_loop_is_refused_with_its_tasks_named(team: Team) -> None:
    before = audit_count()
    response = team.member.post(
        f"{P}/dependencies",
        {"predecessor_id": task("Unit testing").pk, "successor_id": task("Order sets").pk},
    )
    assert response.status_code == 422
    assert "loop" in response.json()["detail"]
    assert "Order sets" in response.json()["detail"]
    assert audit_count() == before
    self_link = team.member.post(
        f"{P}/dependencies",
        {"predecessor_id": task("Go-live").pk, "successor_id": task("Go-live").pk},
    )
    assert self_link.status_code == 422


def test_progress_baselines_variance_and_dcma(team: Team) -> None:
    saved = team.pm.post(f"{P}/baselines", {"name": "Approved plan"})
    assert saved.status_code == 201, saved.content
    baseline = saved.json()["id"]
    orders = task("Order sets")
    response = team.member.post(
        f"{P}/progress",
        {
            "status_date": "2027-01-06",
            "updates": [
                {
                    "task_id": orders.pk,
                    "version": 1,
                    "actual_start": "2027-01-04T08:00:00Z",
                    "percent_complete": 50,
                    "remaining_minutes": 2 * DAY,
                }
            ],
        },
    )
    assert response.status_code == 200, response.content
    rows = team.viewer.get(f"{P}/baselines/{baseline}/variance", slipped="true").json()
    assert {r["name"] for r in rows["items"]} >= {"Order sets", "Go-live"}
    milestones = team.viewer.get(f"{P}/baselines/{baseline}/variance", milestones="true").json()
    assert [r["name"] for r in milestones["items"]] == ["Go-live"]
    report = team.viewer.get(f"{P}/dcma").json()
    assert report["baseline"] == "Approved plan"
    assert len(report["checks"]) == 14
    schedule = team.viewer.get(f"{P}/schedule").json()
    assert schedule["status_date"] == "2027-01-06"


def test_resources_assignments_and_usage(team: Team) -> None:
    made = team.member.post(f"{P}/resources", {"name": "Clinical SME", "capacity_percent": 50})
    assert made.status_code == 201, made.content
    sme = made.json()["id"]
    for name in ("Order sets", "Unit testing"):
        assigned = team.member.post(
            f"{P}/assignments", {"task_id": task(name).pk, "resource_id": sme, "units_percent": 100}
        )
        assert assigned.status_code == 201, assigned.content
    usage = team.viewer.get(f"{P}/resource-usage", period="week").json()
    assert usage["resources"][0]["overallocated"][0] is True
    bad = team.member.post(f"{P}/resources", {"name": "Nobody", "capacity_percent": 0})
    assert error_fields(bad) == {"capacity_percent"}


def test_plan_settings_choose_mode_and_gantt_baseline(team: Team) -> None:
    baseline = team.pm.post(f"{P}/baselines", {"name": "Approved plan"}).json()["id"]
    current = team.viewer.get(f"{P}/plan-settings")
    response = team.pm.patch(
        f"{P}/plan-settings",
        {"progress_mode": "progress_override", "gantt_baseline_id": baseline},
        if_match=current["ETag"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["gantt_baseline_id"] == baseline


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/tasks", {"name": "New"}),
        ("post", "/dependencies", {"predecessor_id": 1, "successor_id": 2}),
        ("post", "/progress", {"updates": []}),
        ("post", "/resources", {"name": "Trainer"}),
        ("post", "/baselines", {"name": "B"}),
        ("post", "/schedule", None),
    ],
)
def test_viewers_cannot_write_and_strangers_do_not_see(
    team: Team, method: str, path: str, body: object
) -> None:
    assert team.viewer.call(method, P + path, body).status_code == 403
    assert team.stranger.call(method, P + path, body).status_code == 404
    assert team.stranger.get(f"{P}/dcma").status_code == 404


def test_team_members_cannot_save_baselines(team: Team) -> None:
    assert team.member.post(f"{P}/baselines", {"name": "Mine"}).status_code == 403
