"""Baselines: save, list, choose the Gantt's, delete; variance against one of them."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hitpm.accounts.models import User
from hitpm.core.views import add_service_errors
from hitpm.planning import baselines
from hitpm.planning.forms import BaselineForm
from hitpm.planning.views.common import allowed, plan_project, problem
from hitpm.portfolio.access import Action


@login_required
def baseline_list(request: HttpRequest, code: str) -> HttpResponse:
    """Saved baselines; project managers save a new one (POST) and choose the Gantt's."""
    action = Action.MANAGE if request.method == "POST" else Action.VIEW
    project, role = plan_project(request, code, action)
    form = BaselineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = cast(User, request.user)
            data = form.cleaned_data
            saved = baselines.save_baseline(project, data["name"], user, data["description"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved baseline {saved.name}.")
            return redirect("planning:baseline", project.code, saved.pk)
    context = {
        "project": project,
        "role": role,
        "can_manage": allowed(role, Action.MANAGE),
        "form": form,
        "baselines": project.baselines.select_related("saved_by"),
        "shown": baselines.baseline_for_gantt(project),
    }
    return render(request, "planning/baselines.html", context)


@login_required
@require_POST
def choose_for_gantt(request: HttpRequest, code: str) -> HttpResponse:
    project, _ = plan_project(request, code, Action.MANAGE)
    chosen = request.POST.get("baseline")
    try:
        baselines.set_gantt_baseline(project, int(chosen) if chosen else None)
    except (ValidationError, ValueError) as exc:
        messages.error(
            request, problem(exc) if isinstance(exc, ValidationError) else "No such baseline."
        )
    return redirect("planning:baselines", project.code)


@login_required
def baseline_page(request: HttpRequest, code: str, baseline_id: int) -> HttpResponse:
    """Variance of every task against the baseline, and its slipped milestones."""
    project, role = plan_project(request, code)
    try:
        baseline = baselines.baseline_of(project, baseline_id)
    except ValidationError as exc:
        raise Http404(problem(exc)) from exc
    rows = baselines.variances(project, baseline)
    slipped_only = request.GET.get("slipped") == "1"
    context = {
        "project": project,
        "role": role,
        "baseline": baseline,
        "rows": [r for r in rows if r.slipped] if slipped_only else rows,
        "slipped_only": slipped_only,
        "milestones": sorted(
            (r for r in rows if r.task.milestone and r.slipped),
            key=lambda r: -(r.finish_variance or 0),
        ),
        "can_manage": allowed(role, Action.MANAGE),
    }
    return render(request, "planning/baseline.html", context)


@login_required
@require_POST
def delete_baseline(request: HttpRequest, code: str, baseline_id: int) -> HttpResponse:
    project, _ = plan_project(request, code, Action.MANAGE)
    try:
        baselines.delete_baseline(project, baseline_id, None)
        messages.success(request, "Baseline deleted.")
    except ValidationError as exc:
        messages.error(request, problem(exc))
    return redirect("planning:baselines", project.code)
