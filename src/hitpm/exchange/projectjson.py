"""hitpm's own JSON project format: a readable, diff-friendly file for scheduling.

The format is documented in ``docs/project-json.md``. It maps one to one onto
:class:`ProjectSpec`, so ``project_from_dict(project_to_dict(spec)) == spec``. Durations and
lags are whole working minutes (``duration_minutes``); people writing files by hand may use a
``duration`` string such as ``"5d"`` or ``"2h30m"`` instead, converted with the project's
minutes per day and week. Unknown keys are refused, so a typo never silently becomes a default.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from hitpm.engine.model import (
    CalendarException,
    CalendarSpec,
    ConstraintType,
    FloatMode,
    Interval,
    LagFormat,
    LinkSpec,
    LinkType,
    ProgressMode,
    ProjectSpec,
    ScheduleOptions,
    TaskSpec,
)
from hitpm.exchange.errors import ProjectJsonError

__all__ = [
    "FORMAT",
    "VERSION",
    "ProjectJsonError",
    "dumps_project_json",
    "project_from_dict",
    "project_to_dict",
    "read_project_json",
]

FORMAT = "hitpm-project"
VERSION = 1
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_HUMAN_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*([wdhm])\s*)+$")
_HUMAN_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])")
_INTERVAL = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

_PROJECT_KEYS = {"format", "version", "name", "start", "status_date", "calendar", "calendars"}
_PROJECT_KEYS |= {"tasks", "links", "options"}
_CALENDAR_KEYS = {"uid", "name", "base", "weekly", "exceptions"}
_EXCEPTION_KEYS = {"start", "end", "name", "working_times"}
_TASK_KEYS = {
    "uid", "name", "duration_minutes", "duration", "outline_level", "milestone", "manual",
    "constraint", "constraint_date", "deadline", "calendar", "actual_start", "actual_finish",
    "percent_complete", "remaining_duration_minutes", "manual_start", "manual_finish",
}  # fmt: skip
_LINK_KEYS = {"from", "to", "type", "lag", "lag_format"}
_OPTION_KEYS = {
    "honor_constraints_over_links", "critical_slack_limit_minutes", "float_mode",
    "progress_mode", "minutes_per_day", "minutes_per_week",
}  # fmt: skip


# ---------------------------------------------------------------- reading


def read_project_json(source: str | os.PathLike[str] | bytes) -> ProjectSpec:
    """Read a hitpm JSON project from a path or bytes; raises :class:`ProjectJsonError`."""
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            with open(source, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            raise ProjectJsonError(f"cannot read {os.fspath(source)!r}: {exc.strerror}") from exc
    try:
        data = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise ProjectJsonError(f"the file is not UTF-8 text: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        raise ProjectJsonError(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return project_from_dict(data)


def project_from_dict(data: Any) -> ProjectSpec:
    """Validate a decoded JSON document and build the project; errors name the bad field."""
    obj = _object(data, "project", _PROJECT_KEYS)
    if obj.get("format") != FORMAT:
        raise ProjectJsonError(f'format: expected "{FORMAT}", got {obj.get("format")!r}')
    if obj.get("version") != VERSION:
        got = obj.get("version")
        raise ProjectJsonError(f"version: this hitpm reads version {VERSION}, got {got!r}")
    options = _options(obj.get("options", {}))
    calendars = [_calendar(c, f"calendars[{i}]") for i, c in enumerate(_list(obj, "calendars"))]
    calendar_uids = {c.uid for c in calendars}
    calendar_uid = _required(obj, "calendar", "project", _int)
    if calendar_uid not in calendar_uids:
        raise ProjectJsonError(f"calendar: {calendar_uid} is not the uid of any calendar")
    tasks = [
        _task(t, f"tasks[{i}]", options, calendar_uids) for i, t in enumerate(_list(obj, "tasks"))
    ]
    _check_unique([t.uid for t in tasks], "tasks")
    uids = {t.uid for t in tasks}
    links = [_link(x, f"links[{i}]", uids, options) for i, x in enumerate(_list(obj, "links"))]
    return ProjectSpec(
        name=_optional(obj, "name", "project", _str) or "",
        start=_required(obj, "start", "project", _datetime),
        calendar_uid=calendar_uid,
        calendars=calendars,
        tasks=tasks,
        links=links,
        status_date=_optional(obj, "status_date", "project", _datetime),
        options=options,
    )


def _object(value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProjectJsonError(f"{path}: expected an object, got {_kind(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ProjectJsonError(
            f"{path}: unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}"
        )
    return value


def _list(obj: Mapping[str, Any], key: str) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise ProjectJsonError(f"{key}: expected a list, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false"}.get(
        type(value), "null" if value is None else repr(value)
    )


def _required[T](obj: Mapping[str, Any], key: str, path: str, parse: Callable[[Any, str], T]) -> T:
    where = f"{path}.{key}" if path != "project" else key
    if obj.get(key) is None:
        raise ProjectJsonError(f"{where}: required")
    return parse(obj[key], where)


def _optional[T](
    obj: Mapping[str, Any], key: str, path: str, parse: Callable[[Any, str], T]
) -> T | None:
    where = f"{path}.{key}" if path != "project" else key
    return None if obj.get(key) is None else parse(obj[key], where)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProjectJsonError(f"{where}: expected a whole number, got {_kind(value)}")
    return value


def _minutes(value: Any, where: str) -> int:
    if _int(value, where) < 0:
        raise ProjectJsonError(f"{where}: expected minutes >= 0, got {value}")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProjectJsonError(f"{where}: expected a number, got {_kind(value)}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ProjectJsonError(f"{where}: expected true or false, got {_kind(value)}")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ProjectJsonError(f"{where}: expected a string, got {_kind(value)}")
    return value


def _datetime(value: Any, where: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(_str(value, where))
    except ValueError:
        raise ProjectJsonError(
            f"{where}: {value!r} is not a local date-time such as 2026-01-05T08:00:00"
        ) from None
    if parsed.tzinfo is not None:
        raise ProjectJsonError(f"{where}: use local time without a UTC offset, got {value!r}")
    return parsed


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_str(value, where))
    except ValueError:
        raise ProjectJsonError(f"{where}: {value!r} is not a date such as 2026-12-25") from None


def _choice[E](value: Any, where: str, enum: Callable[[str], E], names: list[str]) -> E:
    try:
        return enum(_str(value, where))
    except (ValueError, KeyError):
        raise ProjectJsonError(f"{where}: {value!r} is not one of {', '.join(names)}") from None


def _check_unique(uids: list[int], path: str) -> None:
    seen: set[int] = set()
    for index, uid in enumerate(uids):
        if uid in seen:
            raise ProjectJsonError(f"{path}[{index}].uid: {uid} is used twice")
        seen.add(uid)


def _options(value: Any) -> ScheduleOptions:
    obj = _object(value, "options", _OPTION_KEYS)
    defaults = ScheduleOptions()
    path = "options"

    def pick[T](key: str, parse: Callable[[Any, str], T], default: T) -> T:
        parsed = _optional(obj, key, path, parse)
        return default if parsed is None else parsed

    return ScheduleOptions(
        honor_constraints_over_links=pick(
            "honor_constraints_over_links", _bool, defaults.honor_constraints_over_links
        ),
        critical_slack_limit_minutes=pick(
            "critical_slack_limit_minutes", _int, defaults.critical_slack_limit_minutes
        ),
        float_mode=pick("float_mode", _enum_parser(FloatMode), defaults.float_mode),
        progress_mode=pick("progress_mode", _enum_parser(ProgressMode), defaults.progress_mode),
        minutes_per_day=pick("minutes_per_day", _positive, defaults.minutes_per_day),
        minutes_per_week=pick("minutes_per_week", _positive, defaults.minutes_per_week),
    )


def _positive(value: Any, where: str) -> int:
    if _int(value, where) <= 0:
        raise ProjectJsonError(f"{where}: expected a positive whole number, got {value}")
    return value


def _enum_parser[E](enum: type[E]) -> Callable[[Any, str], E]:
    names = [m.value for m in enum]  # type: ignore[attr-defined]
    return lambda value, where: _choice(value, where, enum, names)


def _calendar(value: Any, path: str) -> CalendarSpec:
    obj = _object(value, path, _CALENDAR_KEYS)
    weekly_obj = _object(obj.get("weekly", {}), f"{path}.weekly", set(WEEKDAYS))
    weekly = {
        WEEKDAYS.index(day): _intervals(spans, f"{path}.weekly.{day}")
        for day, spans in weekly_obj.items()
    }
    exceptions = [
        _exception(e, f"{path}.exceptions[{i}]") for i, e in enumerate(_list(obj, "exceptions"))
    ]
    return CalendarSpec(
        uid=_required(obj, "uid", path, _int),
        name=_optional(obj, "name", path, _str) or "",
        base_uid=_optional(obj, "base", path, _int),
        weekly=weekly,
        exceptions=exceptions,
    )


def _exception(value: Any, path: str) -> CalendarException:
    obj = _object(value, path, _EXCEPTION_KEYS)
    start = _required(obj, "start", path, _date)
    end = _optional(obj, "end", path, _date) or start
    if end < start:
        raise ProjectJsonError(f"{path}.end: {end} is before start {start}")
    return CalendarException(
        start=start,
        end=end,
        intervals=_intervals(obj.get("working_times", []), f"{path}.working_times"),
        name=_optional(obj, "name", path, _str) or "",
    )


def _intervals(value: Any, where: str) -> tuple[Interval, ...]:
    if not isinstance(value, list):
        got = _kind(value)
        raise ProjectJsonError(f'{where}: expected a list like ["08:00-12:00"], got {got}')
    intervals = [_interval(span, f"{where}[{i}]") for i, span in enumerate(value)]
    return tuple(sorted(intervals))


def _interval(value: Any, where: str) -> Interval:
    match = _INTERVAL.match(_str(value, where))
    if match is None:
        raise ProjectJsonError(f'{where}: {value!r} is not a span such as "08:00-12:00"')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or not 0 <= start < end <= 24 * 60:
        raise ProjectJsonError(f"{where}: {value!r} must run forwards within 00:00-24:00")
    return start, end


def _task(value: Any, path: str, options: ScheduleOptions, calendar_uids: set[int]) -> TaskSpec:
    obj = _object(value, path, _TASK_KEYS)
    uid = _required(obj, "uid", path, _int)
    path = f"{path} (uid {uid})"
    calendar = _optional(obj, "calendar", path, _int)
    if calendar is not None and calendar not in calendar_uids:
        raise ProjectJsonError(f"{path}.calendar: {calendar} is not the uid of any calendar")
    percent = _optional(obj, "percent_complete", path, _number) or 0.0
    if not 0 <= percent <= 100:
        raise ProjectJsonError(f"{path}.percent_complete: expected 0..100, got {percent}")
    return TaskSpec(
        uid=uid,
        name=_optional(obj, "name", path, _str) or "",
        duration_minutes=_task_duration(obj, path, options),
        outline_level=_optional(obj, "outline_level", path, _positive) or 1,
        milestone=_optional(obj, "milestone", path, _bool) or False,
        manual=_optional(obj, "manual", path, _bool) or False,
        constraint_type=_optional(obj, "constraint", path, _constraint) or ConstraintType.ASAP,
        constraint_date=_optional(obj, "constraint_date", path, _datetime),
        deadline=_optional(obj, "deadline", path, _datetime),
        calendar_uid=calendar,
        actual_start=_optional(obj, "actual_start", path, _datetime),
        actual_finish=_optional(obj, "actual_finish", path, _datetime),
        percent_complete=percent,
        remaining_duration_minutes=_optional(obj, "remaining_duration_minutes", path, _minutes),
        manual_start=_optional(obj, "manual_start", path, _datetime),
        manual_finish=_optional(obj, "manual_finish", path, _datetime),
    )


def _constraint(value: Any, where: str) -> ConstraintType:
    names = [c.name for c in ConstraintType]
    return _choice(value, where, lambda name: ConstraintType[name], names)


def _task_duration(obj: Mapping[str, Any], path: str, options: ScheduleOptions) -> int:
    if "duration_minutes" in obj and "duration" in obj:
        raise ProjectJsonError(f"{path}: give duration_minutes or duration, not both")
    if obj.get("duration") is not None:
        return human_minutes(_str(obj["duration"], f"{path}.duration"), options, f"{path}.duration")
    return _optional(obj, "duration_minutes", path, _minutes) or 0


def human_minutes(text: str, options: ScheduleOptions, where: str = "duration") -> int:
    """Working minutes of ``"1w 2d 3h 30m"``-style text, using the project's day and week."""
    if not _HUMAN_DURATION.match(text):
        raise ProjectJsonError(f'{where}: {text!r} is not a duration such as "5d" or "2h30m"')
    unit = {"w": options.minutes_per_week, "d": options.minutes_per_day, "h": 60, "m": 1}
    return round(sum(float(n) * unit[u] for n, u in _HUMAN_PART.findall(text)))


