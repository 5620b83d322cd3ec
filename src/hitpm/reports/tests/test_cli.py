"""`hitpm report` and `hitpm notify` against the test database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hitpm.cli import app
from hitpm.reports.services import create_report, publish, update_report
from hitpm.stakeholders.tests.fixtures import make_setup

pytestmark = pytest.mark.django_db(transaction=False)
runner = CliRunner()


def test_report_markdown_to_stdout_and_pdf_to_a_file(tmp_path: Path) -> None:
    make_setup()
    result = runner.invoke(app, ["report", "EHR-1", "--audience", "it", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "# EHR-1 IT status report" in result.output
    assert "## Interfaces" in result.output
    assert "Neither the plan nor the agile boards have interface work" in result.output
    target = tmp_path / "exec.pdf"
    result = runner.invoke(app, ["report", "EHR-1", "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")


def test_report_errors_are_one_line() -> None:
    make_setup()
    result = runner.invoke(app, ["report", "NOPE"])
    assert result.exit_code == 1
    assert "No project with code 'NOPE'" in result.output
    result = runner.invoke(app, ["report", "EHR-1", "--published"])
    assert result.exit_code == 1
    assert "no published executive report" in result.output
    result = runner.invoke(app, ["report", "EHR-1", "--as-of", "March"])
    assert result.exit_code == 1
    assert "--as-of must be a date" in result.output


def test_report_pdf_without_pango_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    make_setup()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if its libraries were missing
    result = runner.invoke(app, ["report", "EHR-1", "--format", "pdf", "-o", "/dev/null"])
    assert result.exit_code == 1
    assert "libpangoft2-1.0-0" in result.output
    assert "Traceback" not in result.output


def test_report_exports_the_latest_published_snapshot() -> None:
    s = make_setup()
    report = create_report(s.project, "executive")
    report = update_report(report, {"summary": "Steering pack."}, report.version)
    publish(report, s.pm, report.version)
    result = runner.invoke(app, ["report", "EHR-1", "--published", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "Steering pack." in result.output
    assert "**Published:**" in result.output


def test_notify_json() -> None:
    make_setup()
    result = runner.invoke(app, ["notify", "--json", "--date", "2027-03-10"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"communications": 0, "actions": 0}
