"""The import/export API: downloads by role, uploads as jobs, job status, JSON errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hitpm.accounts.models import User
from hitpm.core.tests.api_fixtures import API, Team, make_team
from hitpm.core.tests.web_fixtures import VIEWER
from hitpm.exchange.tests.helpers import rich_project
from hitpm.planning.models import Task

pytestmark = pytest.mark.django_db
RICH = (Path(__file__).parent / "data" / "rich-mspdi.xml").read_bytes()


@pytest.fixture
def team(monkeypatch: pytest.MonkeyPatch) -> Team:
    monkeypatch.setenv("HITPM_JOBS", "inline")
    return make_team()


def _post(client: Any, path: str, data: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {client.secret}"}
    return client.client.post(API + path, data, headers=headers)


def test_export_by_role(team: Team) -> None:
    rich_project("IFC-1", {User.objects.get(username="viewer"): VIEWER})
    response = team.viewer.get("/projects/IFC-1/export/xer")
    assert response.status_code == 200
    assert response.content.startswith(b"ERMHDR")
    assert team.viewer.get("/projects/IFC-1/export/backup").status_code == 403
    assert team.viewer.get("/projects/IFC-1/export/pdf").status_code == 404
    assert team.stranger.get("/projects/IFC-1/export/mspdi").status_code == 404
    assert (
        team.admin.get("/projects/IFC-1/export/backup").json()["format"] == "hitpm-project-backup"
    )


def test_import_into_project_runs_as_a_job(team: Team, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            team.pm, "/projects/EHR-1/imports", {"file": SimpleUploadedFile("r.xml", RICH)}
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued"
    assert job["project"] == "EHR-1"
    status = team.pm.get(f"/imports/{job['id']}").json()
    assert status["status"] == "done"
    assert status["summary"]["tasks"] == 8
    assert Task.objects.filter(project=team.project).count() == 8
    assert team.viewer.get(f"/imports/{job['id']}").status_code == 403
    assert team.stranger.get(f"/imports/{job['id']}").status_code == 404


def test_csv_import_with_mapping(team: Team, django_capture_on_commit_callbacks) -> None:
    table = SimpleUploadedFile("t.csv", b"What,How long\nBuild,2d\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            team.pm,
            "/projects/EHR-1/imports",
            {"file": table, "mapping": json.dumps({"0": "name", "1": "duration"})},
        )
    assert team.pm.get(f"/imports/{response.json()['id']}").json()["status"] == "done"
    assert Task.objects.get(project=team.project).duration_minutes == 960


def test_import_errors_and_permissions(team: Team) -> None:
    assert (
        _post(
            team.viewer, "/projects/EHR-1/imports", {"file": SimpleUploadedFile("r.xml", RICH)}
        ).status_code
        == 403
    )
    assert (
        _post(
            team.member, "/projects/EHR-1/imports", {"file": SimpleUploadedFile("r.xml", RICH)}
        ).status_code
        == 403
    )
    assert (
        _post(
            team.stranger, "/projects/EHR-1/imports", {"file": SimpleUploadedFile("r.xml", RICH)}
        ).status_code
        == 404
    )
    bad = _post(
        team.pm, "/projects/EHR-1/imports", {"file": SimpleUploadedFile("x.bin", b"\x00\x01")}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "file"
    mapping = _post(
        team.pm,
        "/projects/EHR-1/imports",
        {"file": SimpleUploadedFile("t.csv", b"A\nB\n"), "mapping": '{"0": "colour"}'},
    )
    assert mapping.status_code == 422
    assert "mapping must map" in mapping.json()["detail"]
    assert (
        _post(
            team.pm, "/imports", {"file": SimpleUploadedFile("r.xml", RICH), "code": "X-1"}
        ).status_code
        == 403
    )


def test_new_project_from_backup(team: Team, django_capture_on_commit_callbacks) -> None:
    rich_project("IFC-1")
    backup = team.admin.get("/projects/IFC-1/export/backup").content
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            team.admin, "/imports", {"file": SimpleUploadedFile("b.json", backup), "code": "IFC-2"}
        )
    assert response.status_code == 202
    status = team.admin.get(f"/imports/{response.json()['id']}").json()
    assert status["status"] == "done"
    assert status["project"] == "IFC-2"
