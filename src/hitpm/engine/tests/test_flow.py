"""Flow metrics and throughput forecasts: hand-worked boards, edge cases, properties, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hitpm.cli import app
from hitpm.engine.board import Board, FlowError, History
from hitpm.engine.flow import cycle_time_percentiles, cycle_time_scatter, flow_metrics
from hitpm.engine.forecast import (
    Distribution,
    WorkDays,
    daily_throughput,
    day_ends,
    forecast_how_many,
    forecast_items_by,
    forecast_items_when,
    forecast_when,
    sprint_ends,
)

BOARD = Board(("Backlog", "Doing", "Review", "Done"), started="Doing", done="Done")
AS_OF = dt.datetime(2026, 1, 6, 18, 0)

# (item, time, from, to): six items, each exercising one rule; the expected figures in the tests
# below were worked out by hand from this table.
EVENTS = [
    # 10: the plain path. Lead 3d3h (4 calendar days), cycle 2d3h (3 calendar days).
    (10, "2026-01-01T09:00", "", "Backlog"),
    (10, "2026-01-02T09:00", "Backlog", "Doing"),
    (10, "2026-01-04T12:00", "Doing", "Done"),
    # 20: skips Doing and Review: starts and finishes at the same instant (cycle 0d, 1 day).
    (20, "2026-01-01T10:00", "", "Backlog"),
    (20, "2026-01-03T10:00", "Backlog", "Done"),
    # 30: done, reopened into Review, done again: counts once, on the final finish.
    (30, "2026-01-01T08:00", "", "Backlog"),
    (30, "2026-01-02T08:00", "Backlog", "Doing"),
    (30, "2026-01-03T08:00", "Doing", "Done"),
    (30, "2026-01-04T08:00", "Done", "Review"),
    (30, "2026-01-05T08:00", "Review", "Done"),
    # 40: skips into Review, then moves back to Doing: in progress, started 01-03 (age 4).
    (40, "2026-01-02T12:00", "", "Backlog"),
    (40, "2026-01-03T12:00", "Backlog", "Review"),
    (40, "2026-01-04T12:00", "Review", "Doing"),
    # 50: done, reopened and not finished again: in progress, in no throughput, age 4.
    (50, "2026-01-03T09:00", "", "Backlog"),
    (50, "2026-01-03T10:00", "Backlog", "Doing"),
    (50, "2026-01-03T15:00", "Doing", "Done"),
    (50, "2026-01-05T09:00", "Done", "Doing"),
    # 60: started, then dragged back to the backlog: neither in progress nor done.
    (60, "2026-01-04T09:00", "", "Backlog"),
    (60, "2026-01-04T10:00", "Backlog", "Doing"),
    (60, "2026-01-05T10:00", "Doing", "Backlog"),
]


def _history(events: list[tuple[int, str, str, str]]) -> History:
    items, at, from_states, to_states = zip(*events, strict=True)
    return History(list(items), list(at), list(to_states), list(from_states))


@pytest.fixture(scope="module")
def metrics():
    return flow_metrics(_history(EVENTS), BOARD, as_of=AS_OF)


# ---- metrics: the hand-worked board ---------------------------------------------------------


def test_items_are_reported_in_id_order_with_their_final_column(metrics) -> None:
    assert metrics.items.tolist() == [10, 20, 30, 40, 50, 60]
    assert metrics.column.tolist() == [3, 3, 3, 1, 1, 0]
    assert metrics.inconsistent_events == 0


def test_lead_and_cycle_times_in_fractional_days(metrics) -> None:
    lead = metrics.lead_time_days
    cycle = metrics.cycle_time_days
    assert lead[:3].tolist() == [3.125, 2.0, 4.0]
    assert cycle[:3].tolist() == [2.125, 0.0, 3.0]
    assert np.isnan(lead[3:]).all()
    assert np.isnan(cycle[3:]).all()


def test_day_counts_follow_done_date_minus_start_date_plus_one(metrics) -> None:
    assert metrics.lead_time_day_count.tolist() == [4, 3, 5, 0, 0, 0]
    assert metrics.cycle_time_day_count.tolist() == [3, 1, 4, 0, 0, 0]


def test_start_never_moves_and_done_is_the_final_finish(metrics) -> None:
    started = metrics.started.astype(str).tolist()
    assert started == [
        "2026-01-02T09:00:00",
        "2026-01-03T10:00:00",
        "2026-01-02T08:00:00",
        "2026-01-03T12:00:00",
        "2026-01-03T10:00:00",
        "2026-01-04T10:00:00",
    ]
    assert str(metrics.done[2]) == "2026-01-05T08:00:00"
    assert np.isnat(metrics.done[3:]).all()


def test_cumulative_flow_counts_columns_at_end_of_day(metrics) -> None:
    assert metrics.days.astype(str).tolist() == [f"2026-01-0{d}" for d in range(1, 7)]
    assert metrics.cfd.tolist() == [
        [3, 0, 0, 0],
        [2, 2, 0, 0],
        [0, 1, 1, 3],
        [0, 2, 1, 3],
        [1, 2, 0, 3],
        [1, 2, 0, 3],
    ]


def test_throughput_and_wip_per_day(metrics) -> None:
    assert metrics.throughput.tolist() == [0, 0, 1, 1, 1, 0]
    assert metrics.wip.tolist() == [0, 2, 2, 3, 2, 2]


def test_percentile_lines_are_observed_day_counts(metrics) -> None:
    # finished cycle times 1, 3, 4: 50 % took 3 days or less, 85 % and 95 % took 4 or less
    assert metrics.percentiles == {50: 3, 85: 4, 95: 4}


def test_aging_wip_compares_ages_with_the_percentiles(metrics) -> None:
    aging = metrics.aging
    assert aging.items.tolist() == [40, 50]
    assert aging.columns.tolist() == [1, 1]
    assert aging.age_days.tolist() == [4, 4]
    assert aging.band.tolist() == [1, 1]  # above the 50th percentile (3), within the 85th (4)


def test_scatter_has_one_dot_per_finished_item(metrics) -> None:
    scatter = cycle_time_scatter(metrics)
    assert scatter.items.tolist() == [10, 20, 30]
    assert scatter.done_dates.astype(str).tolist() == ["2026-01-04", "2026-01-03", "2026-01-05"]
    assert scatter.cycle_days.tolist() == [3, 1, 4]
    assert scatter.percentiles == {50: 3, 85: 4, 95: 4}


# ---- metrics: edge cases --------------------------------------------------------------------


def test_input_order_does_not_matter() -> None:
    shuffled = [EVENTS[i] for i in np.random.default_rng(3).permutation(len(EVENTS))]
    a = flow_metrics(_history(EVENTS), BOARD, as_of=AS_OF)
    b = flow_metrics(_history(shuffled), BOARD, as_of=AS_OF)
    assert np.array_equal(a.cfd, b.cfd)
    assert np.array_equal(a.cycle_time_day_count, b.cycle_time_day_count)


def test_integer_columns_and_state_mapping_give_the_same_answer() -> None:
    mapped = Board(
        BOARD.columns, started="Doing", done="Done", states={"In Progress": "Doing", "QA": "Review"}
    )
    names = {"Doing": "In Progress", "Review": "QA"}
    renamed = [(i, t, names.get(f, f), names.get(s, s)) for i, t, f, s in EVENTS]
    by_name = flow_metrics(_history(renamed), mapped, as_of=AS_OF)
    items, at, _, to = zip(*EVENTS, strict=True)
    codes = [BOARD.columns.index(s) for s in to]
    by_code = flow_metrics(History(list(items), list(at), codes), BOARD, as_of=AS_OF)
    assert np.array_equal(by_name.cfd, by_code.cfd)
    assert by_name.percentiles == by_code.percentiles == {50: 3, 85: 4, 95: 4}


def test_from_states_that_disagree_with_the_history_are_counted() -> None:
    broken = [*EVENTS[:2], (10, "2026-01-04T12:00", "Review", "Done"), *EVENTS[3:]]
    assert flow_metrics(_history(broken), BOARD, as_of=AS_OF).inconsistent_events == 1
    # a history that begins mid-flow: the first event's from-state has nothing to disagree with
    midway = History([7, 7], ["2026-01-01", "2026-01-02"], [2, 3], from_states=[1, 2])
    assert flow_metrics(midway, BOARD).inconsistent_events == 0
    created = History([7, 7], ["2026-01-01", "2026-01-02"], [0, 3], from_states=[-1, 1])
    assert flow_metrics(created, BOARD).inconsistent_events == 1


def test_as_of_defaults_to_the_latest_event() -> None:
    result = flow_metrics(_history(EVENTS), BOARD)
    assert str(result.as_of) == "2026-01-05T10:00:00"
    assert result.days.size == 5
    assert result.aging.age_days.tolist() == [3, 3]


def test_empty_history_needs_as_of_and_gives_empty_series() -> None:
    empty = History([], np.array([], dtype="datetime64[s]"), np.array([], dtype=str))
    with pytest.raises(FlowError, match="empty"):
        flow_metrics(empty, BOARD)
    result = flow_metrics(empty, BOARD, as_of=AS_OF)
    assert result.items.size == 0
    assert result.cfd.tolist() == [[0, 0, 0, 0]]
    assert result.throughput.tolist() == [0]
    assert result.percentiles == {}
    assert result.aging.items.size == 0


def test_nothing_finished_means_no_percentile_lines_and_band_zero() -> None:
    events = [(1, "2026-01-01T09:00", "", "Backlog"), (1, "2026-01-02T09:00", "", "Doing")]
    result = flow_metrics(_history(events), BOARD, as_of=dt.datetime(2026, 1, 3))
    assert result.percentiles == {}
    assert result.aging.age_days.tolist() == [2]
    assert result.aging.band.tolist() == [0]


def test_bad_input_is_refused_with_a_reason() -> None:
    with pytest.raises(FlowError, match="Limbo"):
        flow_metrics(_history([(1, "2026-01-01", "", "Limbo")]), BOARD)
    with pytest.raises(FlowError, match="after as_of"):
        flow_metrics(_history(EVENTS), BOARD, as_of=dt.datetime(2026, 1, 2))
    with pytest.raises(FlowError, match="same length"):
        flow_metrics(History([1, 2], ["2026-01-01"], ["Backlog"]), BOARD)
    with pytest.raises(FlowError, match="right of done"):
        Board(("A", "B"), started="B", done="A")
    with pytest.raises(FlowError, match="column indices"):
        flow_metrics(History([1], ["2026-01-01"], [7]), BOARD)


def test_percentiles_use_the_inverted_empirical_distribution() -> None:
    values = list(range(1, 21))  # 1..20
    assert cycle_time_percentiles(values) == {50: 10, 85: 17, 95: 19}
    assert cycle_time_percentiles([5]) == {50: 5, 85: 5, 95: 5}
    assert cycle_time_percentiles([]) == {}


_moves = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 20 * 24), st.integers(0, 3)),
    min_size=1,
    max_size=60,
)


@given(_moves)
@settings(max_examples=150, deadline=None)
def test_metric_invariants_hold_for_any_history(moves: list[tuple[int, int, int]]) -> None:
    base = np.datetime64("2026-03-01T00:00", "h")
    items = [m[0] for m in moves]
    at = [base + np.timedelta64(m[1], "h") for m in moves]
    result = flow_metrics(History(items, at, [m[2] for m in moves]), BOARD)
    created_by_day = np.cumsum(
        np.bincount(
            (result.created.astype("datetime64[D]") - result.days[0]).astype(int),
            minlength=result.days.size,
        )
    )
    assert np.array_equal(result.cfd.sum(axis=1), created_by_day)
    assert (result.cfd >= 0).all()
    assert result.throughput.sum() == result.done_mask.sum() == result.cfd[-1, 3]
    done = result.done_mask
    assert (result.cycle_time_day_count[done] <= result.lead_time_day_count[done]).all()
    assert (result.cycle_time_days[done] >= 0).all()
    assert result.aging.items.size == result.wip[-1]


def test_string_item_ids_are_kept() -> None:
    events = [("HIT-2" if i == 20 else f"HIT-{i}", t, f, to) for i, t, f, to in EVENTS]
    result = flow_metrics(_history(events), BOARD, as_of=AS_OF)  # type: ignore[arg-type]
    assert result.items.tolist() == ["HIT-10", "HIT-2", "HIT-30", "HIT-40", "HIT-50", "HIT-60"]
    assert result.aging.items.tolist() == ["HIT-40", "HIT-50"]
    assert result.cycle_time_day_count.tolist() == [3, 1, 4, 0, 0, 0]


def test_missing_or_malformed_timestamps_are_refused() -> None:
    with pytest.raises(FlowError, match="NaT"):
        flow_metrics(History([1], [np.datetime64("NaT", "s")], ["Backlog"]), BOARD)
    with pytest.raises(FlowError, match="timestamps"):
        flow_metrics(History([1], ["yesterday"], ["Backlog"]), BOARD)


def _reference(moves: list[tuple[int, int, int]], board: Board) -> dict[int, tuple[int, int]]:
    """A plain loop over each item's moves: (start second, final-done second or -1)."""
    by_item: dict[int, list[tuple[int, int, int]]] = {}
    for order, (item, second, column) in enumerate(moves):
        by_item.setdefault(item, []).append((second, order, column))
    out = {}
    for item, events in by_item.items():
        start = done = -1
        previous = -1
        for second, _, column in sorted(events):
            if start < 0 and column >= board.started_index:
                start = second
            if column >= board.done_index > previous:
                done = second
            previous = column
        out[item] = (start, done if previous >= board.done_index else -1)
    return out


