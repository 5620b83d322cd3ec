"""Monte Carlo throughput and velocity forecasts: "when will N be done?", "how many by then?".

Daily throughput (zero days included, :func:`daily_throughput`) or per-sprint velocities are
resampled with replacement (:mod:`hitpm.engine._empirical`); each forecast reports the outcome at
several confidence levels and the whole :class:`Distribution`. :class:`WorkDays` and
:class:`PeriodEnd` (:func:`day_ends`, :func:`sprint_ends`) turn period counts into dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hitpm.engine._empirical import at_least_levels, periods_to_reach, totals_after, within_levels
from hitpm.engine.board import DateArray, FloatArray, FlowError, IntArray

CONFIDENCE_LEVELS: tuple[int, ...] = (50, 70, 85, 95)
_ONE_DAY = np.timedelta64(1, "D")


# --------------------------------------------------------------------------------------------
# Working days and daily throughput
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkDays:
    """Which calendar days count as working days when projecting dates.

    The default counts every day (Kanban teams that finish work at weekends). ``weekdays()``
    gives Monday to Friday; holidays are never working days.
    """

    weekmask: str = "1111111"
    holidays: tuple[dt.date, ...] = ()

    @classmethod
    def weekdays(cls, holidays: Sequence[dt.date] = ()) -> WorkDays:
        """Monday to Friday, minus ``holidays``."""
        return cls("1111100", tuple(holidays))

    def calendar(self) -> np.busdaycalendar:
        """The numpy business-day calendar for ``busday_offset`` and friends."""
        return np.busdaycalendar(weekmask=self.weekmask, holidays=list(self.holidays))

    def nth(self, start: dt.date, n: npt.ArrayLike) -> DateArray:
        """The n-th working day counting ``start`` (or the next working day) as the first."""
        offsets = np.asarray(n, dtype=np.int64) - 1
        first = np.datetime64(start, "D")
        return np.busday_offset(first, offsets, roll="forward", busdaycal=self.calendar())

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` through ``end``, both included."""
        return int(np.busday_count(start, end + dt.timedelta(days=1), busdaycal=self.calendar()))

    def roll_forward(self, days: DateArray) -> DateArray:
        """Each date, or the next working day when it is not one."""
        return np.busday_offset(days, 0, roll="forward", busdaycal=self.calendar())


@dataclass(frozen=True)
class ThroughputHistory:
    """Items finished per working day from ``start`` to ``end`` inclusive, zero days included."""

    start: dt.date
    end: dt.date
    counts: IntArray

    @property
    def total(self) -> int:
        """Items finished in the window."""
        return int(self.counts.sum())


def daily_throughput(
    done_dates: npt.ArrayLike,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    window_days: int | None = None,
    workdays: WorkDays | None = None,
) -> ThroughputHistory:
    """Completions per day from ``first`` to ``last`` (default: the first and last completion).

    ``window_days`` keeps only the last that many calendar days, never reaching before
    ``first``: a short history is not padded with invented zero days. With ``workdays``, a
    completion on a non-working day is credited to the next working day (the last one for the
    window's tail) and non-working days leave the sample, so a weekend's zeros do not dilute a
    Monday-to-Friday team's forecast.
    """
    days = np.asarray(done_dates, dtype="datetime64[D]").reshape(-1)
    if days.size == 0 and (first is None or last is None):
        raise FlowError("no completed items: a forecast needs at least one finished item")
    end = np.datetime64(last, "D") if last is not None else days.max()
    begin = np.datetime64(first, "D") if first is not None else days.min()
    if window_days is not None:
        if window_days < 1:
            raise FlowError("the history window must be at least one day")
        begin = max(begin, end - (window_days - 1) * _ONE_DAY)
    if begin > end:
        raise FlowError(f"the history starts ({begin}) after it ends ({end})")
    days = days[(days >= begin) & (days <= end)]
    span = np.arange(begin, end + _ONE_DAY, dtype="datetime64[D]")
    if workdays is not None:
        span = span[np.is_busday(span, busdaycal=workdays.calendar())]
        if span.size == 0:
            raise FlowError("the history window holds no working days")
        days = np.minimum(workdays.roll_forward(days), span[-1])
    counts = np.bincount(np.searchsorted(span, days), minlength=span.size)
    return ThroughputHistory(_as_date(begin), _as_date(end), counts.astype(np.int64))


def _as_date(value: np.datetime64 | DateArray) -> dt.date:
    return dt.date.fromisoformat(str(np.asarray(value, dtype="datetime64[D]")))


# --------------------------------------------------------------------------------------------
# Forecasts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """Outcomes of the trials: each distinct value with how many trials gave it (for charts)."""

    values: npt.NDArray[np.float64]
    counts: IntArray

    @classmethod
    def of(cls, outcomes: npt.ArrayLike) -> Distribution:
        """Histogram of the trials' outcomes."""
        values, counts = np.unique(np.asarray(outcomes), return_counts=True)
        return cls(values.astype(np.float64), counts.astype(np.int64))

    @property
    def probability(self) -> FloatArray:
        """Share of trials giving each value."""
        return self.counts / self.counts.sum()

    @property
    def at_most(self) -> FloatArray:
        """P(outcome <= value): the cumulative curve of a "when" forecast."""
        return np.cumsum(self.counts) / self.counts.sum()

    @property
    def at_least(self) -> FloatArray:
        """P(outcome >= value): the cumulative curve of a "how many" forecast."""
        return np.cumsum(self.counts[::-1])[::-1] / self.counts.sum()


