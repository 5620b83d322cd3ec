"""Critical path scheduling: the public entry points.

* :func:`schedule` takes a :class:`~hitpm.engine.model.ProjectSpec` (any mix of calendars, lag
  kinds, constraints, deadlines, progress, summaries) and returns a
  :class:`~hitpm.engine.model.ScheduleResult` with dates as Microsoft Project computes them.
* :func:`schedule_arrays` is the fast path for large networks and Monte Carlo: durations and
  lags in working minutes on one calendar, links as CSR arrays, results as arrays. A million
  tasks with two million links schedule in a fraction of a second (compiled with numba).
  Convert its offsets to dates with :meth:`ArraySchedule.dates`.

Both apply the same link arithmetic (FS: ``ES_j >= EF_i + lag``, SS: ``ES_j >= ES_i + lag``,
FF: ``EF_j >= EF_i + lag``, SF: ``EF_j >= ES_i + lag``), so on a single-calendar network
without constraints they agree to the minute; the tests hold them to that.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from hitpm.engine import _kernels, _spec_kernels
from hitpm.engine._project import ROLLUP, Dates, ProjectPasses
from hitpm.engine.calendar import (
    CalendarError,
    DateRangeError,
    HorizonError,
    WorkCalendar,
    from_minutes,
    minutes_to_datetimes,
    resolve,
    to_minutes,
)
from hitpm.engine.model import (
    ConstraintType,
    FloatMode,
    LagFormat,
    LinkSpec,
    ProjectSpec,
    ScheduleResult,
    TaskResult,
)
from hitpm.engine.network import (
    LAG_CODES,
    Links,
    Network,
    Order,
    build_network,
    links_from_edges,
    ordered,
)

IntArray = npt.NDArray[np.int64]
_FIRST_DAY, _LAST_DAY = dt.date(1800, 1, 1), dt.date(9999, 1, 1)  # calendar horizon limits
_FLOAT_MODES = {FloatMode.START: 0, FloatMode.FINISH: 1, FloatMode.SMALLEST: 2}

__all__ = ["ArraySchedule", "schedule", "schedule_arrays", "warm_up"]


# -- array API ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArraySchedule:
    """Result of :func:`schedule_arrays`: int64 working-minute offsets per task index.

    ``critical_path`` holds task indices from the project's first task to its last;
    ``finish`` is the project finish offset; ``order`` can be passed back to
    :func:`schedule_arrays` to skip the topological sort when only durations change."""

    early_start: IntArray
    early_finish: IntArray
    late_start: IntArray
    late_finish: IntArray
    total_float: IntArray
    free_float: IntArray
    critical: npt.NDArray[np.bool_]
    critical_path: IntArray
    finish: int
    order: Order

    def dates(self, calendar: WorkCalendar) -> dict[str, npt.NDArray[np.datetime64]]:
        """Early and late dates as ``datetime64[m]``, reading offsets as working minutes of
        ``calendar`` (schedule with ``start=calendar.offset_of(project_start)``). Starts roll
        to the next working minute, finishes stay at the end of the day, and zero-duration
        tasks finish where they start."""
        early_start = calendar.start_at(self.early_start)
        late_start = calendar.start_at(self.late_start)
        milestone = self.early_finish == self.early_start
        early_finish = np.where(milestone, early_start, calendar.finish_at(self.early_finish))
        late_finish = np.where(milestone, late_start, calendar.finish_at(self.late_finish))
        values = {
            "early_start": early_start,
            "early_finish": early_finish,
            "late_start": late_start,
            "late_finish": late_finish,
        }
        return {name: minutes_to_datetimes(v) for name, v in values.items()}


def schedule_arrays(
    durations: npt.ArrayLike,
    links: Links,
    *,
    start: int = 0,
    earliest_start: npt.ArrayLike | None = None,
    latest_finish: npt.ArrayLike | None = None,
    critical_slack: int = 0,
    float_mode: FloatMode = FloatMode.SMALLEST,
    order: Order | None = None,
) -> ArraySchedule:
    """Schedule a single-calendar network held in arrays.

    ``durations``: int64 working minutes per task. ``links``: see
    :class:`~hitpm.engine.network.Links` (build with
    :func:`~hitpm.engine.network.links_from_edges`). ``start``: offset of the project start;
    tasks without predecessors start there. ``earliest_start`` (SNET-like lower bounds) and
    ``latest_finish`` (deadlines, FNLT) are optional per-task offsets. A task is critical when
    its total float is at most ``critical_slack``. Raises
    :class:`~hitpm.engine.network.CycleError` if the links loop.
    """
    dur = np.ascontiguousarray(durations, dtype=np.int64)
    n = dur.shape[0]
    if n != links.size:
        raise ValueError(f"{n} durations for a network of {links.size} tasks")
    if order is None:
        order = ordered(links)
    layout = _layout(links, order)
    into = order.order if layout.renumbered else None  # run renumbered, then number back
    lower = _bound_array(earliest_start, n, -_kernels.NO_BOUND, into)
    upper = _bound_array(latest_finish, n, _kernels.NO_BOUND, into)
    if into is not None:
        dur = dur[into]
    es, ef, demand = _kernels.forward_pass(
        layout.sequence, dur, layout.pred_ptr, layout.pred_idx, layout.link_type, layout.lag,
        lower, start,
    )  # fmt: skip
    finish = int(ef.max()) if n else start
    ls, lf, total, free = _kernels.backward_pass(
        layout.sequence, dur, es, ef, layout.succ_ptr, layout.succ_task, layout.succ_type,
        layout.succ_lag, upper, finish, _FLOAT_MODES[FloatMode(float_mode)],
    )  # fmt: skip
    path = _kernels.longest_path(
        es, ef, total, layout.pred_ptr, layout.pred_idx, demand, finish, order.order
    )
    if layout.renumbered:
        es, ef, ls, lf, total, free = _kernels.unpermute(order.order, es, ef, ls, lf, total, free)
    return ArraySchedule(es, ef, ls, lf, total, free, total <= critical_slack, path, finish, order)


@dataclass(frozen=True)
class _Layout:
    """The network as the passes read it; ``sequence`` is the order to visit tasks in.

    When ``renumbered``, task ``k`` is the caller's task ``order[k]`` and ``sequence`` is
    ``0..n-1``, so the passes stream through memory (see :func:`_renumbered`); otherwise the
    order is already the identity and the caller's arrays are used as they are."""

    sequence: IntArray
    renumbered: bool
    pred_ptr: IntArray
    pred_idx: IntArray
    link_type: npt.NDArray[np.int8]
    lag: IntArray
    succ_ptr: IntArray
    succ_task: IntArray
    succ_type: npt.NDArray[np.int8]
    succ_lag: IntArray