@given(_moves)
@settings(max_examples=150, deadline=None)
def test_vectorised_rules_match_a_plain_loop(moves: list[tuple[int, int, int]]) -> None:
    seconds = [(m[0], m[1] * 3600, m[2]) for m in moves]
    result = flow_metrics(
        History(
            [m[0] for m in seconds],
            np.array([m[1] for m in seconds], "datetime64[s]"),
            [m[2] for m in seconds],
        ),
        BOARD,
    )
    started = result.started.astype(np.int64)
    done = result.done.astype(np.int64)
    got = {
        int(i): (int(s) if not np.isnat(a) else -1, int(d) if not np.isnat(b) else -1)
        for i, s, d, a, b in zip(
            result.items, started, done, result.started, result.done, strict=True
        )
    }
    assert got == _reference(seconds, BOARD)


# ---- forecasts ------------------------------------------------------------------------------


@given(k=st.integers(1, 9), n=st.integers(1, 500))
@settings(max_examples=60, deadline=None)
def test_constant_throughput_needs_exactly_ceil_n_over_k_days(k: int, n: int) -> None:
    forecast = forecast_when([k] * 30, n, trials=200, seed=1)
    assert set(forecast.periods.values()) == {math.ceil(n / k)}
    assert forecast.distribution.values.tolist() == [math.ceil(n / k)]


