"""Editing working-time calendars, as MS Project's *Change Working Time* does.

A project's calendars are created (from a preset, as a copy, or derived from a base calendar
whose weekdays and exceptions they inherit), renamed, made the project's default (exactly one
is), given their working week (per weekday: hours, non-working, or inherited from the base)
and exceptions (holidays, a go-live freeze, a working weekend), and deleted when nothing uses
them. Each function validates, writes and, when the change can move dates, reschedules the
project in the same transaction; on any error (``ValidationError`` with a message naming the
weekday or field, ``StaleVersion`` for an old version) nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.audit.signals import record_bulk_create
from hitpm.core.services import lock_current, save_validated
from hitpm.engine.calendar import CalendarError, WeekPattern, resolve
from hitpm.planning.hours import WEEKDAYS, Hours, parse_hours
from hitpm.planning.models import Calendar, CalendarException
from hitpm.planning.services import STANDARD_WEEK, reschedule
from hitpm.planning.spec import project_calendars
from hitpm.portfolio.models import Project

ROUND_THE_CLOCK: dict[str, Hours] = {str(day): [[0, 1440]] for day in range(7)}
"""Every day 00:00-24:00: command centres, cutover and at-the-elbow support."""

PRESETS: dict[str, dict[str, Hours]] = {"standard": STANDARD_WEEK, "24x7": ROUND_THE_CLOCK}
"""The weeks a new calendar can start from: Mon-Fri 08:00-12:00, 13:00-17:00, or 24 hours."""

CALENDAR_FIELDS = frozenset({"name", "base_id", "is_project_default", "weekly"})
EXCEPTION_FIELDS = frozenset({"name", "start", "end", "hours"})
MAX_EXCEPTION_DAYS = 3660
USERS_NAMED = 3


class CalendarInUse(ValidationError):
    """A calendar cannot be deleted: it is the default, or tasks, resources or other
    calendars use it (the message names them)."""


@dataclass(frozen=True)
class Saved[R]:
    """A saved record, and what the reschedule it caused moved (nothing when it caused none)."""

    record: R
    changed_ids: frozenset[int] = frozenset()
    project_finish: dt.datetime | None = None

    @property
    def moved(self) -> int:
        """How many tasks' dates, floats or critical flags changed."""
        return len(self.changed_ids)


def _rescheduled[R](project: Project, record: R) -> Saved[R]:
    result = reschedule(project)
    finish = result.finish if result.schedule.tasks else None
    return Saved(record, result.changed_ids, finish)


# -- lookups -------------------------------------------------------------------------------


def calendar_of(project: Project, calendar_id: Any, field: str | None = None) -> Calendar:
    """One of the project's calendars, or a ValidationError (on ``field`` when given)."""
    found = project.calendars.filter(pk=calendar_id).first() if calendar_id else None
    if found is None:
        message = f"{project.code} has no calendar {calendar_id}."
        raise ValidationError({field: message} if field else message)
    return found


def exception_of(
    project: Project, exception_id: Any, calendar_id: Any | None = None
) -> CalendarException:
    """One exception of the project's calendars (of ``calendar_id`` when given)."""
    found = CalendarException.objects.filter(calendar__project=project, pk=exception_id)
    if calendar_id is not None:
        found = found.filter(calendar_id=calendar_id)
    exception = found.select_related("calendar").first()
    if exception is None:
        raise ValidationError(f"{project.code} has no calendar exception {exception_id}.")
    return exception


def resolved_patterns(project: Project) -> dict[int, WeekPattern]:
    """Every calendar of the project with its base chain resolved, by id; a calendar that
    cannot be resolved (a stored loop of bases) is left out."""
    specs, _ = project_calendars(project)
    patterns = {}
    for uid in specs:
        try:
            patterns[uid] = resolve(uid, specs)
        except CalendarError:
            continue
    return patterns


# -- checks --------------------------------------------------------------------------------


def _free_name(project: Project, name: Any, calendar_pk: int | None = None) -> str:
    text = str(name or "").strip()
    if not text:
        raise ValidationError({"name": "Give the calendar a name, e.g. 'Part-time (Mon-Thu)'."})
    if len(text) > 100:
        raise ValidationError({"name": "Use at most 100 characters."})
    taken = project.calendars.filter(name__iexact=text)
    if calendar_pk is not None:
        taken = taken.exclude(pk=calendar_pk)
    if taken.exists():
        raise ValidationError({"name": f"{project.code} already has a calendar named {text!r}."})
    return text


