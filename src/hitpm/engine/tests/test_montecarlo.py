"""Monte Carlo engine: agreement with CPM, distribution moments, statistics, sampling, errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from hitpm.engine import _mc_kernels as kern
from hitpm.engine._mc_sampling import CorrelatedGroup, group_matrix, iman_conover, uniforms
from hitpm.engine.cpm import schedule, schedule_arrays
from hitpm.engine.model import ConstraintType, ProgressMode, ProjectSpec, ScheduleOptions
from hitpm.engine.montecarlo import (
    Correlation,
    Distribution,
    Estimate,
    ProjectSimulation,
    RiskEvent,
    SimulationInput,
    SimulationResult,
    model_from_arrays,
    run,
    simulate,
    warm_up,
)
from hitpm.engine.network import NetworkError, links_from_edges
from hitpm.engine.randomnet import random_arrays, random_project
from hitpm.engine.tests.helpers import days, link, project, task
from hitpm.exchange.files import read_project_file

MSPDI = sorted(Path("/work/shared/data/mspdi").glob("*.xml"))
FIXED = SimulationInput(iterations=4, distribution=Distribution.FIXED)


def single_task(estimate: Estimate, iterations: int, **options: object) -> SimulationResult:
    """One task whose duration is the project's duration."""
    inputs = SimulationInput(iterations=iterations, seed=7, estimates={0: estimate},
                             sensitivity=False, **options)  # type: ignore[arg-type]  # fmt: skip
    return run(model_from_arrays([estimate.likely], links_from_edges(1, [], []), inputs), inputs)


# -- zero uncertainty is the critical path method ----------------------------------------


@pytest.mark.skipif(not MSPDI, reason="shared MSPDI samples not available")
@pytest.mark.parametrize("path", MSPDI, ids=lambda p: p.name)
def test_fixed_durations_give_the_cpm_finish_on_real_files(path: Path) -> None:
    spec = read_project_file(path)
    assert {t.calendar_uid for t in spec.tasks} <= {None, spec.calendar_uid}
    outcome = simulate(spec, FIXED)
    cpm = schedule(spec)
    assert outcome.deterministic_date == cpm.finish
    assert all(outcome.date(int(f)) == cpm.finish for f in outcome.result.finish)
    assert outcome.result.deterministic_confidence == 1.0


@pytest.mark.parametrize("seed", range(6))
def test_fixed_durations_give_cpm_dates_and_critical_tasks_on_random_networks(seed: int) -> None:
    net = random_arrays(400, seed=seed)
    result = run(model_from_arrays(net.durations, net.links, FIXED), FIXED)
    cpm = schedule_arrays(net.durations, net.links)
    assert (result.finish == cpm.finish).all()
    assert result.deterministic_finish == cpm.finish
    assert result.criticality.tolist() == cpm.critical.astype(float).tolist()


def progressed(seed: int) -> ProjectSpec:
    """A random project with percent and elapsed lags, constraints, a status date, completed
    and started tasks, on one calendar."""
    spec = random_project(60, seed=seed, varied=True)
    spec = dataclasses.replace(spec, tasks=[dataclasses.replace(t, calendar_uid=None)
                                            for t in spec.tasks])  # fmt: skip
    plan = schedule(spec)
    status = (plan.start + (plan.finish - plan.start) * 0.3).replace(hour=17, minute=0)
    rng = np.random.default_rng(seed)
    tasks = []
    for t, r in zip(spec.tasks, plan.tasks, strict=True):
        draw = rng.random()
        if r.finish <= status and draw < 0.5:
            t = dataclasses.replace(t, actual_start=r.start, actual_finish=r.finish)
        elif r.start < status < r.finish and draw < 0.7:
            t = dataclasses.replace(t, actual_start=r.start, percent_complete=30.0)
        elif draw < 0.15:
            kind = ConstraintType(int(rng.choice([2, 3, 4, 5, 6, 7])))
            moved = r.start + dt.timedelta(days=int(rng.integers(-5, 6)))
            t = dataclasses.replace(t, constraint_type=kind, constraint_date=moved)
        tasks.append(t)
    options = ScheduleOptions(
        progress_mode=ProgressMode.PROGRESS_OVERRIDE if seed % 2 else ProgressMode.RETAINED_LOGIC,
        remaining_after_status_date=seed % 3 == 0,
    )
    return dataclasses.replace(spec, tasks=tasks, status_date=status, options=options)


