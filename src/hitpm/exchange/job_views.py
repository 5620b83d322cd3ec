"""Pages of imports: a new project from a file (/import/), a job's mapping step and progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from hitpm.core.views import SignedInRequest, is_htmx, posted
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.forms import MappingForm, NewProjectForm
from hitpm.exchange.models import ImportJob
from hitpm.exchange.services import max_upload_mb
from hitpm.exchange.tabular import FIELDS, default_mapping
from hitpm.exchange.uploads import map_and_queue, preview, start_upload, visible_job
from hitpm.portfolio.access import require_pmo_admin, visible_portfolios


def _job_for(request: SignedInRequest, job_id: int) -> ImportJob:
    return visible_job(request.user, job_id)


@login_required
def new_project(request: SignedInRequest) -> HttpResponse:
    """PMO administrators: create a project from a hitpm backup or a plan file."""
    require_pmo_admin(request.user, "import projects")
    form = NewProjectForm(posted(request), request.FILES or None)
    form.fields["portfolio"].queryset = visible_portfolios(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {
            "code": data["code"].strip() or None,
            "name": data["name"].strip() or None,
            "portfolio": data["portfolio"].pk if data["portfolio"] else None,
        }
        try:
            job = start_upload(request.user, data["file"], data["format"] or None, None, options)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("exchange-jobs:job", job.pk)
    context = {"form": form, "max_mb": max_upload_mb()}
    return render(request, "exchange/new_project.html", context, status=422 if form.errors else 200)


@login_required
def mapping(request: SignedInRequest, job_id: int) -> HttpResponse:
    """The mapping step of a CSV/XLSX import: preview rows, choose each column's field."""
    job = ImportJob.objects.get(pk=_job_for(request, job_id).pk)
    if job.status != ImportJob.Status.MAPPING:
        return redirect("exchange-jobs:job", job.pk)
    header, rows = preview(job)
    form = MappingForm(header, default_mapping(header), posted(request))
    if request.method == "POST" and form.is_valid():
        map_and_queue(job, form.mapping())
        return redirect("exchange-jobs:job", job.pk)
    context = {
        "job": job,
        "form": form,
        "header": header,
        "rows": rows,
        "fields": FIELDS,
        "project": job.project,
    }
    return render(request, "exchange/mapping.html", context, status=422 if form.errors else 200)


@login_required
def job(request: SignedInRequest, job_id: int) -> HttpResponse:
    """Progress of an import; HTMX polls the status fragment until the job ends."""
    found = _job_for(request, job_id)
    if found.status == ImportJob.Status.MAPPING:
        return redirect("exchange-jobs:mapping", found.pk)
    context = {"job": found, "project": found.project}
    template = "exchange/_job_status.html" if is_htmx(request) else "exchange/job.html"
    return render(request, template, context)
