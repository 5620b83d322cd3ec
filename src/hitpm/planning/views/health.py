"""Schedule health: the DCMA 14-point assessment of the plan, offenders one click away."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hitpm.planning.health import assessment
from hitpm.planning.views.common import plan_project, problem


@login_required
def health_page(request: HttpRequest, code: str) -> HttpResponse:
    """Each check's threshold, metric and pass/fail; its offending tasks in a disclosure."""
    project, role = plan_project(request, code)
    chosen = request.GET.get("baseline")
    context = {"project": project, "role": role, "baselines": project.baselines.all()}
    try:
        report, baseline = assessment(project, int(chosen) if chosen and chosen.isdigit() else None)
        context |= {"report": report, "baseline": baseline}
    except ValidationError as exc:
        context["error"] = problem(exc)
    return render(request, "planning/health.html", context)
