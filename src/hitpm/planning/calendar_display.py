"""What the calendar pages and API show: each calendar's week in words, its hours per week,
its next days off, what uses it, and a month of working and non-working days.

Everything is read from the calendar as the scheduler sees it, with its base chain resolved by
:func:`hitpm.engine.calendar.resolve`, so inherited weekdays and holidays show as they apply.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from hitpm.engine.calendar import WeekPattern
from hitpm.engine.model import CalendarException as EngineException
from hitpm.planning.calendars import resolved_patterns
from hitpm.planning.hours import WEEKDAYS, Hours, format_hours, minutes_of
from hitpm.planning.models import Calendar
from hitpm.portfolio.models import Project

UPCOMING = 3
"""How many coming days off the calendar list shows per calendar."""
FIRST_YEAR, LAST_YEAR = 1900, 2300


@dataclass(frozen=True)
class WeekDay:
    """One weekday of a calendar: its hours as they resolve, and whether they are its own."""

    weekday: int
    name: str
    hours: tuple[tuple[int, int], ...]
    own: bool

    @property
    def text(self) -> str:
        return format_hours(self.hours) or "Non-working"

    @property
    def working(self) -> bool:
        return bool(self.hours)


def week_of(calendar: Calendar, pattern: WeekPattern | None) -> list[WeekDay]:
    """The seven weekdays, Monday first (all non-working when the pattern is unknown)."""
    own = {str(k) for k in (calendar.weekly or {})}
    weekly = pattern.weekly if pattern is not None else ((),) * 7
    return [
        WeekDay(day, WEEKDAYS[day], tuple(weekly[day]), str(day) in own or not calendar.base_id)
        for day in range(7)
    ]


def week_summary(pattern: WeekPattern | None) -> str:
    """The week in words: "Mon-Fri 08:00-12:00, 13:00-17:00; Sat-Sun non-working"."""
    if pattern is None:
        return "Invalid calendar"
    parts: list[str] = []
    day = 0
    while day < 7:
        last = day
        while last + 1 < 7 and pattern.weekly[last + 1] == pattern.weekly[day]:
            last += 1
        days = WEEKDAYS[day][:3] + (f"-{WEEKDAYS[last][:3]}" if last > day else "")
        parts.append(f"{days} {format_hours(pattern.weekly[day]) or 'non-working'}")
        day = last + 1
    return "; ".join(parts)


def hours_per_week(pattern: WeekPattern | None) -> float:
    return round(pattern.weekly_minutes() / 60, 2) if pattern is not None else 0.0


def upcoming_days_off(
    pattern: WeekPattern | None, today: dt.date, limit: int = UPCOMING
) -> list[EngineException]:
    """The next non-working exceptions (own and inherited) that have not ended by ``today``."""
    if pattern is None:
        return []
    coming = [e for e in pattern.exceptions if not e.intervals and e.end >= today]
    return sorted(coming, key=lambda e: (e.start, e.end))[:limit]


@dataclass(frozen=True)
class CalendarRow:
    """A calendar on the list page."""

    calendar: Calendar
    pattern: WeekPattern | None
    tasks: int
    resources: int
    upcoming: list[EngineException]

    @property
    def hours_per_week(self) -> float:
        return hours_per_week(self.pattern)

    @property
    def summary(self) -> str:
        return week_summary(self.pattern)


def calendar_rows(project: Project, today: dt.date) -> list[CalendarRow]:
    """The project's calendars, default first, with their week, use and next days off."""
    patterns = resolved_patterns(project)
    calendars = (
        project.calendars.select_related("base")
        .annotate(
            n_tasks=Count("tasks", distinct=True), n_resources=Count("resources", distinct=True)
        )
        .order_by("-is_project_default", "name")
    )
    return [
        CalendarRow(
            calendar=c,
            pattern=patterns.get(c.pk),
            tasks=c.n_tasks,
            resources=c.n_resources,
            upcoming=upcoming_days_off(patterns.get(c.pk), today),
        )
        for c in calendars
    ]


# -- the month view ------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthDay:
    """A day of the month view: its working hours and the exception that sets them, if any."""

    date: dt.date
    in_month: bool
    hours: Hours
    exception: str

    @property
    def working(self) -> bool:
        return bool(self.hours)

    @property
    def minutes(self) -> int:
        return minutes_of(self.hours)

    @property
    def text(self) -> str:
        return format_hours(self.hours) or "Non-working"


@dataclass(frozen=True)
class Month:
    """A month as weeks of days, Monday first, with the neighbouring months' first days."""

    first: dt.date
    weeks: list[list[MonthDay]]

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)

    @property
    def working_days(self) -> int:
        return sum(1 for week in self.weeks for d in week if d.in_month and d.working)

    @property
    def working_hours(self) -> float:
        minutes = sum(d.minutes for week in self.weeks for d in week if d.in_month)
        return round(minutes / 60, 2)

    @property
    def has_previous(self) -> bool:
        return self.first.year > FIRST_YEAR or self.first.month > 1

    @property
    def has_next(self) -> bool:
        return self.first.year < LAST_YEAR or self.first.month < 12


def day_hours(pattern: WeekPattern, day: dt.date) -> tuple[Hours, str]:
    """The day's working hours and the name of the exception that sets them ("" if none);
    later exceptions win, as in the scheduler."""
    hours = [list(i) for i in pattern.weekly[day.weekday()]]
    name = ""
    for exception in pattern.exceptions:
        if exception.start <= day <= exception.end:
            hours = [list(i) for i in exception.intervals]
            name = exception.name or "Exception"
    return hours, name


def month_view(pattern: WeekPattern, first: dt.date) -> Month:
    """The month of ``first`` with every day's working time."""
    first = first.replace(day=1)
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return Month(
        first=first,
        weeks=[
            [MonthDay(day, day.month == first.month, *day_hours(pattern, day)) for day in week]
            for week in weeks
        ],
    )


def parse_month(text: str | None, fallback: dt.date) -> dt.date:
    """``"2027-03"`` as the first of that month; ``fallback``'s month when unreadable."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if FIRST_YEAR <= year <= LAST_YEAR:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return fallback.replace(day=1)
