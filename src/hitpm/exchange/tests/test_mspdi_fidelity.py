"""What Microsoft Project XML holds that hitpm cannot keep is said, not dropped silently.

Small hand-written MSPDI files, one concern each: inactive tasks (left out, with a warning that
reaches the job, the page and the API), material and cost resources (imported as work
resources so their assignments stay, with a warning; written back as work resources), and
calendar exceptions (recurrences and work weeks expanded, consecutive equal days joined into one
range, written back as one ``<Exception>`` per range).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from django.core.files.uploadedfile import SimpleUploadedFile

from hitpm.core.tests.web_fixtures import PM, make_project, make_user, signed_in
from hitpm.engine.model import CalendarException
from hitpm.exchange.backup.dump import project_backup
from hitpm.exchange.document import name_list
from hitpm.exchange.models import ImportJob
from hitpm.exchange.mpxj_bridge import unavailable_reason
from hitpm.exchange.mspdi_calendar import merge_exceptions
from hitpm.exchange.mspdi_document import read_mspdi_document
from hitpm.exchange.mspdi_writer import write_mspdi
from hitpm.exchange.services import export_project, import_into, import_new_project
from hitpm.planning.models import Assignment, Resource, Task
from hitpm.planning.models import CalendarException as StoredException

NS = {"p": "http://schemas.microsoft.com/project"}
needs_mpxj = pytest.mark.skipif(unavailable_reason() is not None, reason="MPXJ/Java missing")

_DAY = (
    "<DayWorking>1</DayWorking><WorkingTimes>"
    "<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
    "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>"
    "</WorkingTimes>"
)
_WEEK = (
    "<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>"
    + "".join(f"<WeekDay><DayType>{d}</DayType>{_DAY}</WeekDay>" for d in range(2, 7))
    + "<WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>"
)


def task(uid: int, name: str, *, active: bool = True, after: Iterable[int] = ()) -> str:
    """A one-day task; ``after`` are its finish-to-start predecessors."""
    links = "".join(
        f"<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>1</Type></PredecessorLink>"
        for p in after
    )
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>1</OutlineLevel>"
        f"<Duration>PT8H0M0S</Duration><Active>{int(active)}</Active>{links}</Task>"
    )


def resource(uid: int, name: str, kind: int = 1) -> str:
    return (
        f"<Resource><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><Type>{kind}</Type>"
        "<MaxUnits>1.00</MaxUnits></Resource>"
    )


def assignment(uid: int, task_uid: int, resource_uid: int, units: str) -> str:
    return (
        f"<Assignment><UID>{uid}</UID><TaskUID>{task_uid}</TaskUID>"
        f"<ResourceUID>{resource_uid}</ResourceUID><Units>{units}</Units></Assignment>"
    )


def exception(name: str, start: str, end: str, extra: str = "", day: str = "") -> str:
    """A new-style (Project 2007 on) exception; a day off unless ``day`` gives working times."""
    return (
        f"<Exception><TimePeriod><FromDate>{start}T00:00:00</FromDate>"
        f"<ToDate>{end}T23:59:00</ToDate></TimePeriod><Name>{name}</Name>{extra}"
        f"{day or '<DayWorking>0</DayWorking>'}</Exception>"
    )


def mspdi(
    tasks: Iterable[str] = (),
    *,
    resources: Iterable[str] = (),
    assignments: Iterable[str] = (),
    exceptions: Iterable[str] = (),
    calendar_extra: str = "",
    old_style: str = "",
) -> bytes:
    """A minimal MSPDI file: one Standard calendar (Mon-Fri 8-12, 13-17) and the given rows."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Project xmlns="http://schemas.microsoft.com/project">'
        "<Title>Fidelity</Title><StartDate>2026-03-02T08:00:00</StartDate>"
        "<CalendarUID>1</CalendarUID><Calendars><Calendar><UID>1</UID><Name>Standard</Name>"
        f"<IsBaseCalendar>1</IsBaseCalendar><WeekDays>{_WEEK}{old_style}</WeekDays>"
        f"<Exceptions>{''.join(exceptions)}</Exceptions>{calendar_extra}</Calendar></Calendars>"
        f"<Tasks>{''.join(tasks or [task(1, 'Build')])}</Tasks>"
        f"<Resources>{''.join(resources)}</Resources>"
        f"<Assignments>{''.join(assignments)}</Assignments></Project>"
    ).encode()


