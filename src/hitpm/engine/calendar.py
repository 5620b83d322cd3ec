"""Working-time calendars at minute resolution, vectorised over numpy arrays.

A :class:`WorkCalendar` turns wall-clock instants into *working offsets* (working minutes since
the start of its horizon) and back. Scheduling then happens on that integer axis, where adding a
duration or a lag is plain addition; only the results are turned back into dates.

Instants are ``int64`` minutes since 1970-01-01 00:00 (the value of ``datetime64[m]``); every
conversion accepts scalars or arrays of any size and is two table look-ups (plus one
``searchsorted`` for the way back), so millions of values convert in milliseconds.

Going back from an offset needs a convention, because the offset at the end of Friday equals
the offset at the start of Monday. Microsoft Project's rule is followed: a *start* lands on the
next working minute (Monday 08:00) and a *finish* lands at the end of the previous one
(Friday 17:00); see :meth:`WorkCalendar.start_at` and :meth:`WorkCalendar.finish_at`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from hitpm.engine.model import CalendarException, CalendarSpec, Interval

MINUTES_PER_DAY = 1440
EPOCH = dt.datetime(1970, 1, 1)
_EPOCH_DATE = EPOCH.date()

IntArray = npt.NDArray[np.int64]


class CalendarError(ValueError):
    """A calendar is malformed, or an instant falls outside the calendar's horizon."""


class HorizonError(CalendarError):
    """An instant or offset lies outside the days a :class:`WorkCalendar` tabulates.

    ``task`` is the index of the task being scheduled when it happened, where the scheduler
    knows it (so its final error can name the task), else None."""

    task: int | None = None


class DateRangeError(HorizonError):
    """A project's date lies outside the range the scheduler supports, or its schedule runs
    past that range. The message names the task and date, and what to change."""


