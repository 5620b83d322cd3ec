"""Meetings, the decision log, action items and "my actions" across projects."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hitpm.core.views import SignedInRequest
from hitpm.portfolio.access import Action, project_for
from hitpm.stakeholders.forms import ActionForm, DecisionForm, MeetingForm, RecordForm
from hitpm.stakeholders.models import ActionItem, Decision, Meeting
from hitpm.stakeholders.services.meetings import Record, create_record, my_actions, update_record
from hitpm.stakeholders.views.common import (
    area_url,
    delete_page,
    form_page,
    posted_form,
    record_of,
    version_of,
)

FORMS: dict[type[Record], type[RecordForm]] = {
    Meeting: MeetingForm, Decision: DecisionForm, ActionItem: ActionForm,
}  # fmt: skip
LISTS = {Meeting: "meetings", Decision: "decisions", ActionItem: "actions"}


def _edit(request: SignedInRequest, code: str, model: type[Record], pk: int | None) -> HttpResponse:
    project, role = project_for(request.user, code, Action.EDIT)
    record = record_of(model, project, pk) if pk else None
    initial_meeting = request.GET.get("meeting") if record is None else None
    form = posted_form(FORMS[model], request, project, record)
    if initial_meeting and not form.is_bound:
        form.initial["meeting"] = initial_meeting

    def save(form: RecordForm) -> Record:
        if record is None:
            new = model(project=project, **form.changes())
            return create_record(new, request.user, **form.links())
        return update_record(record, form.changes(), version_of(form), request.user,
                             **form.links())  # fmt: skip

    label = model._meta.verbose_name
    title = f"Edit {label}" if record else f"New {label}"
    back = area_url(LISTS[model], project)
    done = (lambda r: area_url("meeting", project, r.pk)) if model is Meeting else None
    return form_page(request, project, role, form, save=save, title=title, back=back, done=done)


@login_required
def meetings(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    found = project.meetings.prefetch_related("attendees").order_by("-starts_at")
    context = {"project": project, "role": role, "meetings": found}
    return render(request, "stakeholders/meetings.html", context)


@login_required
def meeting(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    record = record_of(Meeting, project, pk)
    context = {
        "project": project,
        "role": role,
        "meeting": record,
        "decisions": record.decisions.order_by("pk"),
        "actions": record.actions.select_related("owner").order_by("due_on", "pk"),
        "today": timezone.localdate(),
    }
    return render(request, "stakeholders/meeting.html", context)


@login_required
def decisions(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    found = project.decisions.select_related("meeting").prefetch_related("tasks")
    context = {"project": project, "role": role, "decisions": found.order_by("status", "-pk")}
    return render(request, "stakeholders/decisions.html", context)


@login_required
def actions(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    found = project.action_items.select_related("owner", "meeting", "task")
    context = {
        "project": project, "role": role, "actions": found.order_by("status", "due_on", "pk"),
        "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "stakeholders/actions.html", context)


@login_required
def mine(request: SignedInRequest) -> HttpResponse:
    """My open actions on every project I can see."""
    show_all = request.GET.get("all") == "1"
    context = {
        "actions": my_actions(request.user, include_closed=show_all),
        "today": timezone.localdate(),
        "show_all": show_all,
    }
    return render(request, "stakeholders/my_actions.html", context)


def _new_or_edit(model: type[Record]) -> Callable[..., HttpResponse]:
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: SignedInRequest, code: str, pk: int | None = None) -> HttpResponse:
        return _edit(request, code, model, pk)

    return view


def _deleter(model: type[Record]) -> Callable[..., HttpResponse]:
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
        project, _ = project_for(request.user, code, Action.EDIT)
        record = record_of(model, project, pk)
        back = area_url(LISTS[model], project)
        return delete_page(request, record, back=back, what=str(model._meta.verbose_name))

    return view


meeting_edit, decision_edit, action_edit = (_new_or_edit(m) for m in FORMS)
meeting_delete, decision_delete, action_delete = (_deleter(m) for m in FORMS)
