"""Status report pages: the list, a report (draft: live, editable; published: its snapshot),
publishing, and the downloads (PDF, Markdown, HTML)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import SignedInRequest, confirm_page, posted, save_form
from hitpm.portfolio.access import Action, can, project_for
from hitpm.portfolio.models import Project
from hitpm.reports import services
from hitpm.reports.downloads import download
from hitpm.reports.forms import NarrativeForm, NewReportForm
from hitpm.reports.models import Audience, StatusReport
from hitpm.reports.render import render_html


def _report(project: Project, pk: int) -> StatusReport:
    return get_object_or_404(StatusReport, project=project, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    form = NewReportForm(posted(request))
    if request.method == "POST":
        project_for(request.user, code, Action.MANAGE)
        if form.is_valid():
            report = services.create_report(
                project, form.cleaned_data["audience"], form.cleaned_data["as_of"]
            )
            messages.success(request, "Draft created from live data; edit and publish it.")
            return redirect("reports:report", code=project.code, pk=report.pk)
    reports = project.status_reports.select_related("published_by")
    context = {
        "project": project, "role": role, "reports": reports, "form": form,
        "can_manage": can(request.user, project, Action.MANAGE),
    }  # fmt: skip
    return render(request, "reports/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """A report; project managers edit a draft's narrative and RAG here."""
    project, role = project_for(request.user, code, Action.VIEW)
    found = _report(project, pk)
    manage = can(request.user, project, Action.MANAGE) and not found.is_published
    with_ratings = found.audience == Audience.EXECUTIVE
    form = NarrativeForm(posted(request), instance=found, with_ratings=with_ratings)
    if request.method == "POST":
        project_for(request.user, code, Action.MANAGE)
        if form.is_valid():
            saved, _ = save_form(
                form,
                lambda: services.update_report(found, form.changes(), form.cleaned_data["version"]),
            )
            if saved:
                messages.success(request, "Report saved.")
                return redirect("reports:report", code=project.code, pk=found.pk)
    body = found.html if found.is_published else render_html(services.document(found))
    context = {
        "project": project, "role": role, "report": found, "form": form,
        "body": mark_safe(body), "manage": manage,
    }  # fmt: skip
    return render(request, "reports/report.html", context)


@login_required
@require_POST
def publish(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.MANAGE)
    found = _report(project, pk)
    version = request.POST.get("version", "")
    try:
        services.publish(found, request.user, int(version) if version.isdigit() else None)
    except (StaleVersion, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"Not published: {text}")
    else:
        messages.success(request, "Published. This report is now a fixed snapshot.")
    return redirect("reports:report", code=project.code, pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.MANAGE)
    found = _report(project, pk)
    if request.method == "GET":
        return confirm_page(
            request, title="Delete draft", question=f"Delete the draft “{found.title}”?",
            confirm_label="Delete draft",
            cancel_url=reverse("reports:report", args=[project.code, found.pk]),
        )  # fmt: skip
    try:
        services.delete_report(found, None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:report", code=project.code, pk=found.pk)
    messages.success(request, "Draft deleted.")
    return redirect("reports:list", code=project.code)


@login_required
def export(request: SignedInRequest, code: str, pk: int, fmt: str) -> HttpResponse:
    """The report as PDF, Markdown or a standalone HTML file."""
    project, _ = project_for(request.user, code, Action.VIEW)
    return download(_report(project, pk), fmt)
