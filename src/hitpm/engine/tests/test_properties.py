"""Properties of schedules of random networks (hypothesis draws sizes, seeds and mixes).

Both entry points are checked: the array kernel directly, and the project scheduler on the
same network, which must agree with it to the minute.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hitpm.engine.calendar import build_calendar, to_minutes
from hitpm.engine.cpm import ArraySchedule, schedule, schedule_arrays
from hitpm.engine.model import (
    ConstraintType,
    FloatMode,
    LagFormat,
    LinkType,
    ProjectSpec,
    ScheduleOptions,
    ScheduleResult,
)
from hitpm.engine.network import CycleError
from hitpm.engine.randomnet import (
    START,
    RandomNetwork,
    network_calendar,
    random_arrays,
    random_project,
)

FS, SS, FF, SF = 0, 1, 2, 3

networks = st.builds(
    random_arrays,
    n=st.integers(1, 120),
    seed=st.integers(0, 2**32 - 1),
    links_per_task=st.sampled_from([0.5, 1.0, 2.0, 3.0]),
    mean_distance=st.sampled_from([1.0, 3.0, 20.0]),
    negative_lag_share=st.sampled_from([0.0, 0.1, 0.5]),
)


def link_gaps(net: RandomNetwork, s: ArraySchedule, late: bool) -> np.ndarray:
    """Per edge, how far the successor is beyond what the link requires (>= 0 if satisfied)."""
    links = net.links
    pred, succ = links.pred_idx, links.edge_successors()
    start = s.late_start if late else s.early_start
    finish = s.late_finish if late else s.early_finish
    source = np.where(np.isin(links.link_type, (FS, FF)), finish[pred], start[pred])
    target = np.where(np.isin(links.link_type, (FS, SS)), start[succ], finish[succ])
    return target - (source + links.lag)


@settings(max_examples=150, deadline=None)
@given(networks)
def test_every_link_is_satisfied_early_and_late(net: RandomNetwork) -> None:
    s = schedule_arrays(net.durations, net.links)
    assert (link_gaps(net, s, late=False) >= 0).all()
    assert (link_gaps(net, s, late=True) >= 0).all()
    assert (s.early_finish - s.early_start == net.durations).all()
    assert (s.late_finish <= s.finish).all()


@settings(max_examples=150, deadline=None)
@given(networks)
def test_total_float_at_least_free_float_at_least_zero(net: RandomNetwork) -> None:
    s = schedule_arrays(net.durations, net.links)
    assert (s.total_float >= s.free_float).all()
    assert (s.free_float >= 0).all()


@settings(max_examples=150, deadline=None)
@given(networks)
def test_critical_path_is_a_chain_of_critical_tasks_from_start_to_finish(
    net: RandomNetwork,
) -> None:
    s = schedule_arrays(net.durations, net.links)
    path = s.critical_path.tolist()
    assert path, "a non-empty network has a longest path"
    assert s.early_start[path[0]] == 0
    assert s.early_finish[path[-1]] == s.finish
    assert s.critical[path].all()
    gaps = link_gaps(net, s, late=False)
    succ = net.links.edge_successors()
    for before, after in itertools.pairwise(path):
        edges = np.flatnonzero((net.links.pred_idx == before) & (succ == after))
        assert (gaps[edges] == 0).any(), f"{before} -> {after} is not a driving link"


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_project_scheduler_agrees_with_the_array_kernel(n: int, seed: int) -> None:
    net = random_arrays(n, seed=seed)
    calendar = network_calendar(net)
    origin = calendar.offset_of(to_minutes(START))
    arrays = schedule_arrays(net.durations, net.links, start=origin)
    result = schedule(random_project(n, seed=seed))
    for i, task in enumerate(result.tasks):
        four = (task.early_start, task.early_finish, task.late_start, task.late_finish)
        got = [calendar.offset_of(to_minutes(d)) for d in four]
        want = [arrays.early_start[i], arrays.early_finish[i],
                arrays.late_start[i], arrays.late_finish[i]]  # fmt: skip
        assert got == want, f"task {task.uid}"
        assert task.total_float_minutes == arrays.total_float[i]
        assert task.free_float_minutes == arrays.free_float[i]
        assert task.critical == arrays.critical[i]
    assert result.critical_path == [int(i) + 1 for i in arrays.critical_path]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_rescheduling_an_unchanged_network_changes_nothing(n: int, seed: int) -> None:
    spec = random_project(n, seed=seed)
    first = schedule(spec)
    assert schedule(spec) == first
    # Pinning every task where it already is (SNET at its early start) changes no date.
    pinned = dataclasses.replace(
        spec,
        tasks=[
            dataclasses.replace(t, constraint_type=ConstraintType.SNET, constraint_date=r.start)
            for t, r in zip(spec.tasks, first.tasks, strict=True)
        ],
    )
    again = schedule(pinned)
    for before, after in zip(first.tasks, again.tasks, strict=True):
        assert (after.early_start, after.early_finish) == (before.early_start, before.early_finish)
        assert (after.late_start, after.late_finish) == (before.late_start, before.late_finish)


def link_slack(spec: ProjectSpec, result: ScheduleResult, late: bool) -> list[int]:
    """Per link, working minutes (successor calendar) the successor sits beyond its link.

    Late dates are only held to links between tasks on one calendar with time lags: a late
    start is placed at the next working minute of its own calendar, which another calendar
    (or an elapsed lag measured from it) may see as later; Microsoft Project does the same."""
    tasks = {t.uid: t for t in spec.tasks}
    by_uid = result.by_uid()
    calendars = {c.uid: c for c in spec.calendars}
    tabulated = {
        uid: build_calendar(uid, calendars, dt.date(2020, 1, 1), 365 * 20) for uid in calendars
    }
    slacks = []
    for link in spec.links:
        pred, succ = by_uid[link.predecessor_uid], by_uid[link.successor_uid]
        calendar_uid = tasks[link.successor_uid].calendar_uid or spec.calendar_uid
        same = calendar_uid == (tasks[link.predecessor_uid].calendar_uid or spec.calendar_uid)
        if late and (not same or link.lag_format == LagFormat.ELAPSED):
            continue
        cal = tabulated[calendar_uid]
        pred_start = pred.late_start if late else pred.early_start
        pred_finish = pred.late_finish if late else pred.early_finish
        succ_start = succ.late_start if late else succ.early_start
        succ_finish = succ.late_finish if late else succ.early_finish
        source = pred_finish if link.type in (LinkType.FS, LinkType.FF) else pred_start
        target = succ_start if link.type in (LinkType.FS, LinkType.SS) else succ_finish
        source_t = to_minutes(source)
        if link.lag_format == LagFormat.ELAPSED:
            required = cal.offset_of(source_t + round(link.lag))
        elif link.lag_format == LagFormat.PERCENT:
            share = round(link.lag * tasks[link.predecessor_uid].duration_minutes / 100)
            required = cal.offset_of(source_t) + share
        else:
            required = cal.offset_of(source_t) + round(link.lag)
        slacks.append(cal.offset_of(to_minutes(target)) - required)
    return slacks


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 80), st.integers(0, 2**32 - 1))
def test_project_scheduler_with_calendars_and_lag_kinds_keeps_every_link(n: int, seed: int) -> None:
    spec = random_project(n, seed=seed, varied=True)
    result = schedule(spec)
    assert min(link_slack(spec, result, late=False), default=0) >= 0
    assert min(link_slack(spec, result, late=True), default=0) >= 0
    for task in result.tasks:
        assert task.total_float_minutes >= task.free_float_minutes >= 0
        assert task.late_finish <= result.finish
    # The longest path still runs from the project start to its finish. (Its tasks need not
    # all be critical here: a task on another calendar, or before an elapsed lag, can drive
    # its successor and still have float up to the end of its own working time.)
    path = [result.by_uid()[uid] for uid in result.critical_path]
    assert path[0].early_start == spec.start
    assert path[-1].early_finish == result.finish
    assert path[-1].critical


@settings(max_examples=60, deadline=None)
@given(networks, st.integers(0, 2**16))
def test_free_float_is_exactly_the_delay_no_successor_notices(
    net: RandomNetwork, pick: int
) -> None:
    s = schedule_arrays(net.durations, net.links)
    task = pick % net.durations.shape[0]
    free = int(s.free_float[task])

    def delayed(by: int) -> ArraySchedule:
        bound = np.full(net.durations.shape[0], -(2**40), np.int64)
        bound[task] = s.early_start[task] + by
        return schedule_arrays(net.durations, net.links, earliest_start=bound)

    others = np.arange(net.durations.shape[0]) != task
    assert (delayed(free).early_start[others] == s.early_start[others]).all()
    has_successors = (net.links.pred_idx == task).any()
    if has_successors and free < s.total_float[task]:
        assert (delayed(free + 1).early_start[others] != s.early_start[others]).any()


def _general_schedule(spec: ProjectSpec) -> ScheduleResult:
    """``schedule`` with the single-calendar fast path switched off."""
    from unittest import mock

    with mock.patch("hitpm.engine.cpm._single_calendar_schedule", return_value=None):
        return schedule(spec)


@st.composite
def single_calendar_projects(draw: st.DrawFn) -> ProjectSpec:
    """random_project networks with what the fast path takes on: summary tasks, date
    constraints of every kind (also at non-working instants), deadlines, percent and
    fractional lags, a status date that holds work back, and every option."""
    n = draw(st.integers(1, 80))
    spec = random_project(
        n,
        seed=draw(st.integers(0, 2**32 - 1)),
        links_per_task=draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
        mean_distance=draw(st.sampled_from([1.0, 3.0, 20.0])),
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    share = draw(st.sampled_from([0.0, 0.2, 0.6]))
    tasks = []
    for task in spec.tasks:
        changes: dict[str, object] = {}
        if rng.random() < share:
            kind = ConstraintType(int(rng.choice([0, 2, 3, 4, 5, 6, 7])))
            offset = dt.timedelta(
                days=int(rng.integers(-20, 120)), minutes=int(rng.integers(0, 1440))
            )
            changes.update(constraint_type=kind, constraint_date=START + offset)
        if rng.random() < share / 2:
            changes["deadline"] = START + dt.timedelta(hours=int(rng.integers(0, 24 * 200)))
        tasks.append(dataclasses.replace(task, **changes) if changes else task)  # type: ignore[arg-type]
    links = []
    for link in spec.links:
        draw_ = rng.random()
        if draw_ < share / 2:
            link = dataclasses.replace(
                link, lag_format=LagFormat.PERCENT, lag=float(rng.integers(-50, 150))
            )
        elif draw_ < share:
            link = dataclasses.replace(link, lag=float(rng.integers(-600, 600)) + 0.5)
        links.append(link)
    options = ScheduleOptions(
        honor_constraints_over_links=draw(st.booleans()),
        critical_slack_limit_minutes=draw(st.sampled_from([0, 480])),
        float_mode=draw(st.sampled_from(list(FloatMode))),
        remaining_after_status_date=draw(st.booleans()),
    )
    status = START + dt.timedelta(hours=draw(st.integers(0, 24 * 60)))
    spec = dataclasses.replace(
        spec,
        tasks=tasks,
        links=links,
        options=options,
        status_date=status if draw(st.booleans()) else None,
    )
    return outlined(spec, rng) if draw(st.booleans()) else spec


def outlined(spec: ProjectSpec, rng: np.random.Generator) -> ProjectSpec:
    """The project with random outline levels (so summary tasks), keeping only the links
    that make no loop through a summary; percent lags from a summary become working lags
    (their size would depend on the summary's span, which the fast path leaves to the
    general one)."""
    from hitpm.engine.network import _parents

    levels = [1]
    for _ in spec.tasks[1:]:
        levels.append(max(1, min(levels[-1] + int(rng.integers(-1, 2)), 4)))
    parent = _parents(levels).tolist()
    summaries = {p for p in parent if p >= 0}

    def line(i: int) -> set[int]:  # the task and its summaries
        found = {i}
        while parent[i] >= 0:
            i = parent[i]
            found.add(i)
        return found

    index = {t.uid: i for i, t in enumerate(spec.tasks)}
    links = []
    for link in spec.links:
        a, b = index[link.predecessor_uid], index[link.successor_uid]
        if a in line(b) or b in line(a):  # into its own summary, or out of it: a loop
            continue
        if a in summaries and link.lag_format == LagFormat.PERCENT:
            link = dataclasses.replace(link, lag_format=LagFormat.WORKING, lag=60.0)
        links.append(link)
    tasks = [
        dataclasses.replace(t, outline_level=v) for t, v in zip(spec.tasks, levels, strict=True)
    ]
    return dataclasses.replace(spec, tasks=tasks, links=links)


@settings(max_examples=150, deadline=None)
@given(single_calendar_projects())
def test_single_calendar_fast_path_agrees_with_the_general_path(spec: ProjectSpec) -> None:
    from hitpm.engine import cpm

    try:
        network = cpm.build_network(spec)
    except CycleError:  # a loop through two summaries' links: not what is tested here
        assume(False)
        return
    fast = cpm._single_calendar_schedule(spec, network, cpm._extent(spec, network))
    assert fast is not None, "the fast path takes single-calendar projects"
    assert fast == _general_schedule(spec)
    assert schedule(spec) == fast
