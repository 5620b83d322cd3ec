"""The stakeholder register, the power/interest grid and the engagement matrix."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hitpm.core.services import save_validated, update_fields
from hitpm.core.views import SignedInRequest
from hitpm.portfolio.access import Action, project_for
from hitpm.stakeholders.forms import RecordForm, StakeholderForm
from hitpm.stakeholders.models import Engagement, Stakeholder
from hitpm.stakeholders.services.register import (
    engagement_gaps,
    engagement_matrix,
    power_interest_grid,
)
from hitpm.stakeholders.views.common import (
    area_url,
    delete_page,
    form_page,
    posted_form,
    record_of,
    version_of,
)


@login_required
def register(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    people = project.stakeholders.select_related("user").order_by("name")
    context = {"project": project, "role": role, "stakeholders": people}
    return render(request, "stakeholders/register.html", context)


@login_required
def analysis(request: SignedInRequest, code: str) -> HttpResponse:
    """Power/interest grid and engagement assessment matrix."""
    project, role = project_for(request.user, code, Action.VIEW)
    context = {
        "project": project,
        "role": role,
        "grid": power_interest_grid(project),
        "matrix": engagement_matrix(project),
        "levels": Engagement.choices,
        "gaps": engagement_gaps(project),
    }
    return render(request, "stakeholders/analysis.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_new(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    form = posted_form(StakeholderForm, request, project, None)

    def save(form: RecordForm) -> Stakeholder:
        return save_validated(Stakeholder(project=project, **form.changes()))

    back = area_url("register", project)
    return form_page(request, project, role, form, save=save, title="New stakeholder", back=back)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    record = record_of(Stakeholder, project, pk)
    form = posted_form(StakeholderForm, request, project, record)

    def save(form: RecordForm) -> Stakeholder:
        return update_fields(Stakeholder, record.pk, form.changes(), version_of(form))

    back = area_url("register", project)
    title = f"Edit {record.name}"
    return form_page(request, project, role, form, save=save, title=title, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.EDIT)
    record = record_of(Stakeholder, project, pk)
    return delete_page(request, record, back=area_url("register", project), what="stakeholder")
