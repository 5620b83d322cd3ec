"""The portfolio's probability x impact scale and its risk categories.

Everyone on the project reads them. Exactly those the API lets change them
(``require_pmo_admin``: PMO administrators) edit the scale and add, rename and delete
categories; everyone else gets 403 on a POST, and a stranger 404 as on every project page.
Every change goes through :mod:`hitpm.risk.services.register`, which holds the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import SignedInRequest, confirm_page, is_htmx, save_form, service_ok
from hitpm.portfolio.access import Action, project_for, require_pmo_admin
from hitpm.portfolio.models import Project
from hitpm.risk.forms import CategoryForm, RenameCategoryForm, ScaleForm, scale_sizes
from hitpm.risk.models import RiskCategory
from hitpm.risk.services import insights
from hitpm.risk.services import register as services

CHANGE_SCALE = "change the risk scale"
CHANGE_CATEGORIES = "change risk categories"


@dataclass
class CategoryRow:
    category: RiskCategory
    risks: int
    form: RenameCategoryForm
    error: str = ""


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _governed(request: SignedInRequest, code: str, doing: str) -> tuple[Project, str]:
    """The project (404 for strangers) when the user may change the portfolio's risk settings
    (403 otherwise): the same check as the API's scale and category routes."""
    project, role = project_for(request.user, code, Action.VIEW)
    require_pmo_admin(request.user, doing)
    return project, role


def _can_govern(request: SignedInRequest) -> bool:
    """Whether the forms are shown: the very check the POSTs (and the API) make."""
    try:
        require_pmo_admin(request.user, CHANGE_SCALE)
    except PermissionDenied:
        return False
    return True


def _categories_context(
    request: SignedInRequest,
    project: Project,
    *,
    add_form: CategoryForm | None = None,
    renames: dict[int, RenameCategoryForm] | None = None,
    errors: dict[int, str] | None = None,
    note: str = "",
) -> dict[str, object]:
    portfolio = project.portfolio
    can_govern = _can_govern(request)
    # Counts span the portfolio's projects, so only those who see them all get them.
    uses = services.category_use(portfolio) if can_govern else {}
    renames, errors = renames or {}, errors or {}
    rows = [
        CategoryRow(
            category=c,
            risks=uses.get(c.pk, 0),
            form=renames[c.pk] if c.pk in renames else RenameCategoryForm.for_category(c),
            error=errors.get(c.pk, ""),
        )
        for c in services.categories_for(portfolio)
    ]
    return {
        "project": project,
        "category_rows": rows,
        "form": add_form or CategoryForm(),
        "can_govern": can_govern,
        "note": note,
    }


def _page(
    request: SignedInRequest,
    project: Project,
    role: str,
    *,
    scale_form: ScaleForm | None = None,
    scale_note: str = "",
    stale: bool = False,
    **categories: Any,
) -> HttpResponse:
    scale = services.scale_for(project.portfolio)
    if scale_form is None and _can_govern(request):
        scale_form = ScaleForm(scale=scale, levels=scale.size)
    context = {
        "role": role,
        "tab": "scale",
        "scale": scale,
        "preview": insights.heat_map(project, "inherent", risks=[]),
        "scale_form": scale_form,
        "scale_note": scale_note,
        "stale": stale,
        **_categories_context(request, project, **categories),
    }
    return render(request, "risk/scale.html", context)


@login_required
def scale(request: SignedInRequest, code: str) -> HttpResponse:
    """The scale, its bands and the categories; forms to change them for PMO administrators."""
    project, role = project_for(request.user, code, Action.VIEW)
    return _page(request, project, role)


@login_required
@require_POST
def edit_scale(request: SignedInRequest, code: str) -> HttpResponse:
    """Save the scale, or show the descriptor inputs for a newly chosen size (nothing saved).

    The page posts the number of levels it showed (``shown``); a different ``size``, or the
    "Show levels" button (``resize``; HTMX posts it when the size changes), re-renders the
    form with one probability and one impact descriptor per level of the new size.
    """
    project, role = _governed(request, code, CHANGE_SCALE)
    portfolio = project.portfolio
    scale = services.scale_for(portfolio)
    sizes = scale_sizes()
    shown = _int(request.POST.get("shown"))
    shown = shown if shown in sizes else scale.size
    wanted = _int(request.POST.get("size"))
    if wanted is not None and wanted in sizes and (wanted != shown or "resize" in request.POST):
        form = ScaleForm.resized(request.POST, scale, wanted, shown)
        note = (
            f"Showing {wanted} levels. Check each descriptor and the thresholds, then save; "
            "nothing has been saved yet."
        )
        return _scale_form_response(request, project, role, form, note)
    form = ScaleForm(request.POST, scale=scale, levels=shown)
    stale = False
    if form.is_valid():
        saved, stale = save_form(
            form,
            lambda: services.update_scale(portfolio, form.changes(), form.cleaned_data["version"]),
        )
        if saved:
            messages.success(request, "Risk scale saved.")
            return redirect("risk:scale", code=project.code)
    return _scale_form_response(request, project, role, form, "", stale)