def _link(value: Any, path: str, uids: set[int], options: ScheduleOptions) -> LinkSpec:
    obj = _object(value, path, _LINK_KEYS)
    ends = []
    for key in ("from", "to"):
        uid = _required(obj, key, path, _int)
        if uid not in uids:
            raise ProjectJsonError(f"{path}.{key}: task {uid} does not exist")
        ends.append(uid)
    lag_format = _optional(obj, "lag_format", path, _enum_parser(LagFormat)) or LagFormat.WORKING
    return LinkSpec(
        predecessor_uid=ends[0],
        successor_uid=ends[1],
        type=_optional(obj, "type", path, _link_type) or LinkType.FS,
        lag=_lag(obj.get("lag", 0), f"{path}.lag", lag_format, options),
        lag_format=lag_format,
    )


def _link_type(value: Any, where: str) -> LinkType:
    return _choice(value, where, lambda name: LinkType[name], [t.name for t in LinkType])


def _lag(value: Any, where: str, lag_format: LagFormat, options: ScheduleOptions) -> float:
    """Lag in minutes (or percent); a string like ``"-2d"`` is accepted for time lags."""
    if isinstance(value, str) and lag_format != LagFormat.PERCENT:
        negative = value.strip().startswith("-")
        minutes = human_minutes(value.strip().lstrip("-"), options, where)
        return -minutes if negative else minutes
    return _number(value, where)


