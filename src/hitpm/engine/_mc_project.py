"""A :class:`~hitpm.engine.model.ProjectSpec` as a Monte Carlo model on one calendar.

The project is laid out by :func:`hitpm.engine.network.build_network` (summaries, roll-up
edges, links into summaries expanded to their tasks, topological order) and every date is
turned into a working-minute offset on the *project* calendar, where the compiled passes run.
What that costs in fidelity (other task calendars, elapsed lags, ALAP) is reported as
warnings and documented in ``docs/montecarlo.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from hitpm.engine import _mc_kernels as kern
from hitpm.engine._mc_inputs import DIST_CODES, Distribution, RiskEvent, SimulationInput
from hitpm.engine._mc_sampling import (
    CorrelatedGroup,
    RiskArrays,
    check_correlation,
    group_matrix,
)
from hitpm.engine._project import remaining_minutes
from hitpm.engine.calendar import WorkCalendar, resolve, to_minutes
from hitpm.engine.model import ConstraintType, LagFormat, ProgressMode, ProjectSpec
from hitpm.engine.network import Network, build_network, leaves_under

if TYPE_CHECKING:
    from hitpm.engine.montecarlo import SimulationModel

IntArray = npt.NDArray[np.int64]
_FIRST_DAY, _LAST_DAY = dt.date(1800, 1, 1), dt.date(9999, 1, 1)


def estimate_arrays(
    base: IntArray,
    ids: IntArray,
    inputs: SimulationInput,
    uncertain: npt.NDArray[np.bool_],
    whole: IntArray | None = None,
) -> tuple[IntArray, IntArray, IntArray, npt.NDArray[np.int8]]:
    """Per-task (low, likely, high, distribution code). Tasks with an estimate use it, the
    rest the template around ``base``; tasks not ``uncertain`` (completed, summaries) are
    fixed. An estimate covers a task's whole duration ``whole``; a started task samples the
    same shape scaled to its remaining ``base``."""
    t_low, t_likely, t_high = inputs.template
    low = np.rint(base * t_low).astype(np.int64)
    likely = np.rint(base * t_likely).astype(np.int64)
    high = np.rint(base * t_high).astype(np.int64)
    dist = np.full(base.shape[0], DIST_CODES[inputs.distribution], np.int8)
    position = {int(uid): i for i, uid in enumerate(ids.tolist())}
    for uid, estimate in inputs.estimates.items():
        i = position.get(uid)
        if i is None:
            raise ValueError(f"an estimate names task {uid}, which is not in the project")
        total = base[i] if whole is None else whole[i]
        scale = base[i] / total if total > 0 else 1.0
        low[i], likely[i], high[i] = (round(v * scale) for v in
                                      (estimate.low, estimate.likely, estimate.high))  # fmt: skip
        dist[i] = DIST_CODES[estimate.distribution or inputs.distribution]
    fixed = ~uncertain
    low[fixed] = likely[fixed] = high[fixed] = base[fixed]
    dist[fixed] = DIST_CODES[Distribution.FIXED]
    return low, likely, high, dist


def risk_arrays(
    risks: Sequence[RiskEvent],
    index: Mapping[int, int],
    expand: Callable[[int], list[int]] | None = None,
) -> RiskArrays:
    """Risk events with task ids turned into indices (a summary stands for its tasks)."""
    impacts, tasks = [], []
    for r, risk in enumerate(risks):
        targets: list[int] = []
        for uid in risk.tasks:
            if uid not in index:
                raise ValueError(
                    f"risk {r} ({risk.name}) names task {uid}, which is not in the project"
                )
            targets += expand(index[uid]) if expand else [index[uid]]
        tasks.append(sorted(set(targets)))
        dist = DIST_CODES[risk.impact.distribution or Distribution.TRIANGULAR]
        impacts.append((risk.impact.low, risk.impact.likely, risk.impact.high, dist))
    return RiskArrays.build([r.probability for r in risks], impacts, tasks)


def correlation_groups(
    inputs: SimulationInput, index: Mapping[int, int]
) -> tuple[CorrelatedGroup, ...]:
    """Validated groups of task indices with their target rank-correlation matrices."""
    groups, seen = [], set()
    for c, item in enumerate(inputs.correlations):
        where = f"correlation {c}"
        for uid in item.tasks:
            if uid not in index:
                raise ValueError(f"{where} names task {uid}, which is not in the project")
            if uid in seen:
                raise ValueError(f"task {uid} is in two correlation groups; merge them")
            seen.add(uid)
        if item.matrix is not None:
            matrix = np.array(item.matrix, np.float64)
        else:
            matrix = group_matrix(len(item.tasks), item.coefficient or 0.0)
        if matrix.shape != (len(item.tasks), len(item.tasks)):
            raise ValueError(f"{where}: the matrix needs one row and column per task")
        check_correlation(matrix, where)
        groups.append(CorrelatedGroup(np.array([index[u] for u in item.tasks], np.int64), matrix))
    return tuple(groups)


def model_from_project(
    project: ProjectSpec, inputs: SimulationInput
) -> tuple[SimulationModel, WorkCalendar, list[str]]:
    """The model, the project calendar its offsets live on, and the simplifications made."""
    return _Builder(project, inputs).build()


class _Builder:
    def __init__(self, project: ProjectSpec, inputs: SimulationInput) -> None:
        self.p = project
        self.inp = inputs
        self.net: Network = build_network(project)
        self.n = len(project.tasks)
        self.warnings: list[str] = []
        self.calendar = self.project_calendar()

    def off(self, when: dt.datetime) -> int:
        return self.calendar.offset_of(to_minutes(when))

    def project_calendar(self) -> WorkCalendar:
        """The project calendar over a horizon wide enough for every task at its maximum
        and every risk striking, in series, in either direction."""
        p = self.p
        pattern = resolve(p.calendar_uid, {c.uid: c for c in p.calendars})
        weekly = pattern.weekly_minutes()
        if weekly <= 0:
            raise ValueError("the project calendar has no working time in its week")
        instants = [p.start, *([p.status_date] if p.status_date else [])]
        for t in p.tasks:
            dates = (t.constraint_date, t.deadline, t.actual_start, t.actual_finish,
                     t.manual_start, t.manual_finish)  # fmt: skip
            instants += [d for d in dates if d]
        longest = max((t.duration_minutes for t in p.tasks), default=0)
        factor = max(self.inp.template[2], 1.0)
        work = sum(t.duration_minutes for t in p.tasks) * factor
        work += sum(max(e.high, longest * factor) for e in self.inp.estimates.values())
        work += sum(r.impact.high * max(len(r.tasks), self.n) for r in self.inp.risks)
        elapsed = sum(abs(x.lag) for x in p.links if x.lag_format == LagFormat.ELAPSED)
        work += sum(abs(x.lag) if x.lag_format == LagFormat.WORKING else abs(x.lag) / 100 * longest
                    for x in p.links)  # fmt: skip
        span = math.ceil(work * 7 / weekly + elapsed / 1440) + 400
        earliest, latest = min(instants).date(), max(instants).date()
        first_day = earliest - dt.timedelta(days=min(span, (earliest - _FIRST_DAY).days))
        last_day = latest + dt.timedelta(days=min(span, (_LAST_DAY - latest).days))
        return WorkCalendar(pattern, first_day, (last_day - first_day).days + 1)

    def build(self) -> tuple[SimulationModel, WorkCalendar, list[str]]:
        from hitpm.engine.montecarlo import SimulationModel

        p, net = self.p, self.net
        arrays = self.task_arrays()
        base, whole, mode = arrays["base"], arrays["whole"], arrays["mode"]
        ids = np.array([t.uid for t in p.tasks], np.int64)
        uncertain = (mode != kern.SUMMARY) & (mode != kern.COMPLETED)
        low, likely, high, dist = estimate_arrays(base, ids, self.inp, uncertain, whole)
        lag, lag_kind, lag_pct = self.lags()
        links = net.links.__class__(net.links.pred_ptr, net.links.pred_idx,
                                    net.links.link_type, lag)  # fmt: skip
        watch = [i for i, t in enumerate(p.tasks)
                 if uncertain[i] and (t.milestone or t.duration_minutes == 0)]  # fmt: skip

        def expand(i: int) -> list[int]:
            return leaves_under(i, net.children) if net.is_summary[i] else [i]

        options = p.options
        model = SimulationModel(
            links=links, order=net.order, ids=ids, base=base, low=low, likely=likely,
            high=high, dist=dist, mode=mode.astype(np.int8), parent=net.parent.astype(np.int64),
            ctype=arrays["ctype"].astype(np.int8), coffset=arrays["coffset"],
            lower=arrays["lower"], fixed_start=arrays["fixed_start"],
            fixed_finish=arrays["fixed_finish"], lag_kind=lag_kind, lag_pct=lag_pct,
            done=whole - base,
            reported=mode != kern.SUMMARY, watch=np.array(watch, np.int64),
            risks=risk_arrays(self.inp.risks, net.index, expand),
            groups=correlation_groups(self.inp, net.index),
            start=self.off(p.start), honor_constraints=options.honor_constraints_over_links,
            retained_logic=options.progress_mode == ProgressMode.RETAINED_LOGIC,
            critical_slack=options.critical_slack_limit_minutes,
        )  # fmt: skip
        return model, self.calendar, self.warnings

    def task_arrays(self) -> dict[str, IntArray]:
        """Mode, deterministic (remaining) duration and fixed dates of every task."""
        p, n = self.p, self.n
        cols = {k: np.zeros(n, np.int64) for k in ("base", "whole", "mode", "ctype", "coffset",
                                                   "fixed_start", "fixed_finish")}  # fmt: skip
        status = p.status_date if p.options.remaining_after_status_date else None
        cols["lower"] = np.full(n, -kern.INF, np.int64)
        own_calendar = alap = 0
        for i, t in enumerate(p.tasks):
            cols["whole"][i] = cols["base"][i] = t.duration_minutes
            if self.net.is_summary[i]:
                cols["mode"][i], cols["base"][i] = kern.SUMMARY, 0
                continue
            own_calendar += t.calendar_uid not in (None, p.calendar_uid)
            if t.actual_finish is not None:
                cols["mode"][i], cols["base"][i] = kern.COMPLETED, 0
                cols["fixed_start"][i] = self.off(t.actual_start or t.actual_finish)
                cols["fixed_finish"][i] = self.off(t.actual_finish)
            elif t.actual_start is not None:
                rem = remaining_minutes(t)
                cols["mode"][i], cols["base"][i] = kern.IN_PROGRESS, rem
                cols["fixed_start"][i] = start = self.off(t.actual_start)
                resume = start + t.duration_minutes - rem
                cols["fixed_finish"][i] = max(resume, self.off(status)) if status else resume
            elif t.manual and t.manual_start is not None:
                cols["mode"][i] = kern.PINNED
                cols["fixed_start"][i] = start = self.off(t.manual_start)
                if t.manual_finish is not None:
                    cols["base"][i] = self.off(t.manual_finish) - start
            else:
                kind = t.constraint_type if t.constraint_date is not None else 0
                alap += kind == ConstraintType.ALAP
                cols["ctype"][i] = 0 if kind == ConstraintType.ALAP else int(kind)
                if t.constraint_date is not None:
                    cols["coffset"][i] = self.off(t.constraint_date)
                if status is not None:
                    cols["lower"][i] = self.off(status)
        if own_calendar:
            self.warnings.append(f"{own_calendar} tasks have their own calendar; they are "
                                 "simulated on the project calendar")  # fmt: skip
        if alap:
            self.warnings.append(f"{alap} ALAP tasks are simulated as soon as possible")
        return cols

    def lags(self) -> tuple[IntArray, npt.NDArray[np.int8], npt.NDArray[np.float64]]:
        """Per edge: working lag (elapsed lags frozen at their working length in the
        deterministic schedule), percent flag, percent value."""
        net = self.net
        kind = net.lag_kind
        lag = np.where(kind == 0, np.rint(net.lag_value), 0).astype(np.int64)
        pct = np.where(kind == 2, net.lag_value, 0.0)
        elapsed = np.flatnonzero(kind == 1)
        if elapsed.size:
            from hitpm.engine.cpm import schedule

            dates = schedule(self.p).tasks
            for e in elapsed.tolist():
                i = int(net.links.pred_idx[e])
                finish_link = net.links.link_type[e] in (kern.FS, kern.FF)
                at = to_minutes(dates[i].early_finish if finish_link else dates[i].early_start)
                shifted = self.calendar.offset_of(at + round(net.lag_value[e]))
                lag[e] = shifted - self.calendar.offset_of(at)
            self.warnings.append(f"{elapsed.size} elapsed lags are simulated at their working "
                                 "length in the deterministic schedule")  # fmt: skip
        return lag, np.where(kind == 2, kern.PERCENT_LAG, 0).astype(np.int8), pct