@dataclass(frozen=True)
class WhenForecast:
    """How many periods (and which dates) ``target`` needs, at each confidence level.

    ``periods[c]`` is the smallest number of periods within which ``c`` % of trials finished;
    ``dates[c]`` is the date at the end of that many periods (empty without a start date).
    """

    target: float
    trials: int
    periods: dict[int, int]
    dates: dict[int, dt.date]
    distribution: Distribution
    period_dates: DateArray  # end date of each distinct value in ``distribution`` (or empty)

    def probability_table(self) -> list[tuple[int, dt.date | None, float]]:
        """Rows of (periods, end date or None, probability of being done by then)."""
        dates: list[dt.date | None] = (
            [_as_date(d) for d in self.period_dates]
            if self.period_dates.size
            else [None] * self.distribution.values.size
        )
        values = self.distribution.values.astype(int).tolist()
        return list(zip(values, dates, self.distribution.at_most.tolist(), strict=True))


@dataclass(frozen=True)
class HowManyForecast:
    """Done after ``horizon`` periods: at least ``amount[c]`` with ``c`` % confidence."""

    horizon: int
    trials: int
    amount: dict[int, float]
    distribution: Distribution

    def probability_table(self) -> list[tuple[float, float]]:
        """Rows of (amount, probability of doing at least that much), smallest amount first."""
        values = self.distribution.values.tolist()
        return list(zip(values, self.distribution.at_least.tolist(), strict=True))


def forecast_when(
    history: npt.ArrayLike,
    target: float,
    *,
    trials: int = 10_000,
    seed: int | None = None,
    levels: Sequence[int] = CONFIDENCE_LEVELS,
    period_end: PeriodEnd | None = None,
) -> WhenForecast:
    """ "When will ``target`` be done?" by resampling ``history`` (daily throughput or velocity).

    Reproducible for a given ``seed``. ``period_end`` turns period counts into dates; see
    :func:`day_ends` and :func:`sprint_ends`.
    """
    rng = np.random.default_rng(seed)
    outcomes = periods_to_reach(history, target, trials=trials, rng=rng)
    periods = {c: int(p) for c, p in within_levels(outcomes, levels).items()}
    distribution = Distribution.of(outcomes)
    if period_end is None:
        return WhenForecast(target, trials, periods, {}, distribution, np.array([], "M8[D]"))
    dates = {c: _as_date(period_end(np.int64(p))) for c, p in periods.items()}
    ends = period_end(distribution.values.astype(np.int64))
    return WhenForecast(target, trials, periods, dates, distribution, ends)


def forecast_how_many(
    history: npt.ArrayLike,
    horizon: int,
    *,
    trials: int = 10_000,
    seed: int | None = None,
    levels: Sequence[int] = CONFIDENCE_LEVELS,
) -> HowManyForecast:
    """ "How many items (or points) after ``horizon`` periods?" at each confidence level."""
    rng = np.random.default_rng(seed)
    outcomes = totals_after(history, horizon, trials=trials, rng=rng)
    amount = {c: float(a) for c, a in at_least_levels(outcomes, levels).items()}
    return HowManyForecast(horizon, trials, amount, Distribution.of(outcomes))


class PeriodEnd:
    """Maps a period count (1 = the first period) to the date that period ends."""

    def __init__(self, start: dt.date, step_days: int = 1, workdays: WorkDays | None = None):
        self.start, self.step_days, self.workdays = start, step_days, workdays

    def __call__(self, periods: npt.ArrayLike) -> DateArray:
        """End date of each period count; period 0 ends the day before ``start``."""
        counts = np.asarray(periods, dtype=np.int64)
        if self.workdays is not None:
            return self.workdays.nth(self.start, counts)
        start = np.datetime64(self.start, "D")
        return start + (counts * self.step_days - 1) * _ONE_DAY


def day_ends(start: dt.date, workdays: WorkDays | None = None) -> PeriodEnd:
    """Days as periods: day 1 is ``start`` (or its next working day with ``workdays``)."""
    return PeriodEnd(start, 1, workdays)


def sprint_ends(first_sprint_start: dt.date, sprint_days: int) -> PeriodEnd:
    """Sprints of ``sprint_days`` calendar days as periods: sprint 1 starts on the given date."""
    if sprint_days < 1:
        raise FlowError("a sprint must last at least one day")
    return PeriodEnd(first_sprint_start, sprint_days)


def forecast_items_by(
    history: ThroughputHistory,
    start: dt.date,
    by: dt.date,
    *,
    workdays: WorkDays | None = None,
    trials: int = 10_000,
    seed: int | None = None,
) -> HowManyForecast:
    """Items finished from ``start`` through ``by`` (both included), counting working days only
    when ``workdays`` is given."""
    if by < start:
        raise FlowError(f"the date {by} is before the forecast start {start}")
    days = (workdays or WorkDays()).count(start, by)
    return forecast_how_many(history.counts, days, trials=trials, seed=seed)


def forecast_items_when(
    history: ThroughputHistory,
    items: int,
    start: dt.date,
    *,
    workdays: WorkDays | None = None,
    trials: int = 10_000,
    seed: int | None = None,
) -> WhenForecast:
    """Dates by which ``items`` are done, day 1 being ``start`` (its next working day)."""
    return forecast_when(
        history.counts, items, trials=trials, seed=seed, period_end=day_ends(start, workdays)
    )
