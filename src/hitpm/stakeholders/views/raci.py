"""The RACI matrix as an editable grid: each cell is a select that saves itself with HTMX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hitpm.core.views import SignedInRequest, is_htmx
from hitpm.planning.models import Task
from hitpm.portfolio.access import Action, can, project_for
from hitpm.stakeholders.forms import RaciCellForm
from hitpm.stakeholders.models import RaciAssignment, Stakeholder
from hitpm.stakeholders.services.raci import matrix, set_letter


@login_required
def raci(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    context = {
        "project": project,
        "role": role,
        "matrix": matrix(project),
        "tasks": project.tasks.order_by("position").only("pk", "wbs", "name"),
        "letters": RaciAssignment.Letter.choices,
        "editable": can(request.user, project, Action.EDIT),
    }
    return render(request, "stakeholders/raci.html", context)


@login_required
@require_POST
def raci_cell(request: SignedInRequest, code: str) -> HttpResponse:
    """Set one cell; HTMX gets the row back and the problems list out of band."""
    project, role = project_for(request.user, code, Action.EDIT)
    form = RaciCellForm(request.POST)
    error = ""
    if not form.is_valid():
        return HttpResponse("Choose R, A, C, I or nothing.", status=422)
    task = get_object_or_404(Task, project=project, pk=form.cleaned_data["task"])
    person = get_object_or_404(Stakeholder, project=project, pk=form.cleaned_data["stakeholder"])
    try:
        set_letter(project, task, person, form.cleaned_data["letter"])
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("stakeholders:raci", code=project.code)
    whole = matrix(project)
    context = {
        "project": project,
        "role": role,
        "matrix": whole,
        "row": next((r for r in whole.rows if r.task.pk == task.pk), None),
        "letters": RaciAssignment.Letter.choices,
        "editable": True,
        "error": error,
        "oob": True,
    }
    return render(request, "stakeholders/_raci_cell_result.html", context)