def _layout(links: Links, order: Order) -> _Layout:
    """The layout for ``links`` in ``order``, built once and kept in ``order.cache`` (keyed by
    the links object, so an order reused with other links is never served a stale one)."""
    cached = order.cache.get("layout")
    if isinstance(cached, tuple) and cached[0] is links:
        layout: _Layout = cached[1]
        return layout
    if order.order.shape[0] != links.size:
        raise ValueError(f"an order of {order.order.shape[0]} tasks for {links.size} tasks")
    if _kernels.is_identity(order.order):
        layout = _Layout(
            order.order, False, links.pred_ptr, links.pred_idx, links.link_type, links.lag,
            order.succ_ptr, order.succ_task, order.succ_type, order.succ_lag,
        )  # fmt: skip
    else:
        layout = _renumbered(links, order.order)
    order.cache["layout"] = (links, layout)
    return layout


def _renumbered(links: Links, order: IntArray) -> _Layout:
    """``links`` renumbered so that task ``k`` is ``order[k]``.

    In topological numbering every link goes from a lower to a higher index, so the passes
    sweep their arrays front to back (or back to front) instead of jumping about memory; on a
    million tasks in random id order that makes them several times faster. The copy is done
    with whole-array gathers rather than a loop over tasks: a per-task loop stalls on a
    branch misprediction at every task's variable number of links, which serialises the
    cache misses, while independent gathers overlap them (twice as fast on a million tasks).
    Each task keeps its predecessor links in their original order, so ties (the longest
    path's driving predecessor) resolve exactly as in the caller's numbering."""
    n = links.size
    m = links.pred_idx.shape[0]
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    first = links.pred_ptr[order]
    counts = links.pred_ptr[order + 1] - first
    pred_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=pred_ptr[1:])
    source = np.repeat(first - pred_ptr[:-1], counts) + np.arange(m, dtype=np.int64)
    pred_idx = rank[links.pred_idx][source]
    link_type, lag = links.link_type[source], links.lag[source]
    succ_ptr, _, _, succ_task, succ_type, succ_lag = _kernels.successor_csr(
        n, pred_ptr, pred_idx, link_type, lag
    )
    return _Layout(
        np.arange(n, dtype=np.int64), True, pred_ptr, pred_idx, link_type, lag,
        succ_ptr, succ_task, succ_type, succ_lag,
    )  # fmt: skip


