"""Resources: the team's people and roles, their capacity, and the usage histogram."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import add_service_errors
from hitpm.planning import resources
from hitpm.planning.forms import ResourceForm
from hitpm.planning.models import Resource
from hitpm.planning.views.common import allowed, plan_project, problem
from hitpm.portfolio.access import Action

BAR_HEIGHT = 120


def _chart(usage: resources.ResourceUsage, starts: list[dt.date]) -> list[dict[str, Any]]:
    """Bars of one resource's histogram: heights in pixels against its own peak."""
    top = max([*usage.work, *usage.available, 1])
    return [
        {
            "start": start,
            "work": round(w / 60, 1),
            "available": round(a / 60, 1),
            "over": w > a,
            "height": round(BAR_HEIGHT * w / top),
            "limit": BAR_HEIGHT - round(BAR_HEIGHT * a / top),
        }
        for w, a, start in zip(usage.work, usage.available, starts, strict=True)
    ]


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def resource_list(request: HttpRequest, code: str) -> HttpResponse:
    """People and roles, a form to add one, and the usage histogram per day/week/month."""
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role = plan_project(request, code, action)
    form = ResourceForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            resources.create_resource(project, form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added {form.cleaned_data['name']}.")
            return redirect("planning:resources", project.code)
    period = request.GET.get("period", "week")
    if period not in ("day", "week", "month"):
        period = "week"
    error = ""
    try:
        usage = resources.histogram(
            project,
            cast(resources.Period, period),
            _date(request.GET.get("from")),
            _date(request.GET.get("to")),
        )
    except ValidationError as exc:
        usage, error = resources.histogram(project, "week"), problem(exc)
    counts = dict(project.resources.annotate(n=Count("assignments")).values_list("pk", "n"))
    context = {
        "project": project,
        "role": role,
        "can_edit": allowed(role, Action.EDIT),
        "form": form,
        "period": period,
        "usage": usage,
        "charts": [
            (row, _chart(row, usage.starts), counts.get(row.resource.pk, 0)) for row in usage.rows
        ],
        "error": error,
        "bar_height": BAR_HEIGHT,
    }
    return render(request, "planning/resources.html", context)


@login_required
def resource_page(request: HttpRequest, code: str, resource_id: int) -> HttpResponse:
    """Edit a resource; see its assignments."""
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role = plan_project(request, code, action)
    resource = Resource.objects.filter(project=project, pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource.")
    form = ResourceForm(request.POST or None, project=project, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", resource.version))
            resources.update_resource(project, resource.pk, form.changes(), version)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleVersion as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("planning:resources", project.code)
    context = {
        "project": project,
        "role": role,
        "resource": resource,
        "form": form,
        "can_edit": allowed(role, Action.EDIT),
        "assignments": resource.assignments.select_related("task").order_by("task__position"),
    }
    return render(request, "planning/resource.html", context)


@login_required
@require_POST
def delete_resource(request: HttpRequest, code: str, resource_id: int) -> HttpResponse:
    project, _ = plan_project(request, code, Action.EDIT)
    try:
        resources.delete_resource(project, resource_id, None)
        messages.success(request, "Resource and its assignments deleted.")
    except ValidationError as exc:
        messages.error(request, problem(exc))
    return redirect("planning:resources", project.code)
