"""Schedule risk analysis of a stored project: gather the inputs, run the engine, keep results.

A run stores the engine input (seed, estimates, risk events, options) and the plan as it was
(hitpm JSON), so :func:`repeat_run` reproduces it exactly even after the plan has changed, and
:func:`compare` sets two runs side by side.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.core.services import lock_current, save_validated
from hitpm.engine.model import ProjectSpec, TaskSpec
from hitpm.engine.montecarlo import (
    Correlation,
    Distribution,
    Estimate,
    IntArray,
    ProjectSimulation,
    RiskEvent,
    SimulationInput,
    simulate,
)
from hitpm.exchange.projectjson import project_from_dict, project_to_dict
from hitpm.planning.models import Task
from hitpm.planning.services import project_spec
from hitpm.portfolio.models import Project
from hitpm.risk.models import Risk, SimulationRun, TaskEstimate
from hitpm.risk.services.insights import OPEN_STATUSES

HISTOGRAM_BINS = 30
S_CURVE_POINTS = 60
MILESTONE_CHARTS = 100  # milestones that keep a histogram and S-curve (go-live, deadlines first)
TORNADO_BARS = 10
PROGRESS_EVERY_S = 0.5
STORE_ATTEMPTS = 10


@dataclass(frozen=True)
class RunOptions:
    """What the person starting a run chooses."""

    iterations: int = 2000
    seed: int | None = None
    distribution: Distribution = Distribution.TRIANGULAR
    template: tuple[float, float, float] = (0.9, 1.0, 1.3)
    latin_hypercube: bool = False
    convergence_tolerance: float | None = None
    include_risks: bool = True
    name: str = ""
    correlation: float | None = None  # one rank correlation between all estimated tasks


# --- Estimates ------------------------------------------------------------------------------


def save_estimate(
    task: Task, values: Mapping[str, Any], version: int | None = None
) -> TaskEstimate:
    """Create or change a task's three-point estimate (summaries have none)."""
    if task.is_summary:
        raise ValidationError({"task": "Summary tasks roll up from their tasks; estimate those."})
    with transaction.atomic():
        existing = TaskEstimate.objects.filter(task=task).first()
        estimate = (
            lock_current(TaskEstimate, existing.pk, version)
            if existing
            else TaskEstimate(task=task, project_id=task.project_id)
        )
        for name, value in values.items():
            setattr(estimate, name, value)
        return save_validated(estimate)


# --- Inputs ---------------------------------------------------------------------------------


def risk_events(project: Project, minutes_per_day: int) -> tuple[RiskEvent, ...]:
    """Open threats of the register that carry a schedule probability, a three-point delay
    and at least one linked task."""
    risks = (
        project.risks.filter(
            status__in=OPEN_STATUSES,
            kind=Risk.Kind.THREAT,
            schedule_probability__isnull=False,
            delay_max_days__isnull=False,
        )
        .prefetch_related("task_links")
        .order_by("number")
    )
    events = []
    for risk in risks:
        task_ids = tuple(sorted(link.task_id for link in risk.task_links.all()))
        if not task_ids:
            continue
        days = (risk.delay_min_days, risk.delay_likely_days, risk.delay_max_days)
        low, likely, high = (round(float(d or 0) * minutes_per_day) for d in days)
        probability = (risk.schedule_probability or 0) / 100
        events.append(
            RiskEvent(
                f"{risk.ref} {risk.title}", probability, Estimate(low, likely, high), task_ids
            )
        )
    return tuple(events)