def _base(project: Project, base_id: Any, calendar: Calendar | None = None) -> Calendar | None:
    """The base calendar chosen (one of the project's), refusing a loop of bases."""
    if not base_id:
        return None
    base = calendar_of(project, base_id, "base_id")
    if calendar is None:
        return base
    step: Calendar | None = base
    while step is not None:
        if step.pk == calendar.pk:
            raise ValidationError(
                {
                    "base_id": f"{calendar.name} cannot be based on {base.name}: "
                    f"{base.name} already inherits from {calendar.name}."
                }
            )
        step = step.base
    return base


def _derived_ids(project: Project, calendar_ids: Iterable[int]) -> set[int]:
    """The calendars given and every calendar of the project that inherits from them."""
    bases = dict(project.calendars.values_list("pk", "base_id"))
    found = set(calendar_ids)
    grew = True
    while grew:
        more = {pk for pk, base in bases.items() if base in found and pk not in found}
        found |= more
        grew = bool(more)
    return found


def _check_working_time(project: Project, calendar_ids: Iterable[int]) -> None:
    """The calendars changed, and those derived from them, must resolve and have working
    time in their week (the scheduler cannot place work on a calendar without any)."""
    specs, _ = project_calendars(project)
    for uid in sorted(_derived_ids(project, calendar_ids)):
        try:
            pattern = resolve(uid, specs)
        except CalendarError as exc:
            raise ValidationError(f"The calendars of {project.code} are invalid: {exc}") from exc
        if pattern.weekly_minutes() <= 0:
            raise ValidationError(
                f"Calendar {specs[uid].name!r} would have no working time in a normal week; "
                "give at least one weekday working hours."
            )


def _weekday(key: Any) -> str:
    day = str(key)
    if day not in {str(d) for d in range(7)}:
        raise ValidationError(
            {"weekly": f"{key!r} is not a weekday number (0 = Monday ... 6 = Sunday)."}
        )
    return day


