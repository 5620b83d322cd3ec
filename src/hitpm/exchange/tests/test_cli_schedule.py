"""``hitpm schedule``: output shapes, status date override, bad files, and no Django."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from hitpm.cli.schedule import parse_status_date, register, result_to_json
from hitpm.engine.cpm import schedule
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.mspdi import read_mspdi, read_saved_schedule
from hitpm.exchange.projectjson import dumps_project_json

HERE = Path(__file__).parent
LINKS_FILE = Path("/work/shared/data/mspdi/task-links-project2013-mspdi.xml")
FIXTURE = HERE / "data" / "exceptions-mspdi.xml"
TASK_KEYS = {
    "id", "name", "early_start", "early_finish", "late_start", "late_finish",
    "total_float_minutes", "free_float_minutes", "critical",
}  # fmt: skip

needs_shared = pytest.mark.skipif(not LINKS_FILE.exists(), reason="shared MSPDI data missing")


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """A bare app with only this command, so the test does not depend on other commands."""
    application = typer.Typer()
    register(application)

    @application.callback()
    def _root() -> None:
        """Test root."""

    return application


def _run(app: typer.Typer, *args: str | Path, columns: int = 200) -> Result:
    return CliRunner().invoke(app, ["schedule", *map(str, args)], env={"COLUMNS": str(columns)})


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@needs_shared
def test_json_output_matches_microsoft_project(app: typer.Typer) -> None:
    result = _run(app, LINKS_FILE, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"project", "tasks"}
    assert set(doc["project"]) == {"start", "finish", "critical_path"}
    assert doc["project"]["finish"] == "2014-11-03T17:00:00"
    saved = read_saved_schedule(LINKS_FILE)
    for task in doc["tasks"]:
        assert set(task) == TASK_KEYS
        expected = saved[task["id"]]
        assert task["early_start"] == _iso(expected.early_start)
        assert task["late_finish"] == _iso(expected.late_finish)
        assert task["total_float_minutes"] == expected.total_slack_minutes
        assert task["critical"] == expected.critical
    critical = {t["id"] for t in doc["tasks"] if t["critical"]}
    assert set(doc["project"]["critical_path"]) <= critical


@needs_shared
def test_table_marks_the_critical_path(app: typer.Typer) -> None:
    result = _run(app, LINKS_FILE)
    assert result.exit_code == 0, result.output
    assert "Critical path: 9 > 10" in result.stdout
    assert "Late finish" in result.stdout
    starred = [line for line in result.stdout.splitlines() if line.startswith("│ * │")]
    assert len(starred) == 2


def test_narrow_terminal_drops_late_dates(app: typer.Typer) -> None:
    result = _run(app, FIXTURE, columns=80)
    assert result.exit_code == 0, result.output
    assert "Late dates: widen the terminal or use --json" in result.stdout


def test_json_file_is_detected_by_content(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"  # extension says nothing
    path.write_text(dumps_project_json(read_mspdi(FIXTURE)))
    from_json = json.loads(_run(app, path, "--json").stdout)
    from_xml = json.loads(_run(app, FIXTURE, "--json").stdout)
    assert from_json == from_xml


def test_status_date_overrides_the_file(app: typer.Typer) -> None:
    spec = read_mspdi(FIXTURE)
    assert spec.status_date is not None
    result = _run(app, FIXTURE, "--json", "--status-date", "2026-01-09")
    assert result.exit_code == 0, result.output
    moved = replace(spec, status_date=dt.datetime(2026, 1, 9, 17, 0))
    assert json.loads(result.stdout) == result_to_json(moved, schedule(moved))
    assert parse_status_date("2026-01-09").isoformat() == "2026-01-09T17:00:00"
    assert parse_status_date("2026-01-09T12:30").hour == 12


def test_bad_status_date(app: typer.Typer) -> None:
    result = _run(app, FIXTURE, "--status-date", "09/01/2026")
    assert result.exit_code != 0
    assert "--status-date '09/01/2026' is not a date" in result.stderr
    with pytest.raises(ImportFileError):
        parse_status_date("tomorrow")


@pytest.mark.parametrize(
    "name",
    ["truncated.xml", "xxe.xml", "billion_laughs.xml", "wrong_root.xml", "bad_task_field.json"],
)
def test_bad_files_exit_non_zero_with_one_line(app: typer.Typer, name: str) -> None:
    result = _run(app, HERE / "malformed" / name)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_missing_file(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(app, tmp_path / "nope.xml")
    assert result.exit_code != 0
    assert "cannot read" in result.stderr


def test_cycle_is_a_scheduling_error(app: typer.Typer, tmp_path: Path) -> None:
    text = dumps_project_json(read_mspdi(FIXTURE))
    doc = json.loads(text)
    doc["links"].append({"from": 5, "to": 2, "type": "FS"})
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(doc))
    result = _run(app, path)
    assert result.exit_code != 0
    assert "cannot schedule" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_command_runs_without_django() -> None:
    """The real console script, in a fresh interpreter: Django must never be imported."""
    code = (
        "import sys\n"
        "from hitpm.cli.schedule import schedule_command\n"
        "from hitpm.engine.cpm import schedule\n"
        "from hitpm.exchange.files import read_project_file\n"
        f"schedule(read_project_file({str(FIXTURE)!r}))\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_console_script_end_to_end(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("hitpm")
    if not script.exists():
        pytest.skip(f"console script not installed at {script}")
    done = subprocess.run(
        [str(script), "schedule", str(FIXTURE), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["project"]["start"] == "2026-01-06T08:00:00"
