"""Pages of a project's import and export area (/p/<code>/exchange/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hitpm.core.views import SignedInRequest
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.feeds import create_feed, revoke_feed
from hitpm.exchange.formats import FORMATS, export_name
from hitpm.exchange.forms import FeedForm, UploadForm
from hitpm.exchange.models import CalendarFeed, ImportJob
from hitpm.exchange.services import export_project, max_upload_mb
from hitpm.exchange.uploads import start_upload
from hitpm.portfolio.access import Action, can, project_for
from hitpm.portfolio.models import Project

EXPORTS = ("mspdi", "xer", "xlsx", "csv", "ics", "backup")


def _page(
    request: SignedInRequest, project: Project, role: str, form: UploadForm, status: int = 200
) -> HttpResponse:
    manage = can(request.user, project, Action.MANAGE)
    context = {
        "project": project,
        "role": role,
        "manage": manage,
        "exports": [FORMATS[k] for k in EXPORTS if k != "backup" or manage],
        "plan_empty": not project.tasks.exists(),
        "form": form,
        "feed_form": FeedForm(),
        "feeds": project.calendar_feeds.filter(revoked_at__isnull=True) if manage else [],
        "jobs": ImportJob.objects.filter(project=project).defer("content")[:5] if manage else [],
        "max_mb": max_upload_mb(),
        "new_token": request.session.pop(f"feed-token-{project.pk}", None),
    }
    return render(request, "exchange/index.html", context, status=status)


@login_required
def index(request: SignedInRequest, code: str) -> HttpResponse:
    """Downloads, the import form (managers, empty plan), calendar feeds and recent imports."""
    project, role = project_for(request.user, code, Action.VIEW)
    return _page(request, project, role, UploadForm())


@login_required
def export(request: SignedInRequest, code: str, fmt: str) -> HttpResponse:
    """The project as a file download; a full backup needs the manager role."""
    needed = Action.MANAGE if fmt == "backup" else Action.VIEW
    project, _ = project_for(request.user, code, needed)
    if fmt not in FORMATS or fmt == "native":
        return HttpResponse(f"Unknown export format {fmt!r}.", status=404)
    data, chosen = export_project(project, fmt)
    response = HttpResponse(data, content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_name(project.code, fmt)}"'
    return response


@login_required
@require_POST
def upload(request: SignedInRequest, code: str) -> HttpResponse:
    """Take a plan file for the project: tables go to the mapping step, others are queued."""
    project, role = project_for(request.user, code, Action.MANAGE)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = start_upload(
                request.user, form.cleaned_data["file"], form.cleaned_data["format"], project
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("exchange-jobs:job", job.pk)
    return _page(request, project, role, form, status=422)


@login_required
@require_POST
def feed_new(request: SignedInRequest, code: str) -> HttpResponse:
    """Create a subscription link; its token is shown once on the next page."""
    project, _ = project_for(request.user, code, Action.MANAGE)
    form = FeedForm(request.POST)
    label = form.cleaned_data["label"] if form.is_valid() else ""
    _, token = create_feed(project, request.user, label)
    request.session[f"feed-token-{project.pk}"] = token
    messages.success(request, "Calendar link created. Copy it now: it is shown only once.")
    return redirect("exchange:index", project.code)


@login_required
@require_POST
def feed_revoke(request: SignedInRequest, code: str, feed_id: int) -> HttpResponse:
    """Stop a subscription link from working."""
    project, _ = project_for(request.user, code, Action.MANAGE)
    feed = get_object_or_404(CalendarFeed, pk=feed_id, project=project)
    revoke_feed(feed)
    messages.success(request, "Calendar link revoked.")
    return redirect("exchange:index", project.code)
