"""``hitpm simulate FILE-or-PROJECT``: Monte Carlo schedule risk analysis.

Reads Microsoft Project XML (MSPDI) or a hitpm JSON project, optionally with an
``"uncertainty"`` section (three-point estimates, risk events, correlations; see
``docs/montecarlo.md``), runs the simulation and prints the finish P-dates and the tornado of
the tasks that drive the finish, or ``--json`` for scripts. Files need no database and never
load Django; a project code instead reads the stored plan, its task estimates and the risk
register's risk events from the database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from hitpm.cli.output import console, emit_json, err_console, fail_on_file
from hitpm.cli.schedule import parse_status_date
from hitpm.core.codes import PROJECT_CODE_PATTERN
from hitpm.engine.model import ProjectSpec, ScheduleOptions
from hitpm.exchange.errors import ImportFileError, ProjectJsonError
from hitpm.exchange.files import read_project_file, sniff
from hitpm.exchange.projectjson import human_minutes, project_from_dict

if TYPE_CHECKING:
    from hitpm.engine.montecarlo import ProjectSimulation, SimulationInput

_FileArg = Annotated[
    Path,
    typer.Argument(help="MSPDI .xml or hitpm .json project file, or a stored project's code."),
]
_Iterations = Annotated[int, typer.Option("--iterations", "-n", min=1, help="Iterations.")]
_Seed = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same result).")]
_Status = Annotated[
    str | None,
    typer.Option("--status-date", help="Status date YYYY-MM-DD (17:00) or YYYY-MM-DDTHH:MM."),
]
_Template = Annotated[
    str | None,
    typer.Option(
        "--template",
        help="Min,most likely,max in percent of each task's duration, for tasks without "
        "estimates (default 90,100,130).",
    ),
]
_Dist = Annotated[
    str | None,
    typer.Option("--distribution", help="triangular (default), pert, uniform or fixed."),
]
_Lhs = Annotated[bool, typer.Option("--lhs", help="Latin hypercube sampling.")]
_Tolerance = Annotated[
    float | None,
    typer.Option(
        "--tolerance",
        help="Stop early once mean and P80 move less than this fraction of the duration "
        "between batches of 1000 iterations (e.g. 0.001).",
    ),
]
_Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
PROGRESS_THRESHOLD = 2_000_000  # task-iterations above which a progress bar is worth showing


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to the ``hitpm`` application."""
    app.command("simulate")(simulate_command)


def simulate_command(
    file: _FileArg,
    iterations: _Iterations = 1000,
    seed: _Seed = 0,
    status_date: _Status = None,
    template: _Template = None,
    distribution: _Dist = None,
    lhs: _Lhs = False,
    tolerance: _Tolerance = None,
    json_: _Json = False,
) -> None:
    """Monte Carlo risk analysis of FILE or PROJECT: finish P-dates, criticality, sensitivity."""
    try:
        stored = not file.exists() and re.match(PROJECT_CODE_PATTERN, str(file))
        project, inputs = stored_inputs(str(file)) if stored else read_inputs(file)
        if status_date is not None:
            project = replace(project, status_date=parse_status_date(status_date))
        changes: dict[str, Any] = {"iterations": iterations, "seed": seed, "latin_hypercube": lhs}
        if template is not None:
            changes["template"] = parse_template(template)
        if distribution is not None:
            changes["distribution"] = distribution
        if tolerance is not None:
            changes["convergence_tolerance"] = tolerance
        inputs = replace(inputs, **changes)
        outcome = _run(project, inputs, show_progress=not json_)
    except ValueError as exc:  # file errors, bad options, bad estimates, network errors
        fail_on_file(file, exc, "simulate")
    if json_:
        emit_json(result_json(outcome))
    else:
        for table in result_tables(project, outcome):
            console.print(table)


def read_inputs(path: Path) -> tuple[ProjectSpec, SimulationInput]:
    """The project and the uncertainty its file describes (defaults when it has none)."""
    from hitpm.engine.montecarlo import SimulationInput, uncertainty_from_dict

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(str(exc.strerror)) from None
    if sniff(data) != "json":
        return read_project_file(path), SimulationInput()
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProjectJsonError(f"not valid JSON: {exc}") from None
    section = document.pop("uncertainty", None) if isinstance(document, dict) else None
    project = project_from_dict(document)
    if section is None:
        return project, SimulationInput()
    return project, uncertainty_from_dict(section, _minutes_parser(project.options))


