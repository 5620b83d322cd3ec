"""The audit trail of a project: every change, who made it, and the values before and after."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hitpm.audit.forms import AuditFilterForm
from hitpm.audit.models import AuditEntry
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project

PAGE_SIZE = 50


def _project_entries(project: Project) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(project_id=project.pk).order_by("-seq")


@login_required
def project_trail(request: HttpRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    entries = _project_entries(project)
    form = AuditFilterForm(request.GET or None, entries=entries)
    listed = form.filter(entries).defer("changes_json", "prev_hash", "entry_hash")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"project": project, "role": role, "form": form, "page": page}
    return render(request, "audit/project.html", context)


@login_required
def entry_changes(request: HttpRequest, code: str, seq: int) -> HttpResponse:
    """The field-level changes of one entry, as a fragment for the expandable rows."""
    project, _ = project_for(request.user, code, Action.VIEW)
    entry = get_object_or_404(_project_entries(project), seq=seq)
    return render(request, "audit/_changes.html", {"entry": entry})


@login_required
def object_history(request: HttpRequest, code: str, model: str, object_id: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    entries = _project_entries(project).filter(model=model, object_id=object_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404("No recorded history for this record.")
    latest = page.object_list[0]
    context = {"project": project, "role": role, "page": page, "latest": latest}
    return render(request, "audit/object.html", context)
