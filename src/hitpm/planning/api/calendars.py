"""Working-time calendars and their exceptions: list, read, create, change, delete.

Hours are ``"HH:MM-HH:MM"`` ranges. A change to working time reschedules the plan and the
answer says which tasks changed (``changed_task_ids``) and the new ``project_finish``.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError

from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    InputSchema,
    Page,
    PageQuery,
    RecordId,
    Text,
    caller,
    if_match,
    or_404,
    paginate,
    represent_with,
    tagged,
)
from hitpm.engine.calendar import WeekPattern
from hitpm.planning import calendars
from hitpm.planning.calendar_display import hours_per_week, week_of
from hitpm.planning.hours import hour_ranges
from hitpm.planning.models import Calendar, CalendarException
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project

router = Router(tags=["planning"])

HourRange = Annotated[str, Field(max_length=20, examples=["08:00-12:00"])]
Weekday = Literal["0", "1", "2", "3", "4", "5", "6"]
WeekIn = Annotated[
    dict[Weekday, list[HourRange] | None],
    Field(
        description='Weekday ("0" = Monday) -> hours; [] is non-working, null inherits the '
        "base calendar's; weekdays left out keep theirs.",
        examples=[{"4": [], "5": ["08:00-12:00"]}],
    ),
]


class ExceptionOut(Schema):
    id: int
    version: int
    calendar_id: int
    name: str
    start: dt.date
    end: dt.date
    working: bool
    hours: list[str]

    @staticmethod
    def resolve_working(exception: CalendarException) -> bool:
        return bool(exception.intervals)

    @staticmethod
    def resolve_hours(exception: CalendarException) -> list[str]:
        return hour_ranges(exception.intervals)


class WeekDayOut(Schema):
    weekday: int = Field(description="0 = Monday")
    name: str
    hours: list[str]
    inherited: bool = Field(description="The hours come from the base calendar.")


def _pattern(calendar: Calendar) -> WeekPattern | None:
    """The calendar resolved against its bases, once per instance."""
    if not hasattr(calendar, "_resolved"):
        calendar._resolved = calendars.resolved_patterns(calendar.project).get(calendar.pk)  # type: ignore[attr-defined]
    return calendar._resolved  # type: ignore[attr-defined]


class CalendarSummaryOut(Schema):
    id: int
    version: int
    name: str
    base_id: int | None
    is_project_default: bool
    hours_per_week: float
    weekly: dict[str, list[str]] = Field(description="The weekdays it sets itself.")

    @staticmethod
    def resolve_hours_per_week(calendar: Calendar) -> float:
        return hours_per_week(_pattern(calendar))

    @staticmethod
    def resolve_weekly(calendar: Calendar) -> dict[str, list[str]]:
        return {str(day): hour_ranges(hours) for day, hours in sorted(calendar.weekly.items())}


class CalendarOut(CalendarSummaryOut):
    week: list[WeekDayOut] = Field(description="Monday to Sunday as scheduled, bases resolved.")
    exceptions: list[ExceptionOut] = Field(description="Its own exceptions, by start.")

    @staticmethod
    def resolve_week(calendar: Calendar) -> list[dict[str, Any]]:
        return [
            {
                "weekday": day.weekday,
                "name": day.name,
                "hours": hour_ranges(day.hours),
                "inherited": not day.own,
            }
            for day in week_of(calendar, _pattern(calendar))
        ]

    @staticmethod
    def resolve_exceptions(calendar: Calendar) -> list[CalendarException]:
        return list(calendar.exceptions.order_by("start"))


class Rescheduled(Schema):
    changed_task_ids: list[int] = Field(description="Tasks whose dates, floats or flags moved.")
    project_finish: dt.datetime | None = Field(description="Null when nothing was rescheduled.")


class CalendarChangeOut(CalendarOut, Rescheduled):
    pass


class ExceptionChangeOut(ExceptionOut, Rescheduled):
    pass


class CalendarFields(InputSchema):
    name: str = Field(max_length=100)
    base_id: RecordId | None = Field(None, description="Inherit from this calendar.")
    is_project_default: bool = False
    weekly: WeekIn | None = None


class CalendarCreate(CalendarFields):
    copy_of_id: RecordId | None = Field(None, description="Copy week, base and exceptions.")
    preset: Literal["standard", "24x7"] | None = Field(
        None, description="standard: Mon-Fri 08:00-12:00, 13:00-17:00; 24x7: every day."
    )


class ExceptionFields(InputSchema):
    name: str = Field(max_length=100)
    start: dt.date
    end: dt.date | None = Field(None, description="Inclusive; the start's day when left out.")
    hours: list[HourRange] = Field([], description="Empty: non-working; else working hours.")


def _calendar(project: Project, calendar_id: int) -> Calendar:
    return or_404(
        project.calendars.filter(pk=calendar_id).first(), "calendar", project.code, calendar_id
    )


def _exception(project: Project, calendar_id: int, exception_id: int) -> CalendarException:
    found = CalendarException.objects.filter(
        calendar__project=project, calendar_id=calendar_id, pk=exception_id
    ).first()
    return or_404(found, "calendar exception", project.code, exception_id)


def _answer[R: Calendar | CalendarException](
    response: HttpResponse, saved: calendars.Saved[R]
) -> R:
    tagged(response, saved.record)
    saved.record.changed_task_ids = sorted(saved.changed_ids)  # type: ignore[union-attr]
    saved.record.project_finish = saved.project_finish  # type: ignore[union-attr]
    return saved.record


@router.get("/projects/{code}/calendars", response={200: Page[CalendarSummaryOut], **ERRORS})
def list_calendars(request: HttpRequest, code: Text, paging: Query[PageQuery]) -> dict[str, Any]:
    """The project's calendars, the default first, with their hours per week."""
    project, _ = project_for(caller(request), code)
    page = paginate(project.calendars.order_by("-is_project_default", "name", "pk"), paging)
    patterns = calendars.resolved_patterns(project)
    for calendar in page["items"]:
        calendar._resolved = patterns.get(calendar.pk)
    return page


