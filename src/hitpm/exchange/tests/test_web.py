"""Pages of the import/export area: who may download, upload, map columns, follow jobs and
manage calendar links; the public feed; the portfolio's Import a project page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hitpm.core.tests.web_fixtures import PM, TEAM, VIEWER, make_project, make_user, signed_in
from hitpm.exchange.ical import fold
from hitpm.exchange.models import CalendarFeed, ImportJob
from hitpm.exchange.tests.helpers import rich_project
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db
RICH = (__import__("pathlib").Path(__file__).parent / "data" / "rich-mspdi.xml").read_bytes()


@pytest.fixture(autouse=True)
def inline_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HITPM_JOBS", "inline")


@pytest.fixture
def team():
    users = {name: make_user(name) for name in ("pm", "member", "viewer", "stranger")}
    project = make_project(
        "EHR-1", {users["pm"]: PM, users["member"]: TEAM, users["viewer"]: VIEWER}
    )
    return users, project


def _upload(client: Client, code: str, data: bytes, name: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(
            f"/p/{code}/exchange/import/", {"file": SimpleUploadedFile(name, data), "format": ""}
        )


def test_page_shows_downloads_to_viewers_and_tools_to_managers(team) -> None:
    users, _ = team
    page = signed_in(users["viewer"]).get("/p/EHR-1/exchange/")
    assert page.status_code == 200
    assert b"Microsoft Project XML" in page.content
    assert b"Import a plan" not in page.content
    assert b"export/backup/" not in page.content
    page = signed_in(users["pm"]).get("/p/EHR-1/exchange/")
    assert b"Import a plan" in page.content
    assert b"New calendar link" in page.content
    assert signed_in(users["stranger"]).get("/p/EHR-1/exchange/").status_code == 404


def test_downloads_by_role(team) -> None:
    users, _project = team
    rich = rich_project("IFC-9", {users["viewer"]: VIEWER, users["pm"]: PM})
    viewer = signed_in(users["viewer"])
    response = viewer.get(f"/p/{rich.code}/exchange/export/mspdi/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert 'filename="IFC-9.xml"' in response["Content-Disposition"]
    assert viewer.get(f"/p/{rich.code}/exchange/export/backup/").status_code == 403
    assert signed_in(users["pm"]).get(f"/p/{rich.code}/exchange/export/backup/").status_code == 200
    assert viewer.get(f"/p/{rich.code}/exchange/export/nonsense/").status_code == 404
    assert (
        signed_in(users["stranger"]).get(f"/p/{rich.code}/exchange/export/xer/").status_code == 404
    )


def test_manager_imports_mspdi_and_follows_the_job(
    team, django_capture_on_commit_callbacks
) -> None:
    users, project = team
    client = signed_in(users["pm"])
    response = _upload(client, "EHR-1", RICH, "rich.xml", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/import/jobs/{job.pk}/"
    assert job.status == "done"
    assert job.summary["tasks"] == 8
    assert job.content == b""
    assert Task.objects.filter(project=project).count() == 8
    page = client.get(f"/import/jobs/{job.pk}/")
    assert b"Open the plan of EHR-1" in page.content
    assert signed_in(users["viewer"]).get(f"/import/jobs/{job.pk}/").status_code == 403
    assert signed_in(users["stranger"]).get(f"/import/jobs/{job.pk}/").status_code == 404


def test_team_members_and_viewers_cannot_import(team, django_capture_on_commit_callbacks) -> None:
    users, project = team
    for name in ("member", "viewer"):
        response = _upload(
            signed_in(users[name]), "EHR-1", RICH, "r.xml", django_capture_on_commit_callbacks
        )
        assert response.status_code == 403
    assert not ImportJob.objects.exists()
    assert not project.tasks.exists()


def test_failed_job_reports_the_line_and_imports_nothing(
    team, django_capture_on_commit_callbacks
) -> None:
    users, project = team
    broken = RICH.replace(b"<Type>3</Type>", b"<Type>9</Type>", 1)
    client = signed_in(users["pm"])
    _upload(client, "EHR-1", broken, "broken.xml", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert "9 is not a link type" in job.message
    assert not project.tasks.exists()
    assert b"Nothing was imported" in client.get(f"/import/jobs/{job.pk}/").content


def test_unknown_file_is_refused_on_the_form(team, django_capture_on_commit_callbacks) -> None:
    users, _ = team
    response = _upload(
        signed_in(users["pm"]), "EHR-1", b"\x00\x01", "x.bin", django_capture_on_commit_callbacks
    )
    assert response.status_code == 422
    assert b"unknown format" in response.content
    assert not ImportJob.objects.exists()


def test_csv_goes_through_the_mapping_step(team, django_capture_on_commit_callbacks) -> None:
    users, project = team
    client = signed_in(users["pm"])
    table = b"Activity,Length,Follows\nBuild,3d,\nTest,2d,1\n"
    response = _upload(client, "EHR-1", table, "plan.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "mapping"
    page = client.get(response["Location"], follow=True)
    assert b"Map the columns of plan.csv" in page.content
    assert b"Build" in page.content
    bad = client.post(f"/import/jobs/{job.pk}/mapping/", {"col_0": "", "col_1": "duration"})
    assert bad.status_code == 422
    assert b"Map one column to the task name" in bad.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/import/jobs/{job.pk}/mapping/",
            {"col_0": "name", "col_1": "duration", "col_2": "predecessors"},
        )
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert list(project.tasks.order_by("position").values_list("name", "duration_minutes")) == [
        ("Build", 1440),
        ("Test", 960),
    ]
    assert project.dependencies.count() == 1


def test_calendar_links_are_shown_once_work_without_login_and_can_be_revoked(team) -> None:
    users, _ = team
    project = rich_project("IFC-9", {users["pm"]: PM, users["member"]: TEAM})
    client = signed_in(users["pm"])
    client.post(f"/p/{project.code}/exchange/feeds/", {"label": "Outlook"})
    page = client.get(f"/p/{project.code}/exchange/").content.decode()
    url = re.search(r'value="(http://testserver/calendar/[^"]+\.ics)"', page).group(1)  # type: ignore[union-attr]
    assert "http://testserver" not in client.get(f"/p/{project.code}/exchange/").content.decode()
    feed = CalendarFeed.objects.get()
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed.token_hash != token
    assert token not in feed.token_hash
    anonymous = Client().get(url.removeprefix("http://testserver"))
    assert anonymous.status_code == 200
    assert anonymous["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:IFC-9: Kick-off" in anonymous.content
    assert Client().get("/calendar/not-a-token.ics").status_code == 404
    assert (
        signed_in(users["member"])
        .post(f"/p/{project.code}/exchange/feeds/{feed.pk}/revoke/")
        .status_code
        == 403
    )
    client.post(f"/p/{project.code}/exchange/feeds/{feed.pk}/revoke/")
    assert Client().get(url.removeprefix("http://testserver")).status_code == 404
    from hitpm.audit.models import AuditEntry

    trail = AuditEntry.objects.filter(model="exchange.calendarfeed", object_id=str(feed.pk))
    assert [(e.action, e.actor, e.project_id) for e in trail.order_by("seq")] == [
        ("create", users["pm"].username, project.pk),
        ("update", users["pm"].username, project.pk),
    ]
    assert "revoked_at" in trail.order_by("seq").last().changes  # type: ignore[union-attr]
    assert all("token_hash" not in e.changes for e in trail)


def test_new_project_import_is_for_pmo_admins(team, django_capture_on_commit_callbacks) -> None:
    users, _ = team
    assert signed_in(users["pm"]).get("/import/").status_code == 403
    admin = signed_in(make_user("pmo", pmo_admin=True))
    assert admin.get("/import/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/import/",
            {"file": SimpleUploadedFile("rich.xml", RICH), "code": "NEW-1", "name": "Interfaces"},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/import/jobs/{job.pk}/"
    assert job.status == "done", job.message
    assert Project.objects.get(code="NEW-1").tasks.count() == 8


def test_ics_output_follows_rfc_5545(team) -> None:
    users, _ = team
    project = rich_project("IFC-9", {users["viewer"]: VIEWER})
    text = (
        signed_in(users["viewer"]).get(f"/p/{project.code}/exchange/export/ics/").content.decode()
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = unfolded.split("BEGIN:VEVENT")[1:]
    assert len(events) == 4  # Kick-off and Go-live milestones, a deadline, the target go-live
    for event in events:
        assert re.search(r"^UID:[\w-]+@", event, re.M)
        assert re.search(r"^DTSTAMP:\d{8}T\d{6}Z", event, re.M)
    kickoff = next(e for e in events if "Kick-off" in e)
    assert "DTSTART;VALUE=DATE:20270104" in kickoff
    assert "DTEND;VALUE=DATE:20270105" in kickoff
    deadline = next(e for e in events if "deadline" in e)
    assert "DTSTART:20270226T170000Z" in deadline
    again = (
        signed_in(users["viewer"]).get(f"/p/{project.code}/exchange/export/ics/").content.decode()
    )
    assert re.findall("UID:.*", again) == re.findall("UID:.*", text)


def test_long_lines_fold_on_character_boundaries() -> None:
    line = "SUMMARY:" + "é" * 60
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
