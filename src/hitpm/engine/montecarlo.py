"""Monte Carlo schedule risk analysis: how likely is each finish date, and what drives it.

Each iteration draws every task's duration from a three-point estimate (or a template around
its planned duration), lets risk events strike, and schedules the network with the critical
path method; the spread of the project finish over many iterations is the answer. Entry
points:

* :func:`simulate` takes a :class:`~hitpm.engine.model.ProjectSpec` and a
  :class:`SimulationInput` and returns a :class:`ProjectSimulation` with dates;
* :func:`run` is the array-level engine behind it, on a :class:`SimulationModel` built by
  :func:`model_from_arrays` (benchmarks, random networks) or
  :func:`hitpm.engine._mc_project.model_from_project`.

Iterations run in batches (sampling in numpy, both passes compiled with numba across a block
of iterations at once); statistics are gathered as the batches go, so memory stays at one
int32 per task and iteration (for the sensitivity ranks) plus small per-block scratch. The
semantics and their simplifications are documented in ``docs/montecarlo.md``.
"""

from __future__ import annotations

import datetime as dt
import mmap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from hitpm.engine import _mc_kernels as kern
from hitpm.engine._mc_inputs import (
    Correlation,
    Distribution,
    Estimate,
    RiskEvent,
    SimulationInput,
    uncertainty_from_dict,
)
from hitpm.engine._mc_sampling import (
    CorrelatedGroup,
    RiskArrays,
    iman_conover,
    pert_tables,
    uniforms,
)
from hitpm.engine.calendar import WorkCalendar, from_minutes, minutes_to_datetimes, to_minutes
from hitpm.engine.model import ProjectSpec
from hitpm.engine.network import Links, Order, ordered

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Progress = Callable[[float], None]
PERCENTILES = (10, 50, 80, 90)
BLOCK = 32  # iterations per compiled block: enough to vectorise, small enough for the cache

__all__ = [
    "Correlation",
    "Distribution",
    "Estimate",
    "ProjectSimulation",
    "RiskDriver",
    "RiskEvent",
    "SimulationInput",
    "SimulationModel",
    "SimulationResult",
    "model_from_arrays",
    "run",
    "simulate",
    "uncertainty_from_dict",
    "warm_up",
]


@dataclass(frozen=True)
class SimulationModel:
    """A network ready to simulate: arrays by task index (see ``_mc_kernels`` for codes).

    ``base`` holds the deterministic (remaining) durations; ``low``/``likely``/``high`` and
    ``dist`` the three-point estimate each iteration samples from. ``ids`` names tasks in
    results (uids); ``reported`` marks the tasks that get criticality and sensitivity
    (leaves); ``watch`` are milestone indices whose finish distribution is kept."""

    links: Links
    order: Order
    ids: IntArray
    base: IntArray
    low: IntArray
    likely: IntArray
    high: IntArray
    dist: npt.NDArray[np.int8]
    mode: npt.NDArray[np.int8]
    parent: IntArray
    ctype: npt.NDArray[np.int8]
    coffset: IntArray
    lower: IntArray
    fixed_start: IntArray
    fixed_finish: IntArray
    lag_kind: npt.NDArray[np.int8]
    lag_pct: FloatArray
    done: IntArray  # work already done (completed and started tasks), for percent lags
    reported: npt.NDArray[np.bool_]
    watch: IntArray
    risks: RiskArrays
    groups: tuple[CorrelatedGroup, ...] = ()
    start: int = 0
    honor_constraints: bool = True
    retained_logic: bool = True
    critical_slack: int = 0

    @property
    def size(self) -> int:
        return int(self.base.shape[0])


@dataclass(frozen=True)
class RiskDriver:
    """How much one risk event moved the finish: how often it struck, the mean finish delay
    when it did against when it did not (working minutes), and the rank correlation of its
    impact (zero when it did not strike) with the finish."""

    name: str
    occurrence: float
    mean_delay: float
    correlation: float