@router.post("/projects/{code}/calendars", response={201: CalendarChangeOut, **WRITE_ERRORS})
def create_calendar(
    request: HttpRequest, code: Text, payload: CalendarCreate, response: HttpResponse
) -> Status[Calendar]:
    """A calendar from a preset, a base or a copy (team members); the first is the default."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    saved = calendars.create_calendar(
        project,
        payload.name,
        base_id=payload.base_id,
        copy_of_id=payload.copy_of_id,
        preset=payload.preset,
        default=payload.is_project_default,
        weekly=payload.weekly,
    )
    return Status(201, _answer(response, saved))


@router.get("/projects/{code}/calendars/{calendar_id}", response={200: CalendarOut, **ERRORS})
def get_calendar(
    request: HttpRequest, code: Text, calendar_id: RecordId, response: HttpResponse
) -> Calendar:
    project, _ = project_for(caller(request), code)
    return tagged(response, _calendar(project, calendar_id))


@router.patch(
    "/projects/{code}/calendars/{calendar_id}", response={200: CalendarChangeOut, **WRITE_ERRORS}
)
def change_calendar(
    request: HttpRequest,
    code: Text,
    calendar_id: RecordId,
    payload: PatchDict[CalendarFields],
    response: HttpResponse,
) -> Calendar:
    """Rename, rebase, make default or change weekdays (team members; If-Match)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    _calendar(project, calendar_id)
    changed = calendars.change_calendar(project, calendar_id, dict(payload), if_match(request))
    return _answer(response, changed)


@router.delete("/projects/{code}/calendars/{calendar_id}", response={204: None, **WRITE_ERRORS})
def delete_calendar(request: HttpRequest, code: Text, calendar_id: RecordId) -> Status[None]:
    """Delete a calendar nothing uses (team members; If-Match); 409 names what uses it."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    _calendar(project, calendar_id)
    try:
        calendars.delete_calendar(project, calendar_id, if_match(request))
    except calendars.CalendarInUse as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(204, None)


@router.post(
    "/projects/{code}/calendars/{calendar_id}/exceptions",
    response={201: ExceptionChangeOut, **WRITE_ERRORS},
)
def add_exception(
    request: HttpRequest,
    code: Text,
    calendar_id: RecordId,
    payload: ExceptionFields,
    response: HttpResponse,
) -> Status[CalendarException]:
    """Add a holiday or other exception (team members); reschedules."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    _calendar(project, calendar_id)
    saved = calendars.add_exception(
        project, calendar_id, payload.name, payload.start, payload.end, payload.hours
    )
    return Status(201, _answer(response, saved))


@router.patch(
    "/projects/{code}/calendars/{calendar_id}/exceptions/{exception_id}",
    response={200: ExceptionChangeOut, **WRITE_ERRORS},
)
def change_exception(
    request: HttpRequest,
    code: Text,
    calendar_id: RecordId,
    exception_id: RecordId,
    payload: PatchDict[ExceptionFields],
    response: HttpResponse,
) -> CalendarException:
    """Change an exception's name, dates or hours (team members; If-Match); reschedules."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    _exception(project, calendar_id, exception_id)
    saved = calendars.change_exception(project, exception_id, dict(payload), if_match(request))
    return _answer(response, saved)


@router.delete(
    "/projects/{code}/calendars/{calendar_id}/exceptions/{exception_id}",
    response={204: None, **WRITE_ERRORS},
)
def delete_exception(
    request: HttpRequest, code: Text, calendar_id: RecordId, exception_id: RecordId
) -> Status[None]:
    """Delete an exception (team members; If-Match); reschedules."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    _exception(project, calendar_id, exception_id)
    calendars.delete_exception(project, exception_id, if_match(request))
    return Status(204, None)


represent_with(Calendar, CalendarOut)
represent_with(CalendarException, ExceptionOut)
