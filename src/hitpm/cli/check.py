"""``hitpm check dcma FILE``: the DCMA 14-point assessment of a project file, no database.

Reads Microsoft Project XML (MSPDI) or a hitpm JSON project, schedules it, and prints each
check's metric against its threshold, or ``--json``. Failed checks are findings, not errors: the
command exits 0 whenever it could produce the report, and non-zero with a one-line reason only
when the file cannot be read or scheduled. Django is never imported.

MSPDI files also carry what checks 10, 11 and 14 need and :class:`ProjectSpec` does not yet hold:
Baseline 0 dates and resource assignments. They are read here from the same file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from hitpm.cli.options import FileArg, JsonOpt, StatusOpt
from hitpm.cli.output import console, emit_json, fail_on_file
from hitpm.cli.schedule import parse_status_date, run_schedule
from hitpm.engine.dcma import Baseline, CheckResult, DcmaReport, assess
from hitpm.engine.model import ProjectSpec
from hitpm.exchange.files import read_project_file, sniff
from hitpm.exchange.mspdi import project_fields, spec_from_fields
from hitpm.exchange.mspdi_xml import Fields, read_bytes

LAST_PLACEHOLDER_RESOURCE = 0  # MSPDI: -65535 is "no resource", UID 0 Project's blank row

check_app = typer.Typer(help="Check a schedule against a quality standard.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``check`` command group to the ``hitpm`` application."""
    app.add_typer(check_app, name="check")


@dataclass(frozen=True)
class FileExtras:
    """Inputs of checks 10, 11 and 14 that live in the file but not in the ProjectSpec."""

    baseline: Baseline | None = None
    resources: dict[int, bool] | None = None


@check_app.command("dcma")
def dcma_command(file: FileArg, status_date: StatusOpt = None, json_: JsonOpt = False) -> None:
    """Assess FILE with the DCMA 14-point schedule assessment (exit 0 even if checks fail)."""
    try:
        project, extras = read_with_extras(file)
        if status_date is not None:
            project = replace(project, status_date=parse_status_date(status_date))
        result = run_schedule(project)
    except ValueError as exc:  # ImportFileError and the engine's validation errors
        fail_on_file(file, exc, "schedule")
    report = assess(project, result, baseline=extras.baseline, resources=extras.resources)
    if json_:
        emit_json(report.as_dict())
    else:
        console.print(report_table(report))
        for line in report_notes(report):
            console.print(line, highlight=False)


def read_with_extras(path: Path) -> tuple[ProjectSpec, FileExtras]:
    """The project and, for MSPDI, its baseline dates and resource flags, from one parse."""
    data = read_bytes(path)
    if sniff(data) != "xml":
        return read_project_file(path), FileExtras()
    project = project_fields(data)
    extras = FileExtras(baseline=_baseline(project), resources=_resources(project))
    return spec_from_fields(project), extras


def _elements(project: Fields, container: str, item: str) -> list[Fields]:
    """The children of ``<Tasks>`` or ``<Assignments>``, each with typed field access."""
    element = project.child(container)
    children = list(element) if element is not None else []
    return [project.sub(child, item) for child in children]


def _baseline(project: Fields) -> Baseline | None:
    """Baseline 0 (start, finish) per task UID; None when no task has one."""
    dates: dict[int, tuple[dt.datetime | None, dt.datetime | None]] = {}
    for task in _elements(project, "Tasks", "Task"):
        uid = task.integer("UID")
        for element in task.all("Baseline"):
            saved = task.sub(element, f"Task UID {uid} <Baseline>")
            if uid is not None and saved.integer("Number", 0) == 0:
                dates[uid] = (saved.datetime("Start"), saved.datetime("Finish"))
    return dates or None


def _resources(project: Fields) -> dict[int, bool] | None:
    """Per task UID, whether a real resource is assigned or a cost is set; None when the file
    has neither anywhere (an unresourced file cannot be judged, only reported as such)."""
    costed = {
        uid
        for task in _elements(project, "Tasks", "Task")
        if (uid := task.integer("UID")) is not None and (task.number("Cost", 0.0) or 0.0) > 0
    }
    assigned = {
        uid
        for assignment in _elements(project, "Assignments", "Assignment")
        if (uid := assignment.integer("TaskUID")) is not None
        and (assignment.integer("ResourceUID") or 0) > LAST_PLACEHOLDER_RESOURCE
    }
    loaded = costed | assigned
    if not loaded:
        return None
    return dict.fromkeys(loaded, True)


def _metric_text(check: CheckResult) -> str:
    if check.metric is None:
        return "-"
    if check.threshold.unit == "%":
        return f"{check.metric:.1f}%"
    if check.threshold.unit == "d":
        return f"{check.metric:g}d"
    return f"{check.metric:.2f}"


_VERDICTS = {"pass": "[green]PASS[/]", "fail": "[bold red]FAIL[/]", "not assessed": "[dim]N/A[/]"}


def report_table(report: DcmaReport) -> Table:
    """One row per check: metric, threshold, verdict and how many tasks offend."""
    status = f" (status date {report.status_date:%Y-%m-%d})" if report.status_date else ""
    table = Table(
        title=escape(f"DCMA 14-point assessment: {report.project}{status}"),
        caption=(
            f"{report.passed} passed, {report.failed} failed, {report.not_assessed} not assessed"
        ),
    )
    for header in ("#", "Check", "Metric", "Threshold", "Result", "Offending"):
        table.add_column(header, no_wrap=True, justify="right" if header == "#" else "left")
    for check in report.checks:
        table.add_row(
            str(check.number),
            check.name,
            _metric_text(check),
            str(check.threshold),
            _VERDICTS[check.status],
            str(len(check.offenders)) if check.passed is not None else "-",
        )
    return table


def report_notes(report: DcmaReport) -> list[str]:
    """Below the table: why a check was not assessed, and what checks 12 and 13 measured."""
    return [
        f"[dim]{check.number}. {check.name}:[/] {escape(check.reason or check.note)}"
        for check in report.checks
        if check.reason or check.note
    ]