def _children(xml: bytes, path: str) -> list[Any]:
    return fromstring(xml).findall(path, NS)


# ------------------------------------------------------------------------------ inactive tasks


INACTIVE = mspdi(
    [
        task(1, "Design"),
        task(2, "Build", after=[1]),
        task(3, "Legacy interface", active=False, after=[1]),
        task(4, "Fax gateway", active=False, after=[3]),
        task(5, "Go-live", after=[2, 4]),
    ]
)
INACTIVE_WARNING = (
    "Skipped 2 inactive tasks: 3 Legacy interface, 4 Fax gateway; "
    "2 links between them and active tasks dropped"
)


def test_inactive_tasks_are_named_in_a_warning() -> None:
    document = read_mspdi_document(INACTIVE)
    assert [t.name for t in document.spec.tasks] == ["Design", "Build", "Go-live"]
    # 1 -> 3 and 4 -> 5 touched active tasks; 3 -> 4 was between two inactive ones
    assert document.warnings == [INACTIVE_WARNING]


def test_many_inactive_tasks_name_the_first_five() -> None:
    rows = [task(1, "Kick-off")] + [task(n, f"Old feed {n}", active=False) for n in range(2, 10)]
    (warning,) = read_mspdi_document(mspdi(rows)).warnings
    assert warning == (
        "Skipped 8 inactive tasks: 2 Old feed 2, 3 Old feed 3, 4 Old feed 4, 5 Old feed 5, "
        "6 Old feed 6 and 3 more"
    )


def test_one_inactive_task_and_no_links() -> None:
    rows = [task(1, "Kick-off"), task(2, "Legacy interface", active=False)]
    assert read_mspdi_document(mspdi(rows)).warnings == [
        "Skipped 1 inactive task: 2 Legacy interface"
    ]


def test_a_file_without_surprises_has_no_warnings() -> None:
    assert read_mspdi_document(mspdi([task(1, "Build"), task(2, "Test", after=[1])])).warnings == []


def test_name_list() -> None:
    assert name_list([]) == ""
    assert name_list(["a", "b"]) == "a, b"
    assert name_list(list("abcdef")) == "a, b, c, d, e and 1 more"
    assert name_list(list("abcdefg"), shown=2) == "a, b and 5 more"


@pytest.mark.django_db
def test_import_summary_carries_the_warning_and_the_plan_leaves_the_tasks_out() -> None:
    project = make_project("FID-1", {})
    summary = import_into(project, INACTIVE, "plan.xml")
    assert summary.tasks == 3
    assert summary.links == 2
    assert summary.warnings == (INACTIVE_WARNING,)
    assert summary.as_dict()["warnings"] == [INACTIVE_WARNING]
    assert list(Task.objects.filter(project=project).values_list("name", flat=True)) == [
        "Design",
        "Build",
        "Go-live",
    ]


@pytest.mark.django_db
def test_new_project_import_returns_the_warnings() -> None:
    project, summary = import_new_project(INACTIVE, "plan.xml", creator=None, code="FID-NEW")
    assert project.tasks.count() == 3
    assert summary["tasks"] == 3
    assert summary["warnings"] == [INACTIVE_WARNING]


@pytest.mark.django_db
def test_a_backup_lists_the_rows_it_left_out_as_warnings() -> None:
    backup = project_backup(make_project("FID-B1", {make_user("pm"): PM}))
    (membership,) = backup["models"]["portfolio.membership"]
    membership["user"] = "left-the-trust"
    project, summary = import_new_project(
        json.dumps(backup, default=str).encode(), "b.json", creator=None, code="FID-B2"
    )
    assert project.code == "FID-B2"
    assert summary["warnings"] == [
        f"Left out portfolio.membership id {membership['id']}: user 'left-the-trust' does not "
        "exist here"
    ]