@dataclass
class SimulationResult:
    """Working-minute results of :func:`run`, by task index."""

    input: SimulationInput
    start: int
    finish: IntArray  # project finish offset of every iteration
    deterministic_finish: int
    criticality: FloatArray
    sensitivity: FloatArray
    milestones: dict[int, IntArray]  # task index -> finish offset per iteration
    risk_drivers: list[RiskDriver]
    converged: bool = False
    warnings: list[str] = field(default_factory=list)
    deterministic_milestones: dict[int, int] = field(default_factory=dict)  # index -> offset

    @property
    def iterations(self) -> int:
        return int(self.finish.shape[0])

    def percentile(self, p: float, values: IntArray | None = None) -> int:
        """Smallest offset reached by at least ``p`` percent of iterations (P80: 80 % finish
        on or before it)."""
        data = self.finish if values is None else values
        return int(np.quantile(data, p / 100.0, method="inverted_cdf"))

    def percentiles(self, values: IntArray | None = None) -> dict[int, int]:
        return {p: self.percentile(p, values) for p in PERCENTILES}

    @property
    def mean(self) -> float:
        return float(self.finish.mean())

    @property
    def deterministic_confidence(self) -> float:
        """Fraction of iterations finishing on or before the deterministic finish."""
        return self.confidence(self.deterministic_finish)

    def confidence(self, offset: int, values: IntArray | None = None) -> float:
        """Fraction of iterations finishing on or before ``offset`` (of the project finish,
        or of ``values``, e.g. a milestone's finishes from :attr:`milestones`)."""
        data = self.finish if values is None else values
        return float(np.mean(data <= offset)) if data.size else 0.0

    def milestone_confidence(self, index: int) -> float:
        """Fraction of iterations in which milestone ``index`` finishes on or before its
        deterministic finish."""
        return self.confidence(self.deterministic_milestones[index], self.milestones[index])

    def histogram(
        self, bins: int = 30, values: IntArray | None = None
    ) -> tuple[IntArray, IntArray]:
        """(bin edges in working minutes, iterations per bin) of the project finish, or of
        ``values``. When every iteration gives the same offset there is one bin, both of
        whose edges are that offset."""
        data = self.finish if values is None else values
        if data.size and data.min() == data.max():
            return np.array([data[0], data[0]], np.int64), np.array([data.size], np.int64)
        counts, edges = np.histogram(data, bins=bins)
        return np.rint(edges).astype(np.int64), counts.astype(np.int64)

    def s_curve(self, values: IntArray | None = None) -> tuple[IntArray, FloatArray]:
        """(distinct finish offsets, fraction of iterations finishing on or before each) of
        the project finish, or of ``values``."""
        data = self.finish if values is None else values
        distinct, counts = np.unique(data, return_counts=True)
        return distinct, np.cumsum(counts) / max(data.shape[0], 1)

    def tornado(self, top: int = 10) -> list[int]:
        """Task indices by descending absolute sensitivity (ties by index)."""
        order = np.lexsort((np.arange(self.sensitivity.shape[0]), -np.abs(self.sensitivity)))
        return [int(i) for i in order[:top] if self.sensitivity[i] != 0]


def model_from_arrays(
    durations: npt.ArrayLike,
    links: Links,
    inputs: SimulationInput,
    *,
    start: int = 0,
    earliest_start: npt.ArrayLike | None = None,
) -> SimulationModel:
    """A model of a plain array network (the :func:`hitpm.engine.cpm.schedule_arrays`
    inputs); task ids are indices, so ``inputs`` names tasks by index."""
    from hitpm.engine._mc_project import correlation_groups, estimate_arrays, risk_arrays

    base = np.ascontiguousarray(durations, dtype=np.int64)
    n = base.shape[0]
    ids = np.arange(n, dtype=np.int64)
    index = {i: i for i in range(n)}
    low, likely, high, dist = estimate_arrays(base, ids, inputs, np.ones(n, bool))
    lower = np.full(n, -kern.INF, np.int64)
    if earliest_start is not None:
        lower = np.ascontiguousarray(earliest_start, dtype=np.int64)
    zeros = np.zeros(n, np.int64)
    m = links.pred_idx.shape[0]
    return SimulationModel(
        links=links, order=ordered(links), ids=ids, base=base, low=low, likely=likely,
        high=high, dist=dist, mode=np.zeros(n, np.int8), parent=np.full(n, -1, np.int64),
        ctype=np.zeros(n, np.int8), coffset=zeros, lower=lower, fixed_start=zeros,
        fixed_finish=zeros, lag_kind=np.zeros(m, np.int8), lag_pct=np.zeros(m), done=zeros,
        reported=np.ones(n, bool), watch=np.zeros(0, np.int64),
        risks=risk_arrays(inputs.risks, index), groups=correlation_groups(inputs, index),
        start=start,
    )  # fmt: skip