def _bound_array(
    values: npt.ArrayLike | None, n: int, default: int, into: IntArray | None
) -> IntArray:
    """Per-task bounds as int64 (``default`` when not given), renumbered by ``into``."""
    if values is None:
        return np.full(n, default, np.int64)
    array = np.ascontiguousarray(values, dtype=np.int64)
    if array.shape != (n,):
        raise ValueError(f"expected {n} per-task bounds, got shape {array.shape}")
    return array if into is None else array[into]


def warm_up() -> None:
    """Compile (or load from cache) the numba kernels, so timing runs measure scheduling only.

    Covers the array passes, the renumbering, the date conversions and the compiled passes of
    :func:`schedule`, so a web worker can call it at start-up and its first reschedule is not
    the one that pays. The first compilation in a fresh environment takes several seconds;
    cached loads take well under a second."""
    from hitpm.engine.calendar import standard_calendar
    from hitpm.engine.model import CalendarSpec, LinkSpec, TaskSpec

    for links in (links_from_edges(3, [0, 1], [1, 2], [0, 2], [0, -1]),
                  links_from_edges(3, [2, 1], [1, 0], [0, 2], [0, -1])):  # fmt: skip
        result = schedule_arrays(np.array([1, 2, 3]), links)
    result.dates(standard_calendar(dt.date(2026, 1, 5), 7))
    tasks = [TaskSpec(1, outline_level=1), TaskSpec(2, duration_minutes=480, outline_level=2)]
    start = dt.datetime(2026, 1, 5, 8)
    schedule(ProjectSpec("warm-up", start, 1, [CalendarSpec(uid=1)], [*tasks, TaskSpec(3)],
                         [LinkSpec(2, 3)]))  # fmt: skip


# -- ProjectSpec API ----------------------------------------------------------------------


def schedule(project: ProjectSpec) -> ScheduleResult:
    """Schedule a project as Microsoft Project would and report dates, floats and the
    longest path. Tasks keep their input order in the result.

    Projects on one calendar without progress, ALAP, manual tasks or elapsed lags (what the
    planning UI reschedules on every edit) run through compiled passes
    (:mod:`hitpm.engine._spec_kernels`); the rest through the general per-task passes
    (:mod:`hitpm.engine._project`). Both give identical results; the tests hold them to it.

    Raises :class:`~hitpm.engine.network.NetworkError` (including ``CycleError``, which names
    the tasks on the loop) or :class:`~hitpm.engine.calendar.CalendarError` (including
    ``DateRangeError``, which names the task and date outside the supported range)."""
    network = build_network(project)
    if not project.tasks:
        return ScheduleResult(project.start, project.start, [], [])
    extent = _extent(project, network)
    fast = _single_calendar_schedule(project, network, extent)
    if fast is not None:
        return fast
    for stretch in (1, 8, 64):
        calendars = _task_calendars(project, network, extent, stretch)
        passes = ProjectPasses(project, network, calendars)
        try:
            dates = passes.run()
        except HorizonError as exc:  # calendars with long breaks: tabulate more days and retry
            if stretch == 64:
                raise _runs_out_of_range(project, exc) from exc
            continue
        return _Report(project, network, passes, dates).result()
    raise AssertionError("unreachable")  # pragma: no cover


