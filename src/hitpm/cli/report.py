"""`hitpm report PROJECT`: a status report from live data (or the latest published one) as
PDF, Markdown or HTML; and `hitpm notify`, the due-notification scan for cron."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hitpm.cli import django_setup
from hitpm.cli.output import console, emit_json, fail


class AudienceChoice(StrEnum):
    EXECUTIVE = "executive"
    CLINICAL = "clinical"
    IT = "it"


class FormatChoice(StrEnum):
    PDF = "pdf"
    MD = "md"
    HTML = "html"


def report(
    project: Annotated[str, typer.Argument(help="Project code, e.g. EHR-GOLIVE.")],
    audience: Annotated[
        AudienceChoice, typer.Option("--audience", "-a")
    ] = AudienceChoice.EXECUTIVE,
    fmt: Annotated[FormatChoice, typer.Option("--format", "-f")] = FormatChoice.PDF,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write; default PROJECT-AUDIENCE-DATE.pdf for PDF, "
            "standard output for md and html.",
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="YYYY-MM-DD; default the status date.")
    ] = None,
    published: Annotated[
        bool, typer.Option("--published", help="The latest published report of this audience.")
    ] = False,
) -> None:
    """Write a status report for an audience (executive, clinical, it) as pdf, md or html."""
    django_setup.setup()
    from rich.markup import escape

    from hitpm.portfolio.models import Project
    from hitpm.reports.downloads import rendered
    from hitpm.reports.models import StatusReport
    from hitpm.reports.render import PdfUnavailable
    from hitpm.reports.services import default_title

    found = Project.objects.filter(code=project).first()
    if found is None:
        fail(f"No project with code {project!r}; `hitpm demo` lists the demo projects.")
    if published:
        chosen = (
            found.status_reports.filter(audience=audience, state=StatusReport.State.PUBLISHED)
            .order_by("-published_at")
            .first()
        )
        if chosen is None:
            fail(f"{project} has no published {audience} report; leave out --published.")
    else:
        when = _date(as_of) or found.status_date or dt.date.today()
        chosen = StatusReport(project=found, audience=audience, as_of=when,
                              title=default_title(found, audience, when))  # fmt: skip
    try:
        out = rendered(chosen, fmt)
    except PdfUnavailable as exc:
        fail(escape(str(exc)))
    if output is None and fmt != FormatChoice.PDF:
        sys.stdout.write(out.content.decode())
        return
    target = output or Path(out.filename)
    try:
        target.write_bytes(out.content)
    except OSError as exc:
        fail(f"Cannot write {target}: {exc.strerror}.")
    console.print(f"Wrote {target} ({len(out.content):,} bytes).")


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of must be a date like 2027-03-14, got {text!r}.")


def notify(
    on: Annotated[
        str | None, typer.Option("--date", help="Scan as of YYYY-MM-DD (default today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable result.")] = False,
) -> None:
    """Notify owners of due and overdue communications and action items (run from cron)."""
    django_setup.setup()
    from django.db import transaction

    from hitpm.notifications.due import scan

    with transaction.atomic():
        result = scan(_date(on) or dt.date.today())
    if as_json:
        emit_json({"communications": result.communications, "actions": result.actions})
    else:
        console.print(
            f"Sent {result.total} new notifications: {result.communications} communications "
            f"due, {result.actions} actions due."
        )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("notify")(notify)