@given(
    history=st.lists(st.integers(0, 6), min_size=1, max_size=40).filter(any),
    target=st.integers(1, 200),
    horizon=st.integers(0, 60),
)
@settings(max_examples=60, deadline=None)
def test_forecasts_are_bounded_and_ordered(history: list[int], target: int, horizon: int) -> None:
    when = forecast_when(history, target, trials=300, seed=4)
    days = [when.periods[c] for c in (50, 70, 85, 95)]
    assert days == sorted(days)
    assert days[0] >= math.ceil(target / max(history))
    assert int(when.distribution.counts.sum()) == 300
    many = forecast_how_many(history, horizon, trials=300, seed=4).amount
    amounts = [many[c] for c in (50, 70, 85, 95)]
    assert amounts == sorted(amounts, reverse=True)
    assert horizon * min(history) <= amounts[-1] <= amounts[0] <= horizon * max(history)


def test_constant_throughput_gives_exact_dates_and_counts() -> None:
    history = daily_throughput(
        [], first=dt.date(2026, 1, 1), last=dt.date(2026, 1, 1), window_days=None
    )
    assert history.counts.tolist() == [0]
    steady = daily_throughput(np.repeat(np.datetime64("2026-01-01"), 4))
    assert steady.counts.tolist() == [4]
    when = forecast_items_when(steady, 40, dt.date(2026, 2, 1), seed=7)
    assert when.periods == {50: 10, 70: 10, 85: 10, 95: 10}
    assert set(when.dates.values()) == {dt.date(2026, 2, 10)}  # 10 days: Feb 1 through Feb 10
    by = forecast_items_by(steady, dt.date(2026, 2, 1), dt.date(2026, 2, 10), seed=7)
    assert by.amount == {50: 40.0, 70: 40.0, 85: 40.0, 95: 40.0}


