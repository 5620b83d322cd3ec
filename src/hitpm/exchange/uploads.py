"""From an uploaded file to an import job, for the pages and the API.

Task lists (CSV, XLSX) wait for their column mapping; every other format is queued at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404

from hitpm.core.jobs import enqueue
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.formats import TABLE_FORMATS, detect
from hitpm.exchange.jobs import KIND, queue_import
from hitpm.exchange.models import ImportJob
from hitpm.exchange.services import check_size
from hitpm.exchange.tabular import read_rows
from hitpm.portfolio.access import Action, require
from hitpm.portfolio.models import Project

PREVIEW_ROWS = 8


def start_upload(
    user: Any,
    upload: UploadedFile,
    fmt: str | None,
    project: Project | None,
    options: Mapping[str, Any] | None = None,
    ask_mapping: bool = True,
) -> ImportJob:
    """Check an upload's size and format and make its job.

    Tables wait for their column mapping when ``ask_mapping`` (the pages); otherwise (the
    API) they are imported with ``options["mapping"]`` or the default mapping.
    """
    name = upload.name or "upload"
    check_size(upload.size or 0, name)
    data = upload.read()
    key = fmt or detect(data, name)
    if project is not None and project.tasks.exists() and key != "backup":
        raise ImportFileError(
            f"{project.code} already has a plan; import into a new project from the portfolio's "
            "Import page, or delete the plan first"
        )
    chosen = {**(options or {}), "format": key}
    if key in TABLE_FORMATS and ask_mapping:
        read_rows(data, key)  # refuse unreadable tables before the mapping step
        return ImportJob.objects.create(
            project=project,
            created_by=user,
            filename=name[:255],
            format=key,
            content=data,
            options=chosen,
            status=ImportJob.Status.MAPPING,
        )
    return queue_import(data=data, filename=name, user=user, project=project, options=chosen)


def preview(job: ImportJob) -> tuple[list[str], list[list[str]]]:
    """The table's header and first rows, for the mapping step."""
    header, rows = read_rows(bytes(job.content), job.format)
    return header, rows[:PREVIEW_ROWS]


def map_and_queue(job: ImportJob, mapping: Mapping[int, str]) -> ImportJob:
    """Store the chosen column mapping and queue the job."""
    if job.status != ImportJob.Status.MAPPING:
        raise ImportFileError("this import has been started already")
    job.options = {**job.options, "mapping": {str(k): v for k, v in mapping.items()}}
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["options", "status"])
    enqueue(KIND, job.pk)
    return job


def visible_job(user: Any, job_id: int) -> ImportJob:
    """A job its viewer may follow: the project's managers, or whoever started a new project
    import (and PMO administrators); 404 for everyone else. The file's bytes are not loaded."""
    job = ImportJob.objects.select_related("project").defer("content").filter(pk=job_id).first()
    if job is None:
        raise Http404("No such import.")
    if job.project is not None:
        require(user, job.project, Action.MANAGE)
    elif job.created_by_id != user.pk and not getattr(user, "sees_everything", False):
        raise Http404("No such import.")
    return job
