"""Interactive edits: change a task, link, unlink; each validates, reschedules, reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hitpm.audit.models import AuditEntry
from hitpm.core.services import StaleVersion
from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.planning.editing import change_link, change_task, link_tasks, unlink
from hitpm.planning.models import Dependency, Task
from hitpm.planning.tests.conftest import DAY
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def state(project: Project) -> list[tuple[object, ...]]:
    """Everything an edit could change, to prove a refused edit changed nothing."""
    tasks = project.tasks.order_by("pk").values_list(
        "pk", "version", "duration_minutes", "constraint_type", "start", "finish", "wbs"
    )
    links = project.dependencies.order_by("pk").values_list("pk", "version", "type", "lag")
    return [*tasks, *links]


def test_a_longer_task_moves_its_successors_and_reports_them(plan: dict[str, Task]) -> None:
    orders = plan["Order sets"]
    result = change_task(orders.project, orders.pk, {"duration_minutes": 4 * DAY}, 1)
    names = [t.name for t in result.changed]
    assert names == ["Build", "Order sets", "Unit testing", "Go-live", "Training"]  # its float
    testing = next(t for t in result.changed if t.name == "Unit testing")
    assert testing.start == dt.datetime(2027, 3, 5, 8, tzinfo=UTC)
    assert result.project_finish == dt.datetime(2027, 3, 9, 17, tzinfo=UTC)
    assert fresh(orders).version == 2
    assert result.removed_ids == []


def test_dragging_a_bar_sets_a_start_no_earlier_than_constraint(plan: dict[str, Task]) -> None:
    training = plan["Training"]
    when = dt.datetime(2027, 3, 8, 8, tzinfo=UTC)
    result = change_task(training.project, training.pk, {"start": when.isoformat()}, None)
    moved = fresh(training)
    assert (moved.constraint_type, moved.constraint_date) == (ConstraintType.SNET, when)
    assert moved.start == when
    assert "Training" in [t.name for t in result.changed]


def test_dragging_a_bar_end_sets_the_working_duration(plan: dict[str, Task]) -> None:
    training = plan["Training"]
    change_task(
        training.project, training.pk, {"finish": dt.datetime(2027, 3, 2, 17, tzinfo=UTC)}, None
    )
    assert fresh(training).duration_minutes == 2 * DAY


def test_a_stale_version_changes_nothing(plan: dict[str, Task]) -> None:
    orders = plan["Order sets"]
    before = state(orders.project)
    with pytest.raises(StaleVersion):
        change_task(orders.project, orders.pk, {"duration_minutes": DAY}, 7)
    assert state(orders.project) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"percent_complete": 120}, "percent_complete"),
        ({"percent_complete": "lots"}, "percent_complete"),
        ({"constraint_type": "SOMEDAY"}, "constraint_type"),
        ({"constraint_type": "MSO"}, "__all__"),
        ({"deadline": "next Tuesday"}, "deadline"),
        ({"actual_finish": "2027-03-02T17:00:00+00:00"}, "actual_start"),
        ({"owner_id": 999999}, "owner_id"),
        ({"calendar_id": 999999}, "calendar_id"),
        ({"name": ""}, "name"),
        ({"wbs": "9"}, "wbs"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    plan: dict[str, Task], changes: dict[str, object], field: str
) -> None:
    orders = plan["Order sets"]
    before, audit = state(orders.project), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        change_task(orders.project, orders.pk, changes, 1)
    assert field in caught.value.message_dict
    assert state(orders.project) == before
    assert AuditEntry.objects.count() == audit


def test_a_summary_cannot_be_dragged(plan: dict[str, Task]) -> None:
    build = plan["Build"]
    with pytest.raises(ValidationError, match="summary"):
        change_task(build.project, build.pk, {"start": "2027-03-09T08:00:00+00:00"}, None)


def test_link_moves_the_successor_and_unlink_moves_it_back(plan: dict[str, Task]) -> None:
    project, training = plan["Training"].project, plan["Training"]
    result = link_tasks(project, plan["Order sets"].pk, training.pk, LinkType.SS, DAY)
    assert fresh(training).start == dt.datetime(2027, 3, 2, 8, tzinfo=UTC)
    assert "Training" in [t.name for t in result.changed]
    link = Dependency.objects.get(successor=training)
    result = change_link(project, link.pk, {"type": "FS", "lag": 0}, link.version)
    assert fresh(training).start == dt.datetime(2027, 3, 3, 8, tzinfo=UTC)
    result = unlink(project, link.pk, link.version + 1)
    assert result.removed_ids == [link.pk]
    assert fresh(training).start == dt.datetime(2027, 3, 1, 8, tzinfo=UTC)


def test_percent_lag_and_elapsed_lag(plan: dict[str, Task]) -> None:
    project, training = plan["Training"].project, plan["Training"]
    link_tasks(project, plan["Order sets"].pk, training.pk, LinkType.SS, 50, LagFormat.PERCENT)
    assert fresh(training).start == dt.datetime(2027, 3, 2, 8, tzinfo=UTC)


def test_a_loop_is_refused_by_name_and_nothing_is_written(plan: dict[str, Task]) -> None:
    project = plan["Go-live"].project
    before = state(project)
    with pytest.raises(ValidationError) as caught:
        link_tasks(project, plan["Go-live"].pk, plan["Order sets"].pk)
    message = caught.value.messages[0]
    assert "loop" in message
    assert "1.1 Order sets -> 1.2 Unit testing" in message or "Go-live" in message
    assert "2 Go-live" in message
    assert state(project) == before


@pytest.mark.parametrize(
    ("pred", "succ", "words"),
    [
        ("Training", "Training", "itself"),
        ("Order sets", "Unit testing", "already a predecessor"),
        ("Build", "Order sets", "summary"),
    ],
)
def test_bad_links_are_refused(plan: dict[str, Task], pred: str, succ: str, words: str) -> None:
    project = plan[pred].project
    before = state(project)
    with pytest.raises(ValidationError, match=words):
        link_tasks(project, plan[pred].pk, plan[succ].pk)
    assert state(project) == before


def test_links_across_projects_and_bad_lags_are_refused(plan: dict[str, Task]) -> None:
    project = plan["Training"].project
    other = Project.objects.create(
        portfolio=project.portfolio, code="LAB", name="Lab", start_date=project.start_date
    )
    foreign = Task.objects.create(project=other, position=0, name="Analyser")
    with pytest.raises(ValidationError, match="no task"):
        link_tasks(project, foreign.pk, plan["Training"].pk)
    with pytest.raises(ValidationError) as caught:
        link_tasks(project, plan["Order sets"].pk, plan["Training"].pk, lag="soon")  # type: ignore[arg-type]
    assert "lag" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        link_tasks(project, plan["Order sets"].pk, plan["Training"].pk, "XX")  # type: ignore[arg-type]
    assert "type" in caught.value.message_dict
    assert not Dependency.objects.filter(successor=plan["Training"]).exists()
