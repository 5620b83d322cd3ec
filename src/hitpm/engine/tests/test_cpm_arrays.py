"""The array API: hand-worked values, bounds, float modes, order reuse, date conversion."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from hitpm.engine.calendar import standard_calendar, to_minutes
from hitpm.engine.cpm import schedule_arrays, warm_up
from hitpm.engine.model import FloatMode
from hitpm.engine.network import CycleError, Links, links_from_edges
from hitpm.engine.randomnet import network_calendar, random_arrays

FS, SS, FF, SF = 0, 1, 2, 3


def diamond() -> tuple[np.ndarray, Links]:
    """0 (10) -> 1 (20) -> 3 (5); 0 -> 2 (5) -SS+3-> 3; so 3 starts at 30."""
    durations = np.array([10, 20, 5, 5])
    links = links_from_edges(4, [0, 0, 1, 2], [1, 2, 3, 3], [FS, FS, FS, SS], [0, 0, 0, 3])
    return durations, links


def test_hand_worked_diamond() -> None:
    durations, links = diamond()
    s = schedule_arrays(durations, links)
    assert s.early_start.tolist() == [0, 10, 10, 30]
    assert s.early_finish.tolist() == [10, 30, 15, 35]
    assert s.late_start.tolist() == [0, 10, 27, 30]
    assert s.late_finish.tolist() == [10, 30, 32, 35]
    assert s.total_float.tolist() == [0, 0, 17, 0]
    assert s.free_float.tolist() == [0, 0, 17, 0]
    assert s.critical.tolist() == [True, True, False, True]
    assert s.critical_path.tolist() == [0, 1, 3]
    assert s.finish == 35


def test_bounds_act_like_snet_and_deadlines() -> None:
    durations, links = diamond()
    s = schedule_arrays(
        durations, links, earliest_start=[0, 0, 20, 0], latest_finish=[99, 99, 99, 33]
    )
    assert s.early_start[2] == 20
    assert s.late_finish[3] == 33
    assert s.total_float[3] == -2
    assert s.total_float[0] == -2  # the deadline's negative float reaches the chain


def test_float_modes_differ_when_late_dates_are_capped() -> None:
    # 0 (10) -SS-> 1 (5) and 0 -> nothing else: 0's late finish is capped at the finish 15.
    links = links_from_edges(2, [0], [1], [SS], [10])
    durations = np.array([10, 5])
    start = schedule_arrays(durations, links, float_mode=FloatMode.START)
    finish = schedule_arrays(durations, links, float_mode=FloatMode.FINISH)
    assert start.total_float.tolist() == [0, 0]
    assert finish.total_float.tolist() == [0, 0]


def test_order_can_be_reused_for_new_durations() -> None:
    durations, links = diamond()
    first = schedule_arrays(durations, links)
    again = schedule_arrays(durations * 2, links, order=first.order)
    assert again.finish == 70  # the chain 0, 1, 3 doubled


def test_cycles_are_reported() -> None:
    links = links_from_edges(3, [0, 1, 2], [1, 2, 0])
    with pytest.raises(CycleError, match="0 -> 1 -> 2 -> 0"):
        schedule_arrays(np.ones(3), links)


def test_wrong_sizes_are_refused() -> None:
    durations, links = diamond()
    with pytest.raises(ValueError, match="3 durations"):
        schedule_arrays(durations[:3], links)
    with pytest.raises(ValueError, match="per-task bounds"):
        schedule_arrays(durations, links, earliest_start=[0])


def test_dates_follow_the_start_and_finish_conventions() -> None:
    calendar = standard_calendar(dt.date(2026, 1, 5), 30)
    links = links_from_edges(2, [0], [1])
    s = schedule_arrays(np.array([480, 480]), links, start=calendar.offset_of(to_minutes(
        dt.datetime(2026, 1, 5, 8))))  # fmt: skip
    dates = s.dates(calendar)
    assert str(dates["early_finish"][0]) == "2026-01-05T17:00"
    assert str(dates["early_start"][1]) == "2026-01-06T08:00"


def test_random_network_dates_convert() -> None:
    net = random_arrays(2000, seed=3)
    calendar = network_calendar(net)
    s = schedule_arrays(net.durations, net.links, start=calendar.offset_of(to_minutes(
        dt.datetime(2026, 1, 5, 8))))  # fmt: skip
    dates = s.dates(calendar)
    assert (dates["early_finish"] >= dates["early_start"]).all()
    assert (dates["late_start"] >= dates["early_start"]).all()


def test_warm_up_runs() -> None:
    warm_up()


def test_links_of_other_integer_types_are_coerced() -> None:
    links = Links(
        np.array([0, 0, 1], np.int32),
        np.array([0], np.int32),
        np.array([0], np.int64),
        np.array([5.0]),
    )
    assert links.pred_idx.dtype == np.int64
    assert links.link_type.dtype == np.int8
    assert schedule_arrays(np.array([10, 10], np.int32), links).finish == 25


def renumbered(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, Links, Links, np.ndarray]:
    """A random network in topological numbering and the same network with ids shuffled:
    (durations, shuffled durations, links, shuffled links, new id of each old task)."""
    net = random_arrays(n, seed=seed, mean_distance=3.0)
    new_id = np.random.default_rng(seed).permutation(n)
    moved = links_from_edges(
        n,
        new_id[net.links.pred_idx],
        new_id[net.links.edge_successors()],
        net.links.link_type,
        net.links.lag,
    )
    return net.durations, net.durations[np.argsort(new_id)], net.links, moved, new_id


FIELDS = ("early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float")


@pytest.mark.parametrize("seed", range(6))
def test_shuffled_ids_give_the_same_schedule(seed: int) -> None:
    # The kernels run on the network renumbered into topological order; results come back in
    # the caller's numbering, and ties on the longest path break as in that numbering.
    durations, shuffled_durations, links, shuffled_links, new_id = renumbered(3000, seed)
    bounds = np.where(np.arange(3000) % 7 == 0, 10**6, 10**12)
    plain = schedule_arrays(durations, links, latest_finish=bounds)
    moved = schedule_arrays(
        shuffled_durations, shuffled_links, latest_finish=bounds[np.argsort(new_id)]
    )
    for field in FIELDS:
        assert (getattr(moved, field)[new_id] == getattr(plain, field)).all(), field
    assert moved.finish == plain.finish
    path = schedule_arrays(shuffled_durations, shuffled_links).critical_path
    reference = schedule_arrays(shuffled_durations, shuffled_links, order=moved.order)
    assert (reference.critical_path == path).all()


def test_a_reused_order_keeps_its_renumbering_and_follows_new_links() -> None:
    _, durations, _, links, _ = renumbered(500, 1)
    first = schedule_arrays(durations, links)
    again = schedule_arrays(durations * 2, links, order=first.order)
    fresh = schedule_arrays(durations * 2, links)
    for field in FIELDS:
        assert (getattr(again, field) == getattr(fresh, field)).all(), field
    # The same links in a new object (as Monte Carlo may rebuild them): renumbered afresh.
    copy = Links(links.pred_ptr.copy(), links.pred_idx.copy(), links.link_type, links.lag.copy())
    other = schedule_arrays(durations, copy, order=first.order)
    for field in FIELDS:
        assert (getattr(other, field) == getattr(first, field)).all(), field
