"""Import and export use cases, shared by the pages, the API, the CLI and background jobs.

Every import is one transaction: the file is read and checked first, then every row is
written, then the plan is scheduled; any problem raises :class:`ImportFileError` and leaves
the database as it was. Uploads larger than ``HITPM_IMPORT_MAX_MB`` are refused unread.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.exchange.backup.dump import dumps_backup
from hitpm.exchange.backup.load import restore_backup
from hitpm.exchange.document import PlanDocument
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.exporters.plan import plan_document
from hitpm.exchange.formats import FORMATS, PLAN_READERS, TABLE_FORMATS, Format, detect
from hitpm.exchange.importers.plan import ImportSummary, import_plan
from hitpm.exchange.tabular import default_mapping, read_rows, table_document
from hitpm.portfolio import services as portfolio_services
from hitpm.portfolio.models import Portfolio, Project

Progress = Callable[[str, float], None]
DEFAULT_MAX_MB = 50


def max_upload_mb() -> float:
    """The largest file accepted, in megabytes, from ``HITPM_IMPORT_MAX_MB`` (default 50)."""
    raw = os.environ.get("HITPM_IMPORT_MAX_MB", "").strip() or str(DEFAULT_MAX_MB)
    try:
        megabytes = float(raw)
    except ValueError:
        raise ValueError(
            f"HITPM_IMPORT_MAX_MB must be a number of megabytes, got {raw!r}"
        ) from None
    return megabytes


def max_upload_bytes() -> int:
    return int(max_upload_mb() * 1024 * 1024)


def check_size(size: int, filename: str) -> None:
    """Refuse a file over the limit before reading it."""
    if size > max_upload_bytes():
        raise ImportFileError(
            f"{filename} is {size:,} bytes; files over {max_upload_mb():g} MB are refused "
            "(HITPM_IMPORT_MAX_MB)"
        )


def read_document(
    data: bytes,
    filename: str,
    fmt: str | None = None,
    mapping: Mapping[int, str] | None = None,
    start: dt.date | None = None,
) -> PlanDocument:
    """Parse a plan file of any importable format (not backups) into a document."""
    check_size(len(data), filename)
    key = fmt or detect(data, filename)
    if key in TABLE_FORMATS:
        header, rows = read_rows(data, key)
        chosen = mapping if mapping is not None else default_mapping(header)
        return table_document(header, rows, chosen, start or dt.date.today())
    if key not in PLAN_READERS:
        raise ImportFileError(f"{filename}: a {FORMATS[key].label} is not a plan to import here")
    return PLAN_READERS[key](data, filename)


def import_into(
    project: Project,
    data: bytes,
    filename: str,
    *,
    fmt: str | None = None,
    mapping: Mapping[int, str] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a plan file into a project whose plan is empty."""
    document = read_document(data, filename, fmt, mapping, project.start_date)
    if progress is not None:
        progress(f"Writing {len(document.spec.tasks)} tasks", 0.3)
    return import_plan(project, document, progress)


def import_new_project(
    data: bytes,
    filename: str,
    *,
    creator: Any,
    code: str | None = None,
    name: str | None = None,
    portfolio: Portfolio | None = None,
    fmt: str | None = None,
    mapping: Mapping[int, str] | None = None,
    progress: Progress | None = None,
) -> tuple[Project, dict[str, Any]]:
    """A new project from a file (a hitpm backup is restored, any plan file imported), and
    what it did: a plan's :meth:`ImportSummary.as_dict`, or for a backup the task count and,
    as ``warnings``, the rows it left out."""
    check_size(len(data), filename)
    key = fmt or detect(data, filename)
    if key == "backup":
        try:
            backup = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportFileError(f"{filename}: not valid JSON ({exc})") from None
        restored = restore_backup(backup, code=code, progress=progress)
        tasks = restored.project.tasks.count()
        left_out = [f"Left out {row}" for row in restored.skipped]
        return restored.project, {"tasks": tasks, "warnings": left_out}
    if not code:
        raise ImportFileError("give the new project a code")
    document = read_document(data, filename, key, mapping)
    if progress is not None:
        progress(f"Writing {len(document.spec.tasks)} tasks", 0.3)
    with transaction.atomic():
        owner = portfolio or Portfolio.objects.get_or_create(name="Imported")[0]
        try:
            project = portfolio_services.create_project(
                owner,
                creator,
                code=code,
                name=(name or document.spec.name or code)[:200],
                start_date=document.spec.start.date(),
            )
        except ValidationError as exc:
            raise ImportFileError("; ".join(exc.messages)) from None
        summary = import_plan(project, document, progress)
    return project, summary.as_dict()


def export_project(project: Project, key: str) -> tuple[bytes, Format]:
    """A project in one of the export formats: its bytes and format."""
    fmt = FORMATS.get(key)
    if fmt is None:
        raise ImportFileError(f"unknown export format {key!r}; choose {', '.join(FORMATS)}")
    if key == "backup":
        return dumps_backup(project), fmt
    if key == "ics":
        from hitpm.exchange.feeds import project_calendar

        return project_calendar(project), fmt
    if fmt.writer is None:
        raise ImportFileError(f"{fmt.label} can be imported but not exported")
    return fmt.writer(plan_document(project)), fmt
