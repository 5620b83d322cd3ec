"""``hitpm simulate``: the JSON shape on real files and on hitpm JSON with uncertainty, the
human output, and one-line errors for bad files and options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hitpm.cli import app

MSPDI = sorted(Path("/work/shared/data/mspdi").glob("*.xml"))
ISO = "%Y-%m-%dT%H:%M:%S"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, ["simulate", *args])


def assert_shape(document: dict[str, Any], iterations: int) -> None:
    assert list(document) == ["iterations", "finish", "deterministic_finish",
                              "deterministic_confidence", "tasks"]  # fmt: skip
    assert document["iterations"] == iterations
    assert list(document["finish"]) == ["p10", "p50", "p80", "p90", "mean"]
    for value in [*document["finish"].values(), document["deterministic_finish"]]:
        assert len(value) == 19, value
        assert value[10] == "T", value
    assert 0.0 <= document["deterministic_confidence"] <= 1.0
    for row in document["tasks"]:
        assert list(row) == ["id", "criticality", "sensitivity"]
        assert isinstance(row["id"], int)
        assert 0.0 <= row["criticality"] <= 1.0
        assert -1.0 <= row["sensitivity"] <= 1.0


@pytest.mark.skipif(not MSPDI, reason="shared MSPDI samples not available")
@pytest.mark.parametrize("path", MSPDI, ids=lambda p: p.name)
def test_json_shape_on_mspdi_files(path: Path) -> None:
    result = invoke(str(path), "--iterations", "300", "--seed", "4", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert_shape(document, 300)
    again = invoke(str(path), "--iterations", "300", "--seed", "4", "--json")
    assert json.loads(again.stdout) == document


def uncertain_project(**uncertainty: Any) -> dict[str, Any]:
    return {
        "format": "hitpm-project", "version": 1, "name": "EHR go-live",
        "start": "2026-01-05T08:00:00", "calendar": 1,
        "calendars": [{"uid": 1, "name": "Standard", "weekly": {
            day: ["08:00-12:00", "13:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}}],
        "tasks": [
            {"uid": 1, "name": "Build interfaces", "duration": "10d"},
            {"uid": 2, "name": "Test interfaces", "duration": "5d"},
            {"uid": 3, "name": "Train staff", "duration": "3d"},
            {"uid": 4, "name": "Go-live", "duration_minutes": 0, "milestone": True},
        ],
        "links": [{"from": 1, "to": 2}, {"from": 2, "to": 4}, {"from": 3, "to": 4}],
        "uncertainty": {
            "distribution": "pert",
            "template": [90, 100, 150],
            "estimates": [{"task": 1, "min": "8d", "likely": "10d", "max": "20d"}],
            "risks": [{"name": "Vendor slips", "probability": 0.3, "tasks": [2],
                       "impact": {"min": "1d", "likely": "2d", "max": "5d"}}],
            "correlations": [{"tasks": [1, 2], "coefficient": 0.5}],
            **uncertainty,
        },
    }  # fmt: skip


def write(tmp_path: Path, document: dict[str, Any]) -> str:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_json_shape_with_an_uncertainty_section(tmp_path: Path) -> None:
    path = write(tmp_path, uncertain_project())
    result = invoke(path, "-n", "2000", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert_shape(document, 2000)
    assert document["deterministic_finish"] == "2026-01-23T17:00:00"
    assert document["finish"]["p80"] > document["finish"]["p50"] > "2026-01-23"
    tasks = {row["id"]: row for row in document["tasks"]}
    assert tasks[1]["criticality"] == 1.0
    assert tasks[3]["criticality"] == 0.0
    assert tasks[1]["sensitivity"] > tasks[3]["sensitivity"]


def test_options_override_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, uncertain_project(estimates=[], risks=[], correlations=[]))
    result = invoke(path, "-n", "50", "--distribution", "fixed", "--lhs", "--json")
    document = json.loads(result.stdout)
    assert set(document["finish"].values()) == {"2026-01-23T17:00:00"}
    assert document["deterministic_confidence"] == 1.0


def test_human_output_shows_p_dates_tornado_and_risks(tmp_path: Path) -> None:
    result = invoke(write(tmp_path, uncertain_project()), "-n", "500")
    assert result.exit_code == 0, result.output
    for text in ("P80", "Deterministic", "Build interfaces", "Vendor slips"):
        assert text in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"estimates": [{"task": 1, "min": "12d", "likely": "10d", "max": "20d"}]},
         "minimum <= most likely"),
        ({"risks": [{"name": "x", "probability": 1.5, "tasks": [2], "impact": {"min": 1,
                     "likely": 2, "max": 3}}]}, "probability 1.5"),
        ({"risks": [{"name": "x", "probability": 0.5, "tasks": [99], "impact": {"min": 1,
                     "likely": 2, "max": 3}}]}, "task 99"),
        ({"estimates": [{"task": 1, "min": -5, "likely": 10, "max": 20}]}, "negative"),
        ({"distribution": "lognormal"}, "lognormal"),
    ],
)  # fmt: skip
def test_bad_uncertainty_exits_with_one_line(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    result = invoke(write(tmp_path, uncertain_project(**change)), "--json")
    assert result.exit_code != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args", [["--template", "130,100,90"], ["--template", "abc"], ["--distribution", "normal"]]
)
def test_bad_options_exit_with_one_line(tmp_path: Path, args: list[str]) -> None:
    result = invoke(write(tmp_path, uncertain_project()), *args)
    assert result.exit_code != 0
    assert result.stderr.startswith("error:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_files_exit_with_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    for path in (str(junk), str(tmp_path / "missing.xml")):
        result = invoke(path)
        assert result.exit_code != 0
        assert "cannot read" in result.stderr


def test_the_command_never_imports_django() -> None:
    code = ("import sys; from hitpm.cli import app; import hitpm.cli.simulate, "
            "hitpm.engine.montecarlo; print('django' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