@pytest.mark.parametrize("seed", range(8))
def test_fixed_durations_follow_cpm_through_progress_constraints_and_lags(seed: int) -> None:
    spec = progressed(seed)
    outcome = simulate(spec, FIXED)
    assert outcome.deterministic_date == schedule(spec).finish
    assert outcome.finish_dates()[90] == schedule(spec).finish


# -- distributions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distribution", "mean"),
    [
        (Distribution.TRIANGULAR, (600 + 1200 + 3000) / 3),
        (Distribution.PERT, (600 + 4 * 1200 + 3000) / 6),
        (Distribution.UNIFORM, (600 + 3000) / 2),
    ],
)
def test_sampled_means_match_the_distribution(distribution: Distribution, mean: float) -> None:
    result = single_task(Estimate(600, 1200, 3000, distribution), 100_000)
    assert result.mean == pytest.approx(mean, rel=0.01)
    assert result.finish.min() >= 600
    assert result.finish.max() <= 3000


def test_pert_is_skewed_like_its_beta_shape() -> None:
    # Median of PERT(0, 1, 4) (scaled by 1000) is near the Beta(2, 4) median 0.3138.
    result = single_task(Estimate(0, 1000, 4000, Distribution.PERT), 50_000)
    assert result.percentile(50) == pytest.approx(0.3138 * 4000, rel=0.02)


def test_template_applies_to_tasks_without_estimates() -> None:
    inputs = SimulationInput(iterations=20_000, template=(0.5, 1.0, 1.5), sensitivity=False)
    result = run(model_from_arrays([1000], links_from_edges(1, [], []), inputs), inputs)
    assert result.finish.min() >= 500
    assert result.finish.max() <= 1500
    assert result.mean == pytest.approx(1000, rel=0.01)


def chain(n: int, inputs: SimulationInput) -> SimulationResult:
    links = links_from_edges(n, list(range(n - 1)), list(range(1, n)))
    return run(model_from_arrays([days(5)] * n, links, inputs), inputs)


def test_p80_of_a_serial_chain_is_above_its_p50() -> None:
    result = chain(10, SimulationInput(iterations=2000))
    p = result.percentiles()
    assert p[10] < p[50] < p[80] < p[90]
    assert result.deterministic_finish == days(50)
    assert result.deterministic_confidence < 0.05  # the template's right skew delays it
    values, cumulative = result.s_curve()
    assert cumulative[-1] == 1.0
    assert (np.diff(values) > 0).all()
    _, counts = result.histogram(20)
    assert counts.sum() == 2000


# -- criticality, sensitivity, risk drivers -------------------------------------------------


def test_criticality_is_one_on_the_only_path_and_zero_with_huge_float() -> None:
    # 0 -> 1 -> 2 is the only long path; 3 runs beside 1 with weeks of float.
    links = links_from_edges(4, [0, 1, 0, 3], [1, 2, 3, 2])
    inputs = SimulationInput(iterations=500, seed=3)
    result = run(model_from_arrays([days(5), days(20), days(5), 60], links, inputs), inputs)
    assert result.criticality.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert result.tornado(1) == [1]  # the longest task drives the finish most
    assert result.sensitivity[1] > 0.8
    assert abs(result.sensitivity[3]) < 0.15


@pytest.mark.parametrize("batch_size", [300, 1000])
def test_sensitivity_is_one_for_the_task_that_is_the_finish(batch_size: int) -> None:
    inputs = SimulationInput(iterations=700, batch_size=batch_size, seed=5)
    result = run(model_from_arrays([600, 0], links_from_edges(2, [0], [1]), inputs), inputs)
    assert result.sensitivity.tolist() == [pytest.approx(1.0), 0.0]


def test_parallel_paths_share_criticality() -> None:
    links = links_from_edges(4, [0, 0, 1, 2], [1, 2, 3, 3])
    inputs = SimulationInput(iterations=4000, seed=1)
    result = run(model_from_arrays([60, days(10), days(10), 60], links, inputs), inputs)
    assert result.criticality[1] + result.criticality[2] == pytest.approx(1.0, abs=0.01)
    assert 0.4 < result.criticality[1] < 0.6