_SUPPORTED = f"{_FIRST_DAY:%Y-%m-%d} to {_LAST_DAY - dt.timedelta(days=1):%Y-%m-%d}"
_DATES = (
    (attrgetter("constraint_date"), "constraint date"), (attrgetter("deadline"), "deadline"),
    (attrgetter("actual_start"), "actual start"), (attrgetter("actual_finish"), "actual finish"),
    (attrgetter("manual_start"), "manual start"), (attrgetter("manual_finish"), "manual finish"),
)  # fmt: skip


@dataclass(frozen=True)
class _Extent:
    """What the horizon is sized from: the earliest and latest date in the project, the work
    and lags in working minutes if all ran in series, and the elapsed lags."""

    earliest: dt.date
    latest: dt.date
    work: float
    elapsed: float


def _extent(project: ProjectSpec, network: Network) -> _Extent:
    """The project's :class:`_Extent`, refusing (naming the task and the date) any date
    outside the days the scheduler can tabulate, :data:`_FIRST_DAY` up to :data:`_LAST_DAY`.
    Such a date is almost always a typo (year 9999, 2062 for 2026); without this check it
    surfaced as a calendar horizon error that named neither the task nor what to change."""
    low = dt.datetime.combine(_FIRST_DAY, dt.time())
    high = dt.datetime.combine(_LAST_DAY, dt.time())
    for name, date in (("project start", project.start), ("status date", project.status_date)):
        if date is not None and not low <= date < high:
            raise DateRangeError(
                f"the {name} {date:%Y-%m-%d %H:%M} is outside the dates the scheduler supports "
                f"({_SUPPORTED}); correct it"
            )
    tasks = project.tasks
    instants = [project.start, *([project.status_date] if project.status_date else [])]
    for field, words in _DATES:
        dates = list(filter(None, map(field, tasks)))
        if dates and not (low <= min(dates) and max(dates) < high):
            task = next(t for t in tasks if field(t) and not low <= field(t) < high)
            label = f"{task.uid} ({task.name})" if task.name else str(task.uid)
            raise DateRangeError(
                f"task {label}: its {words} {field(task):%Y-%m-%d %H:%M} is outside the dates "
                f"the scheduler supports ({_SUPPORTED}); correct the date (is the year "
                "mistyped?) or clear it"
            )
        instants += dates
    longest = max(map(_DURATION, tasks), default=0)
    work, elapsed = _serial_lags(project.links, network, longest, sum(map(_DURATION, tasks)))
    return _Extent(min(instants).date(), max(instants).date(), work, elapsed)


def _runs_out_of_range(project: ProjectSpec, error: HorizonError) -> DateRangeError:
    """The error for a schedule whose dates are all supported but whose work or lags run
    past the supported range even on the widest horizon: say so, name the task being
    scheduled when it happened, and what to change."""
    where = ""
    if error.task is not None and 0 <= error.task < len(project.tasks):
        task = project.tasks[error.task]
        where = f" at task {task.uid} ({task.name})" if task.name else f" at task {task.uid}"
    return DateRangeError(
        f"the schedule runs outside the dates the scheduler supports ({_SUPPORTED}){where}; "
        "move the dates that push it there (constraints, deadlines, actual dates, the project "
        "start) closer to the rest of the plan, or shorten the durations and lags involved"
    )