def stored_inputs(code: str) -> tuple[ProjectSpec, SimulationInput]:
    """A stored project's plan, task estimates and register risk events."""
    from hitpm.cli import django_setup

    django_setup.setup()
    from hitpm.planning.services import project_spec
    from hitpm.portfolio.models import Project
    from hitpm.risk.services.simulation import RunOptions, simulation_input

    stored = Project.objects.filter(code=code).first()
    if stored is None:
        raise ImportFileError("no such file, and no stored project has that code")
    spec = project_spec(stored)
    return spec, simulation_input(stored, spec, RunOptions())


def _minutes_parser(options: ScheduleOptions) -> Any:
    def parse(value: Any, where: str) -> int:
        if isinstance(value, str):
            return human_minutes(value, options, where)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f'{where}: expected working minutes or a duration like "5d"')
        return round(value)

    return parse


def parse_template(text: str) -> tuple[float, float, float]:
    """``"90,100,130"`` (percent) -> (0.9, 1.0, 1.3)."""
    try:
        low, likely, high = (float(part) / 100 for part in text.split(","))
    except ValueError:
        raise ValueError(
            f"--template {text!r}: expected three percentages like 90,100,130"
        ) from None
    return low, likely, high


def _run(project: ProjectSpec, inputs: SimulationInput, show_progress: bool) -> ProjectSimulation:
    from hitpm.engine.montecarlo import simulate

    long_run = inputs.iterations * len(project.tasks) >= PROGRESS_THRESHOLD
    columns = (TextColumn("simulating"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True,
                  disable=not (show_progress and long_run)) as bar:  # fmt: skip
        task = bar.add_task("simulate", total=1.0)
        return simulate(project, inputs, lambda done: bar.update(task, completed=done))


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def result_json(outcome: ProjectSimulation) -> dict[str, Any]:
    """The ``--json`` document (a fixed shape scripts can rely on)."""
    r = outcome.result
    finish = {f"p{p}": _iso(d) for p, d in outcome.finish_dates().items()}
    return {
        "iterations": r.iterations,
        "finish": {**finish, "mean": _iso(outcome.mean_date)},
        "deterministic_finish": _iso(outcome.deterministic_date),
        "deterministic_confidence": round(r.deterministic_confidence, 4),
        "tasks": [
            {"id": uid, "criticality": round(c, 4), "sensitivity": round(s, 4)}
            for uid, c, s in outcome.tasks()
        ],
    }


def _when(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def result_tables(project: ProjectSpec, outcome: ProjectSimulation) -> list[Table]:
    """P-dates, the top-10 tornado and, when the file has risk events, their ranking."""
    r = outcome.result
    title = f"{project.name or 'Project'}: {r.iterations} iterations, seed {r.input.seed}"
    dates = Table(title=title, caption="; ".join(r.warnings) or None)
    dates.add_column("Finish")
    dates.add_column("Date")
    for p, when in outcome.finish_dates().items():
        dates.add_row(f"P{p}", _when(when))
    dates.add_row("Mean", _when(outcome.mean_date))
    confidence = f"{r.deterministic_confidence:.0%} of iterations finish by then"
    dates.add_row("Deterministic", f"{_when(outcome.deterministic_date)} ({confidence})")
    names = {t.uid: t.name for t in project.tasks}
    tornado = Table(title="What drives the finish (Spearman rank correlation)")
    for header in ("UID", "Task", "Sensitivity", "Criticality"):
        tornado.add_column(header, justify="left" if header == "Task" else "right")
    for i in r.tornado(10):
        uid = int(outcome.ids[i])
        tornado.add_row(str(uid), escape(names.get(uid, "")), f"{r.sensitivity[i]:+.3f}",
                        f"{r.criticality[i]:.0%}")  # fmt: skip
    tables = [dates, tornado]
    if r.risk_drivers:
        risks = Table(title="Risk events")
        for header in ("Risk", "Occurred", "Mean delay (days)", "Correlation"):
            risks.add_column(header, justify="left" if header == "Risk" else "right")
        per_day = project.options.minutes_per_day
        for d in r.risk_drivers:
            risks.add_row(escape(d.name), f"{d.occurrence:.0%}", f"{d.mean_delay / per_day:.1f}",
                          f"{d.correlation:+.3f}")  # fmt: skip
        tables.append(risks)
    return tables
