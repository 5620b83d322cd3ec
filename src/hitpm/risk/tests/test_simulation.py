"""Schedule risk analysis from stored projects: inputs, stored runs, repeats, jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.db.models import QuerySet
from django.utils import timezone

from hitpm.core import jobs as core_jobs
from hitpm.engine.model import TaskSpec
from hitpm.engine.montecarlo import Distribution
from hitpm.risk import jobs
from hitpm.risk.models import Risk, SimulationRun, TaskEstimate
from hitpm.risk.services import simulation
from hitpm.risk.services.register import update_risk
from hitpm.risk.tests.fixtures import (
    DAY,
    Team,
    make_chain,
    make_milestones,
    make_risk,
    make_team,
)

pytestmark = pytest.mark.django_db
RESULT_KEYS = {
    "iterations",
    "converged",
    "seconds",
    "finish",
    "deterministic_finish",
    "deterministic_confidence",
    "histogram",
    "s_curve",
    "milestones",
    "tasks",
    "tornado",
    "risk_drivers",
    "warnings",
}


@pytest.fixture
def team(monkeypatch: pytest.MonkeyPatch) -> Team:
    monkeypatch.setenv("HITPM_JOBS", "worker")  # runs stay queued; the tests execute them
    return make_team()


def _run(team: Team, **options: Any) -> SimulationRun:
    chosen = simulation.RunOptions(**{"iterations": 500, "seed": 7, **options})
    run = simulation.start_run(team.project, team.pm, chosen)
    return simulation.execute(run.pk)


def test_a_run_is_stored_with_its_inputs_and_results(team: Team) -> None:
    tasks = make_chain(team.project)
    simulation.save_estimate(
        tasks[1],
        {
            "low_minutes": 8 * DAY,
            "likely_minutes": 10 * DAY,
            "high_minutes": 20 * DAY,
            "distribution": "pert",
        },
    )
    risk = make_risk(
        team.project,
        team.pm,
        schedule_probability=50,
        delay_min_days=2,
        delay_likely_days=4,
        delay_max_days=10,
    )
    update_risk(risk, {}, None, team.pm, task_ids=[tasks[2].pk])
    run = _run(team)
    assert run.status == SimulationRun.Status.DONE
    assert run.progress == 1.0
    assert run.seed == 7
    assert run.inputs["seed"] == 7
    assert run.inputs["iterations"] == 500
    assert run.inputs["estimates"] == [
        {"task": tasks[1].pk, "min": 3840, "likely": 4800, "max": 9600, "distribution": "pert"}
    ]
    assert run.inputs["risks"][0]["tasks"] == [tasks[2].pk]
    assert run.inputs["risks"][0]["probability"] == 0.5
    assert [t["uid"] for t in run.plan["tasks"]] == [t.pk for t in tasks]
    r = run.results
    assert r is not None
    assert set(r) == RESULT_KEYS
    assert r["iterations"] == 500
    assert set(r["finish"]) == {"p10", "p50", "p80", "p90", "mean"}
    assert r["finish"]["p10"] <= r["finish"]["p50"] <= r["finish"]["p80"] <= r["finish"]["p90"]
    assert sum(b["count"] for b in r["histogram"]) == 500
    assert r["s_curve"][-1][1] == 1.0
    assert {t["id"] for t in r["tasks"]} == {t.pk for t in tasks}
    assert all(t["criticality"] == 1.0 for t in r["tasks"])  # one path: always critical
    assert r["risk_drivers"][0]["risk_id"] == risk.pk
    assert 0.4 < r["risk_drivers"][0]["occurrence"] < 0.6
    assert 0 <= r["deterministic_confidence"] <= 1


def test_the_same_seed_repeats_exactly_even_after_the_plan_changed(team: Team) -> None:
    tasks = make_chain(team.project)
    first = _run(team)
    tasks[0].duration_minutes = 40 * DAY
    tasks[0].save()
    again = simulation.execute(simulation.repeat_run(first, team.member).pk)
    assert again.repeat_of == first
    assert again.results is not None
    assert first.results is not None
    assert again.results["finish"] == first.results["finish"]
    assert again.results["tasks"] == first.results["tasks"]
    fresh = _run(team)  # the changed plan finishes later
    assert fresh.results is not None
    assert fresh.results["finish"]["p50"] > first.results["finish"]["p50"]
    rows = simulation.compare(first, fresh).rows
    assert rows[1][0] == "P50"
    assert rows[1][3] is not None
    assert rows[1][3] > 0


def test_zero_uncertainty_gives_the_deterministic_date(team: Team) -> None:
    tasks = make_chain(team.project)
    (go_live,) = make_milestones(team.project, tasks[1], ("Go-live",))
    run = _run(team, distribution=Distribution.FIXED, template=(1.0, 1.0, 1.0))
    r = run.results
    assert r is not None
    assert r["finish"]["p10"] == r["finish"]["p90"] == r["deterministic_finish"]
    assert r["deterministic_confidence"] == 1.0
    assert len(r["histogram"]) == 1  # one date: one bin
    (m,) = r["milestones"]
    planned = _iso(go_live.finish)
    assert m["deterministic"] == m["p10"] == m["p90"] == planned
    assert m["histogram"] == [{"from": planned, "to": planned, "count": 500}]
    assert m["s_curve"] == [[planned, 1.0]]
    assert m["deterministic_confidence"] == 1.0


def _iso(value: dt.datetime | None) -> str:
    assert value is not None
    return value.replace(tzinfo=None).isoformat(timespec="minutes")


def test_milestones_get_distributions_and_the_chance_of_their_targets(team: Team) -> None:
    tasks = make_chain(team.project)
    finish = tasks[-1].finish
    assert finish is not None
    go_live, review = make_milestones(
        team.project, tasks[-1], ("Go-live", "30-day review"), finish + dt.timedelta(days=2)
    )
    team.project.target_go_live = finish.date()
    team.project.save()
    r = _run(team).results
    assert r is not None
    assert set(r) == RESULT_KEYS
    first, second = r["milestones"]
    assert (first["id"], first["name"], first["go_live"]) == (go_live.pk, "Go-live", True)
    assert (second["id"], second["go_live"], second["targets"]) == (review.pk, False, [])
    assert first["deterministic"] == _iso(go_live.finish)
    assert first["p10"] <= first["p50"] <= first["p80"] <= first["p90"]
    assert first["p50"] == r["finish"]["p50"]  # the go-live ends the plan
    assert first["deterministic_confidence"] == r["deterministic_confidence"]
    assert sum(b["count"] for b in first["histogram"]) == 500
    assert len(first["histogram"]) == simulation.HISTOGRAM_BINS
    assert first["s_curve"][-1][1] == 1.0
    deadline, target = first["targets"]
    assert (deadline["label"], deadline["date"]) == ("Deadline", _iso(go_live.deadline))
    assert (target["label"], target["date"]) == ("Target go-live", finish.date().isoformat())
    assert 0 < target["chance"] < deadline["chance"] <= 1  # two days later is likelier
    curve = dict(first["s_curve"])
    on_target = max(f for d, f in curve.items() if d[:10] <= target["date"])
    assert target["chance"] == pytest.approx(on_target, abs=0.05)
    assert "histogram" in second


def test_the_go_live_is_the_milestone_due_on_the_target_date_else_the_named_one() -> None:
    named = TaskSpec(uid=1, name="Go-live: all units", milestone=True)
    due = TaskSpec(uid=2, name="Board sign-off", milestone=True,
                   deadline=dt.datetime(2027, 5, 3, 17))  # fmt: skip
    plain = TaskSpec(uid=3, name="Go-live rehearsal done", duration_minutes=0)
    finishes: dict[int, Any] = {1: (None, 10), 2: (None, 5), 3: (None, 20)}
    pick = simulation.go_live_milestone
    assert pick([named, due, plain], finishes, dt.date(2027, 5, 3)) == 2
    assert pick([named, due, plain], finishes, dt.date(2027, 5, 4)) == 1
    assert pick([named, due, plain], finishes, None) == 1
    assert pick([due, plain], finishes, None) is None  # zero duration is not flagged


def test_compare_adds_the_p80_of_milestones_both_runs_have(team: Team) -> None:
    tasks = make_chain(team.project)
    make_milestones(team.project, tasks[-1], ("Go-live",))
    first = _run(team)
    second = _run(team, seed=8)
    labels = [row[0] for row in simulation.compare(first, second).rows]
    assert labels[-1] == "Go-live P80"
    first.results = {k: v for k, v in (first.results or {}).items() if k != "milestones"}
    assert "Go-live P80" not in [row[0] for row in simulation.compare(first, second).rows]


def test_bad_inputs_are_refused_before_anything_is_queued(team: Team) -> None:
    with pytest.raises(ValidationError, match="no tasks"):
        simulation.start_run(team.project, team.pm, simulation.RunOptions())
    make_chain(team.project)
    with pytest.raises(ValidationError, match="template"):
        simulation.start_run(team.project, team.pm, simulation.RunOptions(template=(1.2, 1.0, 0.9)))
    assert not SimulationRun.objects.exists()


def test_estimates_must_be_in_order_and_not_on_summaries(team: Team) -> None:
    task = make_chain(team.project)[0]
    with pytest.raises(ValidationError):
        simulation.save_estimate(task, {"low_minutes": 10, "likely_minutes": 5, "high_minutes": 20})
    task.is_summary = True
    with pytest.raises(ValidationError):
        simulation.save_estimate(task, {"low_minutes": 1, "likely_minutes": 2, "high_minutes": 3})
    assert not TaskEstimate.objects.exists()


def test_a_failing_run_is_marked_failed_with_the_reason(team: Team) -> None:
    make_chain(team.project)
    run = simulation.start_run(team.project, team.pm, simulation.RunOptions(iterations=100))
    SimulationRun.objects.filter(pk=run.pk).update(plan={"tasks": "nonsense"})
    failed = simulation.execute(run.pk)
    assert failed.status == SimulationRun.Status.FAILED
    assert failed.error


def test_worker_claims_queued_runs_and_requeues_abandoned_ones(team: Team) -> None:
    make_chain(team.project)
    run = simulation.start_run(team.project, team.pm, simulation.RunOptions(iterations=100))
    kind = next(k for k in core_jobs.kinds() if k.name == jobs.KIND)
    claimed = kind.claim()
    assert claimed == run.pk
    kind.execute(claimed)
    run.refresh_from_db()
    assert run.status == SimulationRun.Status.DONE
    SimulationRun.objects.filter(pk=run.pk).update(
        status=SimulationRun.Status.RUNNING, updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert jobs.requeue_abandoned() == 1
    assert jobs.claim_next() is not None
    assert jobs.claim_next() is None


def test_closed_risks_and_risks_without_tasks_are_not_events(team: Team) -> None:
    tasks = make_chain(team.project)
    fields = {
        "schedule_probability": 30,
        "delay_min_days": 1,
        "delay_likely_days": 2,
        "delay_max_days": 3,
    }
    make_risk(team.project, team.pm, **fields)  # no linked task
    closed = make_risk(team.project, team.pm, status=Risk.Status.CLOSED, **fields)
    update_risk(closed, {}, None, team.pm, task_ids=[tasks[0].pk])
    assert simulation.risk_events(team.project, DAY) == ()


def test_simulation_is_a_registered_job_kind() -> None:
    assert jobs.KIND in {k.name for k in core_jobs.kinds()}


def test_simulate_now_runs_in_this_process(team: Team) -> None:
    make_chain(team.project)
    run = simulation.simulate_now(team.project, None, simulation.RunOptions(iterations=100, seed=1))
    assert run.status == SimulationRun.Status.DONE
    assert run.results is not None
    assert run.results["iterations"] == 100


def test_correlated_estimates_are_stored_with_the_run(team: Team) -> None:
    tasks = make_chain(team.project)
    for task in tasks[:2]:
        simulation.save_estimate(
            task, {"low_minutes": 4 * DAY, "likely_minutes": 5 * DAY, "high_minutes": 9 * DAY}
        )
    run = _run(team, correlation=0.6)
    assert run.inputs["correlations"] == [
        {"tasks": [tasks[0].pk, tasks[1].pk], "coefficient": 0.6, "matrix": None}
    ]
    assert run.status == SimulationRun.Status.DONE


def test_state_writes_retry_while_the_database_is_busy(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_chain(team.project)
    run = simulation.start_run(team.project, team.pm, simulation.RunOptions(iterations=100))
    real_update = QuerySet.update
    failures = [OperationalError("database table is locked")] * 2

    def busy_update(self: QuerySet[Any], **fields: Any) -> int:
        if failures and self.model is SimulationRun:
            raise failures.pop()
        return real_update(self, **fields)

    monkeypatch.setattr(QuerySet, "update", busy_update)
    monkeypatch.setattr(simulation.time, "sleep", lambda seconds: None)
    assert simulation.execute(run.pk).status == SimulationRun.Status.DONE
    assert failures == []