def simulation_input(project: Project, spec: ProjectSpec, options: RunOptions) -> SimulationInput:
    """The engine input for a run of the project as it is now."""
    estimates = {
        e.task_id: Estimate(
            e.low_minutes,
            e.likely_minutes,
            e.high_minutes,
            Distribution(e.distribution) if e.distribution else None,
        )
        for e in project.task_estimates.all()
    }
    events = risk_events(project, spec.options.minutes_per_day) if options.include_risks else ()
    correlations: tuple[Correlation, ...] = ()
    if options.correlation and len(estimates) >= 2:
        correlations = (Correlation(tuple(sorted(estimates)), coefficient=options.correlation),)
    try:
        return SimulationInput(
            iterations=options.iterations,
            seed=_seed(options.seed),
            distribution=options.distribution,
            template=options.template,
            estimates=estimates,
            risks=events,
            correlations=correlations,
            latin_hypercube=options.latin_hypercube,
            convergence_tolerance=options.convergence_tolerance,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def _seed(seed: int | None) -> int:
    return seed if seed is not None else int(time.time_ns() % 2_147_483_647)


# --- Runs -----------------------------------------------------------------------------------


def start_run(project: Project, by: User | None, options: RunOptions) -> SimulationRun:
    """Store a queued run with everything needed to repeat it, and hand it to a worker."""
    from hitpm.risk import jobs

    if not project.tasks.exists():
        raise ValidationError("This project has no tasks to simulate; build the plan first.")
    spec = project_spec(project)
    run = store_run(project, by, options.name, simulation_input(project, spec, options), spec)
    jobs.queue(run)
    return run


def simulate_now(project: Project, by: User | None, options: RunOptions) -> SimulationRun:
    """Store a run and execute it in this process (the demo, ``hitpm simulate PROJECT``)."""
    spec = project_spec(project)
    run = store_run(project, by, options.name, simulation_input(project, spec, options), spec)
    return execute(run.pk)


def store_run(
    project: Project, by: User | None, name: str, inputs: SimulationInput, spec: ProjectSpec
) -> SimulationRun:
    """A queued run holding the engine input and the plan as simulated."""
    run = SimulationRun(
        project=project,
        created_by=by,
        name=name,
        iterations=inputs.iterations,
        seed=inputs.seed,
        inputs=inputs.to_dict(),
        plan=project_to_dict(spec),
    )
    return save_validated(run)


def repeat_run(run: SimulationRun, by: User | None) -> SimulationRun:
    """Queue an exact repeat of a run: same plan, same inputs, same seed."""
    from hitpm.risk import jobs

    again = SimulationRun(
        project=run.project,
        created_by=by,
        name=f"Repeat of {run}",
        iterations=run.iterations,
        seed=run.seed,
        inputs=run.inputs,
        plan=run.plan,
        repeat_of=run,
    )
    save_validated(again)
    jobs.queue(again)
    return again


def execute(run_id: int, clock: Callable[[], float] = time.monotonic) -> SimulationRun:
    """Run a queued simulation now, writing progress as it goes and the results at the end."""
    _store(run_id, status=SimulationRun.Status.RUNNING, started_at=timezone.now(), progress=0.0)
    run = SimulationRun.objects.get(pk=run_id)
    last = [clock()]

    def progress(fraction: float) -> None:
        if clock() - last[0] >= PROGRESS_EVERY_S or fraction >= 1:
            last[0] = clock()
            with contextlib.suppress(OperationalError):  # progress is best effort
                _store(run_id, attempts=1, progress=min(fraction, 1.0))

    began = clock()
    try:
        spec = project_from_dict(run.plan)
        simulation = simulate(spec, SimulationInput.from_dict(run.inputs), progress)
        results = summarise(spec, simulation, clock() - began, run.project)
    except Exception as exc:  # any failure is reported on the run rather than lost
        _store(
            run_id,
            status=SimulationRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
    else:
        _store(
            run_id,
            status=SimulationRun.Status.DONE,
            progress=1.0,
            results=results,
            finished_at=timezone.now(),
        )
    return SimulationRun.objects.get(pk=run_id)


def _store(run_id: int, attempts: int = STORE_ATTEMPTS, **fields: Any) -> None:
    """Write a run's state (and heartbeat), retrying while another writer holds the database
    (SQLite reports a busy table at once in some modes instead of waiting)."""
    for attempt in range(1, attempts + 1):
        try:
            SimulationRun.objects.filter(pk=run_id).update(updated_at=timezone.now(), **fields)
            return
        except OperationalError:
            if attempt == attempts:
                raise
            time.sleep(0.1 * attempt)


# --- Results --------------------------------------------------------------------------------


def summarise(
    spec: ProjectSpec, sim: ProjectSimulation, seconds: float, project: Project
) -> dict[str, Any]:
    """The figures a results page and the API show, JSON-ready (dates as ISO text)."""
    r = sim.result
    names = {t.uid: t.name for t in spec.tasks}
    day = spec.options.minutes_per_day
    tasks: list[dict[str, Any]] = [
        {
            "id": uid,
            "name": names.get(uid, str(uid)),
            "criticality": round(c, 4),
            "sensitivity": round(s, 4),
        }
        for uid, c, s in sim.tasks()
    ]
    tornado = sorted(tasks, key=lambda t: (-abs(t["sensitivity"]), t["id"]))
    risk_ids = dict(project.risks.values_list("number", "pk"))
    return {
        "iterations": r.iterations,
        "converged": r.converged,
        "seconds": round(seconds, 3),
        "finish": {
            **{f"p{p}": _iso(d) for p, d in sim.finish_dates().items()},
            "mean": _iso(sim.mean_date),
        },
        "deterministic_finish": _iso(sim.deterministic_date),
        "deterministic_confidence": round(r.deterministic_confidence, 4),
        **distribution(sim),
        "milestones": milestone_results(spec, sim, project.target_go_live),
        "tasks": tasks,
        "tornado": [t for t in tornado[:TORNADO_BARS] if t["sensitivity"] != 0],
        "risk_drivers": [
            {
                "name": d.name,
                "risk_id": risk_ids.get(_number(d.name) or 0),
                "occurrence": round(d.occurrence, 4),
                "mean_delay_days": round(d.mean_delay / day, 2),
                "correlation": round(d.correlation, 4),
            }
            for d in r.risk_drivers
        ],
        "warnings": list(r.warnings),
    }


def distribution(sim: ProjectSimulation, values: IntArray | None = None) -> dict[str, Any]:
    """The ``histogram`` (bins of dates with their iteration counts) and the ``s_curve``
    (up to about 60 [date, cumulative fraction] points) of the project finish, or of a
    milestone's finishes ``values``."""
    r = sim.result
    edges, counts = r.histogram(HISTOGRAM_BINS, values)
    distinct, fractions = r.s_curve(values)
    step = max(1, len(distinct) // S_CURVE_POINTS)
    picks = list(range(0, len(distinct), step))
    if picks and picks[-1] != len(distinct) - 1:
        picks.append(len(distinct) - 1)
    edge_dates = [_iso(d) for d in sim.dates(edges)]
    curve_dates = [_iso(d) for d in sim.dates(distinct[picks])]
    return {
        "histogram": [
            {"from": edge_dates[i], "to": edge_dates[i + 1], "count": int(counts[i])}
            for i in range(len(counts))
        ],
        "s_curve": [
            [when, round(float(fractions[i]), 4)]
            for when, i in zip(curve_dates, picks, strict=True)
        ],
    }


def milestone_results(
    spec: ProjectSpec, sim: ProjectSimulation, target_go_live: dt.date | None
) -> list[dict[str, Any]]:
    """Per simulated milestone, in plan order: P-dates, the deterministic date and the
    chance of meeting it, whether it is the go-live, the chance of meeting its deadline and
    (for the go-live) the target go-live date, and for up to ``MILESTONE_CHARTS`` of them
    (the go-live and milestones with a deadline first) the histogram and S-curve."""
    r = sim.result
    by_uid = {t.uid: t for t in spec.tasks}
    finishes = sim.milestone_finishes()
    go_live = go_live_milestone([by_uid[uid] for uid in finishes], finishes, target_go_live)
    position = {uid: i for i, uid in enumerate(finishes)}
    charted = set(
        sorted(
            finishes,
            key=lambda uid: (uid != go_live, by_uid[uid].deadline is None, position[uid]),
        )[:MILESTONE_CHARTS]
    )
    entries = []
    for uid, (values, plan) in finishes.items():
        task = by_uid[uid]
        targets = []
        if task.deadline is not None:
            targets.append(_target("Deadline", _iso(task.deadline), sim, task.deadline, values))
        if uid == go_live and target_go_live is not None:
            end_of_day = dt.datetime.combine(target_go_live, dt.time(23, 59))
            targets.append(
                _target("Target go-live", target_go_live.isoformat(), sim, end_of_day, values)
            )
        entry = {
            "id": uid,
            "name": task.name,
            **{f"p{p}": _iso(sim.date(v)) for p, v in r.percentiles(values).items()},
            "deterministic": _iso(sim.date(plan)),
            "deterministic_confidence": round(r.confidence(plan, values), 4),
            "go_live": uid == go_live,
            "targets": targets,
        }
        if uid in charted:
            entry.update(distribution(sim, values))
        entries.append(entry)
    return entries


def _target(
    label: str, shown: str, sim: ProjectSimulation, when: dt.datetime, values: IntArray
) -> dict[str, Any]:
    return {"label": label, "date": shown, "chance": round(sim.chance_by(when, values), 4)}


def go_live_milestone(
    milestones: list[TaskSpec],
    finishes: Mapping[int, tuple[IntArray, int]],
    target: dt.date | None,
) -> int | None:
    """The go-live among the simulated milestones: the one whose deadline falls on the
    project's target go-live date, else the last named "go-live" (as the status reports pick
    it); None when there is neither."""
    flagged = [t for t in milestones if t.milestone]
    dated = [t for t in flagged if target and t.deadline and t.deadline.date() == target]
    named = [t for t in flagged if "go-live" in t.name.lower() or "go live" in t.name.lower()]
    for candidates in (dated, named):
        if candidates:
            return max(candidates, key=lambda t: (finishes[t.uid][1], t.uid)).uid
    return None


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes")


def _number(event_name: str) -> int | None:
    """The register number of an event named "R-007 ..."."""
    ref = event_name.split(" ", 1)[0]
    return int(ref[2:]) if ref.startswith("R-") and ref[2:].isdigit() else None


@dataclass(frozen=True)
class Comparison:
    """Two runs' key figures side by side, with the later minus the earlier in days."""

    rows: list[tuple[str, str | None, str | None, float | None]]


def compare(first: SimulationRun, second: SimulationRun) -> Comparison:
    """Finish P-dates, mean and deterministic finish, then the P80 of every milestone both
    runs simulated (by task, in the later run's order)."""
    keys = [("P10", "p10"), ("P50", "p50"), ("P80", "p80"), ("P90", "p90"), ("Mean", "mean")]
    a, b = first.results or {}, second.results or {}
    rows: list[tuple[str, str | None, str | None, float | None]] = []
    for label, key in keys:
        x, y = a.get("finish", {}).get(key), b.get("finish", {}).get(key)
        rows.append((label, x, y, _days_between(x, y)))
    x, y = a.get("deterministic_finish"), b.get("deterministic_finish")
    rows.append(("Deterministic finish", x, y, _days_between(x, y)))
    earlier = {m["id"]: m for m in a.get("milestones", [])}
    for m in b.get("milestones", []):
        if (before := earlier.get(m["id"])) is not None:
            x, y = before.get("p80"), m.get("p80")
            rows.append((f"{m['name']} P80", x, y, _days_between(x, y)))
    return Comparison(rows)


def _days_between(x: str | None, y: str | None) -> float | None:
    if not x or not y:
        return None
    delta = dt.datetime.fromisoformat(y) - dt.datetime.fromisoformat(x)
    return round(delta.total_seconds() / 86400, 1)
