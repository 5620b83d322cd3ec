"""FMEA pages: the list of worksheets, one worksheet with its steps, failure modes, actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.services import save_validated
from hitpm.core.views import SignedInRequest, add_service_errors, posted, service_ok
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project
from hitpm.risk.forms import FailureModeForm, FmeaActionForm, StepForm, WorksheetForm
from hitpm.risk.models import FailureMode, FmeaAction, FmeaStep, FmeaWorksheet
from hitpm.risk.services import export
from hitpm.risk.services import fmea as services


@login_required
@require_http_methods(["GET", "POST"])
def worksheets(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    form = WorksheetForm(posted(request), instance=FmeaWorksheet(project=project))
    if request.method == "POST":
        project_for(request.user, code, Action.EDIT)
        if form.is_valid():
            try:
                worksheet = save_validated(form.instance)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("risk:fmea", code=project.code, fmea_id=worksheet.pk)
    context = {
        "project": project,
        "role": role,
        "tab": "fmea",
        "form": form,
        "worksheets": project.fmeas.all(),
    }
    return render(request, "risk/fmeas.html", context)


def _worksheet(project: Project, fmea_id: int) -> FmeaWorksheet:
    return get_object_or_404(FmeaWorksheet, project=project, pk=fmea_id)


def _page(
    request: SignedInRequest, project: Project, role: str, worksheet: FmeaWorksheet, **forms: Any
) -> HttpResponse:
    """The worksheet with a form per step and per failure mode (ids unique on the page); a
    form that failed validation is shown where it was filled in."""
    target = forms.get("target")
    bad_mode, bad_action = forms.get("mode_form"), forms.get("action_form")
    sections = []
    for group in services.worksheet_rows(worksheet):
        step_id = group.step.pk
        mode_form = bad_mode if bad_mode is not None and target == step_id else None
        modes = []
        for assessed in group.modes:
            mode_id = assessed.mode.pk
            action_form = bad_action if bad_action is not None and target == mode_id else None
            modes.append(
                (
                    assessed,
                    action_form or FmeaActionForm(project=project, auto_id=f"id_mode{mode_id}_%s"),
                    action_form is not None,
                )
            )
        mode_form = mode_form or FailureModeForm(
            worksheet=worksheet, auto_id=f"id_step{step_id}_%s"
        )
        sections.append((group.step, mode_form, target == step_id and bad_mode is not None, modes))
    context = {
        "project": project,
        "role": role,
        "tab": "fmea",
        "worksheet": worksheet,
        "sections": sections,
        "step_form": forms.get("step_form") or StepForm(),
    }
    return render(request, "risk/fmea.html", context)


@login_required
def worksheet(request: SignedInRequest, code: str, fmea_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    return _page(request, project, role, _worksheet(project, fmea_id))


@login_required
def export_worksheet(
    request: SignedInRequest, code: str, fmea_id: int, format: str
) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.VIEW)
    return export.as_response(export.fmea_file(_worksheet(project, fmea_id), format))


@login_required
@require_POST
def add_step(request: SignedInRequest, code: str, fmea_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    sheet = _worksheet(project, fmea_id)
    form = StepForm(request.POST)
    if form.is_valid():
        services.add_step(sheet, form.cleaned_data["description"])
        return redirect("risk:fmea", code=project.code, fmea_id=sheet.pk)
    return _page(request, project, role, sheet, step_form=form)


@login_required
@require_POST
def add_failure_mode(request: SignedInRequest, code: str, step_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    step = get_object_or_404(
        FmeaStep.objects.select_related("worksheet"), pk=step_id, worksheet__project=project
    )
    form = FailureModeForm(request.POST, worksheet=step.worksheet, instance=FailureMode(step=step))
    if form.is_valid() and service_ok(form, lambda: services.save_failure_mode(form.instance)):
        messages.success(request, "Failure mode added.")
        return redirect("risk:fmea", code=project.code, fmea_id=step.worksheet_id)
    return _page(request, project, role, step.worksheet, mode_form=form, target=step.pk)


@login_required
@require_POST
def add_fmea_action(request: SignedInRequest, code: str, mode_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    mode = get_object_or_404(
        FailureMode.objects.select_related("step__worksheet"),
        pk=mode_id,
        step__worksheet__project=project,
    )
    form = FmeaActionForm(request.POST, project=project, instance=FmeaAction(failure_mode=mode))
    if form.is_valid() and service_ok(form, lambda: services.save_action(form.instance)):
        messages.success(request, "Action added.")
        return redirect("risk:fmea", code=project.code, fmea_id=mode.step.worksheet_id)
    return _page(request, project, role, mode.step.worksheet, action_form=form, target=mode.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit_failure_mode(request: SignedInRequest, code: str, mode_id: int) -> HttpResponse:
    """Change or re-score a failure mode (the revised scores once actions are in place)."""
    project, role = project_for(request.user, code, Action.EDIT)
    mode = get_object_or_404(
        FailureMode.objects.select_related("step__worksheet"),
        pk=mode_id,
        step__worksheet__project=project,
    )
    sheet = mode.step.worksheet
    form = FailureModeForm(posted(request), worksheet=sheet, instance=mode)
    if (
        request.method == "POST"
        and form.is_valid()
        and service_ok(form, lambda: services.save_failure_mode(form.instance))
    ):
        messages.success(request, "Failure mode saved.")
        return redirect("risk:fmea", code=project.code, fmea_id=sheet.pk)
    context = {
        "project": project,
        "role": role,
        "tab": "fmea",
        "form": form,
        "mode": mode,
        "worksheet": sheet,
    }
    return render(request, "risk/failure_mode_form.html", context)