def run(
    model: SimulationModel, inputs: SimulationInput, progress: Progress | None = None
) -> SimulationResult:
    """Simulate ``inputs.iterations`` iterations (fewer when convergence stops the run)."""
    return _Runner(model, inputs, progress).run()


class _Runner:
    """One run: draws batches, schedules them, gathers statistics."""

    def __init__(self, model: SimulationModel, inputs: SimulationInput, progress: Progress | None):
        self.m = model
        self.inp = inputs
        self.progress = progress
        self.rng = np.random.default_rng(inputs.seed)
        self.width = max(1, min(inputs.batch_size, inputs.iterations))
        self.batches = -(-inputs.iterations // self.width)
        keep = self.batches if inputs.sensitivity else 1
        self.blocks = -(-self.width // BLOCK)
        self.store = populated((keep, self.blocks, model.size, BLOCK), np.int32)
        self.u = populated((model.size, self.width), np.float32)
        self.workers = min(numba.get_num_threads(), self.blocks)
        self.scratch = populated((self.workers, 4, model.size, BLOCK), np.int64)
        self.finish = np.empty(inputs.iterations, np.int64)
        self.watch = np.empty((model.watch.shape[0], inputs.iterations), np.int64)
        self.counts = np.zeros(model.size, np.int64)
        risks = model.risks
        self.impact = np.zeros((risks.size, inputs.iterations), np.int32)
        self.struck = np.zeros((risks.size, inputs.iterations), bool)
        self.task_table, self.task_quantiles = pert_tables(model.low, model.likely, model.high)
        self.risk_table, self.risk_quantiles = pert_tables(risks.low, risks.likely, risks.high)

    def run(self) -> SimulationResult:
        done, converged, previous = 0, False, None
        for b in range(self.batches):
            width = min(self.width, self.inp.iterations - done)
            self.batch(b, done, width)
            done += width
            if self.progress is not None:
                self.progress(done / self.inp.iterations)
            if self.inp.convergence_tolerance is not None:
                current = self.summary(done)
                if previous is not None and self.close(previous, current):
                    converged = True
                    break
                previous = current
        return self.result(done, converged)

    def batch(self, b: int, first: int, width: int) -> None:
        m, inp = self.m, self.inp
        u = uniforms(self.rng, m.size, width, inp.latin_hypercube, self.u[:, :width])
        for group in m.groups:
            iman_conover(self.rng, u, group)
        durations = self.store[b if inp.sensitivity else 0]
        kern.inverse_cdf(u, m.low, m.likely, m.high, m.dist, self.task_table,
                         self.task_quantiles, durations)  # fmt: skip
        del u
        self.add_risks(durations, first, width)
        self.schedule(durations, width, self.finish[first : first + width], first)

    def add_risks(self, durations: npt.NDArray[np.int32], first: int, width: int) -> None:
        risks = self.m.risks
        if not risks.size:
            return
        strikes = self.rng.random((risks.size, width)) < risks.probability[:, None]
        u = self.rng.random((risks.size, width), dtype=np.float32)
        drawn = np.empty((1, risks.size, width), np.int32)  # one block as wide as the batch
        kern.inverse_cdf(u, risks.low, risks.likely, risks.high, risks.dist, self.risk_table,
                         self.risk_quantiles, drawn)  # fmt: skip
        impact = drawn[0] * strikes
        self.impact[:, first : first + width] = impact
        self.struck[:, first : first + width] = strikes
        padded = np.zeros((risks.size, self.blocks * BLOCK), np.int32)
        padded[:, :width] = impact
        by_block = padded.reshape(risks.size, self.blocks, BLOCK)
        for r in range(risks.size):
            for task in risks.task_idx[risks.ptr[r] : risks.ptr[r + 1]].tolist():
                durations[:, task, :] += by_block[r]

    def schedule(
        self, durations: npt.NDArray[np.int32], width: int, finish: IntArray, first: int
    ) -> None:
        m, links, order = self.m, self.m.links, self.m.order
        workers = min(self.workers, -(-width // BLOCK))
        counts = np.zeros((workers, m.size), np.int32)
        watch = np.empty((m.watch.shape[0], width), np.int64)
        kern.run_batch(
            order.order, links.pred_ptr, links.pred_idx, links.link_type, links.lag,
            m.lag_kind, m.lag_pct, m.done, order.succ_ptr, order.succ_edge, order.edge_succ, m.mode,
            m.parent, m.ctype, m.coffset, m.lower, m.fixed_start, m.fixed_finish, m.start,
            m.honor_constraints, m.retained_logic, durations, width, BLOCK,
            self.inp.criticality, m.critical_slack, m.watch, finish, watch, counts,
            self.scratch,
        )  # fmt: skip
        if not m.size:
            finish[:] = m.start  # an empty project finishes where it starts
        self.watch[:, first : first + width] = watch
        self.counts += counts.sum(axis=0)

    def summary(self, done: int) -> tuple[float, int]:
        finish = self.finish[:done]
        return float(finish.mean()), int(np.quantile(finish, 0.8, method="inverted_cdf"))

    def close(self, before: tuple[float, int], after: tuple[float, int]) -> bool:
        """Mean and P80 moved less than the tolerance (a fraction of the mean duration)."""
        tolerance = self.inp.convergence_tolerance or 0.0
        scale = max(after[0] - self.m.start, 1.0)
        return all(abs(a - b) <= tolerance * scale for a, b in zip(before, after, strict=True))

    def deterministic(self) -> tuple[int, dict[int, int]]:
        """The project finish and each milestone's finish with the planned durations."""
        m = self.m
        durations = np.zeros((1, m.size, BLOCK), np.int32)
        durations[0, :, 0] = m.base
        finish = np.empty(1, np.int64)
        saved = (self.counts.copy(), self.watch)
        self.watch = np.empty((m.watch.shape[0], 1), np.int64)
        self.schedule(durations, 1, finish, 0)
        milestones = {int(t): int(self.watch[i, 0]) for i, t in enumerate(m.watch)}
        self.counts, self.watch = saved
        return int(finish[0]), milestones

    def result(self, done: int, converged: bool) -> SimulationResult:
        m = self.m
        finish = self.finish[:done].copy()
        rank = kern.midranks(finish)
        sensitivity = np.zeros(m.size)
        if self.inp.sensitivity and done > 1:
            sensitivity = kern.spearman_rows(self.store, self.width, done, rank)
        sensitivity[~m.reported] = 0.0
        criticality = np.where(m.reported, self.counts / max(done, 1), 0.0)
        deterministic, deterministic_milestones = self.deterministic()
        return SimulationResult(
            input=self.inp, start=m.start, finish=finish,
            deterministic_finish=deterministic, criticality=criticality,
            sensitivity=sensitivity,
            milestones={int(t): self.watch[i, :done].copy() for i, t in enumerate(m.watch)},
            risk_drivers=self.drivers(finish, rank, done), converged=converged,
            deterministic_milestones=deterministic_milestones,
        )  # fmt: skip

    def drivers(self, finish: IntArray, rank: FloatArray, done: int) -> list[RiskDriver]:
        drivers = []
        for r, event in enumerate(self.inp.risks):
            impact = self.impact[r, :done].astype(np.int64)
            struck = self.struck[r, :done]
            delay = 0.0
            if struck.any() and not struck.all():
                delay = float(finish[struck].mean() - finish[~struck].mean())
            drivers.append(RiskDriver(event.name, float(struck.mean()), delay,
                                      _rank_correlation(kern.midranks(impact), rank)))  # fmt: skip
        return sorted(drivers, key=lambda d: (-abs(d.correlation), -d.mean_delay, d.name))


def populated(shape: tuple[int, ...], dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A large array whose pages the kernel maps in one go (``MAP_POPULATE``).

    Touching a fresh 400 MB ``numpy.empty`` page by page (with NumPy's transparent huge page
    advice, which makes each fault compact memory) costs about a second of CPU here, as much
    as the scheduling passes; anonymous memory populated up front costs a sixth of that."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    flags = getattr(mmap, "MAP_POPULATE", 0)
    if size < 1 << 20 or not flags:
        return np.empty(shape, dtype)
    buffer = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | flags)
    return np.frombuffer(buffer, dtype).reshape(shape)


def _rank_correlation(a: FloatArray, b: FloatArray) -> float:
    a, b = a - a.mean(), b - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denominator) if denominator else 0.0


@dataclass
class ProjectSimulation:
    """:class:`SimulationResult` of a project, with dates on the project calendar and task
    uids; ``ids[i]`` is the uid of task index ``i``."""

    result: SimulationResult
    calendar: WorkCalendar
    ids: IntArray
    reported: npt.NDArray[np.bool_]

    def date(self, offset: int) -> dt.datetime:
        """A finish offset as a date (finishes stay at the end of the working day, except a
        finish at the project start, which is the start itself)."""
        if offset <= self.result.start:
            return from_minutes(int(self.calendar.start_at(offset)))
        return from_minutes(int(self.calendar.finish_at(offset)))

    def dates(self, offsets: npt.ArrayLike) -> list[dt.datetime]:
        """:meth:`date` of many offsets at once."""
        return minutes_to_datetimes(self._instants(offsets)).tolist()

    def _instants(self, offsets: npt.ArrayLike) -> IntArray:
        """Epoch minutes of finish offsets, as :meth:`date` places them."""
        w = np.asarray(offsets, np.int64)
        instants = np.empty_like(w)
        early = w <= self.result.start
        instants[early] = self.calendar.start_at(w[early])
        instants[~early] = self.calendar.finish_at(w[~early])
        return instants

    def chance_by(self, when: dt.datetime, values: IntArray | None = None) -> float:
        """Fraction of iterations whose finish date (as :meth:`date` gives it) is on or
        before the instant ``when``: of the project finish, or of ``values`` (a milestone's
        finishes), e.g. the chance of meeting a deadline."""
        data = self.result.finish if values is None else values
        if not data.size:
            return 0.0
        distinct, counts = np.unique(data, return_counts=True)
        met = self._instants(distinct) <= to_minutes(when)
        return float(counts[met].sum() / data.shape[0])

    def finish_dates(self) -> dict[int, dt.datetime]:
        return {p: self.date(v) for p, v in self.result.percentiles().items()}

    @property
    def mean_date(self) -> dt.datetime:
        return self.date(round(self.result.mean))

    @property
    def deterministic_date(self) -> dt.datetime:
        return self.date(self.result.deterministic_finish)

    def milestone_dates(self) -> dict[int, dict[int, dt.datetime]]:
        """Milestone uid -> P-value -> date."""
        r = self.result
        return {
            int(self.ids[i]): {p: self.date(v) for p, v in r.percentiles(values).items()}
            for i, values in r.milestones.items()
        }

    def milestone_finishes(self) -> dict[int, tuple[IntArray, int]]:
        """Milestone uid -> (finish offset of every iteration, deterministic finish offset),
        in task order; :meth:`SimulationResult.histogram`, ``s_curve``, ``percentiles`` and
        ``confidence`` take the offsets as ``values``."""
        r = self.result
        return {
            int(self.ids[i]): (values, r.deterministic_milestones[i])
            for i, values in r.milestones.items()
        }

    def tasks(self) -> list[tuple[int, float, float]]:
        """(uid, criticality, sensitivity) of every reported task, in task order."""
        r = self.result
        return [
            (int(self.ids[i]), float(r.criticality[i]), float(r.sensitivity[i]))
            for i in np.flatnonzero(self.reported).tolist()
        ]


def warm_up() -> None:
    """Compile (or load from the cache) every Monte Carlo kernel, so that timing runs and
    the first user-facing run measure simulation only. A fresh environment compiles for tens
    of seconds; a cached load takes about a second."""
    risk = RiskEvent("warm-up", 0.5, Estimate(1, 2, 3), (0,))
    inputs = SimulationInput(iterations=40, batch_size=40, distribution=Distribution.PERT,
                             risks=(risk,))  # fmt: skip
    links = Links(np.array([0, 0, 1]), np.array([0]), np.array([2], np.int8), np.array([0]))
    model = model_from_arrays([10, 20], links, inputs)
    run(model, inputs)
    percent = np.full(1, 2, np.int8)  # a percent lag compiles the slower branches too
    run(SimulationModel(**{**model.__dict__, "lag_kind": percent, "lag_pct": np.ones(1)}), inputs)


def simulate(
    project: ProjectSpec, inputs: SimulationInput, progress: Progress | None = None
) -> ProjectSimulation:
    """Simulate a :class:`~hitpm.engine.model.ProjectSpec`; see :func:`run`.

    Raises ``ValueError`` (with the task named) for bad estimates, risk events or
    correlations, and the scheduler's ``NetworkError`` for a bad network."""
    from hitpm.engine._mc_project import model_from_project

    model, calendar, warnings = model_from_project(project, inputs)
    result = run(model, inputs, progress)
    result.warnings.extend(warnings)
    return ProjectSimulation(result, calendar, model.ids, model.reported)


def describe(values: Sequence[float]) -> str:  # pragma: no cover - debugging aid
    return ", ".join(f"{v:.3g}" for v in values)
