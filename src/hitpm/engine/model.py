"""Plain data the engine schedules: the contract between readers, services and the engine.

Readers (MSPDI, hitpm JSON, the database) build a :class:`ProjectSpec`; the scheduler returns a
:class:`ScheduleResult`. Durations, lags and floats are integers in working minutes unless a
field says otherwise; datetimes are naive local times, as Microsoft Project stores them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class LinkType(IntEnum):
    """Dependency type. Values are hitpm's own, not MSPDI's (MSPDI: 0=FF, 1=FS, 2=SF, 3=SS)."""

    FS = 0
    SS = 1
    FF = 2
    SF = 3


class LagFormat(StrEnum):
    """How a link's lag is measured."""

    WORKING = "working"  # working minutes on the successor's calendar
    ELAPSED = "elapsed"  # calendar minutes, 24x7
    PERCENT = "percent"  # percent of the predecessor's duration (lag holds the percent)


class ConstraintType(IntEnum):
    """Date constraints; values match MSPDI's ConstraintType."""

    ASAP = 0
    ALAP = 1
    MSO = 2
    MFO = 3
    SNET = 4
    SNLT = 5
    FNET = 6
    FNLT = 7


class FloatMode(StrEnum):
    """Which total float to report, as Primavera P6 offers."""

    START = "start"
    FINISH = "finish"
    SMALLEST = "smallest"


class ProgressMode(StrEnum):
    """How out-of-sequence progress is scheduled."""

    RETAINED_LOGIC = "retained_logic"
    PROGRESS_OVERRIDE = "progress_override"


Interval = tuple[int, int]
"""A working interval within a day: (start minute, end minute) from midnight, end exclusive."""

STANDARD_DAY: tuple[Interval, ...] = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))


@dataclass(frozen=True)
class CalendarException:
    """Days from ``start`` to ``end`` inclusive; no intervals means non-working."""

    start: dt.date
    end: dt.date
    intervals: tuple[Interval, ...] = ()
    name: str = ""


@dataclass
class CalendarSpec:
    """A working-time calendar.

    ``weekly`` maps weekday (0=Monday) to that day's intervals; a weekday missing from the map
    is inherited from the base calendar (or non-working when there is no base).
    """

    uid: int
    name: str = "Standard"
    base_uid: int | None = None
    weekly: dict[int, tuple[Interval, ...]] = field(
        default_factory=lambda: dict.fromkeys(range(5), STANDARD_DAY) | {5: (), 6: ()}
    )
    exceptions: list[CalendarException] = field(default_factory=list)


@dataclass
class TaskSpec:
    """One task as the scheduler sees it. Summary tasks are derived from outline levels."""

    uid: int
    name: str = ""
    duration_minutes: int = 0
    outline_level: int = 1
    milestone: bool = False
    manual: bool = False
    constraint_type: ConstraintType = ConstraintType.ASAP
    constraint_date: dt.datetime | None = None
    deadline: dt.datetime | None = None
    calendar_uid: int | None = None
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    percent_complete: float = 0.0
    remaining_duration_minutes: int | None = None
    # Dates a manually scheduled task keeps; ignored for auto-scheduled tasks.
    manual_start: dt.datetime | None = None
    manual_finish: dt.datetime | None = None


@dataclass
class LinkSpec:
    """Predecessor link. ``lag`` is minutes (working or elapsed) or a percent (``lag_format``)."""

    predecessor_uid: int
    successor_uid: int
    type: LinkType = LinkType.FS
    lag: float = 0
    lag_format: LagFormat = LagFormat.WORKING


@dataclass
class ScheduleOptions:
    """Scheduling switches, defaulting to Microsoft Project's defaults."""

    honor_constraints_over_links: bool = True
    critical_slack_limit_minutes: int = 0
    float_mode: FloatMode = FloatMode.SMALLEST
    progress_mode: ProgressMode = ProgressMode.RETAINED_LOGIC
    # Remaining work of started tasks resumes, and unstarted tasks start, no earlier than the
    # status date (Primavera's data date; MS Project's "move remaining parts after status
    # date" options, off by default there).
    remaining_after_status_date: bool = False
    minutes_per_day: int = 480
    minutes_per_week: int = 2400


@dataclass
class ProjectSpec:
    """A whole schedulable project. ``tasks`` are in outline (WBS) order."""

    name: str
    start: dt.datetime
    calendar_uid: int
    calendars: list[CalendarSpec]
    tasks: list[TaskSpec]
    links: list[LinkSpec] = field(default_factory=list)
    status_date: dt.datetime | None = None
    options: ScheduleOptions = field(default_factory=ScheduleOptions)


@dataclass
class TaskResult:
    """Computed dates and floats of one task."""

    uid: int
    start: dt.datetime
    finish: dt.datetime
    early_start: dt.datetime
    early_finish: dt.datetime
    late_start: dt.datetime
    late_finish: dt.datetime
    total_float_minutes: int
    free_float_minutes: int
    critical: bool
    is_summary: bool = False


@dataclass
class ScheduleResult:
    """The scheduled project: per-task results in the input order, and the longest path."""

    start: dt.datetime
    finish: dt.datetime
    tasks: list[TaskResult]
    critical_path: list[int]  # task uids from project start to finish

    def by_uid(self) -> dict[int, TaskResult]:
        return {t.uid: t for t in self.tasks}