def test_fractional_velocities_add_up_exactly() -> None:
    assert forecast_when([2.5], 5, trials=50, seed=0).periods[95] == 2
    assert forecast_when([2.5], 5.5, trials=50, seed=0).periods[95] == 3


def test_forecasts_are_reproducible_with_a_seed() -> None:
    history = np.random.default_rng(0).poisson(2, 365)
    a = forecast_when(history, 150, seed=42)
    b = forecast_when(history, 150, seed=42)
    assert a.periods == b.periods
    assert np.array_equal(a.distribution.counts, b.distribution.counts)
    c = forecast_how_many(history, 30, seed=42)
    d = forecast_how_many(history, 30, seed=42)
    assert c.amount == d.amount


def test_confidence_levels_are_ordered() -> None:
    history = np.random.default_rng(1).poisson(1.5, 500)
    when = forecast_when(history, 120, seed=3, period_end=day_ends(dt.date(2026, 6, 1)))
    dates = [when.dates[c] for c in (50, 70, 85, 95)]
    assert dates == sorted(dates)
    assert when.dates[85] >= when.dates[50]
    amounts = forecast_how_many(history, 60, seed=3).amount
    assert amounts[50] >= amounts[70] >= amounts[85] >= amounts[95]


def test_trials_that_outrun_the_first_chunk_are_continued() -> None:
    # 0 or 1 a day with equal odds: 50 items take 100 days on average (negative binomial)
    when = forecast_when([0, 1], 50, trials=4000, seed=5)
    dist = when.distribution
    mean = float((dist.values * dist.counts).sum() / dist.counts.sum())
    assert abs(mean - 100) < 1.5
    assert dist.values.min() >= 50
    assert dist.counts.sum() == 4000


