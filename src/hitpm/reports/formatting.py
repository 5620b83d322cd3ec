"""How report values are written, the same in HTML, PDF and Markdown."""

from __future__ import annotations

import datetime as dt

from hitpm.planning.columns import MINUTES_PER_DAY

EMPTY = "—"


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value:%d %b %Y}"


def percent(value: float | None) -> str:
    return EMPTY if value is None else f"{value:.0f}%"


def working_days(minutes: int | None) -> str:
    """Working minutes as working days of the schedule's 480-minute day: "2.5 working days"."""
    if minutes is None:
        return EMPTY
    days = round(minutes / MINUTES_PER_DAY, 1)
    return f"{days:g} working day{'' if abs(days) == 1 else 's'}"
