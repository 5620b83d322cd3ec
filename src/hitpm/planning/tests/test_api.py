"""/api/v1/projects/{code}/tasks and /dependencies: reading the plan."""

from __future__ import annotations

import datetime as dt

import pytest

from hitpm.core.tests.api_fixtures import Response, Team, error_fields, make_team
from hitpm.core.tests.web_fixtures import at, make_task
from hitpm.engine.model import ConstraintType, LinkType
from hitpm.planning.models import Dependency, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> Team:
    team = make_team()
    project = team.project
    phase = make_task(project, 1, "Build", is_summary=True)
    build = make_task(
        project, 2, "Interface build", parent=phase, outline_level=2, duration_minutes=4800,
        critical=True, start=at(dt.date(2027, 1, 4), 8), finish=at(dt.date(2027, 1, 15)),
    )  # fmt: skip
    live = make_task(
        project, 3, "Go-live", milestone=True, critical=True,
        constraint_type=ConstraintType.MSO, constraint_date=at(dt.date(2027, 2, 1), 8),
    )  # fmt: skip
    make_task(project, 4, "Training", duration_minutes=960, total_float_minutes=2400)
    Dependency.objects.create(project=project, predecessor=build, successor=live)
    Dependency.objects.create(
        project=project, predecessor=phase, successor=live, type=LinkType.SS, lag=480
    )
    make_task(team.foreign, 1, "Analyser interface")
    return team


def names(response: Response) -> list[str]:
    return [t["name"] for t in response.json()["items"]]


def test_tasks_in_plan_order(team: Team) -> None:
    response = team.viewer.get("/projects/EHR-1/tasks")
    assert response.status_code == 200
    assert names(response) == ["Build", "Interface build", "Go-live", "Training"]
    build = response.json()["items"][1]
    assert build["critical"] is True
    assert build["start"].startswith("2027-01-04T08:00")
    assert build["constraint_type"] == "ASAP"


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"milestone": "true"}, ["Go-live"]),
     ({"critical": "true"}, ["Interface build", "Go-live"]),
     ({"critical": "false"}, ["Build", "Training"]),
     ({"summary": "true"}, ["Build"]),
     ({"outline_level": 1}, ["Build", "Go-live", "Training"]),
     ({"q": "interface"}, ["Interface build"]),
     ({"order": "-position", "page_size": 2}, ["Training", "Go-live"])],
)  # fmt: skip
def test_task_filters(team: Team, query: dict[str, object], expected: list[str]) -> None:
    assert names(team.viewer.get("/projects/EHR-1/tasks", **query)) == expected


def test_children_of_a_task(team: Team) -> None:
    parent = Task.objects.get(name="Build")
    assert names(team.pm.get("/projects/EHR-1/tasks", parent=parent.pk)) == ["Interface build"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"milestone": "maybe"}, "milestone"), ({"parent": "top"}, "parent"),
     ({"order": "cost"}, "order")],
)  # fmt: skip
def test_bad_task_filters_are_422(team: Team, query: dict[str, str], field: str) -> None:
    response = team.pm.get("/projects/EHR-1/tasks", **query)
    assert response.status_code == 422
    assert error_fields(response) == {field}


def test_one_task_with_etag(team: Team) -> None:
    live = Task.objects.get(name="Go-live")
    response = team.viewer.get(f"/projects/EHR-1/tasks/{live.pk}")
    assert (response.status_code, response["ETag"]) == (200, '"1"')
    assert response.json()["constraint_type"] == "MSO"
    assert response.json()["milestone"] is True


def test_tasks_of_other_projects_are_404(team: Team) -> None:
    foreign = Task.objects.get(name="Analyser interface")
    assert team.pm.get(f"/projects/EHR-1/tasks/{foreign.pk}").status_code == 404
    assert team.pm.get("/projects/LAB-2/tasks").status_code == 404
    assert team.pm.get("/projects/LAB-2/dependencies").status_code == 404
    assert team.pm.get("/projects/EHR-1/tasks/9999").status_code == 404


def test_dependencies(team: Team) -> None:
    links = team.viewer.get("/projects/EHR-1/dependencies").json()["items"]
    assert {(link["type"], link["lag"]) for link in links} == {("FS", 0.0), ("SS", 480.0)}
    build = Task.objects.get(name="Interface build")
    only = team.viewer.get("/projects/EHR-1/dependencies", task=build.pk).json()["items"]
    assert [link["predecessor_id"] for link in only] == [build.pk]
    live = Task.objects.get(name="Go-live")
    into = team.viewer.get("/projects/EHR-1/dependencies", successor=live.pk).json()
    assert into["count"] == 2
