"""A compact way to write demo plans: nested groups of tasks with readable link notation.

Links are written as ``"key"`` (finish-to-start), ``"key:SS"``, ``"key:FF+2"`` (two working
days of lag), ``"key-3"`` (a three-day lead) or ``"key+10ed"`` (ten elapsed days), so a plan of
several hundred tasks stays readable as Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.planning.builder import PlanLink, PlanRow

DAY = 480
"""Working minutes in a standard day."""

CALENDAR_24X7 = "Command centre 24x7"
"""Name of the round-the-clock calendar that cutover and command-centre tasks use."""

_LINK = re.compile(
    r"^(?P<key>[\w.]+?)(?::(?P<type>FS|SS|FF|SF))?(?:(?P<lag>[+-]\d+)(?P<unit>ed)?)?$"
)


def link(text: str) -> PlanLink:
    """Parse one link written in the notation of this module."""
    match = _LINK.match(text)
    if match is None:
        raise ValueError(f"cannot read link {text!r}; write key, key:SS, key:FF+2 or key+10ed")
    days = int(match["lag"] or 0)
    elapsed = match["unit"] == "ed"
    return PlanLink(
        predecessor=match["key"],
        type=LinkType[match["type"] or "FS"],
        lag=days * (1440 if elapsed else DAY),
        lag_format=LagFormat.ELAPSED if elapsed else LagFormat.WORKING,
    )


@dataclass
class Outline:
    """Rows of a plan being written; groups nest with ``with outline.group(...)``."""

    rows: list[PlanRow] = field(default_factory=list)
    _level: int = 1

    def _add(self, key: str, name: str, minutes: int, after: Sequence[str], **extra: object) -> str:
        self.rows.append(
            PlanRow(
                key=key,
                name=name,
                level=self._level,
                duration_minutes=minutes,
                predecessors=tuple(link(text) for text in after),
                **extra,  # type: ignore[arg-type]
            )
        )
        return key

    @contextmanager
    def group(self, key: str, name: str, after: Sequence[str] = ()) -> Iterator[str]:
        """A summary task; rows added inside the block become its children."""
        self._add(key, name, 0, after)
        self._level += 1
        try:
            yield key
        finally:
            self._level -= 1

    def task(
        self, key: str, name: str, days: float, after: Sequence[str] = (), **extra: object
    ) -> str:
        """A task of ``days`` working days; ``extra`` may set constraints, deadline, calendar."""
        return self._add(key, name, round(days * DAY), after, **extra)

    def milestone(self, key: str, name: str, after: Sequence[str] = (), **extra: object) -> str:
        return self._add(key, name, 0, after, milestone=True, **extra)

    def around_the_clock(
        self, key: str, name: str, hours: float, after: Sequence[str] = (), **extra: object
    ) -> str:
        """A task on the 24x7 calendar (cutover, command centre), measured in hours."""
        return self._add(key, name, round(hours * 60), after, calendar=CALENDAR_24X7, **extra)


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    """An aware UTC datetime on ``day`` at ``hour`` (project-local time is UTC for now)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def snet(day: dt.date) -> dict[str, object]:
    """Keyword arguments for a start-no-earlier-than constraint."""
    return {"constraint_type": ConstraintType.SNET, "constraint_date": at(day)}


def mso(day: dt.date, hour: int = 8) -> dict[str, object]:
    """Keyword arguments for a must-start-on constraint."""
    return {"constraint_type": ConstraintType.MSO, "constraint_date": at(day, hour)}


def fnlt(day: dt.date) -> dict[str, object]:
    """Keyword arguments for a finish-no-later-than constraint (end of that day)."""
    return {"constraint_type": ConstraintType.FNLT, "constraint_date": at(day, 17)}


@dataclass(frozen=True)
class DemoProject:
    """One demo project: its record, its plan and how far the team had got by ``status_date``.

    ``behind`` maps in-progress task keys to the share of the expected progress achieved
    (0.5 = half as far as the plan says); ``late`` maps finished task keys to the weekdays
    they finished after their planned finish.
    """

    fields: dict[str, object]
    status_date: dt.date
    rows: list[PlanRow]
    around_the_clock: bool = False
    behind: dict[str, float] = field(default_factory=dict)
    late: dict[str, int] = field(default_factory=dict)