def test_distribution_gives_chart_curves() -> None:
    dist = Distribution.of([3, 1, 3, 2])
    assert dist.values.tolist() == [1, 2, 3]
    assert dist.probability.tolist() == [0.25, 0.25, 0.5]
    assert dist.at_most.tolist() == [0.25, 0.5, 1.0]
    assert dist.at_least.tolist() == [1.0, 0.75, 0.5]


def test_when_forecast_carries_a_date_per_histogram_bar() -> None:
    when = forecast_when([1, 2], 4, trials=500, seed=2, period_end=day_ends(dt.date(2026, 1, 1)))
    assert when.distribution.values.tolist() == [2, 3, 4]
    assert when.period_dates.astype(str).tolist() == ["2026-01-02", "2026-01-03", "2026-01-04"]
    table = when.probability_table()
    assert [(days, day) for days, day, _ in table] == [
        (2, dt.date(2026, 1, 2)),
        (3, dt.date(2026, 1, 3)),
        (4, dt.date(2026, 1, 4)),
    ]
    assert table[-1][2] == 1.0
    assert [p for _, _, p in table] == sorted(p for _, _, p in table)
    undated = forecast_when([1, 2], 4, trials=500, seed=2).probability_table()
    assert [day for _, day, _ in undated] == [None, None, None]
    many = forecast_how_many([1, 2], 2, trials=500, seed=2).probability_table()
    assert [amount for amount, _ in many] == [2.0, 3.0, 4.0]
    assert many[0][1] == 1.0


@pytest.mark.parametrize(
    ("history", "message"),
    [([], "empty"), ([0, 0, 0], "no completions"), ([1, -1], "negative"), ([np.nan], "finite")],
)
def test_hopeless_histories_are_refused(history: list[float], message: str) -> None:
    with pytest.raises(FlowError, match=message):
        forecast_when(history, 10, seed=1)


