"""Read Microsoft Project XML (MSPDI) into a :class:`ProjectSpec`.

Only what the scheduler needs is read: project dates and options, calendars, tasks and their
predecessor links. :func:`read_saved_schedule` reads the dates, slack and critical flags that
Microsoft Project itself computed and saved, so tests can hold our engine against them.

Conventions of the format that matter here: durations are ISO 8601 (``PT8H0M0S``) in working
time; link lags and slack are in tenths of a minute (percent lags in whole percent); link types
are 0=FF, 1=FS, 2=SF, 3=SS; ``CalendarUID`` -1 means "the project calendar".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from hitpm.engine.model import (
    ConstraintType,
    LagFormat,
    LinkSpec,
    LinkType,
    ProjectSpec,
    ScheduleOptions,
    TaskSpec,
)
from hitpm.exchange.errors import MspdiError
from hitpm.exchange.mspdi_calendar import read_calendars
from hitpm.exchange.mspdi_xml import Fields, Source, check_root, parse, read_bytes

__all__ = [
    "MspdiError",
    "SavedTaskValues",
    "inactive_task_elements",
    "project_fields",
    "read_mspdi",
    "read_saved_schedule",
    "spec_from_fields",
]

_LINK_TYPES = {0: LinkType.FF, 1: LinkType.FS, 2: LinkType.SF, 3: LinkType.SS}
_WORKING_LAGS = {3, 5, 7, 9, 11}  # m, h, d, w, mo
_ELAPSED_LAGS = {4, 6, 8, 10, 12}  # em, eh, ed, ew, emo
_PERCENT_LAGS = {19, 20}  # %, e%
_ESTIMATED_OFFSET = 32  # 35 = "m?" ... 52 = "e%?"


@dataclass(frozen=True)
class SavedTaskValues:
    """What Microsoft Project computed for one task when it saved the file."""

    uid: int
    name: str
    summary: bool
    start: dt.datetime | None
    finish: dt.datetime | None
    early_start: dt.datetime | None
    early_finish: dt.datetime | None
    late_start: dt.datetime | None
    late_finish: dt.datetime | None
    total_slack_minutes: float | None
    free_slack_minutes: float | None
    critical: bool


def read_mspdi(source: Source) -> ProjectSpec:
    """Read an MSPDI file (path or bytes) into a project the engine can schedule.

    Raises :class:`MspdiError` naming the element and line for hostile or invalid content.
    """
    return spec_from_fields(project_fields(source))


def spec_from_fields(project: Fields) -> ProjectSpec:
    """The schedulable project of an already parsed MSPDI ``<Project>``."""
    start = project.datetime("StartDate")
    if start is None:
        raise project.error("StartDate", "the project has no <StartDate>")
    options = _read_options(project)
    calendars = read_calendars(project)
    calendar_uids = {c.uid for c in calendars}
    default_calendar = project.integer("CalendarUID")
    if default_calendar not in calendar_uids:
        raise project.error(
            "CalendarUID", f"the project calendar {default_calendar} is not in <Calendars>"
        )
    elements = schedulable_task_elements(project)
    tasks = [_read_task(project.sub(el, "Task"), calendar_uids) for el in elements]
    links = _read_links(project, elements, {t.uid for t in tasks})
    return ProjectSpec(
        name=project.text("Title") or project.text("Name") or "Untitled",
        start=start,
        calendar_uid=default_calendar,
        calendars=calendars,
        tasks=tasks,
        links=links,
        status_date=project.datetime("StatusDate"),
        options=options,
    )


def read_saved_schedule(source: Source) -> dict[int, SavedTaskValues]:
    """Microsoft Project's saved dates, slack and critical flags per task UID (all tasks)."""
    project = project_fields(source)
    saved: dict[int, SavedTaskValues] = {}
    for element in task_elements(project):
        task = project.sub(element, "Task")
        uid = task_uid(task)
        saved[uid] = SavedTaskValues(
            uid=uid,
            name=task.text("Name", "") or "",
            summary=task.flag("Summary"),
            start=task.datetime("Start"),
            finish=task.datetime("Finish"),
            early_start=task.datetime("EarlyStart"),
            early_finish=task.datetime("EarlyFinish"),
            late_start=task.datetime("LateStart"),
            late_finish=task.datetime("LateFinish"),
            total_slack_minutes=_tenths(task.number("TotalSlack")),
            free_slack_minutes=_tenths(task.number("FreeSlack")),
            critical=task.flag("Critical"),
        )
    return saved


def _tenths(value: float | None) -> float | None:
    return None if value is None else value / 10


def project_fields(source: Source) -> Fields:
    """Parse an MSPDI file safely into typed access to its ``<Project>`` element."""
    root, lines = parse(read_bytes(source))
    check_root(root)
    return Fields(root, lines, "Project")


def _read_options(project: Fields) -> ScheduleOptions:
    minutes_per_day = project.integer("MinutesPerDay", 480) or 480
    slack_limit_days = project.integer("CriticalSlackLimit", 0) or 0
    return ScheduleOptions(
        honor_constraints_over_links=project.flag("HonorConstraints", default=True),
        critical_slack_limit_minutes=slack_limit_days * minutes_per_day,
        minutes_per_day=minutes_per_day,
        minutes_per_week=project.integer("MinutesPerWeek", 2400) or 2400,
    )


