"""US federal holidays, as observed by employers: the non-working days of the demo calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

_MONDAY, _THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th given weekday of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    """A Saturday holiday is observed on Friday, a Sunday holiday on Monday."""
    shift = {5: -1, 6: 1}.get(day.weekday(), 0)
    return day + dt.timedelta(days=shift)


def federal_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The eleven federal holidays of ``year`` on the days they are observed."""
    fixed = [
        (dt.date(year, 1, 1), "New Year's Day"),
        (dt.date(year, 6, 19), "Juneteenth National Independence Day"),
        (dt.date(year, 7, 4), "Independence Day"),
        (dt.date(year, 11, 11), "Veterans Day"),
        (dt.date(year, 12, 25), "Christmas Day"),
    ]
    floating = [
        (_nth_weekday(year, 1, _MONDAY, 3), "Birthday of Martin Luther King, Jr."),
        (_nth_weekday(year, 2, _MONDAY, 3), "Washington's Birthday"),
        (_nth_weekday(year, 5, _MONDAY, -1), "Memorial Day"),
        (_nth_weekday(year, 9, _MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 10, _MONDAY, 2), "Columbus Day"),
        (_nth_weekday(year, 11, _THURSDAY, 4), "Thanksgiving Day"),
    ]
    observed = [(_observed(day), name) for day, name in fixed] + floating
    return sorted(observed)


def holidays_for(years: Iterable[int]) -> list[tuple[dt.date, str]]:
    """Federal holidays of several years, in date order."""
    return sorted(day for year in sorted(set(years)) for day in federal_holidays(year))