def _single_calendar_schedule(
    project: ProjectSpec, network: Network, extent: _Extent
) -> ScheduleResult | None:
    """The schedule computed by the compiled passes of :mod:`hitpm.engine._spec_kernels`, or
    None when the project needs the general path.

    They apply when every task is on the project calendar (summaries always are),
    auto-scheduled, not started and not ALAP, and every lag is in working minutes or percent
    (of a task, not of a summary's span): the common case, and the one the planning UI
    reschedules on every edit. Summaries, date constraints, deadlines, the status date and
    every option are handled. Whatever the kernels cannot place on the
    tabulated horizon sends the project down the general path, which widens the horizon or
    names the date, so both paths give the same result or the same error."""
    tasks = project.tasks
    summary = network.is_summary
    links = network.links
    if (network.lag_kind == LAG_ELAPSED).any():
        return None
    if (summary[links.pred_idx] & (network.lag_kind == LAG_PERCENT)).any():
        return None  # a percent of a summary's span: known only as the passes run
    if any(map(_MANUAL, tasks)) or any(map(_STARTED, tasks)) or any(map(_FINISHED, tasks)):
        return None
    leaf_calendars = {c for c, s in zip(map(_CALENDAR, tasks), summary.tolist(), strict=True)
                      if not s}  # fmt: skip
    if not leaf_calendars <= {None, project.calendar_uid}:  # summaries use the project's
        return None
    kinds = list(map(_CONSTRAINT, tasks))
    if ConstraintType.ALAP in kinds:
        return None
    duration = np.array(list(map(_DURATION, tasks)))
    if duration.dtype.kind not in "iu" or duration.min() < 0:
        return None
    duration = np.where(summary, 0, duration).astype(np.int64)
    try:
        pattern = resolve(project.calendar_uid, {c.uid: c for c in project.calendars})
        if pattern.weekly_minutes() <= 0:
            return None
        calendar = WorkCalendar(pattern, *_horizon(extent, pattern.weekly_minutes(), 1))
    except CalendarError:
        return None
    n = len(tasks)
    constraint = np.full(n, _spec_kernels.NONE, np.int8)
    constraint_t = np.zeros(n, np.int64)
    deadline_t = np.full(n, _INF, np.int64)
    dated = []  # the general path converts every constraint date and deadline, ASAP's too
    for i, date in enumerate(map(_CONSTRAINT_DATE, tasks)):
        if date is not None:
            constraint_t[i] = to_minutes(date)
            dated.append(constraint_t[i])
            if kinds[i] != ConstraintType.ASAP:
                constraint[i] = kinds[i]
    for i, date in enumerate(map(_DEADLINE, tasks)):
        if date is not None:
            deadline_t[i] = to_minutes(date)
            dated.append(deadline_t[i])
    if dated and (min(dated) < calendar.first_minute or max(dated) > calendar.last_minute):
        return None
    lag = _working_lags(network, duration)
    child_ptr, child_idx = _children(network.parent)
    options = project.options
    status = project.status_date
    floor_t = (to_minutes(status) if status is not None and options.remaining_after_status_date
               else -_INF)  # fmt: skip
    start_t = to_minutes(project.start)
    tables = _spec_kernels.calendar_tables(calendar)
    bad = np.zeros(1, np.bool_)
    order = network.order
    honor = bool(options.honor_constraints_over_links)
    mode = _FLOAT_MODES[FloatMode(options.float_mode)]
    es_w, ef_w, es_t, ef_t, demand, earliest_leaf = _spec_kernels.forward(
        order.order, duration, links.pred_ptr, links.pred_idx, links.link_type, lag,
        constraint, constraint_t, honor, start_t, floor_t, summary, child_ptr, child_idx,
        tables, bad,
    )  # fmt: skip
    finish_t = int(ef_t.max())  # a summary never finishes after its last task
    _, _, ls_t, lf_t, total, free = _spec_kernels.backward(
        order.order, duration, es_w, ef_w, finish_t, order.succ_ptr, order.succ_edge,
        order.edge_succ, links.link_type, lag, constraint, constraint_t, deadline_t, honor,
        mode, summary, network.parent, earliest_leaf, tables, bad,
    )  # fmt: skip
    critical = total <= options.critical_slack_limit_minutes
    _spec_kernels.roll_up(
        order.order, summary, child_ptr, child_idx, es_t, ef_t, ls_t, lf_t, total, free,
        critical, mode, tables, bad,
    )  # fmt: skip
    if bad[0]:
        return None
    path = _spec_kernels.driving_path(
        summary, child_ptr, child_idx, earliest_leaf, links.pred_ptr, links.pred_idx,
        links.link_type, demand, es_w, ef_t, total, finish_t,
    )  # fmt: skip
    start, finish = _datetimes(es_t), _datetimes(ef_t)
    late_start, late_finish = _datetimes(ls_t), _datetimes(lf_t)
    uids = [t.uid for t in tasks]
    results = [
        TaskResult(uid, s, f, s, f, ls, lf, tf, ff, c, is_summary)
        for uid, s, f, ls, lf, tf, ff, c, is_summary in zip(
            uids, start, finish, late_start, late_finish, total.tolist(), free.tolist(),
            critical.tolist(), summary.tolist(), strict=True,
        )
    ]  # fmt: skip
    return ScheduleResult(
        start=from_minutes(int(es_t.min())),
        finish=from_minutes(finish_t),
        tasks=results,
        critical_path=[uids[i] for i in path.tolist()],
    )


