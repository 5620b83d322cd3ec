"""The MSPDI reader against files saved by Microsoft Project 2013 and a hand-written one.

Expected values come from the XML itself, read independently here with plain ElementTree
lookups, so a reader bug cannot hide by agreeing with itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import parse

from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.exchange.mspdi import read_mspdi, read_saved_schedule

SHARED = Path("/work/shared/data/mspdi")
SHARED_FILES = sorted(SHARED.glob("*.xml"))
FIXTURE = Path(__file__).parent / "data" / "exceptions-mspdi.xml"
NS = {"p": "http://schemas.microsoft.com/project"}
MSPDI_LINK_TYPES = {"0": LinkType.FF, "1": LinkType.FS, "2": LinkType.SF, "3": LinkType.SS}

pytestmark = pytest.mark.skipif(not SHARED_FILES, reason=f"shared MSPDI data missing: {SHARED}")


def _raw_tasks(path: Path) -> list[Element]:
    """Tasks the engine should get: not the project summary, blank rows or inactive tasks."""
    return [
        t
        for t in parse(path).getroot().findall("p:Tasks/p:Task", NS)
        if _text(t, "UID") != "0"
        and _text(t, "IsNull", "0") != "1"
        and _text(t, "Active", "1") != "0"
    ]


def _text(element: Element, name: str, default: str | None = None) -> str:
    """Text of child ``p:name``; the test fails if it is missing and there is no default."""
    value = element.findtext(f"p:{name}", default, NS)
    assert value is not None, name
    return value


def _hours_minutes(text: str) -> int:
    hours, rest = text.removeprefix("PT").split("H")
    minutes, _ = rest.split("M")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_every_task_is_read_with_its_values(path: Path) -> None:
    project = read_mspdi(path)
    raw = _raw_tasks(path)
    assert [t.uid for t in project.tasks] == [int(_text(t, "UID")) for t in raw]
    for spec, element in zip(project.tasks, raw, strict=True):
        assert spec.name == _text(element, "Name", "")
        assert spec.duration_minutes == _hours_minutes(_text(element, "Duration"))
        assert spec.outline_level == int(_text(element, "OutlineLevel"))
        assert spec.constraint_type == int(_text(element, "ConstraintType", "0"))
        assert spec.milestone == (_text(element, "Milestone") == "1")
        assert spec.manual == (_text(element, "Manual") == "1")
        constraint_date = element.findtext("p:ConstraintDate", None, NS)
        expected = dt.datetime.fromisoformat(constraint_date) if constraint_date else None
        assert spec.constraint_date == expected


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_every_link_is_read_with_type_and_lag(path: Path) -> None:
    project = read_mspdi(path)
    expected = []
    for task in _raw_tasks(path):
        for link in task.findall("p:PredecessorLink", NS):
            lag = int(_text(link, "LinkLag", "0")) / 10
            expected.append(
                (
                    int(_text(link, "PredecessorUID")),
                    int(_text(task, "UID")),
                    MSPDI_LINK_TYPES[_text(link, "Type")],
                    lag,
                )
            )
    got = [(x.predecessor_uid, x.successor_uid, x.type, x.lag) for x in project.links]
    assert got == expected
    assert all(x.lag_format == LagFormat.WORKING for x in project.links)


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_every_calendar_is_read(path: Path) -> None:
    project = read_mspdi(path)
    root = parse(path).getroot()
    raw = root.findall("p:Calendars/p:Calendar", NS)
    assert [c.uid for c in project.calendars] == [int(_text(c, "UID")) for c in raw]
    exceptions = sum(len(c.findall(".//p:Exceptions/p:Exception", NS)) for c in raw)
    assert sum(len(c.exceptions) for c in project.calendars) == exceptions
    assert project.calendar_uid == int(_text(root, "CalendarUID"))
    assert project.start == dt.datetime.fromisoformat(_text(root, "StartDate"))


def test_links_file_spot_values() -> None:
    project = read_mspdi(SHARED / "task-links-project2013-mspdi.xml")
    links = {(x.predecessor_uid, x.successor_uid): x for x in project.links}
    assert links[(7, 8)].lag == 2400  # 24000 tenths of a minute = 1 week of 5 days
    assert links[(11, 12)].type == LinkType.SF
    assert links[(13, 14)].type == LinkType.SS
    assert links[(15, 16)].type == LinkType.FF
    assert project.tasks[0].constraint_type == ConstraintType.SNET
    assert project.options.honor_constraints_over_links is False


def test_calendars_file_reads_derived_calendars() -> None:
    project = read_mspdi(SHARED / "calendar-calendars-project2013-mspdi.xml")
    by_uid = {c.uid: c for c in project.calendars}
    assert by_uid[5].base_uid == 1
    assert by_uid[5].weekly == {}
    assert by_uid[1].weekly[0] == ((480, 720), (780, 1020))
    assert by_uid[1].weekly[6] == ()


def test_saved_schedule_reads_slack_in_minutes() -> None:
    saved = read_saved_schedule(SHARED / "task-links-project2013-mspdi.xml")
    assert saved[1].total_slack_minutes == 4800  # <TotalSlack>48000</TotalSlack>
    assert saved[1].late_start == dt.datetime(2014, 10, 31, 8, 0)
    assert saved[0].summary
    assert saved[0].critical
    assert not saved[1].critical


# ------------------------------------------------- hand-written file: the parts MS Project 2013
# test files do not exercise (exceptions of both styles, recurrences, work weeks, progress, lags)


@pytest.fixture(scope="module")
def fixture_project():
    return read_mspdi(FIXTURE)


def test_fixture_project_fields(fixture_project) -> None:
    assert fixture_project.name == "Clinic EHR upgrade"
    assert fixture_project.status_date == dt.datetime(2026, 1, 16, 17, 0)
    assert fixture_project.options.critical_slack_limit_minutes == 480
    assert fixture_project.options.honor_constraints_over_links is True


def test_fixture_skips_summary_row_blank_and_inactive_tasks(fixture_project) -> None:
    assert [t.uid for t in fixture_project.tasks] == [1, 2, 3, 4, 5]


def test_fixture_old_style_exceptions(fixture_project) -> None:
    standard = fixture_project.calendars[0]
    holiday, saturday_work = standard.exceptions[:2]
    assert (holiday.start, holiday.end, holiday.intervals) == (
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 19),
        (),
    )
    # ToDate at midnight ends the day before
    assert (saturday_work.start, saturday_work.end) == (dt.date(2026, 1, 24), dt.date(2026, 1, 25))
    assert saturday_work.intervals == ((540, 780),)


def test_fixture_recurring_exceptions(fixture_project) -> None:
    by_name: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for e in fixture_project.calendars[0].exceptions:
        by_name.setdefault(e.name, []).append((e.start, e.end))
    assert by_name["Go-live freeze"] == [(dt.date(2026, 2, 16), dt.date(2026, 2, 18))]
    assert [s for s, _ in by_name["Christmas"]] == [dt.date(y, 12, 25) for y in (2026, 2027, 2028)]
    assert [s for s, _ in by_name["Friday half day"]] == [
        dt.date(2026, 3, 6),
        dt.date(2026, 3, 13),
        dt.date(2026, 3, 20),
    ]


def test_fixture_derived_calendar_and_work_week(fixture_project) -> None:
    night = fixture_project.calendars[1]
    assert night.base_uid == 1
    assert night.weekly == {0: ((1320, 1440),)}  # ToTime 00:00 is midnight at the day's end
    (cut_over,) = night.exceptions
    assert (cut_over.start, cut_over.intervals) == (dt.date(2026, 4, 11), ((600, 840),))


def test_fixture_tasks(fixture_project) -> None:
    tasks = {t.uid: t for t in fixture_project.tasks}
    assert tasks[2].actual_start == dt.datetime(2026, 1, 6, 8, 0)
    assert tasks[2].percent_complete == 50
    assert tasks[2].remaining_duration_minutes == 1200
    assert tasks[3].duration_minutes == 24 * 60 + 30
    assert tasks[3].calendar_uid == 2
    assert tasks[3].deadline == dt.datetime(2026, 2, 27, 17, 0)
    assert tasks[4].manual
    assert tasks[4].manual_start == dt.datetime(2026, 2, 2, 8, 0)
    assert tasks[5].milestone
    assert tasks[5].constraint_type == ConstraintType.FNLT


def test_fixture_links_of_every_type_and_lag_format(fixture_project) -> None:
    got = [
        (x.predecessor_uid, x.successor_uid, x.type, x.lag, x.lag_format)
        for x in fixture_project.links
    ]
    assert got == [
        (2, 3, LinkType.FS, 480, LagFormat.WORKING),
        (2, 4, LinkType.SS, -240, LagFormat.ELAPSED),  # format 38 = estimated elapsed hours
        (3, 4, LinkType.FF, 50, LagFormat.PERCENT),
        (4, 5, LinkType.SF, 1440, LagFormat.ELAPSED),
        # 6 -> 5 is dropped: task 6 is inactive; 99 -> 5 is a cross-project link
    ]


def test_reader_accepts_bytes() -> None:
    assert read_mspdi(FIXTURE.read_bytes()) == read_mspdi(FIXTURE)
