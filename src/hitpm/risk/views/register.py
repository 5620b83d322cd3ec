"""Register pages: the filtered list, one risk, the risk form, actions, reviews, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import SignedInRequest, add_service_errors, is_htmx, posted, service_ok
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project
from hitpm.risk.forms import ActionForm, RegisterFilterForm, RiskForm
from hitpm.risk.models import Risk, RiskAction
from hitpm.risk.services import export, insights
from hitpm.risk.services import register as services
from hitpm.risk.services.insights import RegisterFilter


def _risk(project: Project, risk_id: int) -> Risk:
    return get_object_or_404(
        Risk.objects.select_related("category", "owner", "project__portfolio"),
        project=project,
        pk=risk_id,
    )


def _filter(form: RegisterFilterForm) -> RegisterFilter:
    if not form.is_valid():
        return RegisterFilter(open_only=True)
    data = form.cleaned_data
    status = data["status"] or ""
    return RegisterFilter(
        status="" if status == "open" else status,
        open_only=status == "open",
        category=data["category"],
        owner=data["owner"],
        kind=data["kind"] or "",
        q=data["q"] or "",
        overdue_review=data["overdue"],
    )


@login_required
def register(request: SignedInRequest, code: str) -> HttpResponse:
    """The register: filters, sortable columns, summary figures and export links."""
    project, role = project_for(request.user, code, Action.VIEW)
    query = request.GET.copy()
    if not query:
        query["status"] = "open"
    form = RegisterFilterForm(query, project=project)
    order = request.GET.get("order", "-score")
    today = timezone.localdate()
    risks = insights.register(project, _filter(form), order, today)
    bands = services.scale_for(project.portfolio).bands
    rows = [
        (r, bands.rating(r.inherent_score), bands.rating(r.current_score), r.review_overdue(today))
        for r in risks
    ]
    found = insights.overdue(project, today)
    context = {
        "project": project,
        "role": role,
        "form": form,
        "rows": rows,
        "order": order,
        "query": query,
        "open_count": insights.open_risks(project).count(),
        "red_count": sum(
            1 for r in insights.open_risks(project) if bands.rating(r.current_score) == "red"
        ),
        "overdue_reviews": len(found.reviews),
        "overdue_actions": len(found.actions),
        "tab": "register",
    }
    return render(request, "risk/register.html", context)


@login_required
def export_register(request: SignedInRequest, code: str, format: str) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.VIEW)
    return export.as_response(export.register_file(project, format))


@login_required
def detail(request: SignedInRequest, code: str, risk_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    risk = _risk(project, risk_id)
    return _detail_page(request, project, role, risk, ActionForm(project=project))


def _detail_page(
    request: SignedInRequest, project: Project, role: str, risk: Risk, action_form: ActionForm
) -> HttpResponse:
    today = timezone.localdate()
    scale = services.scale_for(project.portfolio)
    context = {
        "project": project,
        "role": role,
        "risk": risk,
        "today": today,
        "rating": scale.bands.rating(risk.current_score),
        "inherent_rating": scale.bands.rating(risk.inherent_score),
        "residual_rating": scale.bands.rating(risk.residual_score),
        "actions": risk.actions.select_related("owner"),
        "history": risk.history.all(),
        "tasks": [link.task for link in risk.task_links.select_related("task")],
        "action_form": action_form,
        "overdue": risk.review_overdue(today),
        "tab": "register",
        "levels": {n: (p, i) for n, p, i in scale.levels()},
    }
    return render(request, "risk/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, code: str, risk_id: int | None = None) -> HttpResponse:
    """Create (no id) or edit a risk; a stale version is refused with a reload link."""
    project, role = project_for(request.user, code, Action.EDIT)
    risk = _risk(project, risk_id) if risk_id else None
    form = RiskForm(posted(request), instance=risk, project=project)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            if risk is None:
                risk = services.create_risk(project, request.user, form.changes(), form.task_ids())
            else:
                risk = services.update_risk(
                    risk,
                    form.changes(),
                    form.cleaned_data["version"],
                    request.user,
                    form.task_ids(),
                )
        except StaleVersion as exc:
            stale = True
            form.add_error(None, f"Not saved: {exc}")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{risk.ref} saved.")
            return redirect("risk:detail", code=project.code, risk_id=risk.pk)
    context = {
        "project": project,
        "role": role,
        "form": form,
        "risk": risk,
        "stale": stale,
        "tab": "register",
    }
    return render(request, "risk/risk_form.html", context)


@login_required
@require_POST
def review(request: SignedInRequest, code: str, risk_id: int) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.EDIT)
    risk = _risk(project, risk_id)
    risk = services.mark_reviewed(risk, request.user, timezone.localdate(), None)
    messages.success(request, f"{risk.ref} reviewed; next review {risk.next_review_on:%-d %b %Y}.")
    return redirect("risk:detail", code=project.code, risk_id=risk.pk)


@login_required
@require_POST
def add_action(request: SignedInRequest, code: str, risk_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    risk = _risk(project, risk_id)
    form = ActionForm(request.POST, project=project, instance=RiskAction(risk=risk))
    if form.is_valid() and service_ok(form, lambda: services.save_action(form.instance)):
        messages.success(request, "Action added.")
        return redirect("risk:detail", code=project.code, risk_id=risk.pk)
    return _detail_page(request, project, role, risk, form)


@login_required
@require_POST
def action_status(request: SignedInRequest, code: str, action_id: int) -> HttpResponse:
    """Mark an action done, cancelled or open again (HTMX swaps the row)."""
    project, role = project_for(request.user, code, Action.EDIT)
    action = get_object_or_404(
        RiskAction.objects.select_related("risk"), pk=action_id, risk__project=project
    )
    status = request.POST.get("status", "")
    if status in RiskAction.Status.values:
        action = services.update_action(action, {"status": status}, None)
    if is_htmx(request):
        context = {"project": project, "role": role, "a": action, "today": timezone.localdate()}
        return render(request, "risk/_action_row.html", context)
    return redirect("risk:detail", code=project.code, risk_id=action.risk_id)
