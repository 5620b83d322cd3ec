"""Optional bridge to MPXJ (Java) to schedule a project with its Microsoft Project clone.

MPXJ's ``org.mpxj.cpm.MicrosoftScheduler`` reproduces Microsoft Project's critical path
method. We use it as an independent referee: tests schedule random networks with both and
compare dates, and the benchmark times it beside our engine. Nothing here is needed in
production, so the Java runtime and the ``mpxj`` package stay optional; when they are missing
:class:`MpxjUnavailableError` says what to install.

``import mpxj`` only adds MPXJ's jars to JPype's class path; the JVM is started here, once per
process (a JVM cannot be restarted after shutdown).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from typing import Any

from hitpm.engine.model import (
    CalendarSpec,
    ConstraintType,
    Interval,
    LagFormat,
    LinkSpec,
    LinkType,
    ProjectSpec,
    TaskSpec,
)

INSTALL_HINT = (
    "install the optional MPXJ bridge with `pip install 'hitpm[mpxj]'` and a Java runtime "
    "(17 or newer), e.g. `apt-get install default-jre-headless`"
)

_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_RELATIONS = {
    LinkType.FS: "FINISH_START",
    LinkType.SS: "START_START",
    LinkType.FF: "FINISH_FINISH",
    LinkType.SF: "START_FINISH",
}
_LAG_UNITS = {
    LagFormat.WORKING: "MINUTES",
    LagFormat.ELAPSED: "ELAPSED_MINUTES",
    LagFormat.PERCENT: "PERCENT",
}
_CONSTRAINTS = {
    ConstraintType.ASAP: "AS_SOON_AS_POSSIBLE",
    ConstraintType.ALAP: "AS_LATE_AS_POSSIBLE",
    ConstraintType.MSO: "MUST_START_ON",
    ConstraintType.MFO: "MUST_FINISH_ON",
    ConstraintType.SNET: "START_NO_EARLIER_THAN",
    ConstraintType.SNLT: "START_NO_LATER_THAN",
    ConstraintType.FNET: "FINISH_NO_EARLIER_THAN",
    ConstraintType.FNLT: "FINISH_NO_LATER_THAN",
}


class MpxjUnavailableError(RuntimeError):
    """Java or the mpxj package is missing; the message says what to install."""


class MpxjSchedulingError(RuntimeError):
    """MPXJ refused to schedule the project (for example a cycle)."""


@dataclass(frozen=True)
class MpxjDates:
    """Early and late dates MPXJ's MicrosoftScheduler computed for one task."""

    uid: int
    early_start: dt.datetime
    early_finish: dt.datetime
    late_start: dt.datetime
    late_finish: dt.datetime


def unavailable_reason() -> str | None:
    """Why the bridge cannot run here, or None when it can; starts nothing."""
    try:
        import jpype
        import mpxj  # noqa: F401
    except ImportError as exc:
        return f"the Python package {exc.name!r} is missing; {INSTALL_HINT}"

    if not jpype.isJVMStarted() and shutil.which("java") is None:
        try:
            jpype.getDefaultJVMPath()
        except jpype.JVMNotFoundException:
            return f"no Java runtime was found; {INSTALL_HINT}"
    return None


def start_jvm() -> None:
    """Start the JVM with MPXJ's jars on the class path, once per process."""
    reason = unavailable_reason()
    if reason is not None:
        raise MpxjUnavailableError(reason)
    import jpype
    import mpxj  # noqa: F401  (adds the jars to the class path)

    if jpype.isJVMStarted():
        return
    try:
        jpype.startJVM("-Xmx4g", convertStrings=False)
    except (OSError, jpype.JVMNotFoundException) as exc:
        raise MpxjUnavailableError(
            f"the Java runtime failed to start ({exc}); {INSTALL_HINT}"
        ) from exc


def schedule_with_mpxj(project: ProjectSpec) -> dict[int, MpxjDates]:
    """Schedule ``project`` with MPXJ's MicrosoftScheduler; early/late dates per task uid."""
    file = build_project_file(project)
    run_microsoft_scheduler(file, project.start)
    return read_dates(file)


def build_project_file(project: ProjectSpec) -> Any:
    """An MPXJ ``ProjectFile`` holding the project's calendars, tasks and links."""
    start_jvm()
    from org.mpxj import ProjectFile

    file = ProjectFile()
    properties = file.getProjectProperties()
    properties.setMinutesPerDay(_jint(project.options.minutes_per_day))
    properties.setMinutesPerWeek(_jint(project.options.minutes_per_week))
    properties.setStartDate(_java_datetime(project.start))
    calendars = _add_calendars(file, project.calendars)
    file.setDefaultCalendar(calendars[project.calendar_uid])
    tasks = _add_tasks(file, project.tasks, calendars)
    for link in project.links:
        _add_link(tasks, link)
    return file


def run_microsoft_scheduler(file: Any, start: dt.datetime) -> None:
    """Run ``org.mpxj.cpm.MicrosoftScheduler`` on a built project file."""
    from org.mpxj.cpm import CpmException, MicrosoftScheduler

    try:
        MicrosoftScheduler().schedule(file, _java_datetime(start))
    except CpmException as exc:
        raise MpxjSchedulingError(str(exc.getMessage())) from None