def test_targets_beyond_reach_are_refused_not_looped_on() -> None:
    with pytest.raises(FlowError, match="more than"):
        forecast_when([1] + [0] * 999, 100_000, seed=1)


def test_working_days_skip_weekends_and_holidays() -> None:
    workdays = WorkDays.weekdays([dt.date(2026, 1, 5)])  # a Monday off
    steady = daily_throughput(np.repeat(np.datetime64("2025-12-31"), 1))
    when = forecast_items_when(steady, 5, dt.date(2026, 1, 2), workdays=workdays, seed=0)
    # Fri 2, (weekend, holiday Mon 5), Tue 6, Wed 7, Thu 8, Fri 9
    assert when.dates[50] == dt.date(2026, 1, 9)
    by = forecast_items_by(
        steady, dt.date(2026, 1, 2), dt.date(2026, 1, 11), workdays=workdays, seed=0
    )
    assert by.horizon == 5
    assert workdays.count(dt.date(2026, 1, 3), dt.date(2026, 1, 5)) == 0


def test_daily_throughput_fills_zero_days_and_respects_the_window() -> None:
    done = np.array(["2026-01-01", "2026-01-01", "2026-01-04"], dtype="datetime64[D]")
    assert daily_throughput(done).counts.tolist() == [2, 0, 0, 1]
    windowed = daily_throughput(done, window_days=2)
    assert (windowed.start, windowed.counts.tolist()) == (dt.date(2026, 1, 3), [0, 1])
    assert daily_throughput(done, window_days=30).counts.tolist() == [2, 0, 0, 1]


def test_weekend_completions_move_to_the_next_working_day() -> None:
    # Fri 2026-01-02, Sat 03, Sun 04, Mon 05
    done = np.array(["2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"], "datetime64[D]")
    history = daily_throughput(done, workdays=WorkDays.weekdays())
    assert history.counts.tolist() == [1, 3]


def test_scrum_velocity_forecasts() -> None:
    when = forecast_when([20, 20, 20], 50, seed=1, period_end=sprint_ends(dt.date(2026, 1, 5), 14))
    assert when.periods[95] == 3
    assert when.dates[95] == dt.date(2026, 2, 15)  # three two-week sprints from Monday 5 Jan
    assert forecast_how_many([13, 21], 4, seed=1).amount[95] >= 52
    assert forecast_how_many([20], 4, seed=1).amount[50] == 80
    with pytest.raises(FlowError, match="at least one day"):
        sprint_ends(dt.date(2026, 1, 5), 0)


def test_a_date_before_the_start_is_refused() -> None:
    steady = daily_throughput(np.array(["2026-01-01"], dtype="datetime64[D]"))
    with pytest.raises(FlowError, match="before"):
        forecast_items_by(steady, dt.date(2026, 2, 1), dt.date(2026, 1, 1))


# ---- the `hitpm forecast` command -----------------------------------------------------------


def _invoke(tmp_path: Path, content: str, *args: str):
    path = tmp_path / "throughput.csv"
    path.write_text(content)
    return CliRunner().invoke(app, ["forecast", "--throughput", str(path), *args])


