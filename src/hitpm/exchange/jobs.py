"""Imports as background jobs (:class:`ImportJob` rows run through :mod:`hitpm.core.jobs`).

The job's progress is written between the import's phases (reading, writing, scheduling)
outside the import's own transaction, which a failure rolls back as a whole; the job then
records the message that says what was wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hitpm.core.jobs import JobKind, enqueue
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.models import ImportJob
from hitpm.exchange.services import check_size, import_into, import_new_project
from hitpm.portfolio.models import Portfolio, Project

KIND = "import"
ABANDONED_AFTER = dt.timedelta(minutes=15)


def queue_import(
    *,
    data: bytes,
    filename: str,
    user: Any,
    project: Project | None = None,
    options: Mapping[str, Any] | None = None,
) -> ImportJob:
    """Store an upload as a queued job and hand it to the job runner after commit."""
    check_size(len(data), filename)
    job = ImportJob.objects.create(
        project=project,
        created_by=user,
        filename=filename[:255],
        format=str((options or {}).get("format") or "")[:20],
        content=data,
        options=dict(options or {}),
    )
    enqueue(KIND, job.pk)
    return job


def _progress(job_id: int) -> Any:
    def report(step: str, fraction: float) -> None:
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job_id).update(
                step=step[:100], progress=fraction, heartbeat_at=timezone.now()
            )

    return report


def execute(job_id: int) -> ImportJob:
    """Run one job to its end; the job records success (summary: counts and ``warnings``, what
    the file held that hitpm left out or changed) or the error message."""
    job = ImportJob.objects.select_related("project", "created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        step="Reading the file",
        progress=0.05,
    )
    options = job.options
    mapping = options.get("mapping")
    parsed_mapping = {int(k): v for k, v in mapping.items()} if mapping else None
    report = _progress(job_id)
    try:
        if job.project is not None:
            summary = import_into(
                job.project,
                bytes(job.content),
                job.filename,
                fmt=options.get("format") or None,
                mapping=parsed_mapping,
                progress=report,
            ).as_dict()
            project = job.project
        else:
            portfolio = Portfolio.objects.filter(pk=options.get("portfolio")).first()
            project, summary = import_new_project(
                bytes(job.content),
                job.filename,
                creator=job.created_by,
                code=options.get("code"),
                name=options.get("name"),
                portfolio=portfolio,
                fmt=options.get("format") or None,
                mapping=parsed_mapping,
                progress=report,
            )
    except (ImportFileError, ValueError) as exc:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            message=str(exc),
            finished_at=timezone.now(),
            content=b"",
        )
    else:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.DONE,
            project=project,
            summary=summary,
            progress=1.0,
            step="Done",
            finished_at=timezone.now(),
            content=b"",
        )
    return ImportJob.objects.get(pk=job_id)


def claim() -> int | None:
    """Mark the oldest queued import running for this worker; its id."""
    with transaction.atomic():
        queued = ImportJob.objects.filter(status=ImportJob.Status.QUEUED)
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        job = queued.order_by("created_at", "pk").first()
        if job is None:
            return None
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now()
        )
        return job.pk


def requeue_abandoned() -> int:
    """Queue again imports whose process died (no heartbeat for a while)."""
    cutoff = timezone.now() - ABANDONED_AFTER
    stuck = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=cutoff)
    return stuck.update(status=ImportJob.Status.QUEUED, progress=0.0)


JOB_KIND = JobKind(KIND, claim, execute, requeue_abandoned)
