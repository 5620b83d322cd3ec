"""`hitpm simulate PROJECT` simulates a stored plan with its estimates and risks."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hitpm.cli import app
from hitpm.core.tests.web_fixtures import make_project, make_task
from hitpm.planning.models import Dependency

pytestmark = pytest.mark.django_db


def test_a_stored_project_is_simulated_by_its_code() -> None:
    project = make_project("SRA-1", {})
    design = make_task(project, 1, "Interface design", duration_minutes=5 * 480)
    build = make_task(project, 2, "Interface build", duration_minutes=10 * 480)
    Dependency.objects.create(project=project, predecessor=design, successor=build)
    result = CliRunner().invoke(app, ["simulate", "SRA-1", "-n", "200", "--seed", "7", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["iterations"] == 200
    assert set(doc["finish"]) == {"p10", "p50", "p80", "p90", "mean"}
    assert doc["finish"]["p10"] <= doc["finish"]["p50"] <= doc["finish"]["p90"]
    criticality = {t["id"]: t["criticality"] for t in doc["tasks"]}
    assert criticality == {design.pk: 1.0, build.pk: 1.0}


def test_an_unknown_code_that_is_no_file_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(app, ["simulate", "NO-SUCH", "-n", "10"])
    assert result.exit_code == 1
    assert "no stored project has that code" in result.output
    assert "Traceback" not in result.output
