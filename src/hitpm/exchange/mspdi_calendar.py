"""MSPDI calendars: weekly working times, base calendars, exceptions and work weeks.

Microsoft Project has written calendar exceptions in two ways: before 2007 as ``<WeekDay>``
entries with ``DayType`` 0 and a ``TimePeriod``; from 2007 as ``<Exceptions>``, possibly
recurring, plus ``<WorkWeeks>`` that change the weekly pattern for a date range. All of them are
turned into plain dated :class:`CalendarException` ranges, because that is what the engine and
hitpm's calendars hold: a recurrence is expanded into its occurrences, and then
:func:`merge_exceptions` joins consecutive days with the same name and working times into one
range, so a week of work-week days or a freeze written as daily entries stays one exception.
"""

from __future__ import annotations

import calendar as stdcal
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import pairwise

from hitpm.engine.model import STANDARD_DAY, CalendarException, CalendarSpec, Interval
from hitpm.exchange.mspdi_xml import Fields

_ONE_DAY = dt.timedelta(days=1)
_MAX_EXPANDED_DAYS = 366 * 100  # a recurring exception longer than a century is a broken file

# MSPDI exception recurrence types.
_DAILY, _YEARLY_BY_DAY, _YEARLY_BY_POSITION = 1, 2, 3
_MONTHLY_BY_DAY, _MONTHLY_BY_POSITION, _WEEKLY = 4, 5, 6
_LAST_POSITION = 4


def read_calendars(project: Fields) -> list[CalendarSpec]:
    """All calendars of the file, with base-calendar references checked."""
    container = project.child("Calendars")
    if container is None:
        return []
    calendars = [_read_calendar(project.sub(el, "Calendar")) for el in container]
    known = {c.uid for c in calendars}
    for spec in calendars:
        if spec.base_uid is not None and spec.base_uid not in known:
            spec.base_uid = None
    return calendars


def _read_calendar(fields: Fields) -> CalendarSpec:
    uid = fields.integer("UID")
    if uid is None:
        raise fields.error("UID", "every <Calendar> needs a <UID>")
    fields.where = f"Calendar UID {uid}"
    is_base = fields.flag("IsBaseCalendar", default=True)
    base_uid = fields.integer("BaseCalendarUID")
    if is_base or base_uid in (None, -1, uid):
        base_uid = None
    weekly: dict[int, tuple[Interval, ...]] = {}
    exceptions: list[CalendarException] = []
    week_days = fields.child("WeekDays")
    for day in week_days if week_days is not None else ():
        _read_week_day(fields.sub(day), weekly, exceptions)
    if base_uid is None and week_days is None:
        weekly = CalendarSpec(uid=uid).weekly
    exceptions.extend(_read_exceptions(fields))
    exceptions.extend(_read_work_weeks(fields, exceptions))
    return CalendarSpec(
        uid=uid,
        name=fields.text("Name", "") or "",
        base_uid=base_uid,
        weekly=weekly,
        exceptions=merge_exceptions(exceptions),
    )


def merge_exceptions(exceptions: Iterable[CalendarException]) -> list[CalendarException]:
    """The same days as ``exceptions`` (later ones win where they overlap), as few ranges as
    possible: sorted, not overlapping, and consecutive days with the same name and working
    times joined into one range."""
    pieces = sorted(exceptions, key=lambda e: (e.start, e.end))
    if any(b.start <= a.end for a, b in pairwise(pieces)):
        pieces = sorted(_without_overlaps(exceptions), key=lambda e: (e.start, e.end))
    merged: list[CalendarException] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if (
            last is not None
            and piece.start == last.end + _ONE_DAY
            and (piece.name, piece.intervals) == (last.name, last.intervals)
        ):
            merged[-1] = replace(last, end=piece.end)
        else:
            merged.append(piece)
    return merged


def _without_overlaps(exceptions: Iterable[CalendarException]) -> list[CalendarException]:
    """Each exception cuts the days it covers out of those before it (the engine's "later
    ones win"), so what is left does not overlap and means the same day by day."""
    kept: list[CalendarException] = []
    for exception in exceptions:
        cut: list[CalendarException] = []
        for earlier in kept:
            if earlier.end < exception.start or earlier.start > exception.end:
                cut.append(earlier)
                continue
            if earlier.start < exception.start:
                cut.append(replace(earlier, end=exception.start - _ONE_DAY))
            if earlier.end > exception.end:
                cut.append(replace(earlier, start=exception.end + _ONE_DAY))
        cut.append(exception)
        kept = cut
    return kept


def _read_week_day(
    day: Fields, weekly: dict[int, tuple[Interval, ...]], exceptions: list[CalendarException]
) -> None:
    day_type = day.integer("DayType")
    if day_type is None or not 0 <= day_type <= 7:
        raise day.error("DayType", f"{day_type!r} is not 0 (exception) or 1..7 (Sunday..Saturday)")
    intervals = _working_times(day)
    if day_type == 0:
        start, end = _time_period(day)
        exceptions.append(CalendarException(start=start, end=end, intervals=intervals))
    else:
        weekly[(day_type - 2) % 7] = intervals


def _working_times(fields: Fields) -> tuple[Interval, ...]:
    """Working intervals of a day; a working day without times gets the standard day."""
    if not fields.flag("DayWorking"):
        return ()
    container = fields.child("WorkingTimes")
    intervals: list[Interval] = []
    for element in container if container is not None else ():
        time = fields.sub(element)
        start, end = time.time_minutes("FromTime"), time.time_minutes("ToTime")
        if start is None or end is None:
            continue
        end = 24 * 60 if end == 0 else end
        if end <= start:
            raise time.error("ToTime", "a working time must end after it starts")
        intervals.append((start, end))
    return tuple(sorted(intervals)) or STANDARD_DAY


