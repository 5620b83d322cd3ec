"""Imports queued for ``hitpm worker``: claimed, run to the end, and re-queued when their
process died."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from hitpm.cli import app
from hitpm.core.jobs import kinds, work
from hitpm.core.tests.web_fixtures import make_project, make_user
from hitpm.exchange.jobs import queue_import, requeue_abandoned
from hitpm.exchange.models import ImportJob

pytestmark = pytest.mark.django_db
RICH = (Path(__file__).parent / "data" / "rich-mspdi.xml").read_bytes()


@pytest.fixture(autouse=True)
def worker_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HITPM_JOBS", "worker")
    # A real worker recycles its database connection between jobs; here that connection
    # holds the test's transaction.
    monkeypatch.setattr("hitpm.core.jobs.close_old_connections", lambda: None)


def test_imports_are_a_registered_job_kind() -> None:
    assert "import" in [k.name for k in kinds()]


def test_worker_runs_queued_imports() -> None:
    project = make_project("JOB-1", {})
    job = queue_import(data=RICH, filename="rich.xml", user=make_user("pm"), project=project)
    assert ImportJob.objects.get(pk=job.pk).status == "queued"
    assert work(once=True) == 1
    job.refresh_from_db()
    assert job.status == "done"
    assert job.summary["tasks"] == 8
    assert work(once=True) == 0


def test_worker_command_runs_the_queue() -> None:
    project = make_project("JOB-2", {})
    queue_import(data=RICH, filename="rich.xml", user=None, project=project)
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 jobs run" in result.output
    assert project.tasks.count() == 8


def test_abandoned_jobs_are_queued_again() -> None:
    job = ImportJob.objects.create(
        filename="x.xml", format="mspdi", status="running",
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    assert requeue_abandoned() == 1
    job.refresh_from_db()
    assert job.status == "queued"
