"""Heat maps, the exposure trend, overdue items, and the portfolio's scale and categories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hitpm.core.views import SignedInRequest, is_htmx, service_ok
from hitpm.portfolio.access import Action, project_for, require_pmo_admin
from hitpm.portfolio.models import Project
from hitpm.risk import charts
from hitpm.risk.forms import CategoryForm
from hitpm.risk.services import insights
from hitpm.risk.services import register as services
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


@login_required
def scale(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    return _scale_page(request, project, role, CategoryForm())


def _scale_page(
    request: SignedInRequest, project: Project, role: str, form: CategoryForm
) -> HttpResponse:
    portfolio = project.portfolio
    context = {
        "project": project,
        "role": role,
        "tab": "scale",
        "form": form,
        "scale": services.scale_for(portfolio),
        "categories": services.categories_for(portfolio),
        "can_govern": request.user.sees_everything,
    }
    return render(request, "risk/scale.html", context)


@login_required
@require_POST
def add_category(request: SignedInRequest, code: str) -> HttpResponse:
    """Add a category to the portfolio (PMO administrators)."""
    project, role = project_for(request.user, code, Action.VIEW)
    require_pmo_admin(request.user, "change risk categories")
    form = CategoryForm(request.POST)
    if form.is_valid() and service_ok(
        form, lambda: services.add_category(project.portfolio, form.cleaned_data["name"])
    ):
        messages.success(request, "Category added.")
        return redirect("risk:scale", code=project.code)
    return _scale_page(request, project, role, form)