_INF = 1 << 62
LAG_ELAPSED, LAG_PERCENT = 1, 2
_MANUAL = attrgetter("manual")
_STARTED = attrgetter("actual_start")
_FINISHED = attrgetter("actual_finish")
_CALENDAR = attrgetter("calendar_uid")
_CONSTRAINT = attrgetter("constraint_type")
_CONSTRAINT_DATE = attrgetter("constraint_date")
_DEADLINE = attrgetter("deadline")
_DURATION = attrgetter("duration_minutes")


def _children(parent: IntArray) -> tuple[IntArray, IntArray]:
    """Children of every task as CSR (``child_idx[child_ptr[s]:child_ptr[s + 1]]``), in
    outline order, as :attr:`Network.children` lists them."""
    has_parent = np.flatnonzero(parent >= 0)
    child_idx = has_parent[np.argsort(parent[has_parent], kind="stable")]
    child_ptr = np.zeros(parent.shape[0] + 1, np.int64)
    np.cumsum(np.bincount(parent[has_parent], minlength=parent.shape[0]), out=child_ptr[1:])
    return child_ptr, child_idx.astype(np.int64)


def _working_lags(network: Network, duration: IntArray) -> IntArray:
    """Every lag in working minutes, rounded as ``ProjectPasses.lag_minutes`` rounds them
    (half to even; a percent lag is that share of its predecessor's duration)."""
    value = network.lag_value
    percent = network.lag_kind == LAG_PERCENT
    if percent.any():
        value = np.where(percent, value * duration[network.links.pred_idx] / 100, value)
    lag: IntArray = np.round(value).astype(np.int64)
    return lag


def _datetimes(minutes: IntArray) -> list[dt.datetime]:
    """Epoch minutes as naive datetimes, all at once (what :func:`from_minutes` gives)."""
    values: list[dt.datetime] = minutes_to_datetimes(minutes).tolist()
    return values


def _task_calendars(
    project: ProjectSpec, network: Network, extent: _Extent, stretch: int
) -> list[WorkCalendar]:
    """One tabulated calendar per task (shared between tasks on the same calendar), over
    ``stretch`` times the horizon the work seems to need."""
    specs = {c.uid: c for c in project.calendars}
    uids = [project.calendar_uid if network.is_summary[i] or t.calendar_uid is None
            else t.calendar_uid for i, t in enumerate(project.tasks)]  # fmt: skip
    patterns = {uid: resolve(uid, specs) for uid in set(uids)}
    weekly = min(p.weekly_minutes() for p in patterns.values())
    if weekly <= 0:
        raise CalendarError("a task calendar has no working time in its week; give it some")
    first_day, days = _horizon(extent, weekly, stretch)
    built = {uid: WorkCalendar(p, first_day, days) for uid, p in patterns.items()}
    return [built[uid] for uid in uids]


