"""Heat maps, the exposure trend and overdue items (the scale page is in ``scale.py``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hitpm.core.views import SignedInRequest, is_htmx
from hitpm.portfolio.access import Action, project_for
from hitpm.risk import charts
from hitpm.risk.services import insights
from hitpm.risk.services.insights import Which


def _which(value: str | None) -> Which:
    return "residual" if value == "residual" else "inherent"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def heat_map(request: SignedInRequest, code: str) -> HttpResponse:
    """Inherent and residual heat maps side by side; a chosen cell lists its risks."""
    project, role = project_for(request.user, code, Action.VIEW)
    which = _which(request.GET.get("which"))
    p, i = _int(request.GET.get("p")), _int(request.GET.get("i"))
    chosen = insights.cell_risks(project, which, p, i) if p and i else None
    context = {
        "project": project,
        "role": role,
        "tab": "heatmap",
        "maps": [insights.heat_map(project, "inherent"), insights.heat_map(project, "residual")],
        "chosen": chosen,
        "which": which,
        "p": p,
        "i": i,
    }
    return render(request, "risk/heatmap.html", context)


@login_required
def heat_cell(request: SignedInRequest, code: str) -> HttpResponse:
    """The risks of one cell (HTMX fragment; full page without JavaScript)."""
    if not is_htmx(request):
        return heat_map(request, code)
    project, _ = project_for(request.user, code, Action.VIEW)
    which = _which(request.GET.get("which"))
    p, i = _int(request.GET.get("p")) or 0, _int(request.GET.get("i")) or 0
    context = {
        "project": project,
        "chosen": insights.cell_risks(project, which, p, i),
        "which": which,
        "p": p,
        "i": i,
    }
    return render(request, "risk/_cell.html", context)


@login_required
def trend(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    weeks = insights.trend(project, timezone.localdate(), 12)
    context = {
        "project": project,
        "role": role,
        "tab": "trend",
        "weeks": weeks,
        "chart": charts.trend(weeks),
    }
    return render(request, "risk/trend.html", context)


@login_required
def overdue(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    today = timezone.localdate()
    context = {
        "project": project,
        "role": role,
        "tab": "overdue",
        "today": today,
        "found": insights.overdue(project, today),
        "top": insights.top_risks(project, 5),
    }
    return render(request, "risk/overdue.html", context)
