"""Calendars: the list, a calendar's page (settings, working week, exceptions, month view),
and the POSTs that change them. Forms work without JavaScript (POST, then redirect; errors
next to their fields); HTMX only swaps the month view when paging through months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import is_htmx
from hitpm.planning import calendars
from hitpm.planning.calendar_display import (
    calendar_rows,
    hours_per_week,
    month_view,
    parse_month,
    week_of,
    week_summary,
)
from hitpm.planning.calendar_forms import (
    CalendarForm,
    ExceptionForm,
    NewCalendarForm,
    WeekForm,
    show_errors,
)
from hitpm.planning.hours import format_hours
from hitpm.planning.models import Calendar, CalendarException
from hitpm.planning.views.common import allowed, plan_project, problem
from hitpm.portfolio.access import Action
from hitpm.portfolio.models import Project

# The calendar page holds two forms with a "name" field: distinct element ids for each.
SETTINGS_IDS, EXCEPTION_IDS = "settings_%s", "exception_%s"


def _page_calendar(project: Project, calendar_id: int) -> Calendar:
    found = project.calendars.select_related("base", "project").filter(pk=calendar_id).first()
    if found is None:
        raise Http404(f"{project.code} has no calendar {calendar_id}.")
    return found


def _page_exception(calendar: Calendar, exception_id: int) -> CalendarException:
    found = calendar.exceptions.filter(pk=exception_id).first()
    if found is None:
        raise Http404(f"{calendar.name} has no exception {exception_id}.")
    return found


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _saved(request: HttpRequest, what: str, saved: calendars.Saved[Any]) -> None:
    """Say what was saved and, when the plan was rescheduled, what moved."""
    text = what
    if saved.moved:
        tasks = "task" if saved.moved == 1 else "tasks"
        text += f" The plan was rescheduled: {saved.moved} {tasks} changed"
        if saved.project_finish is not None:
            finish = saved.project_finish
            text += f"; the project now finishes {finish:%a} {finish.day} {finish:%b %Y}"
        text += "."
    messages.success(request, text)


def _attempt(form: forms.BaseForm, call: Any) -> Any | None:
    """Run a service call for a valid form; its refusal (or a stale version) goes on it."""
    try:
        return call()
    except StaleVersion as exc:
        form.add_error(None, f"Not saved: {exc}")
    except ValidationError as exc:
        show_errors(form, exc)
    return None


def _today() -> dt.date:
    return timezone.localdate()


@login_required
def calendar_list(request: HttpRequest, code: str) -> HttpResponse:
    """Every calendar with its week, hours per week, use and next days off; add one (POST)."""
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role = plan_project(request, code, action)
    form = NewCalendarForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(form, lambda: calendars.create_calendar(project, **form.arguments()))
        if saved is not None:
            _saved(request, f"Created calendar {saved.record.name}.", saved)
            return redirect("planning:calendar", project.code, saved.record.pk)
    context = {
        "project": project,
        "role": role,
        "can_edit": allowed(role, Action.EDIT),
        "rows": calendar_rows(project, _today()),
        "form": form,
    }
    return render(request, "planning/calendars.html", context)


def _detail(
    request: HttpRequest,
    project: Project,
    role: str,
    calendar: Calendar,
    **bound: forms.Form,
) -> HttpResponse:
    """The calendar's page, with any bound form that came back with errors."""
    patterns = calendars.resolved_patterns(project)
    pattern = patterns.get(calendar.pk)
    week = week_of(calendar, pattern)
    base_pattern = patterns.get(calendar.base_id) if calendar.base_id else None
    context = {
        "project": project,
        "role": role,
        "calendar": calendar,
        "can_edit": allowed(role, Action.EDIT),
        "week": week,
        "summary": week_summary(pattern),
        "hours_per_week": hours_per_week(pattern),
        "exceptions": [
            (e, format_hours(e.intervals) or "Non-working", e.end < _today())
            for e in calendar.exceptions.order_by("start")
        ],
        "inherited": base_pattern.exceptions if base_pattern is not None else (),
        "uses": calendars.calendar_users(calendar),
        "month": _month(request, pattern),
        "settings_form": bound.get("settings_form")
        or CalendarForm(calendar=calendar, auto_id=SETTINGS_IDS),
        "week_form": bound.get("week_form") or WeekForm(calendar=calendar, week=week),
        "exception_form": bound.get("exception_form") or ExceptionForm(auto_id=EXCEPTION_IDS),
    }
    status = 200 if not bound else 422
    return render(request, "planning/calendar.html", context, status=status)


def _month(request: HttpRequest, pattern: Any) -> Any:
    if pattern is None:
        return None
    return month_view(pattern, parse_month(request.GET.get("month"), _today()))


@login_required
def calendar_page(request: HttpRequest, code: str, calendar_id: int) -> HttpResponse:
    """A calendar's settings, week, exceptions and month view; POST saves the settings."""
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role = plan_project(request, code, action)
    calendar = _page_calendar(project, calendar_id)
    if request.method != "POST":
        return _detail(request, project, role, calendar)
    form = CalendarForm(request.POST, calendar=calendar, auto_id=SETTINGS_IDS)
    if form.is_valid():
        saved = _attempt(
            form,
            lambda: calendars.change_calendar(
                project, calendar.pk, form.changes(), _version(request)
            ),
        )
        if saved is not None:
            _saved(request, "Saved.", saved)
            return redirect("planning:calendar", project.code, calendar.pk)
    return _detail(request, project, role, calendar, settings_form=form)


