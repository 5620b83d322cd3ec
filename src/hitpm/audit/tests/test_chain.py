"""The audit trail records every change and detects tampering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from typer.testing import CliRunner

from hitpm.audit.chain import verify
from hitpm.audit.context import acting_as
from hitpm.audit.models import AuditEntry
from hitpm.cli import app
from hitpm.portfolio.models import Portfolio, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    with acting_as("alice"):
        portfolio = Portfolio.objects.create(name="Clinical IT")
        return Project.objects.create(
            portfolio=portfolio, code="EHR-1", name="EHR go-live", start_date=dt.date(2027, 1, 4)
        )


def test_create_update_delete_are_recorded_with_field_values(project: Project) -> None:
    with acting_as("bob"):
        project.health = Project.Health.AMBER
        project.save()
    entries = list(AuditEntry.objects.filter(model="portfolio.project").order_by("seq"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].actor == "alice"
    assert entries[0].changes["code"] == [None, "EHR-1"]
    assert entries[1].actor == "bob"
    assert entries[1].changes["health"] == ["green", "amber"]
    assert entries[1].changes["version"] == [1, 2]
    assert entries[1].project_id == project.pk
    with acting_as("carol"):
        project.delete()
    deleted = AuditEntry.objects.filter(model="portfolio.project").order_by("seq").last()
    assert deleted is not None
    assert deleted.action == "delete"
    assert deleted.changes["name"] == ["EHR go-live", None]


def test_unchanged_save_records_only_the_version_bump(project: Project) -> None:
    before = AuditEntry.objects.count()
    project.save()
    entry = AuditEntry.objects.order_by("seq").last()
    assert AuditEntry.objects.count() == before + 1
    assert entry is not None
    assert set(entry.changes) == {"version"}


def test_intact_chain_verifies(project: Project) -> None:
    result = verify()
    assert result.ok, result.reason
    assert result.checked == AuditEntry.objects.count() >= 2


def test_entries_refuse_update_and_delete_through_the_app(project: Project) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.actor = "mallory"
    with pytest.raises(RuntimeError, match="append-only"):
        entry.save()
    with pytest.raises(RuntimeError, match="append-only"):
        entry.delete()


def _raw(sql: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_editing_a_row_behind_the_apps_back_is_detected(project: Project) -> None:
    first = AuditEntry.objects.order_by("seq").first()
    assert first is not None
    _raw("UPDATE audit_auditentry SET actor = %s WHERE seq = %s", ["mallory", first.seq])
    result = verify()
    assert not result.ok
    assert result.broken_seq == first.seq
    assert "altered" in result.reason


def test_deleting_a_row_is_detected(project: Project) -> None:
    project.save()
    _raw("DELETE FROM audit_auditentry WHERE seq = %s", [2])
    result = verify()
    assert not result.ok
    assert result.broken_seq == 2
    assert "missing" in result.reason


def test_removing_the_last_entries_is_detected(project: Project) -> None:
    last = AuditEntry.objects.order_by("seq").last()
    assert last is not None
    _raw("DELETE FROM audit_auditentry WHERE seq = %s", [last.seq])
    result = verify()
    assert not result.ok
    assert result.broken_seq == last.seq


def test_rehashing_one_entry_still_breaks_the_link_to_the_next(project: Project) -> None:
    project.save()
    _raw("UPDATE audit_auditentry SET entry_hash = %s WHERE seq = %s", ["f" * 64, 1])
    result = verify()
    assert not result.ok
    assert result.broken_seq == 1


def test_cli_verify_exits_non_zero_naming_the_broken_entry(project: Project) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify", "--json"])
    assert ok.exit_code == 0, ok.output
    assert '"ok": true' in ok.output
    _raw("UPDATE audit_auditentry SET changes_json = %s WHERE seq = %s", ["{}", 2])
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "#2" in broken.output


def test_many_to_many_changes_are_recorded_on_the_declaring_record(project: Project) -> None:
    """Meeting attendees changed from either side are an update of the meeting."""
    from hitpm.stakeholders.models import Meeting, Stakeholder

    with acting_as("alice"):
        cmio = Stakeholder.objects.create(project=project, name="CMIO", influence=5, interest=5)
        cno = Stakeholder.objects.create(project=project, name="CNO", influence=5, interest=4)
        meeting = Meeting.objects.create(
            project=project, title="Steering", starts_at=dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC)
        )
    with acting_as("bob"):
        meeting.attendees.add(cmio, cno)
        meeting.attendees.remove(cmio)
        cno.meetings.clear()  # the reverse side
        meeting.attendees.set([])  # no change: nothing recorded
    updates = AuditEntry.objects.filter(model="stakeholders.meeting", action="update")
    assert [(e.actor, e.changes) for e in updates.order_by("seq")] == [
        ("bob", {"attendees": [[], sorted([cmio.pk, cno.pk])]}),
        ("bob", {"attendees": [sorted([cmio.pk, cno.pk]), [cno.pk]]}),
        ("bob", {"attendees": [[cno.pk], []]}),
    ]
    assert all(e.project_id == project.pk for e in updates)
    assert verify().ok