def task_elements(project: Fields) -> list[Element]:
    container = project.child("Tasks")
    return list(container) if container is not None else []


def schedulable_task_elements(project: Fields) -> list[Element]:
    """Tasks the engine schedules: not the project summary (UID 0), blank rows or inactive ones."""
    return [el for el in task_elements(project) if _row_kind(project.sub(el, "Task")) == "task"]


def inactive_task_elements(project: Fields) -> list[Element]:
    """Tasks left out because they are inactive (``<Active>0</Active>``, Project 2010 on)."""
    return [el for el in task_elements(project) if _row_kind(project.sub(el, "Task")) == "inactive"]


def _row_kind(task: Fields) -> str:
    """``task`` (scheduled), ``inactive``, or ``other`` (project summary row or blank row)."""
    if task_uid(task) == 0 or task.integer("OutlineLevel", 1) == 0 or task.flag("IsNull"):
        return "other"
    return "task" if task.flag("Active", default=True) else "inactive"


def task_uid(task: Fields) -> int:
    uid = task.integer("UID")
    if uid is None:
        raise task.error("UID", "every <Task> needs a <UID>")
    task.where = f"Task UID {uid}"
    return uid


def _read_task(task: Fields, calendar_uids: set[int]) -> TaskSpec:
    uid = task_uid(task)
    manual = task.flag("Manual")
    return TaskSpec(
        uid=uid,
        name=task.text("Name", "") or "",
        duration_minutes=task.duration_minutes("Duration") or 0,
        outline_level=task.integer("OutlineLevel", 1) or 1,
        milestone=task.flag("Milestone"),
        manual=manual,
        constraint_type=_constraint_type(task),
        constraint_date=task.datetime("ConstraintDate"),
        deadline=task.datetime("Deadline"),
        calendar_uid=_task_calendar(task, calendar_uids),
        actual_start=task.datetime("ActualStart"),
        actual_finish=task.datetime("ActualFinish"),
        percent_complete=task.number("PercentComplete", 0.0) or 0.0,
        remaining_duration_minutes=task.duration_minutes("RemainingDuration"),
        manual_start=(task.datetime("ManualStart") or task.datetime("Start")) if manual else None,
        manual_finish=(task.datetime("ManualFinish") or task.datetime("Finish"))
        if manual
        else None,
    )


def _constraint_type(task: Fields) -> ConstraintType:
    code = task.integer("ConstraintType", 0) or 0
    try:
        return ConstraintType(code)
    except ValueError:
        raise task.error("ConstraintType", f"{code} is not a constraint type (0..7)") from None


def _task_calendar(task: Fields, calendar_uids: set[int]) -> int | None:
    uid = task.integer("CalendarUID", -1)
    if uid is None or uid == -1:
        return None
    if uid not in calendar_uids:
        raise task.error("CalendarUID", f"calendar {uid} is not in <Calendars>")
    return uid


def _read_links(project: Fields, elements: list[Element], task_uids: set[int]) -> list[LinkSpec]:
    """Predecessor links between scheduled tasks; links to skipped rows are dropped."""
    all_uids = {task_uid(project.sub(el, "Task")) for el in task_elements(project)}
    links = []
    for element in elements:
        task = project.sub(element, "Task")
        successor = task_uid(task)
        for link_element in task.all("PredecessorLink"):
            link = task.sub(link_element, f"Task UID {successor} <PredecessorLink>")
            spec = _read_link(link, successor, all_uids)
            if spec is not None and spec.predecessor_uid in task_uids:
                links.append(spec)
    return links


def _read_link(link: Fields, successor: int, all_uids: set[int]) -> LinkSpec | None:
    if link.flag("CrossProject"):
        return None  # a task in another file: nothing to schedule against
    predecessor = link.integer("PredecessorUID")
    if predecessor is None:
        raise link.error("PredecessorUID", "a link needs a <PredecessorUID>")
    if predecessor not in all_uids:
        raise link.error("PredecessorUID", f"task {predecessor} is not in <Tasks>")
    code = link.integer("Type", 1)
    if code not in _LINK_TYPES:
        raise link.error("Type", f"{code} is not a link type (0=FF, 1=FS, 2=SF, 3=SS)")
    lag_format, lag = _lag(link)
    return LinkSpec(
        predecessor_uid=predecessor,
        successor_uid=successor,
        type=_LINK_TYPES[code],
        lag=lag,
        lag_format=lag_format,
    )


def _lag(link: Fields) -> tuple[LagFormat, float]:
    """Lag format and amount: minutes for time lags, percent for percent lags."""
    raw = link.integer("LinkLag", 0) or 0
    code = link.integer("LagFormat", 7)
    plain = code - _ESTIMATED_OFFSET if code is not None and code >= 35 else code
    if plain in _PERCENT_LAGS:
        return LagFormat.PERCENT, float(raw)
    if plain in _WORKING_LAGS:
        return LagFormat.WORKING, raw / 10
    if plain in _ELAPSED_LAGS:
        return LagFormat.ELAPSED, raw / 10
    raise link.error("LagFormat", f"{code} is not a lag format (3..12, 19, 20 or 35..52)")
