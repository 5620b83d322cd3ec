"""Kanban/Scrum flow metrics, vectorised over numpy arrays.

The board history (:mod:`hitpm.engine.board`) is sorted once by item and time; every per-item
figure is then a first/last event per group, and every per-day figure is a ``bincount``.
100,000 state changes take tens of milliseconds. The rules, which the user guide
(``docs/flow.md``) repeats for people:

* The **to-states are authoritative**: an item is wherever its latest event put it. Events are
  ordered by time, ties in input order. ``from_states`` are only checked for consistency
  (:attr:`FlowMetrics.inconsistent_events`), because exports from real trackers drop events.
* An item is **created** at its first recorded event. It is **started** the first time it enters
  a column at or right of ``Board.started``; the start never moves, even if the item is later
  dragged back (the customer's clock did not stop). Skipping columns is fine: jumping from the
  backlog straight to done starts and finishes the item at the same instant.
* An item is **done** when its *latest* column is at or right of ``Board.done``. Its done time is
  the last time it entered the done area, so an item reopened and finished again counts once, on
  its final finish; an item reopened and not finished again is work in progress (or not started,
  if it went back left of ``started``) and counts in no throughput.
* Times are measured two ways: fractional days (``(done - start) / 86,400 s``) and Vacanti's
  **calendar-day count** ``done date - start date + 1``, so an item started and finished on the
  same day took 1 day. Percentile lines and ages use day counts. Timestamps are naive local
  times; convert time zones before calling.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hitpm.engine._empirical import within_levels
from hitpm.engine.board import (
    Board,
    BoolArray,
    DateArray,
    FloatArray,
    FlowError,
    History,
    IntArray,
    SortedHistory,
    final_done_entry,
    first_entry_at_or_right_of,
    sort_history,
)

SECONDS_PER_DAY = 86_400
PERCENTILE_LEVELS: tuple[int, ...] = (50, 85, 95)


@dataclass(frozen=True)
class AgingWip:
    """Items in progress at ``as_of``: their column and age beside the cycle-time percentiles.

    ``band`` is 0 when the age is within the 50th percentile, 1 within the 85th, 2 within the
    95th and 3 beyond it (or 0 everywhere while nothing has finished yet).
    """

    items: npt.NDArray[Any]
    columns: IntArray
    age_days: IntArray
    band: IntArray


@dataclass(frozen=True)
class FlowMetrics:
    """Everything a board's charts need, as arrays. Per-item arrays share the order of ``items``.

    Times not reached are ``NaT`` (timestamps), ``nan`` (fractional days) or ``0`` (day counts,
    which are otherwise at least 1). Per-day arrays cover ``days`` (first event's day through
    ``as_of``'s day); ``cfd[d, c]`` counts the items in column ``c`` at the end of day ``d``.
    """

    board: Board
    as_of: np.datetime64
    items: npt.NDArray[Any]  # ids as given: integers, or strings such as "HIT-12"
    column: IntArray
    created: DateArray
    started: DateArray
    done: DateArray
    lead_time_days: FloatArray
    cycle_time_days: FloatArray
    lead_time_day_count: IntArray
    cycle_time_day_count: IntArray
    days: DateArray
    cfd: IntArray
    throughput: IntArray
    wip: IntArray
    percentiles: dict[int, int]
    aging: AgingWip
    inconsistent_events: int

    @property
    def done_mask(self) -> BoolArray:
        """Items finished at ``as_of``."""
        return self.cycle_time_day_count > 0


@dataclass(frozen=True)
class CycleTimeScatter:
    """One dot per finished item (done date, cycle-time day count) and the percentile lines."""

    items: npt.NDArray[Any]
    done_dates: DateArray
    cycle_days: IntArray
    percentiles: dict[int, int]


def flow_metrics(
    history: History,
    board: Board,
    *,
    as_of: dt.datetime | np.datetime64 | None = None,
    levels: Sequence[int] = PERCENTILE_LEVELS,
) -> FlowMetrics:
    """Lead and cycle times, CFD, throughput, WIP, percentiles and aging WIP for one board.

    ``as_of`` (default: the latest event) ends the per-day series and dates the ages of work in
    progress; events after it are an error rather than silently dropped.
    """
    rows = sort_history(history, board)
    end = _as_of(rows, as_of)
    started = first_entry_at_or_right_of(rows, board.started_index)
    done = final_done_entry(rows, board.done_index)
    created = rows.seconds[rows.first]
    day0 = _day(created.min()) if created.size else _day(end)
    n_days = _day(end) - day0 + 1
    cfd = _cfd(rows, day0, n_days, len(board.columns))
    cycle_count = _day_count(started, done)
    percentiles = cycle_time_percentiles(cycle_count[cycle_count > 0], levels)
    column = rows.column[rows.last]
    in_progress = (column >= board.started_index) & (column < board.done_index)
    return FlowMetrics(
        board=board,
        as_of=np.datetime64(end, "s"),
        items=rows.ids,
        column=column,
        created=_to_datetime(created),
        started=_to_datetime(started),
        done=_to_datetime(done),
        lead_time_days=_fraction_days(created, done),
        cycle_time_days=_fraction_days(started, done),
        lead_time_day_count=_day_count(created, done),
        cycle_time_day_count=cycle_count,
        days=np.arange(day0, day0 + n_days).astype("datetime64[D]"),
        cfd=cfd,
        throughput=_throughput(done, day0, n_days),
        wip=cfd[:, board.started_index : board.done_index].sum(axis=1),
        percentiles=percentiles,
        aging=_aging(rows, in_progress, started, end, percentiles),
        inconsistent_events=_inconsistent(rows),
    )


def _as_of(rows: SortedHistory, as_of: dt.datetime | np.datetime64 | None) -> int:
    latest = int(rows.seconds.max()) if rows.seconds.size else None
    if as_of is None:
        if latest is None:
            raise FlowError("the history is empty; pass as_of to get empty series")
        return latest
    end = int(np.datetime64(as_of, "s").astype(np.int64))
    if latest is not None and latest > end:
        raise FlowError("the history has events after as_of; filter them out first")
    return end


def _day(seconds: int | np.integer) -> int:
    return int(seconds) // SECONDS_PER_DAY


def _days(seconds: IntArray) -> IntArray:
    return np.floor_divide(seconds, SECONDS_PER_DAY)


def _to_datetime(seconds: IntArray) -> DateArray:
    out = seconds.astype("datetime64[s]")
    out[seconds < 0] = np.datetime64("NaT", "s")
    return out


def _fraction_days(start: IntArray, end: IntArray) -> FloatArray:
    out = (end - start) / SECONDS_PER_DAY
    out[(start < 0) | (end < 0)] = np.nan
    return out


def _day_count(start: IntArray, end: IntArray) -> IntArray:
    """Vacanti's ``end date - start date + 1``; 0 where either end is missing."""
    count = _days(end) - _days(start) + 1
    count[(start < 0) | (end < 0)] = 0
    return count


def _cfd(rows: SortedHistory, day0: int, n_days: int, n_columns: int) -> IntArray:
    """Items per column at the end of each day: +1 into the new column, -1 out of the old one."""
    day = _days(rows.seconds) - day0
    arrive = day * n_columns + rows.column
    moved = rows.previous >= 0
    leave = day[moved] * n_columns + rows.previous[moved]
    size = n_days * n_columns
    delta = np.bincount(arrive, minlength=size) - np.bincount(leave, minlength=size)
    return np.cumsum(delta.reshape(n_days, n_columns), axis=0)


def _throughput(done: IntArray, day0: int, n_days: int) -> IntArray:
    finished = done[done >= 0]
    return np.bincount(_days(finished) - day0, minlength=n_days).astype(np.int64)


def _aging(
    rows: SortedHistory, in_progress: BoolArray, started: IntArray, end: int, lines: dict[int, int]
) -> AgingWip:
    ages = _day(end) - _days(started[in_progress]) + 1
    thresholds = np.array([lines[k] for k in sorted(lines)], dtype=np.int64)
    band = (
        np.searchsorted(thresholds, ages, side="left")
        if thresholds.size
        else np.zeros(ages.size, dtype=np.int64)
    )
    return AgingWip(
        items=rows.ids[in_progress],
        columns=rows.column[rows.last][in_progress],
        age_days=ages.astype(np.int64),
        band=band.astype(np.int64),
    )


def _inconsistent(rows: SortedHistory) -> int:
    """Moves whose from-state is not where the item's previous event left it.

    An item's first event has no previous event, so its from-state (where the item was before
    the recorded history began) cannot disagree with anything.
    """
    if rows.from_column is None:
        return 0
    disagree = rows.from_column != rows.previous
    disagree[rows.first] = False
    return int(np.count_nonzero(disagree))


def cycle_time_percentiles(
    day_counts: npt.ArrayLike, levels: Sequence[int] = PERCENTILE_LEVELS
) -> dict[int, int]:
    """The day count that ``level`` % of items finished within (empty when none finished).

    Uses the inverted empirical distribution, so every line is a day count that really
    happened and "85 % of items took N days or less" is literally true of the data.
    """
    values = np.asarray(day_counts, dtype=np.int64)
    if values.size == 0:
        return {}
    return {level: int(value) for level, value in within_levels(values, levels).items()}


def cycle_time_scatter(metrics: FlowMetrics) -> CycleTimeScatter:
    """Dots for the cycle-time scatterplot: finished items by done date, with percentile lines."""
    done = metrics.done_mask
    return CycleTimeScatter(
        items=metrics.items[done],
        done_dates=metrics.done[done].astype("datetime64[D]"),
        cycle_days=metrics.cycle_time_day_count[done],
        percentiles=metrics.percentiles,
    )
