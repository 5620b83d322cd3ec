"""The communication plan, the due and overdue view, and logging a sending."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import SignedInRequest, error_text
from hitpm.portfolio.access import Action, can, project_for
from hitpm.stakeholders.forms import CommunicationForm, RecordForm, SentForm
from hitpm.stakeholders.models import Communication
from hitpm.stakeholders.services.communications import (
    create_communication,
    due_view,
    log_sent,
    update_communication,
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
def plan(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    today = timezone.localdate()
    communications = project.communications.select_related("owner").prefetch_related("audience")
    context = {
        "project": project,
        "role": role,
        "communications": communications.order_by("next_due", "title"),
        "due": due_view(project.communications.all(), today),
        "today": today,
        "editable": can(request.user, project, Action.EDIT),
    }
    return render(request, "stakeholders/communications.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def communication_new(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    form = posted_form(CommunicationForm, request, project, None)

    def save(form: RecordForm) -> Communication:
        return create_communication(project, form.changes(), form.links()["audience"])

    back = area_url("communications", project)
    return form_page(request, project, role, form, save=save, title="New communication", back=back)


@login_required
@require_http_methods(["GET", "POST"])
def communication_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    record = record_of(Communication, project, pk)
    form = posted_form(CommunicationForm, request, project, record)

    def save(form: RecordForm) -> Communication:
        audience = form.links()["audience"]
        return update_communication(record, form.changes(), version_of(form), audience)

    back = area_url("communications", project)
    return form_page(
        request, project, role, form, save=save, title=f"Edit {record.title}", back=back
    )


@login_required
@require_http_methods(["GET", "POST"])
def communication_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.EDIT)
    record = record_of(Communication, project, pk)
    back = area_url("communications", project)
    return delete_page(request, record, back=back, what="communication")


@login_required
@require_POST
def communication_sent(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Log that the communication went out; next due moves on."""
    project, _ = project_for(request.user, code, Action.EDIT)
    record = record_of(Communication, project, pk)
    form = SentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date it was sent (and reload if the page is old).")
        return redirect("stakeholders:communications", code=project.code)
    data = form.cleaned_data
    try:
        log_sent(record, request.user, data["sent_on"], data["note"], data["version"])
    except (StaleVersion, ValidationError) as exc:
        text = error_text(exc)
        messages.error(request, f"Not logged: {text}")
    else:
        messages.success(request, f"Logged “{record.title}” as sent on {data['sent_on']}.")
    return redirect("stakeholders:communications", code=project.code)