@pytest.mark.django_db
def test_the_job_page_and_the_api_show_the_warnings(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setenv("HITPM_JOBS", "inline")
    pm = make_user("pm")
    make_project("FID-2", {pm: PM})
    client = signed_in(pm)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/p/FID-2/exchange/import/",
            {"file": SimpleUploadedFile("plan.xml", INACTIVE), "format": ""},
        )
    job = ImportJob.objects.get()
    assert job.status == "done"
    assert job.summary["warnings"] == [INACTIVE_WARNING]
    assert job.warnings == [INACTIVE_WARNING]
    assert ("tasks", 3) in job.counts
    assert all(key != "warnings" for key, _ in job.counts)
    page = client.get(f"/import/jobs/{job.pk}/").content.decode()
    assert "1 warning:" in page
    assert INACTIVE_WARNING in page
    fragment = client.get(f"/import/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert fragment.content.decode().startswith('<div id="job-status"')
    assert INACTIVE_WARNING in fragment.content.decode()
    assert "1 warning" in client.get("/p/FID-2/exchange/").content.decode()
    api = client.get(f"/api/v1/imports/{job.pk}").json()
    assert api["summary"]["warnings"] == [INACTIVE_WARNING]


# ------------------------------------------------------------------------ resource types


TYPED = mspdi(
    [task(1, "Deploy workstations"), task(2, "Go-live travel")],
    resources=[
        resource(1, "Desktop team", 1),
        resource(2, "Laptops", 0),
        resource(3, "Travel", 2),
        resource(4, "Badges", 0),
    ],
    assignments=[
        assignment(1, 1, 1, "0.5"),
        assignment(2, 1, 2, "250"),  # 250 laptops: a quantity, not a share of time
        assignment(3, 2, 3, "0"),
        assignment(4, 2, 4, "40"),
    ],
)


def test_material_and_cost_resources_are_read_as_work_resources_with_warnings() -> None:
    document = read_mspdi_document(TYPED)
    assert [(r.name, r.kind, r.capacity_percent) for r in document.resources] == [
        ("Desktop team", "person", 100),
        ("Laptops", "person", 100),
        ("Travel", "person", 100),
        ("Badges", "person", 100),
    ]
    assert [(a.task_uid, a.resource_uid, a.units_percent) for a in document.assignments] == [
        (1, 1, 50),
        (1, 2, 100),
        (2, 3, 100),
        (2, 4, 100),
    ]
    assert document.warnings == [
        "2 material resources ('Laptops', 'Badges') imported as work resources at 100 % on each "
        "of their assignments; hitpm keeps no quantities of material resources",
        "Cost resource 'Travel' imported as a work resource at 100 % on each of its "
        "assignments; hitpm keeps no costs of cost resources",
    ]


def test_one_material_resource_warning() -> None:
    data = mspdi(resources=[resource(1, "Scanner", 0)], assignments=[assignment(1, 1, 1, "3")])
    assert read_mspdi_document(data).warnings == [
        "Material resource 'Scanner' imported as a work resource at 100 % on each of its "
        "assignments; hitpm keeps no quantities of material resources"
    ]


@pytest.mark.django_db
def test_typed_resources_keep_their_assignments_and_export_as_work() -> None:
    project = make_project("FID-3", {})
    summary = import_into(project, TYPED, "plan.xml")
    assert (summary.resources, summary.assignments) == (4, 4)
    assert len(summary.warnings) == 2
    stored = sorted(
        Assignment.objects.filter(project=project).values_list(
            "task__name", "resource__name", "units_percent"
        )
    )
    assert stored == [
        ("Deploy workstations", "Desktop team", 50),
        ("Deploy workstations", "Laptops", 100),
        ("Go-live travel", "Badges", 100),
        ("Go-live travel", "Travel", 100),
    ]
    assert set(Resource.objects.filter(project=project).values_list("kind", flat=True)) == {
        "person"
    }
    data, _ = export_project(project, "mspdi")
    written = {
        r.findtext("p:Name", None, NS): r.findtext("p:Type", None, NS)
        for r in _children(data, "p:Resources/p:Resource")
    }
    assert written == {"Desktop team": "1", "Laptops": "1", "Travel": "1", "Badges": "1"}
    assert len(_children(data, "p:Assignments/p:Assignment")) == 4
    again = read_mspdi_document(data)
    assert again.warnings == []  # what hitpm writes it reads back without loss


# ------------------------------------------------------------------------ calendar exceptions


def _exceptions(data: bytes) -> list[tuple[dt.date, dt.date, str, tuple[Any, ...]]]:
    (calendar,) = read_mspdi_document(data).spec.calendars
    return [(e.start, e.end, e.name, e.intervals) for e in calendar.exceptions]


def _days(first: str, count: int) -> list[str]:
    start = dt.date.fromisoformat(first)
    return [(start + dt.timedelta(days=n)).isoformat() for n in range(count)]


FREEZE_DAYS = [exception("Go-live freeze", day, day) for day in _days("2026-03-09", 7)]
D = dt.date


def test_consecutive_equal_days_become_one_exception() -> None:
    data = mspdi(exceptions=FREEZE_DAYS)
    assert _exceptions(data) == [(D(2026, 3, 9), D(2026, 3, 15), "Go-live freeze", ())]


def test_days_with_another_name_or_hours_stay_apart() -> None:
    half_day = (
        "<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime>"
        "<ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes>"
    )
    data = mspdi(
        exceptions=[
            exception("Freeze", "2026-03-09", "2026-03-09"),
            exception("Freeze", "2026-03-10", "2026-03-10"),
            exception("Freeze", "2026-03-11", "2026-03-11", day=half_day),
            exception("Cutover", "2026-03-12", "2026-03-12"),
            exception("Freeze", "2026-03-14", "2026-03-14"),  # a gap on the 13th
        ]
    )
    assert [(s.day, e.day, n, i) for s, e, n, i in _exceptions(data)] == [
        (9, 10, "Freeze", ()),
        (11, 11, "Freeze", ((480, 720),)),
        (12, 12, "Cutover", ()),
        (14, 14, "Freeze", ()),
    ]


def test_weekly_recurrence_expands_into_one_range_per_week() -> None:
    # Monday to Friday (2+4+8+16+32) every week for two weeks
    weekly = "<Type>6</Type><Period>1</Period><DaysOfWeek>62</DaysOfWeek>"
    data = mspdi(exceptions=[exception("Go-live freeze", "2026-03-09", "2026-03-20", weekly)])
    assert _exceptions(data) == [
        (D(2026, 3, 9), D(2026, 3, 13), "Go-live freeze", ()),
        (D(2026, 3, 16), D(2026, 3, 20), "Go-live freeze", ()),
    ]


def test_work_week_days_become_one_range() -> None:
    early = (
        "<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>07:00:00</FromTime>"
        "<ToTime>15:00:00</ToTime></WorkingTime></WorkingTimes>"
    )
    week_days = "".join(f"<WeekDay><DayType>{d}</DayType>{early}</WeekDay>" for d in range(2, 7))
    work_weeks = (
        "<WorkWeeks><WorkWeek><TimePeriod><FromDate>2026-03-09T00:00:00</FromDate>"
        "<ToDate>2026-03-15T23:59:00</ToDate></TimePeriod><Name>Early shift</Name>"
        f"<WeekDays>{week_days}</WeekDays></WorkWeek></WorkWeeks>"
    )
    data = mspdi(calendar_extra=work_weeks)
    assert _exceptions(data) == [(D(2026, 3, 9), D(2026, 3, 13), "Early shift", ((420, 900),))]


def test_old_and_new_style_copies_of_one_exception_are_one() -> None:
    old = (
        "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>"
        "<FromDate>2026-03-09T00:00:00</FromDate><ToDate>2026-03-11T23:59:00</ToDate>"
        "</TimePeriod></WeekDay>"
    )
    new = exception("", "2026-03-09", "2026-03-11")
    assert _exceptions(mspdi(exceptions=[new], old_style=old)) == [
        (D(2026, 3, 9), D(2026, 3, 11), "", ())
    ]


def test_merge_keeps_the_later_exception_where_they_overlap() -> None:
    week_off = CalendarException(D(2026, 3, 9), D(2026, 3, 15), (), "Freeze")
    cutover = CalendarException(D(2026, 3, 11), D(2026, 3, 11), ((480, 720),), "Cutover")
    assert merge_exceptions([week_off, cutover]) == [
        CalendarException(D(2026, 3, 9), D(2026, 3, 10), (), "Freeze"),
        cutover,
        CalendarException(D(2026, 3, 12), D(2026, 3, 15), (), "Freeze"),
    ]
    assert merge_exceptions([cutover, week_off]) == [week_off]
    assert merge_exceptions([]) == []


@pytest.mark.django_db
def test_multi_day_exception_round_trips_as_one_exception() -> None:
    project = make_project("FID-4", {})
    import_into(project, mspdi(exceptions=FREEZE_DAYS), "plan.xml")
    stored = list(
        StoredException.objects.filter(calendar__project=project).values_list(
            "name", "start", "end", "intervals"
        )
    )
    assert stored == [("Go-live freeze", D(2026, 3, 9), D(2026, 3, 15), [])]

    data, _ = export_project(project, "mspdi")
    (written,) = _children(data, "p:Calendars/p:Calendar/p:Exceptions/p:Exception")
    assert written.findtext("p:Name", None, NS) == "Go-live freeze"
    assert written.findtext("p:TimePeriod/p:FromDate", None, NS) == "2026-03-09T00:00:00"
    assert written.findtext("p:TimePeriod/p:ToDate", None, NS) == "2026-03-15T23:59:00"
    assert written.findtext("p:Type", None, NS) == "1"  # daily, one occurrence per day
    assert written.findtext("p:Occurrences", None, NS) == "7"
    assert written.findtext("p:DayWorking", None, NS) == "0"

    copy = make_project("FID-5", {})
    import_into(copy, data, "again.xml")
    again = list(
        StoredException.objects.filter(calendar__project=copy).values_list(
            "name", "start", "end", "intervals"
        )
    )
    assert again == stored


@pytest.mark.django_db
def test_export_joins_equal_days_already_stored_one_by_one() -> None:
    project = make_project("FID-6", {})
    import_into(project, mspdi(), "plan.xml")
    calendar = project.calendars.get()
    for day in range(9, 12):
        StoredException.objects.create(
            calendar=calendar, name="Freeze", start=D(2026, 3, day), end=D(2026, 3, day)
        )
    data, _ = export_project(project, "mspdi")
    periods = [
        (e.findtext("p:TimePeriod/p:FromDate", None, NS), e.findtext("p:Name", None, NS))
        for e in _children(data, "p:Calendars/p:Calendar/p:Exceptions/p:Exception")
    ]
    assert periods == [("2026-03-09T00:00:00", "Freeze")]


@needs_mpxj
@pytest.mark.java
def test_mpxj_reads_the_written_range_as_one_exception(tmp_path: Path) -> None:
    from hitpm.exchange.mpxj_bridge import start_jvm

    path = tmp_path / "freeze.xml"
    path.write_bytes(write_mspdi(read_mspdi_document(mspdi(exceptions=FREEZE_DAYS))))
    start_jvm()
    from org.mpxj.reader import UniversalProjectReader

    read = UniversalProjectReader().read(str(path))
    found = [
        (str(e.getName()), str(e.getFromDate()), str(e.getToDate()))
        for c in read.getCalendars()
        for e in c.getCalendarExceptions()
    ]
    assert found == [("Go-live freeze", "2026-03-09", "2026-03-15")]


@pytest.mark.django_db
def test_cli_import_prints_warnings_and_json(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from hitpm.cli import app

    plan = tmp_path / "legacy.xml"
    plan.write_bytes(INACTIVE)
    runner = CliRunner()
    shown = runner.invoke(app, ["import", str(plan), "--project", "IFC-W1"])
    assert shown.exit_code == 0, shown.output
    assert "warning: Skipped 2 inactive tasks" in " ".join(shown.output.split())
    as_json = runner.invoke(app, ["import", str(plan), "--project", "IFC-W2", "--json"])
    assert as_json.exit_code == 0, as_json.output
    answer = json.loads(as_json.output)
    assert answer["project"] == "IFC-W2"
    assert answer["warnings"] == [INACTIVE_WARNING]