def _horizon(extent: _Extent, weekly_minutes: int, stretch: int) -> tuple[dt.date, int]:
    """Days to tabulate: every date in the project, plus room for all work and lags to run
    serially in either direction on the sparsest calendar."""
    span = (math.ceil(extent.work * 7 / weekly_minutes + extent.elapsed / 1440) + 400) * stretch
    earliest, latest = extent.earliest, extent.latest
    first = earliest - dt.timedelta(days=min(span, (earliest - _FIRST_DAY).days))
    last = latest + dt.timedelta(days=min(span, (_LAST_DAY - latest).days))
    return first, (last - first).days + 1


def _serial_lags(
    links: list[LinkSpec], network: Network, longest: int, work: float
) -> tuple[float, float]:
    """``work`` plus every working and percent lag (in working minutes), and the elapsed
    lags (calendar minutes), all as absolute values.

    Whole-minute lags without percents (the usual case) are summed as arrays: each partial
    sum is then an exact integer, so the result is the one the link-by-link loop gives. The
    network's edges are the links themselves plus the roll-up edges (no lag), unless a link
    into a summary became one edge per task under it."""
    rollups = int((network.parent >= 0).sum())
    if network.links.pred_idx.shape[0] != len(links) + rollups:
        lags = np.abs(np.fromiter(map(_LAG, links), np.float64, len(links)))
        codes = np.array([LAG_CODES.get(f, -1) for f in map(_LAG_FORMAT, links)], np.int8)
    else:
        lags, codes = np.abs(network.lag_value), network.lag_kind
    if not (codes < 0).any() and not (codes == LAG_PERCENT).any() and (lags % 1 == 0).all():
        elapsed = codes == LAG_ELAPSED
        return work + float(lags[~elapsed].sum()), float(lags[elapsed].sum())
    spent = 0.0
    for link in links:
        if link.lag_format == LagFormat.ELAPSED:
            spent += abs(link.lag)
        elif link.lag_format == LagFormat.PERCENT:
            work += abs(link.lag) / 100 * longest
        else:
            work += abs(link.lag)
    return work, spent


_LAG_FORMAT = attrgetter("lag_format")
_LAG = attrgetter("lag")