def _time_period(fields: Fields) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of a ``<TimePeriod>``."""
    period_element = fields.child("TimePeriod")
    if period_element is None:
        raise fields.error("TimePeriod", "an exception needs a <TimePeriod>")
    period = fields.sub(period_element)
    start, finish = period.datetime("FromDate"), period.datetime("ToDate")
    if start is None or finish is None:
        raise period.error("FromDate", "a <TimePeriod> needs <FromDate> and <ToDate>")
    if finish.time() == dt.time(0, 0) and finish > start:
        finish -= dt.timedelta(minutes=1)  # a period ending at midnight ends the day before
    if finish < start:
        raise period.error("ToDate", "the period ends before it starts")
    if (finish - start).days > _MAX_EXPANDED_DAYS:
        raise period.error("ToDate", "the period is longer than a century")
    return start.date(), finish.date()


def _read_exceptions(fields: Fields) -> list[CalendarException]:
    container = fields.child("Exceptions")
    found: list[CalendarException] = []
    for element in container if container is not None else ():
        exception = fields.sub(element)
        intervals = _working_times(exception)
        name = exception.text("Name", "") or ""
        days = list(_occurrences(exception))
        found.extend(
            CalendarException(start=first, end=last, intervals=intervals, name=name)
            for first, last in _ranges(days)
        )
    return found


def _occurrences(exception: Fields) -> Iterator[dt.date]:
    """Every day an exception covers, expanding its recurrence pattern."""
    start, end = _time_period(exception)
    kind = exception.integer("Type", _DAILY)
    period = max(exception.integer("Period", 1) or 1, 1)
    if kind == _WEEKLY:
        mask = exception.integer("DaysOfWeek", 0) or 0
        yield from _weekly(start, end, period, mask)
    elif kind in (_YEARLY_BY_DAY, _MONTHLY_BY_DAY):
        step = 12 if kind == _YEARLY_BY_DAY else period
        yield from _same_day_of_month(start, end, step)
    elif kind in (_YEARLY_BY_POSITION, _MONTHLY_BY_POSITION):
        step = 12 if kind == _YEARLY_BY_POSITION else period
        position = exception.integer("MonthPosition", (start.day - 1) // 7)
        yield from _same_weekday_position(start, end, step, position or 0)
    else:  # daily, and the rare count-based types, are plain day ranges
        day = start
        while day <= end:
            yield day
            day += dt.timedelta(days=period)


def _weekly(start: dt.date, end: dt.date, period: int, mask: int) -> Iterator[dt.date]:
    """Days whose weekday bit (1=Sunday, 2=Monday, ... 64=Saturday) is set, every ``period``."""
    week_start = start - dt.timedelta(days=start.weekday())
    day = start
    while day <= end:
        weeks = (day - week_start).days // 7
        bit = 1 << ((day.weekday() + 1) % 7)
        if weeks % period == 0 and (mask & bit or mask == 0):
            yield day
        day += _ONE_DAY


def _months_from(start: dt.date, end: dt.date, step: int) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def _same_day_of_month(start: dt.date, end: dt.date, step: int) -> Iterator[dt.date]:
    for year, month in _months_from(start, end, step):
        day = dt.date(year, month, min(start.day, stdcal.monthrange(year, month)[1]))
        if start <= day <= end:
            yield day


def _same_weekday_position(
    start: dt.date, end: dt.date, step: int, position: int
) -> Iterator[dt.date]:
    for year, month in _months_from(start, end, step):
        days = [
            dt.date(year, month, d)
            for d in range(1, stdcal.monthrange(year, month)[1] + 1)
            if dt.date(year, month, d).weekday() == start.weekday()
        ]
        day = days[-1] if position >= _LAST_POSITION else days[min(position, len(days) - 1)]
        if start <= day <= end:
            yield day


def _ranges(days: list[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """Collapse sorted days into runs of consecutive days."""
    if not days:
        return
    first = last = days[0]
    for day in days[1:]:
        if day == last + _ONE_DAY:
            last = day
            continue
        yield first, last
        first = last = day
    yield first, last


def _read_work_weeks(fields: Fields, explicit: list[CalendarException]) -> list[CalendarException]:
    """Work weeks as one-day exceptions, leaving days an explicit exception already sets."""
    container = fields.child("WorkWeeks")
    if container is None:
        return []
    taken = {day for e in explicit for day in _days(e.start, e.end)}
    found: list[CalendarException] = []
    for element in container:
        week = fields.sub(element)
        start, end = _time_period(week)
        pattern = _work_week_pattern(week)
        name = week.text("Name", "") or ""
        for day in _days(start, end):
            if day.weekday() in pattern and day not in taken:
                found.append(CalendarException(day, day, pattern[day.weekday()], name))
    return found


def _work_week_pattern(week: Fields) -> dict[int, tuple[Interval, ...]]:
    pattern: dict[int, tuple[Interval, ...]] = {}
    container = week.child("WeekDays")
    for element in container if container is not None else ():
        day = week.sub(element)
        day_type = day.integer("DayType")
        if day_type is not None and 1 <= day_type <= 7:
            pattern[(day_type - 2) % 7] = _working_times(day)
    return pattern


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY
