"""``hitpm check dcma``: JSON and table output on the shared MSPDI files, baselines and
assignments read from MSPDI, bad files, and no Django.

The assessment itself is tested check by check in ``hitpm/engine/tests/test_dcma.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

SHARED = Path("/work/shared/data/mspdi")
LINKS_FILE = SHARED / "task-links-project2013-mspdi.xml"
needs_shared = pytest.mark.skipif(not LINKS_FILE.exists(), reason="shared MSPDI data missing")
BASELINE_XML = (
    "<Baseline><Number>0</Number><Start>2014-10-17T08:00:00</Start>"
    "<Finish>2014-10-17T17:00:00</Finish></Baseline></Task>"
)


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    """The real ``hitpm`` app: the command must be registered there, not only importable."""
    pytest.importorskip("hitpm.engine.cpm", reason="the CPM engine is not written yet")
    from hitpm.cli import app

    return app


def dcma(app: typer.Typer, *args: str | Path) -> Result:
    return CliRunner().invoke(app, ["check", "dcma", *(str(a) for a in args)])


@needs_shared
@pytest.mark.parametrize("path", sorted(SHARED.glob("*.xml")), ids=lambda p: p.stem)
def test_cli_json_on_every_shared_file(cli: typer.Typer, path: Path) -> None:
    result = dcma(cli, path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["number"] for c in data["checks"]] == list(range(1, 15))
    assert data["passed"] + data["failed"] + data["not_assessed"] == 14
    for check in data["checks"]:
        assert {"number", "name", "metric", "threshold", "passed", "offending"} <= set(check)
        assert (check["passed"] is None) == bool(check["reason"])


@needs_shared
def test_cli_table_reports_failures_and_still_exits_zero(cli: typer.Typer) -> None:
    result = dcma(cli, LINKS_FILE, "--status-date", "2014-10-22")
    assert result.exit_code == 0, result.output
    assert "DCMA 14-point assessment" in result.stdout
    for text in ("Relationship types", "FAIL", "PASS", "N/A", "not assessed"):
        assert text in result.stdout
    assert "11. Missed tasks: no baseline finish dates" in " ".join(result.stdout.split())


@needs_shared
def test_cli_links_file_findings(cli: typer.Typer) -> None:
    data = json.loads(dcma(cli, LINKS_FILE, "--json", "--status-date", "2014-10-22").stdout)
    checks = {c["number"]: c for c in data["checks"]}
    assert data["status_date"] == "2014-10-22T17:00:00"
    assert checks[1]["passed"] is False  # pairs of tasks: every task has an open end
    assert checks[4]["offending"]  # the file demonstrates SS, FF and SF links
    assert checks[9]["passed"] is False  # unstarted tasks forecast before the status date
    assert checks[12]["passed"] is True
    assert checks[10]["passed"] is None  # no resources assigned in the file


@needs_shared
def test_cli_reads_baseline_and_assignments_from_mspdi(cli: typer.Typer, tmp_path: Path) -> None:
    text = LINKS_FILE.read_text(encoding="utf-8").replace("</Task>", BASELINE_XML)
    text = text.replace("<ResourceUID>-65535</ResourceUID>", "<ResourceUID>1</ResourceUID>", 1)
    path = tmp_path / "baselined.xml"
    path.write_text(text, encoding="utf-8")
    data = json.loads(dcma(cli, path, "--json", "--status-date", "2014-10-22").stdout)
    checks = {c["number"]: c for c in data["checks"]}
    assert checks[11]["passed"] is False  # everything was due on the 17th; nothing is done
    assert checks[11]["denominator"] == 16
    assert checks[14]["metric"] == 0.0
    assert checks[10]["passed"] is False
    assert 1 not in checks[10]["offending"]  # task 1 now has a resource


@needs_shared
def test_cli_json_project_has_no_baseline_or_resources(cli: typer.Typer, tmp_path: Path) -> None:
    from hitpm.exchange.mspdi import read_mspdi
    from hitpm.exchange.projectjson import dumps_project_json

    path = tmp_path / "plan.json"
    path.write_text(dumps_project_json(read_mspdi(LINKS_FILE)), encoding="utf-8")
    data = json.loads(dcma(cli, path, "--json", "--status-date", "2014-10-22").stdout)
    assert [c["passed"] for c in data["checks"] if c["number"] in (10, 11, 14)] == [None] * 3
    assert data["checks"][0]["passed"] is False


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", "this is not a schedule"),
        ("cut.xml", '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'),
        ("other.xml", "<Workbook><Sheet/></Workbook>"),
        ("cut.json", '{"name": "x", "tasks": ['),
        ("empty.json", "{}"),
    ],
)
def test_cli_bad_files_fail_with_one_line(
    cli: typer.Typer, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = dcma(cli, path)
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot read" in result.stderr


def test_cli_missing_file_and_bad_status_date(cli: typer.Typer, tmp_path: Path) -> None:
    missing = dcma(cli, tmp_path / "absent.xml")
    assert missing.exit_code != 0
    assert "No such file" in missing.stderr
    if LINKS_FILE.exists():
        bad_date = dcma(cli, LINKS_FILE, "--status-date", "22/10/2014")
        assert bad_date.exit_code != 0
        assert "--status-date" in bad_date.stderr


@needs_shared
def test_cli_runs_without_django() -> None:
    """A fresh interpreter runs the whole command; Django must never be imported."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "import typer\n"
        "from hitpm.cli.check import register\n"
        "app = typer.Typer()\n"
        "register(app)\n"
        "app.callback()(lambda: None)\n"
        f"result = CliRunner().invoke(app, ['check', 'dcma', {str(LINKS_FILE)!r}, '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
