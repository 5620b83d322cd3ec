"""Baselines and variance, progress updates, slipping tasks and milestones at risk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hitpm.core.services import StaleVersion
from hitpm.engine.model import ProgressMode
from hitpm.planning.baselines import (
    baseline_for_gantt,
    save_baseline,
    set_gantt_baseline,
    slipped_milestones,
    variances,
)
from hitpm.planning.editing import change_task
from hitpm.planning.models import PlanSettings, Task
from hitpm.planning.progress import (
    candidates,
    milestones_at_risk,
    set_progress_mode,
    set_status_date,
    slipping_tasks,
    update_progress,
)
from hitpm.planning.spec import project_spec
from hitpm.planning.tests.conftest import DAY

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_variance_against_a_saved_baseline(plan: dict[str, Task]) -> None:
    project, orders = plan["Order sets"].project, plan["Order sets"]
    approved = save_baseline(project, "Approved plan")
    assert approved.rows.count() == 5
    change_task(project, orders.pk, {"duration_minutes": 4 * DAY}, None)
    rows = {v.task.name: v for v in variances(project, approved)}
    assert rows["Order sets"].duration_variance == 2 * DAY
    assert rows["Order sets"].start_variance == 0
    assert rows["Unit testing"].start_variance == 2 * DAY
    assert rows["Go-live"].finish_variance == 2 * DAY
    assert rows["Training"].finish_variance == 0
    assert [v.task.name for v in slipped_milestones(project, approved)] == ["Go-live"]
    assert [v.task.name for v in slipping_tasks(project, approved)] == [
        "Order sets",
        "Unit testing",
        "Go-live",
    ]


def test_several_baselines_and_the_gantt_choice(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    assert baseline_for_gantt(project) is None
    first = save_baseline(project, "Approved plan")
    second = save_baseline(project, "Re-plan after design")
    assert baseline_for_gantt(project) == second
    set_gantt_baseline(project, first.pk)
    assert baseline_for_gantt(project) == first
    with pytest.raises(ValidationError, match="already has a baseline"):
        save_baseline(project, "Approved plan")
    with pytest.raises(ValidationError):
        save_baseline(project, "  ")
    with pytest.raises(ValidationError, match="no baseline"):
        set_gantt_baseline(project, 999999)
    assert project.baselines.count() == 2


def test_progress_update_in_bulk_reschedules_once(plan: dict[str, Task]) -> None:
    project = plan["Order sets"].project
    set_status_date(project, dt.date(2027, 3, 3), project.version)
    orders, training = plan["Order sets"], plan["Training"]
    result = update_progress(
        project,
        [
            {
                "task_id": orders.pk,
                "version": 1,
                "actual_start": "2027-03-01T08:00:00+00:00",
                "actual_finish": "2027-03-02T17:00:00+00:00",
            },
            {
                "task_id": training.pk,
                "version": 1,
                "actual_start": "2027-03-01T08:00:00+00:00",
                "percent_complete": 40,
                "remaining_minutes": 4 * DAY,
            },
        ],
    )
    orders.refresh_from_db()
    training.refresh_from_db()
    assert orders.actual_start == dt.datetime(2027, 3, 1, 8, tzinfo=UTC)
    assert orders.actual_finish == dt.datetime(2027, 3, 2, 17, tzinfo=UTC)
    assert training.percent_complete == 40
    # Remaining work resumes after the status date (Wed 3 March): four days from Thursday.
    assert training.finish == dt.datetime(2027, 3, 9, 17, tzinfo=UTC)
    assert {"Order sets", "Training"} <= {t.name for t in result.changed}


def test_a_bad_progress_row_refuses_the_whole_update(plan: dict[str, Task]) -> None:
    project, orders, training = plan["Build"].project, plan["Order sets"], plan["Training"]
    with pytest.raises(ValidationError, match="Training"):
        update_progress(
            project,
            [
                {"task_id": orders.pk, "version": 1, "percent_complete": 50},
                {"task_id": training.pk, "version": 1, "percent_complete": 150},
            ],
        )
    with pytest.raises(StaleVersion):
        update_progress(project, [{"task_id": orders.pk, "version": 9, "percent_complete": 5}])
    with pytest.raises(ValidationError, match="summary"):
        update_progress(project, [{"task_id": plan["Build"].pk, "percent_complete": 5}])
    assert Task.objects.get(pk=orders.pk).percent_complete == 0


def test_candidates_are_the_work_due_by_the_status_date(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    set_status_date(project, dt.date(2027, 3, 2), project.version)
    assert [t.name for t in candidates(project, window_days=1)] == ["Order sets", "Training"]
    assert len(candidates(project, everything=True)) == 4
    with pytest.raises(ValidationError, match="Enter the actual date"):
        change_task(project, plan["Order sets"].pk, {"percent_complete": 10}, None)
    with pytest.raises(ValidationError):
        set_status_date(project, dt.date(2026, 1, 1), None)


def test_progress_mode_is_stored_and_used(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    set_progress_mode(project, "progress_override")
    assert PlanSettings.objects.get(project=project).progress_mode == "progress_override"
    assert project_spec(project).options.progress_mode is ProgressMode.PROGRESS_OVERRIDE
    with pytest.raises(ValidationError):
        set_progress_mode(project, "whatever")


def test_milestones_at_risk(plan: dict[str, Task]) -> None:
    project, live = plan["Go-live"].project, plan["Go-live"]
    approved = save_baseline(project, "Approved plan")
    assert milestones_at_risk(project, approved) == []
    change_task(project, live.pk, {"deadline": "2027-03-04T17:00:00+00:00"}, None)
    change_task(project, plan["Order sets"].pk, {"duration_minutes": 3 * DAY}, None)
    (risk,) = milestones_at_risk(project, approved)
    assert risk.variance.task.name == "Go-live"
    assert "1 working day later than the baseline" in risk.reasons
    assert any("deadline" in r for r in risk.reasons)