def _merged_week(calendar: Calendar, days: Mapping[Any, Any]) -> dict[str, Hours]:
    """The calendar's week with ``days`` applied: hours (text, ranges or minute pairs; empty
    for non-working) or None to inherit the base's; every weekday's errors at once."""
    if not isinstance(days, Mapping):
        raise ValidationError({"weekly": "Give the week as weekday numbers mapped to hours."})
    week = {str(k): v for k, v in (calendar.weekly or {}).items()}
    errors: dict[str, list[str]] = {}
    for key, value in days.items():
        day = _weekday(key)
        name = WEEKDAYS[int(day)]
        if value is None:
            if calendar.base_id is None:
                errors[f"weekly.{day}"] = [
                    f"{name}: this calendar has no base calendar to inherit from; "
                    "choose non-working or enter its hours."
                ]
            week.pop(day, None)
            continue
        try:
            week[day] = parse_hours(value, name)
        except ValidationError as exc:
            errors[f"weekly.{day}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return dict(sorted(week.items()))


def _own_week(project: Project, calendar: Calendar) -> dict[str, Hours]:
    """Every weekday of the calendar as it resolves now, for a calendar losing its base."""
    pattern = resolved_patterns(project).get(calendar.pk)
    if pattern is None:
        return dict(calendar.weekly)
    return {str(day): [list(i) for i in hours] for day, hours in enumerate(pattern.weekly)}


# -- calendars -----------------------------------------------------------------------------


def _make_default(project: Project, calendar: Calendar) -> None:
    """Take the default from the project's other calendars (saved, so it is audited)."""
    for other in project.calendars.filter(is_project_default=True).exclude(pk=calendar.pk):
        other.is_project_default = False
        save_validated(other)


def _first_week(
    source: Calendar | None, preset: str | None, base: Calendar | None
) -> dict[str, Hours]:
    if source is not None:
        return deepcopy(source.weekly)
    if preset:
        return deepcopy(PRESETS[preset])
    return {} if base is not None else deepcopy(STANDARD_WEEK)


def create_calendar(
    project: Project,
    name: str,
    *,
    base_id: int | None = None,
    copy_of_id: int | None = None,
    preset: str | None = None,
    default: bool = False,
    weekly: Mapping[Any, Any] | None = None,
) -> Saved[Calendar]:
    """A new calendar: a copy of another (week, base and exceptions), derived from a base
    (inheriting every weekday, or with a preset's week), or a preset's week (standard when
    none); ``weekly`` then changes weekdays as in :func:`change_calendar`. The project's
    first calendar, or one made ``default``, becomes the default."""
    with transaction.atomic():
        name = _free_name(project, name)
        if preset and preset not in PRESETS:
            choices = ", ".join(PRESETS)
            raise ValidationError({"preset": f"{preset!r} is not a preset; choose {choices}."})
        if copy_of_id and (base_id or preset):
            raise ValidationError(
                {
                    "copy_of_id": "A copy takes its week, base and exceptions from the calendar "
                    "copied; leave the base and the preset empty."
                }
            )
        source = calendar_of(project, copy_of_id, "copy_of_id") if copy_of_id else None
        base = source.base if source else _base(project, base_id)
        default = default or not project.calendars.filter(is_project_default=True).exists()
        calendar = Calendar(
            project=project,
            name=name,
            base=base,
            weekly=_first_week(source, preset, base),
            is_project_default=default,
        )
        if weekly is not None:
            calendar.weekly = _merged_week(calendar, weekly)
        if default:
            _make_default(project, calendar)
        save_validated(calendar)
        if source is not None:
            copies = [
                CalendarException(
                    calendar=calendar, name=e.name, start=e.start, end=e.end, intervals=e.intervals
                )
                for e in source.exceptions.all()
            ]
            CalendarException.objects.bulk_create(copies)
            record_bulk_create(list(copies))
        _check_working_time(project, [calendar.pk])
        return _rescheduled(project, calendar) if default else Saved(calendar)


def change_calendar(
    project: Project, calendar_id: int, changes: Mapping[str, Any], expected_version: int | None
) -> Saved[Calendar]:
    """Rename, rebase, make default, or change weekdays (``weekly``: weekday -> hours, empty
    for non-working, None to inherit; days left out keep theirs). A calendar that loses its
    base keeps the week it had. Reschedules when working time may have changed."""
    unknown = sorted(set(changes) - CALENDAR_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    with transaction.atomic():
        calendar = lock_current(Calendar, calendar_of(project, calendar_id).pk, expected_version)
        before = _state(calendar)
        moves = False
        if "name" in changes:
            calendar.name = _free_name(project, changes["name"], calendar.pk)
        if "base_id" in changes and (changes["base_id"] or None) != calendar.base_id:
            base = _base(project, changes["base_id"], calendar)
            if base is None:
                calendar.weekly = _own_week(project, calendar)
            calendar.base, moves = base, True
        if "weekly" in changes:
            calendar.weekly, moves = _merged_week(calendar, changes["weekly"] or {}), True
        if "is_project_default" in changes:
            wanted = bool(changes["is_project_default"])
            if wanted and not calendar.is_project_default:
                _make_default(project, calendar)
                calendar.is_project_default, moves = True, True
            elif not wanted and calendar.is_project_default:
                raise ValidationError(
                    {
                        "is_project_default": "A project always has one default calendar: "
                        "make another calendar the default instead."
                    }
                )
        if _state(calendar) == before:
            return Saved(calendar)  # nothing changed: no new version, no audit entry
        save_validated(calendar)
        if not moves:
            return Saved(calendar)
        _check_working_time(project, [calendar.pk])
        return _rescheduled(project, calendar)


def _state(calendar: Calendar) -> tuple[Any, ...]:
    return (calendar.name, calendar.base_id, deepcopy(calendar.weekly), calendar.is_project_default)


def set_default(
    project: Project, calendar_id: int, expected_version: int | None = None
) -> Saved[Calendar]:
    """Make the calendar the project's default (the others stop being it); reschedules."""
    return change_calendar(project, calendar_id, {"is_project_default": True}, expected_version)


def _named(records: list[Any], total: int, noun: str) -> str:
    names = ", ".join(str(r).strip() for r in records)
    more = f" and {total - len(records)} more" if total > len(records) else ""
    plural = noun if total == 1 else f"{noun}s"
    return f"{total} {plural} ({names}{more})"


def calendar_users(calendar: Calendar) -> list[str]:
    """What uses the calendar, in words: tasks, resources and calendars derived from it."""
    uses = []
    for records, noun in (
        (calendar.tasks.order_by("position"), "task"),
        (calendar.resources.order_by("name"), "resource"),
        (calendar.derived.order_by("name"), "calendar"),
    ):
        total = records.count()
        if total:
            uses.append(_named(list(records[:USERS_NAMED]), total, noun))
    return uses


def delete_calendar(project: Project, calendar_id: int, expected_version: int | None) -> None:
    """Delete a calendar and its exceptions; refused (CalendarInUse) for the default and for
    a calendar that tasks, resources or other calendars still use."""
    with transaction.atomic():
        calendar = lock_current(Calendar, calendar_of(project, calendar_id).pk, expected_version)
        if calendar.is_project_default:
            raise CalendarInUse(
                f"{calendar.name} is the project's default calendar; make another calendar "
                "the default before deleting it."
            )
        uses = calendar_users(calendar)
        if uses:
            raise CalendarInUse(
                f"{calendar.name} is still used by {'; '.join(uses)}. Give them another "
                "calendar first."
            )
        calendar.delete()


# -- exceptions ----------------------------------------------------------------------------


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: f"{value!r} is not a date (YYYY-MM-DD)."}) from exc


