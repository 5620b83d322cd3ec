"""Import and export over the API: downloads in every format, uploads as import jobs.

Exports need view access (a full backup needs the manager role); importing into a project
needs the manager role and an empty plan; a new project from a file needs a PMO
administrator. Imports answer 202 with the job; poll ``GET /imports/{id}`` for its end.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hitpm.core.api import ERRORS, caller
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.formats import FORMATS, export_name
from hitpm.exchange.models import ImportJob
from hitpm.exchange.services import export_project
from hitpm.exchange.tabular import FIELDS
from hitpm.exchange.uploads import start_upload, visible_job
from hitpm.portfolio.access import Action, project_for, require_pmo_admin, visible_portfolios

router = Router(tags=["exchange"])


class ImportJobOut(Schema):
    id: int
    project: str | None
    filename: str
    format: str
    status: str
    step: str
    progress: float
    message: str
    summary: dict[str, Any]
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _job_out(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "project": job.project.code if job.project else None,
        "filename": job.filename,
        "format": job.format,
        "status": job.status,
        "step": job.step,
        "progress": job.progress,
        "message": job.message,
        "summary": job.summary,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def _unprocessable(exc: ImportFileError) -> HttpResponse:
    body = {"detail": str(exc), "errors": [{"field": "file", "message": str(exc)}]}
    return HttpResponse(json.dumps(body), status=422, content_type="application/json")


def _mapping(raw: str | None) -> dict[str, str] | None:
    if not raw:
        return None
    try:
        mapping = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"mapping is not JSON: {exc}") from None
    if not isinstance(mapping, dict) or not set(mapping.values()) <= set(FIELDS):
        raise ImportFileError(f"mapping must map column numbers to {', '.join(FIELDS)}")
    return {str(k): str(v) for k, v in mapping.items()}


@router.get("/projects/{code}/export/{fmt}", response={200: None, **ERRORS})
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The project as a file: mspdi, xer, csv, xlsx, ics, or backup (managers)."""
    if fmt not in FORMATS or fmt == "native":
        raise Http404(f"Unknown export format {fmt!r}.")
    project, _ = project_for(
        caller(request), code, Action.MANAGE if fmt == "backup" else Action.VIEW
    )
    data, chosen = export_project(project, fmt)
    response = HttpResponse(data, content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_name(project.code, fmt)}"'
    return response


@router.post("/projects/{code}/imports", response={202: ImportJobOut, **ERRORS})
def import_into_project(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    format: Form[str] = "",
    mapping: Form[str] = "",
) -> Any:
    """Import a plan file into the project (empty plan); CSV/XLSX with ``mapping`` JSON."""
    project, _ = project_for(caller(request), code, Action.MANAGE)
    try:
        options = {"mapping": _mapping(mapping)} if mapping else {}
        job = start_upload(
            caller(request), file, format or None, project, options, ask_mapping=False
        )
    except ImportFileError as exc:
        return _unprocessable(exc)
    return Status(202, _job_out(job))


@router.post("/imports", response={202: ImportJobOut, **ERRORS})
def import_new_project(
    request: HttpRequest,
    file: File[UploadedFile],
    code: Form[str] = "",
    name: Form[str] = "",
    portfolio_id: Form[int | None] = None,
    format: Form[str] = "",
    mapping: Form[str] = "",
) -> Any:
    """A new project from a hitpm backup or a plan file (PMO administrators)."""
    user = caller(request)
    require_pmo_admin(user, "import projects")
    if portfolio_id is not None and not visible_portfolios(user).filter(pk=portfolio_id).exists():
        raise Http404("No such portfolio.")
    try:
        options: dict[str, Any] = {
            "code": code or None,
            "name": name or None,
            "portfolio": portfolio_id,
            "mapping": _mapping(mapping),
        }
        job = start_upload(user, file, format or None, None, options, ask_mapping=False)
    except ImportFileError as exc:
        return _unprocessable(exc)
    return Status(202, _job_out(job))


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS})
def import_status(request: HttpRequest, job_id: int) -> Any:
    """Status, progress and outcome of an import job."""
    return _job_out(visible_job(caller(request), job_id))
