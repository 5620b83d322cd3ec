"""Small builders for hand-worked scheduling examples on the standard calendar.

The project starts Monday 2026-01-05 08:00; Mon-Fri 08:00-12:00, 13:00-17:00 (480 minutes a
day), so ``days(1)`` of work starting Monday 08:00 finishes Monday 17:00.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hitpm.engine.cpm import schedule
from hitpm.engine.model import (
    CalendarSpec,
    LagFormat,
    LinkSpec,
    LinkType,
    ProjectSpec,
    ScheduleOptions,
    TaskResult,
    TaskSpec,
)

START = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480


def days(n: float) -> int:
    """Working minutes in ``n`` standard days."""
    return round(n * DAY)


def at(text: str) -> dt.datetime:
    """``"01-05 08:00"`` -> that time in January 2026 (or ``"2026-02-02 08:00"``)."""
    if len(text) == 11:
        text = f"2026-{text}"
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M")


def task(uid: int, duration_days: float = 1, **fields: Any) -> TaskSpec:
    return TaskSpec(uid=uid, name=f"T{uid}", duration_minutes=days(duration_days), **fields)


def link(
    pred: int,
    succ: int,
    kind: LinkType = LinkType.FS,
    lag: float = 0,
    lag_format: LagFormat = LagFormat.WORKING,
) -> LinkSpec:
    return LinkSpec(pred, succ, kind, lag, lag_format)


def project(
    tasks: list[TaskSpec],
    links: list[LinkSpec] | None = None,
    calendars: list[CalendarSpec] | None = None,
    **fields: Any,
) -> ProjectSpec:
    return ProjectSpec(
        name="example",
        start=fields.pop("start", START),
        calendar_uid=1,
        calendars=calendars or [CalendarSpec(uid=1)],
        tasks=tasks,
        links=links or [],
        options=fields.pop("options", ScheduleOptions()),
        **fields,
    )


def run(spec: ProjectSpec) -> dict[int, TaskResult]:
    return schedule(spec).by_uid()


def dates(result: TaskResult) -> tuple[str, str, str, str]:
    """Early start/finish, late start/finish as ``MM-DD HH:MM`` strings."""
    fmt = "%m-%d %H:%M"
    return (
        result.early_start.strftime(fmt),
        result.early_finish.strftime(fmt),
        result.late_start.strftime(fmt),
        result.late_finish.strftime(fmt),
    )
