"""Geometry shared by the server-side renderer: time scale, visible rows and arrow routes.

The browser's chart (``static/planning/gantt.js``) follows the same rules, so an export looks
like the screen: a row is ``ROW`` pixels high, a link leaves its predecessor's start or finish
and enters its successor's start or finish from outside, with a short elbow when they overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from hitpm.planning.gantt.data import TaskRow, from_minutes

ROW = 22
STUB = 6
MINUTES_PER_DAY = 1440


class Zoom(StrEnum):
    """Time scales of the chart, by pixels per day."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"

    @property
    def px_per_day(self) -> float:
        return {"day": 28.0, "week": 9.0, "month": 2.6, "quarter": 0.95}[self.value]


def fit_zoom(span_days: int, width: float) -> Zoom:
    """The most detailed zoom whose whole span fits ``width`` pixels (quarter at least)."""
    for zoom in (Zoom.DAY, Zoom.WEEK, Zoom.MONTH):
        if span_days * zoom.px_per_day <= width:
            return zoom
    return Zoom.QUARTER


@dataclass(frozen=True)
class TimeScale:
    """Maps epoch minutes to x pixels from ``origin`` (a midnight) at ``px_per_day``."""

    origin: int
    days: int
    px_per_day: float

    @property
    def width(self) -> float:
        return self.days * self.px_per_day

    def x(self, minute: int) -> float:
        return (minute - self.origin) * self.px_per_day / MINUTES_PER_DAY

    def day(self, index: int) -> dt.date:
        return from_minutes(self.origin + index * MINUTES_PER_DAY).date()


def span(tasks: Sequence[TaskRow], extra: Sequence[int | None] = ()) -> tuple[int, int]:
    """First and last midnight (epoch minutes) around every date shown, with a margin."""
    values = [v for t in tasks for v in (t["s"], t["f"], t["bs"], t["bf"]) if v is not None]
    values += [v for v in extra if v is not None]
    if not values:
        now = int(dt.datetime.now(dt.UTC).timestamp()) // 60
        values = [now, now + 30 * MINUTES_PER_DAY]
    first = (min(values) // MINUTES_PER_DAY - 3) * MINUTES_PER_DAY
    last = (max(values) // MINUTES_PER_DAY + 5) * MINUTES_PER_DAY
    return first, last


def scale_for(tasks: Sequence[TaskRow], zoom: Zoom, extra: Sequence[int | None] = ()) -> TimeScale:
    first, last = span(tasks, extra)
    return TimeScale(first, (last - first) // MINUTES_PER_DAY, zoom.px_per_day)


def visible(tasks: Sequence[TaskRow], max_level: int | None) -> list[TaskRow]:
    """Tasks down to an outline level (all when None), in plan order."""
    if max_level is None:
        return list(tasks)
    return [t for t in tasks if t["level"] <= max_level]


def arrow_path(
    start: tuple[float, float], leaves_finish: bool, end: tuple[float, float], enters_finish: bool
) -> list[tuple[float, float]]:
    """Points of an elbow connector from one bar end to another.

    It leaves a finish to the right (a start to the left) and enters a start from the left
    (a finish from the right); when that cannot be done with one vertical, it turns between
    the rows just above (or below) the successor.
    """
    (x1, y1), (x2, y2) = start, end
    out = x1 + (STUB if leaves_finish else -STUB)
    into = x2 + (STUB if enters_finish else -STUB)
    direct = out >= into if enters_finish else out <= into
    if direct:
        return [(x1, y1), (out, y1), (out, y2), (x2, y2)]
    mid = y2 - ROW / 2 if y2 >= y1 else y2 + ROW / 2
    return [(x1, y1), (out, y1), (out, mid), (into, mid), (into, y2), (x2, y2)]


def nonworking_runs(
    weekly: Sequence[Sequence[Sequence[int]]],
    exceptions: Sequence[dict[str, object]],
    scale: TimeScale,
) -> list[tuple[int, int]]:
    """Runs ``[first, last)`` of day indexes without working time, exceptions applied in order."""
    off = [not weekly[scale.day(i).weekday()] for i in range(scale.days)]
    first_day = scale.day(0)
    for exception in exceptions:
        start = dt.date.fromisoformat(str(exception["start"]))
        end = dt.date.fromisoformat(str(exception["end"]))
        for i in range(
            max((start - first_day).days, 0), min((end - first_day).days + 1, scale.days)
        ):
            off[i] = not exception["working"]
    runs: list[tuple[int, int]] = []
    for i, is_off in enumerate(off):
        if not is_off:
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def ticks(scale: TimeScale, unit: str) -> list[tuple[float, float, str]]:
    """Cells of a timescale tier: (x from, x to, label) per day, week, month, quarter or year."""
    cells: list[tuple[float, float, str]] = []
    day = scale.day(0)
    last = scale.day(scale.days)
    while day < last:
        following = _next(day, unit)
        x0 = scale.x(_epoch(day))
        x1 = scale.x(_epoch(min(following, last)))
        cells.append((max(x0, 0.0), x1, _label(day, unit)))
        day = following
    return cells


def _epoch(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days * MINUTES_PER_DAY


def _next(day: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=1)
    if unit == "week":
        return day + dt.timedelta(days=7 - day.weekday())
    if unit == "year":
        return dt.date(day.year + 1, 1, 1)
    months = 3 if unit == "quarter" else 1
    index = (day.month - 1) // months * months + months  # months since January of the next
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def _label(day: dt.date, unit: str) -> str:
    if unit == "day":
        return str(day.day)
    if unit == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return f"{monday.day} {monday:%b}"
    if unit == "month":
        return f"{day:%b %Y}"
    if unit == "quarter":
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    return str(day.year)


TIERS = {
    Zoom.DAY: ("month", "day"),
    Zoom.WEEK: ("month", "week"),
    Zoom.MONTH: ("year", "month"),
    Zoom.QUARTER: ("year", "quarter"),
}
"""The two tiers of the timescale at each zoom: upper and lower."""