def test_a_risk_event_adds_its_impact_in_about_p_of_iterations() -> None:
    risk = RiskEvent("vendor late", 0.3, Estimate(500, 500, 500, Distribution.FIXED), (0,))
    result = single_task(Estimate(1000, 1000, 1000, Distribution.FIXED), 20_000, risks=(risk,))
    assert set(result.finish.tolist()) == {1000, 1500}
    assert np.mean(result.finish == 1500) == pytest.approx(0.3, abs=0.015)
    (driver,) = result.risk_drivers
    assert driver.occurrence == pytest.approx(0.3, abs=0.015)
    assert driver.mean_delay == pytest.approx(500)
    assert driver.correlation > 0.9


def test_risk_drivers_rank_the_event_that_matters_first() -> None:
    links = links_from_edges(3, [0, 0], [1, 2])  # 1 is long, 2 short: risks on 2 are absorbed
    risks = (
        RiskEvent("absorbed", 0.5, Estimate(60, 120, 240), (2,)),
        RiskEvent("on the path", 0.5, Estimate(600, 1200, 2400), (1,)),
    )
    inputs = SimulationInput(iterations=3000, risks=risks)
    result = run(model_from_arrays([480, days(10), 480], links, inputs), inputs)
    assert [d.name for d in result.risk_drivers] == ["on the path", "absorbed"]
    assert result.risk_drivers[1].mean_delay == pytest.approx(0, abs=60)


# -- sampling --------------------------------------------------------------------------------


def test_fixed_seed_gives_identical_results_and_another_seed_does_not() -> None:
    net = random_arrays(300, seed=2)
    risk = RiskEvent("r", 0.4, Estimate(60, 480, 960), (5, 50))
    inputs = SimulationInput(iterations=700, seed=11, risks=(risk,), batch_size=300,
                             correlations=(Correlation((1, 2, 3), 0.6),))  # fmt: skip
    first = run(model_from_arrays(net.durations, net.links, inputs), inputs)
    again = run(model_from_arrays(net.durations, net.links, inputs), inputs)
    assert (first.finish == again.finish).all()
    assert (first.sensitivity == again.sensitivity).all()
    assert (first.criticality == again.criticality).all()
    other = dataclasses.replace(inputs, seed=12)
    assert (run(model_from_arrays(net.durations, net.links, other), other).finish
            != first.finish).any()  # fmt: skip