def read_dates(file: Any) -> dict[int, MpxjDates]:
    """Early and late dates of every task of a scheduled project file."""
    dates = {}
    for task in file.getTasks():
        uid = int(task.getUniqueID())
        dates[uid] = MpxjDates(
            uid=uid,
            early_start=_py_datetime(task.getEarlyStart()),
            early_finish=_py_datetime(task.getEarlyFinish()),
            late_start=_py_datetime(task.getLateStart()),
            late_finish=_py_datetime(task.getLateFinish()),
        )
    return dates


def _jint(value: int) -> Any:
    from java.lang import Integer

    return Integer(int(value))


def _java_datetime(value: dt.datetime) -> Any:
    from java.time import LocalDateTime

    return LocalDateTime.of(value.year, value.month, value.day, value.hour, value.minute)


def _py_datetime(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value.toString()))


def _time_range(interval: Interval) -> Any:
    from java.time import LocalTime
    from org.mpxj import LocalTimeRange

    def at(minute: int) -> Any:
        return LocalTime.MIDNIGHT if minute >= 1440 else LocalTime.of(minute // 60, minute % 60)

    return LocalTimeRange(at(interval[0]), at(interval[1]))


def _add_calendars(file: Any, specs: list[CalendarSpec]) -> dict[int, Any]:
    calendars = {spec.uid: file.addCalendar() for spec in specs}
    for spec in specs:
        _fill_calendar(calendars[spec.uid], spec, calendars)
    return calendars


def _fill_calendar(calendar: Any, spec: CalendarSpec, calendars: dict[int, Any]) -> None:
    from java.time import DayOfWeek, LocalDate
    from org.mpxj import DayType

    calendar.setUniqueID(_jint(spec.uid))
    calendar.setName(spec.name)
    derived = spec.base_uid is not None
    # Set the parent either way: MPXJ may give a new calendar the default one as its parent.
    calendar.setParent(None if spec.base_uid is None else calendars[spec.base_uid])
    for weekday, name in enumerate(_WEEKDAYS):
        day = getattr(DayOfWeek, name)
        intervals = spec.weekly.get(weekday)
        if intervals is None:
            calendar.setCalendarDayType(day, DayType.DEFAULT if derived else DayType.NON_WORKING)
            continue
        calendar.setWorkingDay(day, bool(intervals))
        hours = calendar.addCalendarHours(day)
        for interval in intervals:
            hours.add(_time_range(interval))
    for exception in spec.exceptions:
        entry = calendar.addCalendarException(
            LocalDate.of(exception.start.year, exception.start.month, exception.start.day),
            LocalDate.of(exception.end.year, exception.end.month, exception.end.day),
        )
        for interval in exception.intervals:
            entry.add(_time_range(interval))


def _add_tasks(file: Any, specs: list[TaskSpec], calendars: dict[int, Any]) -> dict[int, Any]:
    """Tasks in outline order, nested by outline level so summaries get their children."""
    tasks: dict[int, Any] = {}
    parents: list[tuple[int, Any]] = []  # (outline level, task) from the root down
    for spec in specs:
        while parents and parents[-1][0] >= spec.outline_level:
            parents.pop()
        task = parents[-1][1].addTask() if parents else file.addTask()
        if parents:
            parents[-1][1].setSummary(True)
        _fill_task(task, spec, calendars)
        tasks[spec.uid] = task
        parents.append((spec.outline_level, task))
    return tasks


def _fill_task(task: Any, spec: TaskSpec, calendars: dict[int, Any]) -> None:
    from org.mpxj import ConstraintType as JConstraint
    from org.mpxj import Duration, TaskMode, TimeUnit

    task.setUniqueID(_jint(spec.uid))
    task.setID(_jint(spec.uid))
    task.setName(spec.name)
    task.setTaskMode(TaskMode.AUTO_SCHEDULED)
    task.setMilestone(spec.milestone)
    task.setDuration(Duration.getInstance(spec.duration_minutes, TimeUnit.MINUTES))
    task.setActualDuration(Duration.getInstance(0, TimeUnit.MINUTES))
    task.setRemainingDuration(Duration.getInstance(spec.duration_minutes, TimeUnit.MINUTES))
    task.setConstraintType(getattr(JConstraint, _CONSTRAINTS[spec.constraint_type]))
    if spec.constraint_date is not None:
        task.setConstraintDate(_java_datetime(spec.constraint_date))
    if spec.deadline is not None:
        task.setDeadline(_java_datetime(spec.deadline))
    if spec.calendar_uid is not None:
        task.setCalendar(calendars[spec.calendar_uid])


def _add_link(tasks: dict[int, Any], link: LinkSpec) -> None:
    from org.mpxj import Duration, Relation, RelationType, TimeUnit

    lag = Duration.getInstance(float(link.lag), getattr(TimeUnit, _LAG_UNITS[link.lag_format]))
    tasks[link.successor_uid].addPredecessor(
        Relation.Builder()
        .predecessorTask(tasks[link.predecessor_uid])
        .type(getattr(RelationType, _RELATIONS[link.type]))
        .lag(lag)
    )