def to_minutes(value: dt.datetime) -> int:
    """Minutes since the epoch of a naive datetime (seconds are dropped)."""
    return int((value - EPOCH).total_seconds() // 60)


def from_minutes(value: int) -> dt.datetime:
    """The naive datetime ``value`` minutes after the epoch."""
    return EPOCH + dt.timedelta(minutes=int(value))


def day_number(day: dt.date) -> int:
    """Days since the epoch."""
    return (day - _EPOCH_DATE).days


@dataclass(frozen=True)
class WeekPattern:
    """A calendar with its base chain resolved: seven weekdays and the exceptions that win."""

    weekly: tuple[tuple[Interval, ...], ...]  # index 0 = Monday
    exceptions: tuple[CalendarException, ...]  # applied in order, later ones win

    def weekly_minutes(self) -> int:
        """Working minutes in a normal week, used to size horizons."""
        return sum(_interval_minutes(day) for day in self.weekly)


def resolve(uid: int, calendars: Mapping[int, CalendarSpec]) -> WeekPattern:
    """Resolve calendar ``uid`` against its base chain.

    A weekday missing from a calendar's ``weekly`` comes from its base (non-working at the root),
    and the base's exceptions apply unless the calendar's own exceptions cover the same days:
    own exceptions are applied last, so they win day by day.
    """
    chain = _base_chain(uid, calendars)
    weekly: list[tuple[Interval, ...]] = [()] * 7
    exceptions: list[CalendarException] = []
    for spec in reversed(chain):  # root first, so the derived calendar overrides it
        for weekday, intervals in spec.weekly.items():
            weekly[weekday] = _checked_intervals(intervals, spec)
        exceptions.extend(
            CalendarException(e.start, e.end, _checked_intervals(e.intervals, spec), e.name)
            for e in spec.exceptions
        )
    return WeekPattern(tuple(weekly), tuple(exceptions))


def _base_chain(uid: int, calendars: Mapping[int, CalendarSpec]) -> list[CalendarSpec]:
    """The calendar and its bases, derived first; refuses unknown uids and base cycles."""
    chain: list[CalendarSpec] = []
    seen: set[int] = set()
    current: int | None = uid
    while current is not None:
        if current in seen:
            names = " -> ".join(f"{c.uid} ({c.name})" for c in chain)
            raise CalendarError(f"calendar base chain loops: {names} -> {current}")
        spec = calendars.get(current)
        if spec is None:
            raise CalendarError(f"calendar {current} is not defined; add it or fix base_uid")
        seen.add(current)
        chain.append(spec)
        current = spec.base_uid
    return chain


def _checked_intervals(intervals: Iterable[Interval], spec: CalendarSpec) -> tuple[Interval, ...]:
    """Intervals sorted, within the day and not overlapping; else a CalendarError naming spec."""
    ordered = tuple(sorted((int(a), int(b)) for a, b in intervals))
    previous_end = 0
    for start, end in ordered:
        if not 0 <= start < end <= MINUTES_PER_DAY or start < previous_end:
            raise CalendarError(
                f"calendar {spec.uid} ({spec.name}): working intervals {ordered} must lie in "
                "0..1440 minutes, start before they end and not overlap"
            )
        previous_end = end
    return ordered


def _interval_minutes(intervals: tuple[Interval, ...]) -> int:
    return sum(end - start for start, end in intervals)


class WorkCalendar:
    """One resolved calendar over a horizon of whole days, with vectorised conversions.

    Tables (all built once, ``O(days + patterns * 1441)``):

    * ``day_type[d]``: index of day ``d``'s working pattern among the distinct patterns;
    * ``day_cum[d]``: working minutes before day ``d`` (length ``days + 1``);
    * ``cum_in_day[p, m]``: working minutes of pattern ``p`` before minute ``m`` of the day;
    * ``start_minute[p, r]`` / ``finish_minute[p, r]``: minute of the day where working minute
      ``r`` of pattern ``p`` starts, and where working minute ``r`` (1-based) ends.
    """

    def __init__(self, pattern: WeekPattern, first_day: dt.date, days: int) -> None:
        if days <= 0:
            raise CalendarError("a calendar horizon needs at least one day")
        self.pattern = pattern
        self.first_day = first_day
        self.days = days
        self._day0 = day_number(first_day)
        patterns, self.day_type = _day_types(pattern, first_day, days)
        self._build_tables(patterns)
        if self.total_minutes == 0:
            raise CalendarError(
                f"the calendar has no working time between {first_day} and "
                f"{first_day + dt.timedelta(days=days)}; give it working days"
            )

    def _build_tables(self, patterns: list[tuple[Interval, ...]]) -> None:
        per_day = np.array([_interval_minutes(p) for p in patterns], dtype=np.int64)
        self.day_cum: IntArray = np.zeros(self.days + 1, dtype=np.int64)
        np.cumsum(per_day[self.day_type], out=self.day_cum[1:])
        width = int(per_day.max()) + 1
        self.cum_in_day: IntArray = np.zeros((len(patterns), MINUTES_PER_DAY + 1), np.int64)
        self.start_minute: IntArray = np.zeros((len(patterns), width), np.int64)
        self.finish_minute: IntArray = np.zeros((len(patterns), width), np.int64)
        for index, intervals in enumerate(patterns):
            working = np.zeros(MINUTES_PER_DAY, dtype=bool)
            for start, end in intervals:
                working[start:end] = True
            np.cumsum(working, out=self.cum_in_day[index, 1:])
            minutes = np.flatnonzero(working)
            self.start_minute[index, : minutes.size] = minutes
            self.finish_minute[index, 1 : minutes.size + 1] = minutes + 1

    @property
    def total_minutes(self) -> int:
        """Working minutes in the whole horizon."""
        return self._total

    @cached_property
    def _total(self) -> int:
        """:attr:`total_minutes` as a plain int, read by every scalar conversion (reading it
        from the numpy table each time was a tenth of the general scheduler's time)."""
        return int(self.day_cum[-1])

    @property
    def first_minute(self) -> int:
        """The horizon's first instant, in minutes since the epoch."""
        return self._day0 * MINUTES_PER_DAY

    @property
    def last_minute(self) -> int:
        """The horizon's end instant (exclusive), in minutes since the epoch."""
        return (self._day0 + self.days) * MINUTES_PER_DAY

    # -- instants -> working offsets -------------------------------------------------------

    def offset(self, minutes: npt.ArrayLike) -> IntArray:
        """Working minutes between the horizon start and each instant (monotone, not strict).

        Instants are epoch minutes or ``datetime64`` values of any unit.

        An instant in non-working time gets the offset of the next working minute, which is
        also the offset of the end of the previous one.
        """
        t = _as_minutes(minutes)
        days = t // MINUTES_PER_DAY - self._day0
        self._check_days(days, t)
        at_end = days == self.days  # the very end of the horizon is allowed
        days = np.where(at_end, self.days - 1, days)
        minute_of_day = np.where(at_end, MINUTES_PER_DAY, t % MINUTES_PER_DAY)
        result: IntArray = self.day_cum[days] + self.cum_in_day[self.day_type[days], minute_of_day]
        return result

    def _check_days(self, days: IntArray, minutes: IntArray) -> None:
        if days.size and (days.min() < 0 or days.max() > self.days):
            bad = minutes.flat[int(np.argmax((days < 0) | (days > self.days)))]
            raise HorizonError(
                f"{from_minutes(int(bad))} is outside the calendar horizon "
                f"{self.first_day} .. {self.first_day + dt.timedelta(days=self.days)}; "
                "tabulate the calendar over more days"
            )

    # -- working offsets -> instants ------------------------------------------------------

    def start_at(self, offset: npt.ArrayLike) -> IntArray:
        """The instant where working minute ``offset`` begins: a start rolls to the next work."""
        from hitpm.engine import _kernels  # numba loads only when arrays are converted

        w = self._checked_offsets(offset)
        buckets, shift = self._buckets
        flat = _kernels.start_instants(
            np.ascontiguousarray(w).reshape(-1), self.day_cum, self.day_type,
            self.start_minute, buckets, shift, self._day0,
        )  # fmt: skip
        result: IntArray = flat.reshape(w.shape)[()]
        return result

    def start_datetimes(self, offset: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
        """:meth:`start_at` as ``datetime64[m]``."""
        return minutes_to_datetimes(self.start_at(offset))

    def finish_datetimes(self, offset: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
        """:meth:`finish_at` as ``datetime64[m]``."""
        return minutes_to_datetimes(self.finish_at(offset))

    def finish_at(self, offset: npt.ArrayLike) -> IntArray:
        """The instant where working minute ``offset`` ends: a finish stays on the earlier day.

        Offset 0 has no working minute before it; it maps to the first working start.
        """
        from hitpm.engine import _kernels

        w = self._checked_offsets(offset)
        buckets, shift = self._buckets
        flat = _kernels.finish_instants(
            np.ascontiguousarray(w).reshape(-1), self.day_cum, self.day_type,
            self.start_minute, self.finish_minute, buckets, shift, self._day0,
        )  # fmt: skip
        result: IntArray = flat.reshape(w.shape)[()]
        return result

    @cached_property
    def _buckets(self) -> tuple[IntArray, int]:
        """Offset -> day index for the conversions back to instants: ``buckets[w >> shift]``
        is the last day starting at or before working minute ``w`` rounded down to a bucket,
        with buckets about a working day wide. Finding a day is then a look-up and a step or
        two, instead of a binary search whose cache misses dominate converting a million
        dates given in random order."""
        from hitpm.engine import _kernels

        shift = max((self.total_minutes // self.days).bit_length() - 1, 0)
        return _kernels.day_buckets(self.day_cum, shift), shift

    def _checked_offsets(self, offset: npt.ArrayLike) -> IntArray:
        w = np.asarray(offset, dtype=np.int64)
        if w.size and (w.min() < 0 or w.max() > self.total_minutes):
            raise HorizonError(
                f"working offset {int(w.min())}..{int(w.max())} is outside the calendar horizon "
                f"(0..{self.total_minutes}); tabulate the calendar over more days"
            )
        return w

    # -- scalar versions: the per-task scheduler calls these millions of times ---------------

    @cached_property
    def _lists(
        self,
    ) -> tuple[list[int], list[int], list[list[int]], list[list[int]], list[list[int]]]:
        """The tables as Python lists: scalar look-ups on lists are ~20x faster than numpy's."""
        return (
            self.day_cum.tolist(),
            self.day_type.tolist(),
            self.cum_in_day.tolist(),
            self.start_minute.tolist(),
            self.finish_minute.tolist(),
        )

    def offset_of(self, minutes: int) -> int:
        """Scalar :meth:`offset`."""
        day_cum, day_type, cum_in_day, _, _ = self._lists
        day, minute = divmod(minutes, MINUTES_PER_DAY)
        day -= self._day0
        if not 0 <= day < self.days:
            if day == self.days and minute == 0:
                return self._total
            self._check_days(np.array([day]), np.array([minutes]))
        return day_cum[day] + cum_in_day[day_type[day]][minute]

    def start_of(self, offset: int) -> int:
        """Scalar :meth:`start_at`."""
        day_cum, day_type, _, start_minute, _ = self._lists
        if not 0 <= offset < self._total:
            self._checked_offsets(np.array([offset, self._total + 1]))
        day = bisect_right(day_cum, offset) - 1
        minute = start_minute[day_type[day]][offset - day_cum[day]]
        return (day + self._day0) * MINUTES_PER_DAY + minute

    def finish_of(self, offset: int) -> int:
        """Scalar :meth:`finish_at`."""
        day_cum, day_type, _, _, finish_minute = self._lists
        if offset <= 0:
            return self.start_of(0)
        if offset > self._total:
            self._checked_offsets(np.array([offset]))
        day = bisect_left(day_cum, offset) - 1
        minute = finish_minute[day_type[day]][offset - day_cum[day]]
        return (day + self._day0) * MINUTES_PER_DAY + minute

    # -- conveniences on instants ----------------------------------------------------------

    def add_working(self, minutes: npt.ArrayLike, work: npt.ArrayLike) -> IntArray:
        """Instant ``work`` working minutes after (or before, if negative) each instant.

        The result follows the finish convention for positive amounts (a day's work from
        Monday 08:00 ends Monday 17:00) and the start convention otherwise.
        """
        w = np.asarray(work, dtype=np.int64)
        target = self.offset(minutes) + w
        result: IntArray = np.where(w > 0, self.finish_at(target), self.start_at(target))
        return result

    def working_between(self, start: npt.ArrayLike, finish: npt.ArrayLike) -> IntArray:
        """Signed working minutes from ``start`` to ``finish``."""
        result: IntArray = self.offset(finish) - self.offset(start)
        return result

    def next_work_start(self, minutes: npt.ArrayLike) -> IntArray:
        """The instant itself if it is working time, else the start of the next working minute."""
        return self.start_at(self.offset(minutes))

    def previous_work_finish(self, minutes: npt.ArrayLike) -> IntArray:
        """The instant itself if it ends working time, else the end of the previous working
        minute (the MS Project rule for finishes)."""
        return self.finish_at(self.offset(minutes))

    def is_working(self, minutes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Whether the minute starting at each instant is working time."""
        t = np.asarray(minutes, dtype=np.int64)
        result: npt.NDArray[np.bool_] = self.offset(t + 1) > self.offset(t)
        return result


def _as_minutes(values: npt.ArrayLike) -> IntArray:
    """Instants as int64 epoch minutes; ``datetime64`` of any unit is converted first."""
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return datetimes_to_minutes(array)
    result: IntArray = array.astype(np.int64, copy=False)
    return result


def elapsed_minutes(start: npt.ArrayLike, finish: npt.ArrayLike) -> IntArray:
    """Calendar (24x7) minutes from ``start`` to ``finish``."""
    result: IntArray = np.asarray(finish, dtype=np.int64) - np.asarray(start, dtype=np.int64)
    return result


def datetimes_to_minutes(values: npt.ArrayLike) -> IntArray:
    """``datetime64`` values (any unit) as int64 minutes since the epoch."""
    result: IntArray = np.asarray(values, dtype="datetime64[m]").astype(np.int64)
    return result


def minutes_to_datetimes(values: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """int64 minutes since the epoch as ``datetime64[m]``."""
    return np.asarray(values, dtype=np.int64).astype("datetime64[m]")


def _day_types(
    pattern: WeekPattern, first_day: dt.date, days: int
) -> tuple[list[tuple[Interval, ...]], npt.NDArray[np.int64]]:
    """Distinct day patterns and, per day of the horizon, which one applies."""
    patterns: list[tuple[Interval, ...]] = []
    index: dict[tuple[Interval, ...], int] = {}

    def code(intervals: tuple[Interval, ...]) -> int:
        if intervals not in index:
            index[intervals] = len(patterns)
            patterns.append(intervals)
        return index[intervals]

    weekly_codes = np.array([code(day) for day in pattern.weekly], dtype=np.int64)
    weekday0 = first_day.weekday()
    day_type = weekly_codes[(np.arange(days) + weekday0) % 7]
    for exception in pattern.exceptions:
        lo = max((exception.start - first_day).days, 0)
        hi = min((exception.end - first_day).days + 1, days)
        if lo < hi:
            day_type[lo:hi] = code(exception.intervals)
    return patterns, day_type


def build_calendar(
    uid: int, calendars: Mapping[int, CalendarSpec], first_day: dt.date, days: int
) -> WorkCalendar:
    """Resolve calendar ``uid`` against its bases and tabulate it over ``days`` days."""
    return WorkCalendar(resolve(uid, calendars), first_day, days)


def standard_calendar(
    first_day: dt.date, days: int, holidays: Iterable[dt.date] = ()
) -> WorkCalendar:
    """Mon-Fri 08:00-12:00, 13:00-17:00 with the given non-working days."""
    spec = CalendarSpec(
        uid=1, exceptions=[CalendarException(day, day, name="holiday") for day in holidays]
    )
    return build_calendar(1, {1: spec}, first_day, days)
