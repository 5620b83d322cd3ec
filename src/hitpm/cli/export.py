"""`hitpm export PROJECT FILE`: write a project to a file; the format follows the extension.

``.json`` is a complete hitpm backup (every area, restorable with ``hitpm import``); ``.xml``
Microsoft Project XML; ``.xer`` Primavera P6; ``.csv``/``.xlsx`` the task table; ``.ics``
the milestones and key dates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hitpm.cli import django_setup
from hitpm.cli.output import console, fail

_BY_EXTENSION = {".json": "backup", ".xml": "mspdi", ".xer": "xer", ".csv": "csv",
                 ".xlsx": "xlsx", ".ics": "ics"}  # fmt: skip


def export_command(
    project: Annotated[str, typer.Argument(help="Project code, e.g. EHR-GOLIVE.")],
    file: Annotated[
        Path, typer.Argument(help="Output file: .json, .xml, .xer, .csv, .xlsx, .ics.")
    ],
    fmt: str | None = typer.Option(None, "--format", help="backup, mspdi, xer, csv, xlsx, ics."),
) -> None:
    """Export PROJECT to FILE (a .json backup restores every area exactly)."""
    django_setup.setup()
    from hitpm.exchange.errors import ImportFileError
    from hitpm.exchange.services import export_project
    from hitpm.portfolio.models import Project

    key = fmt or _BY_EXTENSION.get(file.suffix.lower())
    if key is None:
        fail(f"cannot tell the format of {file.name}; use one of {', '.join(_BY_EXTENSION)}")
    found = Project.objects.filter(code=project).first()
    if found is None:
        fail(f"no project with code {project!r}")
    try:
        data, chosen = export_project(found, key)
    except (ImportFileError, ValueError) as exc:
        fail(str(exc))
    file.write_bytes(data)
    console.print(f"Exported {found.code} as {chosen.label} to {file} ({len(data):,} bytes).")


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
