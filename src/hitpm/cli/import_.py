"""`hitpm import FILE [--project CODE]`: create a project from a file, or fill an empty one.

A hitpm ``.json`` backup is restored as a new project (``--project`` gives it another code).
Plan files (MSPDI ``.xml``, ``.xer``, ``.csv``, ``.xlsx``, and MPP/MPX/PMXML/.gan through
MPXJ) go into the project named by ``--project``: an existing project with an empty plan, or
a new one created with that code. CSV and XLSX columns are mapped by their headers (see
docs/exchange.md for the default mapping).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from hitpm.cli import django_setup
from hitpm.cli.output import console, emit_json, fail


def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="File to import.")],
    project: str | None = typer.Option(None, "--project", help="Code of the target project."),
    name: str | None = typer.Option(None, "--name", help="Name of a new project."),
    portfolio: str = typer.Option("Imported", "--portfolio", help="Portfolio of a new project."),
    fmt: str | None = typer.Option(
        None, "--format", help="mspdi, xer, csv, xlsx, native or backup (default: detected)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Import FILE as a new project, or into the empty project --project CODE."""
    django_setup.setup()
    from hitpm.exchange.errors import ImportFileError
    from hitpm.exchange.formats import detect
    from hitpm.exchange.services import check_size, import_into, import_new_project
    from hitpm.portfolio.models import Portfolio, Project

    try:
        check_size(file.stat().st_size, file.name)
        data = file.read_bytes()
        key = fmt or detect(data, file.name)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=as_json,
        ) as bar:
            task = bar.add_task("Reading", total=1.0)

            def report(step: str, fraction: float) -> None:
                bar.update(task, description=step, completed=fraction)

            target = Project.objects.filter(code=project).first() if project else None
            if target is not None and key != "backup":
                summary = import_into(target, data, file.name, fmt=key, progress=report).as_dict()
                created = target
            else:
                owner = Portfolio.objects.get_or_create(name=portfolio)[0]
                created, summary = import_new_project(
                    data, file.name, creator=None, code=project, name=name, portfolio=owner,
                    fmt=key, progress=report,
                )  # fmt: skip
            bar.update(task, description="Done", completed=1.0)
    except (ImportFileError, ValueError) as exc:
        fail(f"{file.name}: {str(exc).rstrip('.')}. Nothing was imported.")
    if as_json:
        emit_json({"file": file.name, "project": created.code, **summary})
        return
    console.print(f"Imported {file.name} into {created.code} ({summary['tasks']} tasks).")
    for warning in summary.get("warnings", []):
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