def _checked_exception(exception: CalendarException) -> CalendarException:
    """Name, dates in order, sane hours, no overlap with the calendar's other exceptions."""
    exception.name = str(exception.name or "").strip()
    if not exception.name:
        raise ValidationError({"name": "Give the exception a name, e.g. 'Thanksgiving Day'."})
    if exception.end < exception.start:
        raise ValidationError(
            {"end": f"The exception ends ({exception.end}) before it starts ({exception.start})."}
        )
    if (exception.end - exception.start).days >= MAX_EXCEPTION_DAYS:
        raise ValidationError({"end": "An exception spans at most ten years."})
    clash = (
        CalendarException.objects.filter(
            calendar_id=exception.calendar_id,
            start__lte=exception.end,
            end__gte=exception.start,
        )
        .exclude(pk=exception.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start": f"{exception.start}..{exception.end} overlaps {clash.name!r} "
                f"({clash.start}..{clash.end}); change or delete that exception first."
            }
        )
    return save_validated(exception)


def add_exception(
    project: Project,
    calendar_id: int,
    name: str,
    start: dt.date | str,
    end: dt.date | str | None = None,
    hours: Any = None,
) -> Saved[CalendarException]:
    """A holiday or other exception from ``start`` to ``end`` (inclusive; one day without an
    end): non-working without ``hours``, else working those hours; reschedules."""
    with transaction.atomic():
        calendar = calendar_of(project, calendar_id)
        first = _date(start, "start")
        exception = CalendarException(
            calendar=calendar,
            name=name,
            start=first,
            end=_date(end, "end") if end else first,
            intervals=_hours(hours),
        )
        _checked_exception(exception)
        return _rescheduled(project, exception)


def _hours(value: Any) -> Hours:
    try:
        return parse_hours(value, "Hours")
    except ValidationError as exc:
        raise ValidationError({"hours": exc.messages}) from exc


def change_exception(
    project: Project, exception_id: int, changes: Mapping[str, Any], expected_version: int | None
) -> Saved[CalendarException]:
    """Change an exception's name, dates or hours (empty hours: non-working); reschedules."""
    unknown = sorted(set(changes) - EXCEPTION_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    with transaction.atomic():
        found = exception_of(project, exception_id)
        exception = lock_current(CalendarException, found.pk, expected_version)
        if "start" in changes:
            exception.start = _date(changes["start"], "start")
        if "end" in changes:
            end = changes["end"]
            exception.end = _date(end, "end") if end else exception.start
        if "name" in changes:
            exception.name = changes["name"]
        if "hours" in changes:
            exception.intervals = _hours(changes["hours"])
        _checked_exception(exception)
        return _rescheduled(project, exception)


def delete_exception(
    project: Project, exception_id: int, expected_version: int | None
) -> Saved[None]:
    """Delete an exception (the days follow the week again); reschedules."""
    with transaction.atomic():
        found = exception_of(project, exception_id)
        lock_current(CalendarException, found.pk, expected_version).delete()
        return _rescheduled(project, None)
