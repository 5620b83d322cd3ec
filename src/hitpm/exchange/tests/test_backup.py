"""hitpm JSON backups: every model a project owns is written and restored exactly, with new
ids; the CLI does the same; broken backups import nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import models, transaction
from pytest_django import DjangoDbBlocker
from typer.testing import CliRunner

from hitpm.audit.models import AuditEntry
from hitpm.cli import app
from hitpm.exchange.backup.dump import project_backup
from hitpm.exchange.backup.graph import owned_models
from hitpm.exchange.backup.load import Restored, restore_backup
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.importers.plan import import_plan
from hitpm.exchange.tests.helpers import rich_document
from hitpm.portfolio.demo import load_demo
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo portfolio, plus resources, assignments and a baseline on EHR-GOLIVE."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(today=TODAY)
        extra = Project.objects.create(
            portfolio=Project.objects.get(code="EHR-GOLIVE").portfolio,
            code="IFC-RICH",
            name="Rich interfaces plan",
            start_date=dt.date(2027, 1, 4),
        )
        import_plan(extra, rich_document())
        yield
        transaction.set_rollback(True)


def _remap(model: type[models.Model], row: dict[str, Any], restored: Restored) -> dict[str, Any]:
    """A row of the original backup with its ids and keys turned into the copy's ids."""
    out = dict(row)
    for field in model._meta.concrete_fields:
        value = row.get(field.name)
        if field.primary_key:
            out[field.name] = restored.ids[model][value]
        elif isinstance(field, models.ForeignKey) and value is not None:
            target = field.remote_field.model
            if target is Project:
                out[field.name] = restored.project.pk
            elif target in restored.ids:
                out[field.name] = restored.ids[target].get(value, value)
    for m2m in model._meta.many_to_many:
        if m2m.name in row:
            other = restored.ids[m2m.remote_field.model]
            out[m2m.name] = sorted(other[v] for v in row[m2m.name])
    return out


def _assert_identical(original: Project, restored: Restored) -> int:
    before, after = project_backup(original), project_backup(restored.project)
    compared = 0
    for owned in owned_models():
        expected = sorted(
            (_remap(owned.model, r, restored) for r in before["models"][owned.label]),
            key=lambda r: r["id"],
        )
        got = sorted(after["models"][owned.label], key=lambda r: r["id"])
        assert got == expected, owned.label
        compared += len(got)
    skip = {"id", "code"}
    assert {k: v for k, v in after["project"].items() if k not in skip} == {
        k: v for k, v in before["project"].items() if k not in skip
    }
    return compared


@pytest.mark.parametrize("code", ["EHR-GOLIVE", "IFC-HL7FHIR", "IFC-RICH"])
def test_backup_restores_every_model_field_by_field(demo: None, code: str) -> None:
    original = Project.objects.get(code=code)
    backup = json.loads(json.dumps(project_backup(original)))
    restored = restore_backup(backup, code=f"{code[:18]}-COPY")
    assert restored.skipped == []
    assert _assert_identical(original, restored) > 20


def test_backup_covers_every_owned_model_and_is_versioned(demo: None) -> None:
    backup = project_backup(Project.objects.get(code="IFC-RICH"))
    assert backup["format"] == "hitpm-project-backup"
    assert backup["version"] == 1
    assert set(backup["models"]) == {o.label for o in owned_models()}
    for label in (
        "planning.task",
        "planning.resource",
        "planning.assignment",
        "planning.baselinetask",
        "planning.calendarexception",
    ):
        assert backup["models"][label], label
    assert "audit.auditentry" not in backup["models"]


def test_cli_export_then_import_makes_an_identical_project(demo: None, tmp_path) -> None:
    path = tmp_path / "ifc.json"
    runner = CliRunner()
    result = runner.invoke(app, ["export", "IFC-RICH", str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", str(path), "--project", "IFC-CLI"])
    assert result.exit_code == 0, result.output
    assert "Imported ifc.json into IFC-CLI" in result.output
    copy = Project.objects.get(code="IFC-CLI")
    assert copy.tasks.count() == Project.objects.get(code="IFC-RICH").tasks.count()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.update(format="other"), "not a hitpm project backup"),
        (lambda b: b.update(version=99), "version 99 is not supported"),
        (lambda b: b["models"].update({"lab.specimen": []}), "lab.specimen"),
        (lambda b: b["models"]["planning.task"][0].update(colour="red"), "unknown fields colour"),
        (
            lambda b: b["models"]["planning.task"][-1].update(duration_minutes="soon"),
            "duration_minutes",
        ),
        (
            lambda b: b["models"]["planning.dependency"][0].update(successor=10**9),
            "not in the backup",
        ),
        (lambda b: b["project"].update(code="EHR-GOLIVE"), "exists already"),
    ],
)
def test_broken_backups_import_nothing(demo: None, change, message: str) -> None:
    backup = json.loads(json.dumps(project_backup(Project.objects.get(code="IFC-RICH"))))
    backup["project"]["code"] = "IFC-NEW"
    change(backup)
    projects, entries = Project.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ImportFileError, match=message):
        restore_backup(backup)
    assert (Project.objects.count(), AuditEntry.objects.count()) == (projects, entries)
