"""Working hours as people write them ("08:00-12:00, 13:00-17:00") and as calendars store them
(``[[480, 720], [780, 1020]]``: [start, end) minutes of the day).

:func:`parse_hours` reads either form and refuses, naming the day, what a calendar cannot
hold: a range that is not HH:MM-HH:MM, a time outside 00:00-24:00, an end not after its start,
ranges out of order or overlapping. :func:`format_hours` writes the stored form back as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

MINUTES_PER_DAY = 1440
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Weekday names by the stored weekday number ("0" = Monday)."""

_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*[-\u2013\u2014]\s*(\d{1,2}):(\d{2})$")
_SEPARATORS = re.compile(r"[,;\n]+")

Hours = list[list[int]]
"""Stored working hours: ``[[start, end], ...]`` minutes of the day, in order."""


def clock(minute: int) -> str:
    """``480`` -> ``"08:00"``; the end of the day is ``"24:00"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_hours(hours: Sequence[Sequence[int]]) -> str:
    """Stored hours as text: ``"08:00-12:00, 13:00-17:00"``; ``""`` for a day off."""
    return ", ".join(f"{clock(start)}-{clock(end)}" for start, end in hours)


def hour_ranges(hours: Sequence[Sequence[int]]) -> list[str]:
    """Stored hours as a list of ``"HH:MM-HH:MM"`` strings (the API's form)."""
    return [f"{clock(start)}-{clock(end)}" for start, end in hours]


def _minute(hour: str, minute: str, text: str, where: str) -> int:
    value = int(hour) * 60 + int(minute)
    if int(minute) > 59 or value > MINUTES_PER_DAY:
        raise ValidationError(
            f"{where}: {text!r} is not within the day; times run from 00:00 to 24:00."
        )
    return value


def _one_range(text: str, where: str) -> list[int]:
    match = _RANGE.match(text.strip())
    if match is None:
        raise ValidationError(
            f"{where}: {text.strip()!r} is not a time range; write HH:MM-HH:MM, e.g. 08:00-12:00."
        )
    start = _minute(match[1], match[2], text.strip(), where)
    end = _minute(match[3], match[4], text.strip(), where)
    return [start, end]


def _pair(value: Any, where: str) -> list[int]:
    """One range given as text or as a [start, end] pair of minutes."""
    if isinstance(value, str):
        return _one_range(value, where)
    try:
        start, end = (int(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"{where}: {value!r} is not a time range; write HH:MM-HH:MM, e.g. 08:00-12:00."
        ) from exc
    if not (0 <= start <= MINUTES_PER_DAY and 0 <= end <= MINUTES_PER_DAY):
        raise ValidationError(
            f"{where}: {value!r} is not within the day; times run from 00:00 to 24:00."
        )
    return [start, end]


def check_hours(hours: Hours, where: str) -> Hours:
    """The hours themselves, when each range ends after it starts and they are in order
    without overlapping; else a ValidationError naming ``where``."""
    previous: list[int] | None = None
    for start, end in hours:
        shown = f"{clock(start)}-{clock(end)}"
        if end <= start:
            raise ValidationError(
                f"{where}: {shown} must end after it starts (use 24:00 for midnight at the end "
                "of the day; a shift past midnight is two ranges on two days)."
            )
        if previous is not None and start < previous[1]:
            earlier = f"{clock(previous[0])}-{clock(previous[1])}"
            if start < previous[0]:
                raise ValidationError(
                    f"{where}: list the hours in order of the day; {shown} comes before {earlier}."
                )
            raise ValidationError(f"{where}: {earlier} and {shown} overlap.")
        previous = [start, end]
    return hours


def parse_hours(value: str | Sequence[Any] | None, where: str) -> Hours:
    """Working hours from text (``"08:00-12:00, 13:00-17:00"``), a list of such ranges, or
    stored ``[[480, 720], ...]`` pairs; ``""``/``[]``/None is a day without work."""
    if value is None:
        return []
    if isinstance(value, str):
        parts: Sequence[Any] = [p for p in _SEPARATORS.split(value) if p.strip()]
    else:
        parts = value
    return check_hours([_pair(part, where) for part in parts], where)


def minutes_of(hours: Sequence[Sequence[int]]) -> int:
    """Working minutes of a day with these hours."""
    return sum(end - start for start, end in hours)