def _scale_form_response(
    request: SignedInRequest,
    project: Project,
    role: str,
    form: ScaleForm,
    note: str,
    stale: bool = False,
) -> HttpResponse:
    if is_htmx(request):
        context = {"project": project, "scale_form": form, "scale_note": note, "stale": stale}
        return render(request, "risk/_scale_form.html", context)
    return _page(request, project, role, scale_form=form, scale_note=note, stale=stale)


def _category(project: Project, category_id: int) -> RiskCategory:
    return get_object_or_404(RiskCategory, pk=category_id, portfolio=project.portfolio)


def _categories_response(
    request: SignedInRequest, project: Project, role: str, **categories: Any
) -> HttpResponse:
    """The categories again: the section for HTMX, else the whole page (shown on errors)."""
    if is_htmx(request):
        context = _categories_context(request, project, **categories)
        return render(request, "risk/_categories.html", context)
    return _page(request, project, role, **categories)


def _categories_changed(
    request: SignedInRequest, project: Project, role: str, done: str
) -> HttpResponse:
    if is_htmx(request):
        return _categories_response(request, project, role, note=done)
    messages.success(request, done)
    return redirect("risk:scale", code=project.code)


@login_required
@require_POST
def add_category(request: SignedInRequest, code: str) -> HttpResponse:
    """Add a category to the portfolio."""
    project, role = _governed(request, code, CHANGE_CATEGORIES)
    form = CategoryForm(request.POST)
    if form.is_valid() and service_ok(
        form, lambda: services.add_category(project.portfolio, form.cleaned_data["name"])
    ):
        return _categories_changed(
            request, project, role, f"Category “{form.cleaned_data['name'].strip()}” added."
        )
    return _categories_response(request, project, role, add_form=form)


@login_required
@require_POST
def rename_category(request: SignedInRequest, code: str, category_id: int) -> HttpResponse:
    """Rename a category (the version the page showed; names stay unique per portfolio)."""
    project, role = _governed(request, code, CHANGE_CATEGORIES)
    category = _category(project, category_id)
    form = RenameCategoryForm.for_category(category, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved, _ = save_form(
            form, lambda: services.rename_category(category, data["name"], data["version"])
        )
        if saved:
            done = f"Category “{category.name}” renamed to “{data['name'].strip()}”."
            return _categories_changed(request, project, role, done)
    return _categories_response(request, project, role, renames={category.pk: form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_category(request: SignedInRequest, code: str, category_id: int) -> HttpResponse:
    """Ask (GET, for browsers without JavaScript), then delete the category (POST).

    Refused, with the reason on its row, while risks use it or when it changed meanwhile.
    """
    project, role = _governed(request, code, CHANGE_CATEGORIES)
    category = _category(project, category_id)
    version = _int(request.POST.get("version") or request.GET.get("version"))
    if request.method == "GET":
        return confirm_page(
            request,
            title="Delete risk category",
            question=f"Delete the risk category “{category.name}” of {project.portfolio.name}?",
            confirm_label="Delete category",
            cancel_url=reverse("risk:scale", args=[project.code]),
        )
    try:
        services.delete_category(category, version)
    except ProtectedError as exc:
        used = sum(1 for _ in exc.protected_objects)
        error = (
            f"Not deleted: {used} risk{'s' if used != 1 else ''} of the portfolio "
            f"use{'s' if used == 1 else ''} “{category.name}”; move "
            f"{'them' if used != 1 else 'it'} to another category first."
        )
    except StaleVersion as exc:
        error = f"Not deleted: {exc}"
    else:
        return _categories_changed(request, project, role, f"Category “{category.name}” deleted.")
    return _categories_response(request, project, role, errors={category.pk: error})
