"""How report values are written, the same in HTML, PDF and Markdown."""

from __future__ import annotations

import datetime as dt

EMPTY = "—"


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value:%d %b %Y}"


def percent(value: float | None) -> str:
    return EMPTY if value is None else f"{value:.0f}%"