# ---------------------------------------------------------------- writing


def dumps_project_json(spec: ProjectSpec) -> str:
    """The project as indented JSON text, ending with a newline."""
    return _dump(project_to_dict(spec), "") + "\n"


_ONE_LINE_KEYS = 5


def _flat(values: Any) -> bool:
    """True when no value is a dict, nor a list holding more than plain values."""
    return all(not isinstance(v, dict) and (not isinstance(v, list) or _flat(v)) for v in values)


def _dump(value: Any, indent: str) -> str:
    """Indented JSON that keeps short records (links, exceptions, working times) on one line."""
    inner = indent + "  "
    if isinstance(value, dict) and (len(value) > _ONE_LINE_KEYS or not _flat(value.values())):
        items = [f"{inner}{json.dumps(k)}: {_dump(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and not _flat(value):
        items = [f"{inner}{_dump(v, inner)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)


def project_to_dict(spec: ProjectSpec) -> dict[str, Any]:
    """The project as a JSON-ready dict; fields at their default value are left out of tasks."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": spec.name,
        "start": spec.start.isoformat(),
        "status_date": _iso(spec.status_date),
        "calendar": spec.calendar_uid,
        "calendars": [_calendar_dict(c) for c in spec.calendars],
        "tasks": [_task_dict(t) for t in spec.tasks],
        "links": [_link_dict(x) for x in spec.links],
        "options": _options_dict(spec.options),
    }


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _span(interval: Interval) -> str:
    (h1, m1), (h2, m2) = divmod(interval[0], 60), divmod(interval[1], 60)
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"


def _calendar_dict(calendar: CalendarSpec) -> dict[str, Any]:
    return {
        "uid": calendar.uid,
        "name": calendar.name,
        "base": calendar.base_uid,
        "weekly": {
            WEEKDAYS[day]: [_span(i) for i in calendar.weekly[day]]
            for day in sorted(calendar.weekly)
        },
        "exceptions": [_exception_dict(e) for e in calendar.exceptions],
    }


def _exception_dict(exception: CalendarException) -> dict[str, Any]:
    out: dict[str, Any] = {"start": exception.start.isoformat(), "end": exception.end.isoformat()}
    if exception.name:
        out["name"] = exception.name
    if exception.intervals:
        out["working_times"] = [_span(i) for i in exception.intervals]
    return out


def _task_dict(task: TaskSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uid": task.uid,
        "name": task.name,
        "duration_minutes": task.duration_minutes,
    }
    defaults = TaskSpec(uid=task.uid)
    for key, value in (
        ("outline_level", task.outline_level),
        ("milestone", task.milestone),
        ("manual", task.manual),
        ("calendar", task.calendar_uid),
        ("percent_complete", task.percent_complete),
        ("remaining_duration_minutes", task.remaining_duration_minutes),
    ):
        attr = {"calendar": "calendar_uid"}.get(key, key)
        if value != getattr(defaults, attr):
            out[key] = value
    if task.constraint_type != ConstraintType.ASAP:
        out["constraint"] = task.constraint_type.name
    for key in _TASK_DATES:
        if getattr(task, key) is not None:
            out[key] = _iso(getattr(task, key))
    return out


_TASK_DATES = (
    "constraint_date", "deadline", "actual_start", "actual_finish", "manual_start", "manual_finish",
)  # fmt: skip


def _link_dict(link: LinkSpec) -> dict[str, Any]:
    lag = int(link.lag) if float(link.lag).is_integer() else link.lag
    out: dict[str, Any] = {"from": link.predecessor_uid, "to": link.successor_uid}
    out["type"] = LinkType(link.type).name
    if lag:
        out["lag"] = lag
    if link.lag_format != LagFormat.WORKING:
        out["lag_format"] = LagFormat(link.lag_format).value
    return out


def _options_dict(options: ScheduleOptions) -> dict[str, Any]:
    return {
        "honor_constraints_over_links": options.honor_constraints_over_links,
        "critical_slack_limit_minutes": options.critical_slack_limit_minutes,
        "float_mode": FloatMode(options.float_mode).value,
        "progress_mode": ProgressMode(options.progress_mode).value,
        "minutes_per_day": options.minutes_per_day,
        "minutes_per_week": options.minutes_per_week,
    }