def test_latin_hypercube_puts_one_draw_in_each_stratum() -> None:
    u = uniforms(np.random.default_rng(0), 5, 1000, latin_hypercube=True)
    for row in u:
        assert sorted(np.floor(row * 1000).astype(int).tolist()) == list(range(1000))
    result = single_task(Estimate(0, 5000, 10_000, Distribution.UNIFORM), 1000,
                         latin_hypercube=True)  # fmt: skip
    assert np.histogram(result.finish, bins=10, range=(0, 10_000))[0].tolist() == [100] * 10


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def midranks(values: np.ndarray) -> np.ndarray:
    """Reference ranks, ties at their mean rank."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    return ((np.cumsum(counts) - counts) + (counts + 1) / 2)[inverse]


def test_streamed_spearman_matches_a_reference_with_ties_and_wide_spans() -> None:
    rng = np.random.default_rng(3)
    width, block, iterations = 100, 32, 250  # batches of 100 in blocks of 32, 2.5 batches
    store = rng.integers(0, 40, (3, 4, 20, block)).astype(np.int32)
    store[:, :, 5, :] *= 100_000  # too wide a span for the counting sort
    store[:, :, 6, :] = 7  # constant
    finish = rng.integers(0, 1000, iterations)
    got = kern.spearman_rows(store, width, iterations, kern.midranks(finish))
    t = np.arange(iterations)
    for j in range(20):
        values = store[t // width, (t % width) // block, j, t % width % block]
        want = 0.0 if j == 6 else np.corrcoef(midranks(values), midranks(finish))[0, 1]
        assert got[j] == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("target", [0.3, 0.7, -0.4])
def test_iman_conover_reaches_the_target_rank_correlation(target: float) -> None:
    rng = np.random.default_rng(4)
    u = uniforms(rng, 4, 5000, latin_hypercube=False)
    before = np.sort(u, axis=1)
    group = CorrelatedGroup(np.array([0, 2]), group_matrix(2, target))
    iman_conover(rng, u, group)
    assert spearman(u[0], u[2]) == pytest.approx(target, abs=0.05)
    assert abs(spearman(u[0], u[1])) < 0.05  # tasks outside the group stay independent
    assert (np.sort(u, axis=1) == before).all()  # marginals untouched


def test_correlated_durations_widen_the_finish_of_a_chain() -> None:
    spread = []
    for coefficient in (0.0, 0.9):
        correlations = (Correlation(tuple(range(10)), coefficient),) if coefficient else ()
        result = chain(10, SimulationInput(iterations=3000, correlations=correlations))
        spread.append(result.percentile(90) - result.percentile(10))
    assert spread[1] > 1.8 * spread[0]


def test_convergence_stops_early_on_a_trivial_network() -> None:
    inputs = SimulationInput(iterations=100_000, batch_size=1000, convergence_tolerance=0.001)
    result = chain(3, dataclasses.replace(inputs, distribution=Distribution.FIXED))
    assert result.converged
    assert result.iterations == 2000
    noisy = chain(3, dataclasses.replace(inputs, iterations=3000, convergence_tolerance=1e-9))
    assert not noisy.converged
    assert noisy.iterations == 3000


def test_progress_reports_fractions_up_to_one() -> None:
    seen: list[float] = []
    inputs = SimulationInput(iterations=2500, batch_size=1000)
    run(model_from_arrays([60, 120], links_from_edges(2, [0], [1]), inputs), inputs, seen.append)
    assert seen == [0.4, 0.8, 1.0]


def test_the_input_round_trips_through_a_dict() -> None:
    inputs = SimulationInput(
        iterations=50, seed=9, distribution=Distribution.PERT, template=(0.8, 1.0, 1.5),
        estimates={3: Estimate(1, 2, 3, Distribution.UNIFORM)},
        risks=(RiskEvent("r", 0.2, Estimate(10, 20, 30), (3, 4)),),
        correlations=(Correlation((3, 4), 0.5), Correlation((5, 6), matrix=((1, 0.2), (0.2, 1)))),
        latin_hypercube=True, convergence_tolerance=0.01,
    )  # fmt: skip
    assert SimulationInput.from_dict(inputs.to_dict()) == inputs


# -- projects: progress, milestones --------------------------------------------------------


def test_completed_tasks_stay_fixed_and_started_tasks_sample_their_remainder() -> None:
    spec = project(
        [task(1, 4, actual_start=dt.datetime(2026, 1, 5, 8),
              actual_finish=dt.datetime(2026, 1, 8, 17)),
         task(2, 10, actual_start=dt.datetime(2026, 1, 9, 8), percent_complete=50),
         task(3, 0, milestone=True)],
        [link(1, 2), link(2, 3)],
        status_date=dt.datetime(2026, 1, 15, 17),
    )  # fmt: skip
    inputs = SimulationInput(iterations=3000, template=(1.0, 1.0, 2.0))
    outcome = simulate(spec, inputs)
    cpm = schedule(spec)
    assert outcome.deterministic_date == cpm.finish
    # Only the remaining five days vary: finish between +0 and +5 days of the plan.
    offsets = outcome.result.finish - outcome.result.deterministic_finish
    assert offsets.min() >= 0
    assert offsets.max() <= days(5)
    uids = [uid for uid, _, _ in outcome.tasks()]
    assert uids == [1, 2, 3]
    criticality = {uid: c for uid, c, _ in outcome.tasks()}
    assert criticality[1] == 0.0
    assert criticality[2] == 1.0
    milestone = outcome.milestone_dates()[3]
    assert milestone[80] >= milestone[50] >= cpm.finish


def _milestone_between(
    estimate: Estimate | None, iterations: int
) -> tuple[ProjectSpec, ProjectSimulation, npt.NDArray[np.int64], int]:
    """Task 1 (5 days), milestone 2, task 3 (3 days) in series."""
    spec = project([task(1, 5), task(2, 0, milestone=True), task(3, 3)], [link(1, 2), link(2, 3)])
    inputs = SimulationInput(
        iterations=iterations, seed=3, template=(1.0, 1.0, 1.0),
        estimates={1: estimate} if estimate else {},
    )  # fmt: skip
    outcome = simulate(spec, inputs)
    values, plan = outcome.milestone_finishes()[2]
    return spec, outcome, values, plan


def test_a_milestone_without_uncertainty_is_one_bin_at_its_cpm_date() -> None:
    spec, outcome, values, plan = _milestone_between(None, 200)
    r = outcome.result
    cpm = schedule(spec).by_uid()[2].early_finish
    assert outcome.date(plan) == cpm
    edges, counts = r.histogram(30, values)
    assert counts.tolist() == [200]
    assert edges.tolist() == [plan, plan]
    assert outcome.dates(edges) == [cpm, cpm]
    assert r.s_curve(values)[0].tolist() == [plan]
    assert r.s_curve(values)[1].tolist() == [1.0]
    assert r.confidence(plan, values) == 1.0
    assert r.milestone_confidence(1) == 1.0  # by task index
    assert outcome.chance_by(cpm, values) == 1.0
    assert outcome.chance_by(cpm - dt.timedelta(minutes=1), values) == 0.0
    assert set(r.percentiles(values).values()) == {plan}


def test_a_milestone_after_a_triangular_estimate_spreads_between_its_bounds() -> None:
    _, outcome, values, plan = _milestone_between(Estimate(days(4), days(5), days(9)), 4000)
    r = outcome.result
    start = r.start
    assert plan == start + days(5)
    p = r.percentiles(values)
    assert start + days(4) < p[10] < p[50] < p[90] < start + days(9)
    assert (values >= start + days(4)).all()
    assert (values <= start + days(9)).all()
    edges, counts = r.histogram(30, values)
    assert counts.sum() == 4000
    assert len(counts) == 30
    assert edges[0] == values.min()
    assert edges[-1] == values.max()
    # Triangular 4/5/9: P(duration <= 5) = (5 - 4) / (9 - 4) = 0.2.
    assert r.confidence(plan, values) == pytest.approx(0.2, abs=0.03)
    assert r.finish.tolist() == (values + days(3)).tolist()  # the milestone drives the finish
    assert outcome.dates(edges[:3]) == [outcome.date(int(e)) for e in edges[:3]]


def test_summary_links_and_risks_on_summaries() -> None:
    spec = project(
        [task(1, 0, outline_level=1), task(2, 3, outline_level=2), task(3, 5, outline_level=2),
         task(4, 2)],
        [link(1, 4)],
    )  # fmt: skip
    risk = RiskEvent("phase slips", 1.0, Estimate(480, 480, 480, Distribution.FIXED), (1,))
    fixed = SimulationInput(iterations=3, distribution=Distribution.FIXED)
    assert simulate(spec, fixed).deterministic_date == schedule(spec).finish
    with_risk = simulate(spec, dataclasses.replace(fixed, risks=(risk,)))
    assert with_risk.result.finish[0] == with_risk.result.deterministic_finish + 480
    assert [uid for uid, _, _ in with_risk.tasks()] == [2, 3, 4]


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SimulationInput(estimates={1: Estimate(600, 480, 900)}), "minimum <= most likely"),
        (lambda: SimulationInput(estimates={1: Estimate(-5, 0, 10)}), "negative"),
        (lambda: SimulationInput(risks=(RiskEvent("r", 1.5, Estimate(1, 2, 3), (1,)),)),
         "probability 1.5"),
        (lambda: SimulationInput(template=(1.3, 1.0, 0.9)), "template"),
        (lambda: SimulationInput(iterations=0), "at least 1"),
        (lambda: SimulationInput(correlations=(Correlation((1,), 0.5),)), "two or more"),
    ],
)  # fmt: skip
def test_bad_inputs_are_refused_with_a_reason(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_unknown_tasks_and_bad_correlations_are_refused_when_simulating() -> None:
    spec = project([task(1, 2), task(2, 3)], [link(1, 2)])
    risk = RiskEvent("r", 0.5, Estimate(1, 2, 3), (9,))
    with pytest.raises(ValueError, match="names task 9, which is not in the project"):
        simulate(spec, SimulationInput(risks=(risk,)))
    with pytest.raises(ValueError, match="task 7, which is not in the project"):
        simulate(spec, SimulationInput(estimates={7: Estimate(1, 2, 3)}))
    matrix = ((1.0, 0.99, -0.99), (0.99, 1.0, 0.99), (-0.99, 0.99, 1.0))
    three = project([task(1), task(2), task(3)])
    with pytest.raises(ValueError, match="not positive definite"):
        simulate(three, SimulationInput(correlations=(Correlation((1, 2, 3), matrix=matrix),)))
    negative = project([task(1, -1)])
    with pytest.raises(NetworkError, match="negative duration"):
        simulate(negative, SimulationInput())


def test_warm_up_runs() -> None:
    warm_up()