@login_required
@require_POST
def calendar_week(request: HttpRequest, code: str, calendar_id: int) -> HttpResponse:
    """Save the working week."""
    project, role = plan_project(request, code, Action.EDIT)
    calendar = _page_calendar(project, calendar_id)
    pattern = calendars.resolved_patterns(project).get(calendar.pk)
    form = WeekForm(request.POST, calendar=calendar, week=week_of(calendar, pattern))
    if form.is_valid():
        saved = _attempt(
            form,
            lambda: calendars.change_calendar(
                project, calendar.pk, {"weekly": form.week}, _version(request)
            ),
        )
        if saved is not None:
            _saved(request, "Working week saved.", saved)
            return redirect("planning:calendar", project.code, calendar.pk)
    return _detail(request, project, role, calendar, week_form=form)


@login_required
@require_POST
def make_default(request: HttpRequest, code: str, calendar_id: int) -> HttpResponse:
    """Make the calendar the project's default (from the list)."""
    project, _ = plan_project(request, code, Action.EDIT)
    calendar = _page_calendar(project, calendar_id)
    try:
        saved = calendars.set_default(project, calendar.pk, _version(request))
    except (ValidationError, StaleVersion) as exc:
        messages.error(request, problem(exc))
    else:
        _saved(request, f"{calendar.name} is now the project's default calendar.", saved)
    return redirect("planning:calendars", project.code)


@login_required
@require_POST
def delete_calendar(request: HttpRequest, code: str, calendar_id: int) -> HttpResponse:
    """Delete a calendar nothing uses; otherwise say what uses it."""
    project, _ = plan_project(request, code, Action.EDIT)
    calendar = _page_calendar(project, calendar_id)
    try:
        calendars.delete_calendar(project, calendar.pk, _version(request))
    except (ValidationError, StaleVersion) as exc:
        messages.error(request, problem(exc))
        return redirect("planning:calendar", project.code, calendar.pk)
    messages.success(request, f"Deleted calendar {calendar.name}.")
    return redirect("planning:calendars", project.code)


@login_required
@require_POST
def add_exception(request: HttpRequest, code: str, calendar_id: int) -> HttpResponse:
    """Add a holiday or other exception."""
    project, role = plan_project(request, code, Action.EDIT)
    calendar = _page_calendar(project, calendar_id)
    form = ExceptionForm(request.POST, auto_id=EXCEPTION_IDS)
    if form.is_valid():
        saved = _attempt(
            form,
            lambda: calendars.add_exception(project, calendar.pk, **form.changes()),
        )
        if saved is not None:
            _saved(request, f"Added {saved.record.name}.", saved)
            return redirect("planning:calendar", project.code, calendar.pk)
    return _detail(request, project, role, calendar, exception_form=form)


@login_required
def exception_page(
    request: HttpRequest, code: str, calendar_id: int, exception_id: int
) -> HttpResponse:
    """Edit an exception (GET shows the form; POST saves)."""
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role = plan_project(request, code, action)
    calendar = _page_calendar(project, calendar_id)
    exception = _page_exception(calendar, exception_id)
    form = ExceptionForm(request.POST or None, exception=exception)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form,
            lambda: calendars.change_exception(
                project, exception.pk, form.changes(), _version(request)
            ),
        )
        if saved is not None:
            _saved(request, f"Saved {saved.record.name}.", saved)
            return redirect("planning:calendar", project.code, calendar.pk)
    context = {
        "project": project,
        "role": role,
        "calendar": calendar,
        "exception": exception,
        "form": form,
        "can_edit": allowed(role, Action.EDIT),
    }
    status = 422 if form.errors else 200
    return render(request, "planning/calendar_exception.html", context, status=status)


@login_required
@require_POST
def delete_exception(
    request: HttpRequest, code: str, calendar_id: int, exception_id: int
) -> HttpResponse:
    project, _ = plan_project(request, code, Action.EDIT)
    calendar = _page_calendar(project, calendar_id)
    exception = _page_exception(calendar, exception_id)
    try:
        saved = calendars.delete_exception(project, exception.pk, _version(request))
    except (ValidationError, StaleVersion) as exc:
        messages.error(request, problem(exc))
    else:
        _saved(request, f"Deleted {exception.name}.", saved)
    return redirect("planning:calendar", project.code, calendar.pk)


@login_required
@require_GET
def calendar_month(request: HttpRequest, code: str, calendar_id: int) -> HttpResponse:
    """The month view alone, for HTMX; a plain request goes to the calendar's page."""
    project, _ = plan_project(request, code)
    calendar = _page_calendar(project, calendar_id)
    if not is_htmx(request):
        url = reverse("planning:calendar", args=[project.code, calendar.pk])
        month = request.GET.get("month")
        return redirect(f"{url}?month={month}" if month else url)
    pattern = calendars.resolved_patterns(project).get(calendar.pk)
    context = {"project": project, "calendar": calendar, "month": _month(request, pattern)}
    return render(request, "planning/_calendar_month.html", context)
