"""Progress: the status date and mode, the bulk progress update, slipping work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hitpm.core.services import StaleVersion
from hitpm.planning import progress
from hitpm.planning.baselines import baseline_for_gantt, settings_of
from hitpm.planning.forms import StatusForm
from hitpm.planning.models import Task
from hitpm.planning.views.common import allowed, plan_project, problem
from hitpm.portfolio.access import Action

START_OF_DAY, END_OF_DAY = dt.time(8), dt.time(17)


@login_required
def progress_page(request: HttpRequest, code: str) -> HttpResponse:
    """The status date, and every task due for an update, with inputs for its progress."""
    project, role = plan_project(request, code)
    everything = request.GET.get("all") == "1"
    status_form = StatusForm(
        initial={
            "status_date": project.status_date or dt.date.today(),
            "progress_mode": settings_of(project).progress_mode,
        }
    )
    context = {
        "project": project,
        "role": role,
        "can_edit": allowed(role, Action.EDIT),
        "status_form": status_form,
        "tasks": progress.candidates(project, everything=everything),
        "everything": everything,
        "error": request.session.pop("progress_error", ""),
    }
    return render(request, "planning/progress.html", context)


@login_required
@require_POST
def set_status(request: HttpRequest, code: str) -> HttpResponse:
    """Move the status date and the out-of-sequence mode; the plan is rescheduled."""
    project, _ = plan_project(request, code, Action.EDIT)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a status date.")
        return redirect("planning:progress", project.code)
    try:
        if form.cleaned_data["progress_mode"] != settings_of(project).progress_mode:
            progress.set_progress_mode(project, form.cleaned_data["progress_mode"])
        progress.set_status_date(project, form.cleaned_data["status_date"], None)
        messages.success(request, "Status date set; remaining work is scheduled from it.")
    except ValidationError as exc:
        messages.error(request, problem(exc))
    return redirect("planning:progress", project.code)


def _when(raw: str, at: dt.time, label: str) -> dt.datetime | None:
    if not raw:
        return None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(raw), at, dt.UTC)
    except ValueError as exc:
        raise ValidationError(f"{label}: {raw!r} is not a date.") from exc


def _number(raw: str, label: str) -> Decimal | None:
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(f"{label}: {raw!r} is not a number.") from exc


def _row_update(task: Task, data: QueryDict) -> dict[str, Any] | None:
    """The fields of one task's row that differ from what is stored, or None."""
    key = f"t{task.pk}-"
    label = f"{task.wbs} {task.name}"
    values: dict[str, Any] = {
        "actual_start": _when(data.get(key + "actual_start", ""), START_OF_DAY, label),
        "actual_finish": _when(data.get(key + "actual_finish", ""), END_OF_DAY, label),
        "percent_complete": _number(data.get(key + "percent_complete", ""), label) or Decimal(0),
    }
    remaining = _number(data.get(key + "remaining_days", ""), label)
    values["remaining_minutes"] = None if remaining is None else round(remaining * 480)
    stored = {
        "actual_start": task.actual_start.date() if task.actual_start else None,
        "actual_finish": task.actual_finish.date() if task.actual_finish else None,
        "percent_complete": task.percent_complete,
        "remaining_minutes": task.remaining_minutes,
    }
    changed = {
        name: value
        for name, value in values.items()
        if (value.date() if isinstance(value, dt.datetime) else value) != stored[name]
    }
    if not changed:
        return None
    return {"task_id": task.pk, "version": int(data.get(key + "version", task.version)), **changed}


@login_required
@require_POST
def record_progress(request: HttpRequest, code: str) -> HttpResponse:
    """Save every changed row at once; one bad row saves nothing and says which."""
    project, _ = plan_project(request, code, Action.EDIT)
    ids = [int(pk) for pk in request.POST.getlist("task") if pk.isdigit()]
    tasks = Task.objects.filter(project=project, pk__in=ids).order_by("position")
    try:
        updates = [u for task in tasks if (u := _row_update(task, request.POST))]
        if updates:
            result = progress.update_progress(project, updates)
            messages.success(
                request,
                f"Recorded progress on {len(updates)} task(s); {len(result.changed)} changed.",
            )
        else:
            messages.info(request, "Nothing changed.")
    except (ValidationError, StaleVersion) as exc:
        request.session["progress_error"] = problem(exc)
    return redirect("planning:progress", project.code)


@login_required
def slipping(request: HttpRequest, code: str) -> HttpResponse:
    """Tasks finishing later than the baseline, and milestones at risk."""
    project, role = plan_project(request, code)
    baseline = baseline_for_gantt(project)
    context = {
        "project": project,
        "role": role,
        "baseline": baseline,
        "slipping": progress.slipping_tasks(project, baseline) if baseline else [],
        "at_risk": progress.milestones_at_risk(project, baseline),
    }
    return render(request, "planning/slipping.html", context)