class _Report:
    """Turns the passes' working offsets into floats, flags, roll-ups and the result."""

    def __init__(
        self, project: ProjectSpec, network: Network, passes: ProjectPasses, dates: Dates
    ) -> None:
        self.project = project
        self.net = network
        self.passes = passes
        self.d = dates
        n = len(project.tasks)
        self.total = [0] * n
        self.free = [0] * n
        self.critical = [False] * n
        self.limit = project.options.critical_slack_limit_minutes
        self.mode = FloatMode(project.options.float_mode)

    def result(self) -> ScheduleResult:
        self.leaf_floats()
        self.summary_rollups()
        tasks = self.task_results()
        leaves = [t for t, s in zip(tasks, self.net.is_summary.tolist(), strict=True) if not s]
        return ScheduleResult(
            start=min(t.start for t in leaves),
            finish=max(t.finish for t in leaves),
            tasks=tasks,
            critical_path=[self.project.tasks[i].uid for i in self.longest_path()],
        )

    def pick_float(self, start_float: int, finish_float: int) -> int:
        if self.mode == FloatMode.START:
            return start_float
        if self.mode == FloatMode.FINISH:
            return finish_float
        return min(start_float, finish_float)

    def leaf_floats(self) -> None:
        d = self.d
        for i in range(len(self.project.tasks)):
            if self.net.is_summary[i] or self.passes.completed(i):
                continue
            finish_float = d.lf_w[i] - d.ef_w[i]
            start_float = finish_float if self.passes.in_progress(i) else d.ls_w[i] - d.es_w[i]
            self.total[i] = self.pick_float(start_float, finish_float)
            self.free[i] = max(min(self.passes.free_float(i), self.total[i]), 0)
            self.critical[i] = self.total[i] <= self.limit

    def summary_rollups(self) -> None:
        """Summaries span their children: earliest start, latest finish (ALAP children count
        with their late dates), least free float, critical if any child is."""
        d = self.d
        for s in self.net.order.order.tolist():
            if not self.net.is_summary[s]:
                continue
            kids = self.net.children[s]
            d.es_t[s] = min(self.shown_start(k) for k in kids)
            d.ef_t[s] = max(self.shown_finish(k) for k in kids)
            d.ls_t[s] = min(d.ls_t[k] for k in kids)
            d.lf_t[s] = max(d.lf_t[k] for k in kids)
            cal = self.passes.cal[s]
            self.total[s] = self.pick_float(
                cal.offset_of(d.ls_t[s]) - cal.offset_of(d.es_t[s]),
                cal.offset_of(d.lf_t[s]) - cal.offset_of(d.ef_t[s]),
            )
            self.free[s] = min(self.free[k] for k in kids)
            self.critical[s] = any(self.critical[k] for k in kids)

    def is_alap(self, i: int) -> bool:
        return self.project.tasks[i].constraint_type == ConstraintType.ALAP

    def shown_start(self, i: int) -> int:
        return self.d.ls_t[i] if self.is_alap(i) and not self.net.is_summary[i] else self.d.es_t[i]

    def shown_finish(self, i: int) -> int:
        return self.d.lf_t[i] if self.is_alap(i) and not self.net.is_summary[i] else self.d.ef_t[i]

    def task_results(self) -> list[TaskResult]:
        """Every task's result, its instants converted to datetimes in one go per column
        (converting them one by one was a fifth of the whole schedule)."""
        d = self.d
        starts, finishes = [], []
        for i, task in enumerate(self.project.tasks):
            start, finish = self.shown_start(i), self.shown_finish(i)
            if task.actual_start is not None:
                start = to_minutes(task.actual_start)
            if task.actual_finish is not None:
                finish = to_minutes(task.actual_finish)
            starts.append(start)
            finishes.append(finish)
        columns = [_datetimes(np.array(c, np.int64))
                   for c in (starts, finishes, d.es_t, d.ef_t, d.ls_t, d.lf_t)]  # fmt: skip
        return [
            TaskResult(task.uid, start, finish, es, ef, ls, lf, total, free, critical, summary)
            for task, start, finish, es, ef, ls, lf, total, free, critical, summary in zip(
                self.project.tasks, *columns, self.total, self.free, self.critical,
                self.net.is_summary.tolist(), strict=True,
            )
        ]  # fmt: skip

    def longest_path(self) -> list[int]:
        """Leaf indices from the first task to the last along driving links."""
        d = self.d
        leaves = [i for i in range(len(self.project.tasks)) if not self.net.is_summary[i]]
        ends = [i for i in leaves if d.ef_t[i] == d.project_finish_t]
        if not ends:
            return []
        j: int | None = min(ends, key=lambda i: (self.total[i], i))
        path: list[int] = []
        while j is not None and j not in path:
            path.append(j)
            j = self.driving_predecessor(j)
        return path[::-1]

    def driving_predecessor(self, j: int) -> int | None:
        """The leaf whose link sets ``j``'s early start (least total float among ties)."""
        p = self.passes
        task = self.project.tasks[j]
        if task.manual or task.actual_start is not None:
            return None
        best: int | None = None
        for e in range(p.pred_ptr[j], p.pred_ptr[j + 1]):
            if p.kind[e] == ROLLUP or self.d.demand[e] != self.d.es_w[j]:
                continue
            leaf = self.driving_leaf(p.pred_idx[e], p.kind[e])
            if best is None or self.total[leaf] < self.total[best]:
                best = leaf
        return best

    def driving_leaf(self, i: int, kind: int) -> int:
        """A summary drives through its latest-finishing task (FS, FF) or earliest (SS, SF)."""
        while self.net.is_summary[i]:
            if kind in (0, 2):
                kids = [k for k in self.net.children[i] if self.d.ef_t[k] == self.d.ef_t[i]]
                i = min(kids, key=lambda k: (self.total[k], k))
            else:
                i = self.passes.earliest_leaf[i]
        return i
