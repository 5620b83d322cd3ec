"""``hitpm schedule FILE``: schedule a project file without a database.

Reads Microsoft Project XML (MSPDI) or a hitpm JSON project, runs the critical path method and
prints a table with the critical path marked, or ``--json`` for scripts and pipelines. Django is
never imported, so the command works in a bare checkout or a CI job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from hitpm.cli.options import FileArg, JsonOpt, StatusOpt
from hitpm.cli.output import console, emit_json, fail_on_file
from hitpm.engine.model import ProjectSpec, ScheduleResult
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.files import read_project_file

WIDE_TABLE = 110  # terminal columns needed to show late dates too
STATUS_TIME = dt.time(17, 0)  # Microsoft Project's default status time (end of the working day)


def register(app: typer.Typer) -> None:
    """Add the ``schedule`` command to the ``hitpm`` application."""
    app.command("schedule")(schedule_command)


def schedule_command(file: FileArg, status_date: StatusOpt = None, json_: JsonOpt = False) -> None:
    """Schedule FILE (critical path method) and print dates, floats and the critical path."""
    try:
        project = read_project_file(file)
        if status_date is not None:
            project = replace(project, status_date=parse_status_date(status_date))
        result = run_schedule(project)
    except ValueError as exc:  # ImportFileError and the engine's validation errors
        fail_on_file(file, exc, "schedule")
    if json_:
        emit_json(result_to_json(project, result))
    else:
        console.print(result_table(project, result, console.width))


def run_schedule(project: ProjectSpec) -> ScheduleResult:
    """Schedule with the engine; imported late so ``--help`` stays fast."""
    from hitpm.engine.cpm import schedule

    return schedule(project)


def parse_status_date(text: str) -> dt.datetime:
    """``YYYY-MM-DD`` (at :data:`STATUS_TIME`) or a full local ISO date-time."""
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), STATUS_TIME)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ImportFileError(
            f"--status-date {text!r} is not a date such as 2026-01-05 or 2026-01-05T17:00"
        ) from None


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def result_to_json(project: ProjectSpec, result: ScheduleResult) -> dict[str, Any]:
    """The ``--json`` document: project dates and critical path, then one entry per task."""
    names = {t.uid: t.name for t in project.tasks}
    return {
        "project": {
            "start": _iso(result.start),
            "finish": _iso(result.finish),
            "critical_path": list(result.critical_path),
        },
        "tasks": [
            {
                "id": t.uid,
                "name": names.get(t.uid, ""),
                "early_start": _iso(t.early_start),
                "early_finish": _iso(t.early_finish),
                "late_start": _iso(t.late_start),
                "late_finish": _iso(t.late_finish),
                "total_float_minutes": int(t.total_float_minutes),
                "free_float_minutes": int(t.free_float_minutes),
                "critical": bool(t.critical),
            }
            for t in result.tasks
        ],
    }


def _days(minutes: int, minutes_per_day: int) -> str:
    return f"{minutes / minutes_per_day:.3g}d"


def _when(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def result_table(project: ProjectSpec, result: ScheduleResult, width: int = 200) -> Table:
    """A readable table: critical tasks red and starred, the path in the caption.

    Late dates are left out below :data:`WIDE_TABLE` columns so the rest stays legible."""
    specs = {t.uid: t for t in project.tasks}
    per_day = project.options.minutes_per_day
    wide = width >= WIDE_TABLE
    caption = "* critical. Critical path: " + " > ".join(map(str, result.critical_path))
    if not wide:
        caption += ". Late dates: widen the terminal or use --json."
    table = Table(
        title=f"{project.name}: {_when(result.start)} to {_when(result.finish)}", caption=caption
    )
    table.add_column("", min_width=1, no_wrap=True)
    table.add_column("UID", justify="right", min_width=3, no_wrap=True)
    table.add_column("Task", min_width=12, ratio=1)
    table.add_column("Dur.", justify="right", no_wrap=True)
    dates = ("Early start", "Early finish", "Late start", "Late finish")[: 4 if wide else 2]
    for header in dates:
        table.add_column(header, min_width=10)  # wraps between date and time when narrow
    for header in ("Total float", "Free float"):
        table.add_column(header, justify="right", min_width=5)
    for row in result.tasks:
        spec = specs.get(row.uid)
        indent = "  " * max((spec.outline_level if spec else 1) - 1, 0)
        name = Text(indent + (spec.name if spec else ""), style="bold" if row.is_summary else "")
        table.add_row(
            "*" if row.critical else "",
            str(row.uid),
            name,
            _days(spec.duration_minutes, per_day) if spec and not row.is_summary else "",
            *[
                _when(d)
                for d in (row.early_start, row.early_finish, row.late_start, row.late_finish)
            ][: len(dates)],
            _days(row.total_float_minutes, per_day),
            _days(row.free_float_minutes, per_day),
            style="red" if row.critical else None,
        )
    return table