def test_cli_json_for_daily_counts(tmp_path: Path) -> None:
    csv = "date,count\n2026-01-01,2\n2026-01-02,2\n2026-01-03,2\n"
    result = _invoke(tmp_path, csv, "--items", "9", "--by", "2026-01-08", "--seed", "3", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["items"] == 9
    assert payload["trials"] == 10_000
    assert payload["seed"] == 3
    assert payload["history_days"] == 3
    assert payload["start"] == "2026-01-04"
    assert payload["when"] == dict.fromkeys(("50", "70", "85", "95"), "2026-01-08")  # 5 days
    assert payload["when_days"]["95"] == 5
    assert payload["how_many_by"] == {
        "date": "2026-01-08",
        "days": 5,
        "50": 10,
        "70": 10,
        "85": 10,
        "95": 10,
    }


def test_cli_reads_done_dates_like_the_equivalent_daily_counts(tmp_path: Path) -> None:
    per_item = "id,done_date\n1,2026-01-01\n2,2026-01-01\n3,2026-01-03T16:30\n"
    per_day = "date,count\n2026-01-01,2\n2026-01-03,1\n"
    args = ("--items", "30", "--seed", "9", "--json", "--start", "2026-02-01")
    a = json.loads(_invoke(tmp_path, per_item, *args).stdout)
    b = json.loads(_invoke(tmp_path, per_day, *args).stdout)
    assert a == b
    assert a["history_days"] == 3  # the missing 2026-01-02 is a zero day
    assert a["history"]["items"] == 3


def test_cli_answers_how_many_alone(tmp_path: Path) -> None:
    csv = "date,count\n2026-01-01,3\n"
    args = ("--by", "2026-01-05", "--start", "2026-01-01", "--seed", "1", "--json")
    payload = json.loads(_invoke(tmp_path, csv, *args).stdout)
    assert payload["items"] is None
    assert payload["when"] is None
    assert payload["how_many_by"]["days"] == 5
    assert payload["how_many_by"]["95"] == 15


def test_cli_prints_a_table_of_confidence_levels(tmp_path: Path) -> None:
    result = _invoke(tmp_path, "date,count\n2026-01-01,1\n2026-01-02,3\n", "--items", "20")
    assert result.exit_code == 0, result.output
    for level in ("50 %", "70 %", "85 %", "95 %"):
        assert level in result.stdout
    assert "20 items done by" in result.stdout


def test_cli_window_and_working_days(tmp_path: Path) -> None:
    csv = "date,count\n2025-12-01,9\n2026-01-02,1\n2026-01-05,1\n"
    args = ("--items", "3", "--seed", "1", "--json", "--window-days", "4", "--working-days")
    payload = json.loads(_invoke(tmp_path, csv, *args, "--holiday", "2026-01-07").stdout)
    assert payload["history"]["first"] == "2026-01-02"
    assert payload["history_days"] == 2  # Fri 2 and Mon 5; the weekend is not sampled
    assert payload["when"]["50"] == "2026-01-09"  # Tue 6, (holiday Wed 7), Thu 8, Fri 9


@pytest.mark.parametrize(
    ("content", "args", "reason"),
    [
        ("when,how\n2026-01-01,1\n", (), "header must name columns"),
        ("date,count\n01/02/2026,1\n", (), "line 2: '01/02/2026' is not a date"),
        ("done_date\n2026-01-05x\n", (), "line 2: '2026-01-05x' is not a date"),
        ("date,count\n2026-01-01,-3\n", (), "line 2: count -3 is negative"),
        ("date,count\n2026-01-01,two\n", (), "not a whole number"),
        ("date,count\n2026-01-01\n", (), "too few columns"),
        ("date,count\n", (), "no data rows"),
        ("", (), "is empty"),
        ("date,count\n2026-01-01,0\n2026-01-02,0\n", (), "every sample is zero"),
        ("done_date\n2026-01-01\n", ("--by", "2025-01-01"), "before the forecast start"),
        ("done_date\n2026-01-01\n", ("--by", "soon"), "--by 'soon' is not a date"),
    ],
)
def test_cli_bad_input_fails_with_one_line(
    tmp_path: Path, content: str, args: tuple[str, ...], reason: str
) -> None:
    result = _invoke(tmp_path, content, "--items", "5", *args)
    assert result.exit_code == 1
    assert reason in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_cli_needs_a_question_and_an_existing_file(tmp_path: Path) -> None:
    no_question = _invoke(tmp_path, "date,count\n2026-01-01,1\n")
    assert no_question.exit_code == 1
    assert "--items N, --by" in no_question.stderr
    missing = CliRunner().invoke(
        app, ["forecast", "--throughput", str(tmp_path / "nope.csv"), "--items", "3"]
    )
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr


def test_cli_never_imports_django(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("date,count\n2026-01-01,1\n")
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from hitpm.cli import app\n"
        f"args = ['forecast', '--throughput', {str(path)!r}, '--items', '2']\n"
        "r = CliRunner().invoke(app, args)\n"
        "assert r.exit_code == 0, r.output\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
