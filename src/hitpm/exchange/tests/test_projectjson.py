"""hitpm JSON: lossless round trips, and validation errors that point at the field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hitpm.engine.model import (
    CalendarException,
    CalendarSpec,
    ConstraintType,
    LagFormat,
    LinkSpec,
    LinkType,
    ProjectSpec,
    TaskSpec,
)
from hitpm.exchange.errors import ProjectJsonError
from hitpm.exchange.mspdi import read_mspdi
from hitpm.exchange.projectjson import (
    dumps_project_json,
    project_from_dict,
    project_to_dict,
    read_project_json,
)

HERE = Path(__file__).parent
MSPDI_FILES = [
    *sorted(Path("/work/shared/data/mspdi").glob("*.xml")),
    HERE / "data" / "exceptions-mspdi.xml",
]
DOC_EXAMPLE = Path(__file__).parents[4] / "docs" / "project-json.md"


@pytest.mark.parametrize("path", MSPDI_FILES, ids=lambda p: p.name)
def test_mspdi_projects_round_trip(path: Path) -> None:
    spec = read_mspdi(path)
    assert read_project_json(dumps_project_json(spec).encode()) == spec


def _minimal(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "hitpm-project",
        "version": 1,
        "name": "Minimal",
        "start": "2026-01-05T08:00:00",
        "calendar": 1,
        "calendars": [{"uid": 1, "weekly": {"mon": ["08:00-12:00", "13:00-17:00"]}}],
        "tasks": [{"uid": 1, "name": "A", "duration": "2d"}, {"uid": 2, "duration_minutes": 60}],
        "links": [{"from": 1, "to": 2, "type": "SS", "lag": "-1d 2h"}],
    }
    doc.update(overrides)
    return doc


def test_human_durations_and_lags() -> None:
    spec = project_from_dict(_minimal())
    assert spec.tasks[0].duration_minutes == 960
    assert spec.links[0].lag == -600
    assert spec.links[0].type == LinkType.SS
    assert spec.calendars[0].weekly == {0: ((480, 720), (780, 1020))}


def test_defaults_are_microsoft_project_defaults() -> None:
    spec = project_from_dict(_minimal())
    assert spec.options.minutes_per_day == 480
    assert spec.tasks[1].constraint_type == ConstraintType.ASAP
    assert spec.links[0].lag_format == LagFormat.WORKING


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "version: this hitpm reads version 1, got 2"),
        ({"start": "05/01/2026"}, "start: '05/01/2026' is not a local date-time"),
        ({"start": "2026-01-05T08:00:00+01:00"}, "start: use local time without a UTC offset"),
        ({"calendar": 7}, "calendar: 7 is not the uid of any calendar"),
        ({"tasks": [{"uid": 1, "durations": 5}]}, "tasks[0]: unknown field 'durations'"),
        ({"tasks": [{"uid": 1, "duration": "5 days"}]}, "tasks[0] (uid 1).duration: '5 days'"),
        ({"tasks": [{"uid": 1, "constraint": "SOON"}]}, "tasks[0] (uid 1).constraint: 'SOON'"),
        ({"tasks": [{"uid": 1, "percent_complete": 120}]}, "percent_complete: expected 0..100"),
        ({"tasks": [{"uid": 1}, {"uid": 1}]}, "tasks[1].uid: 1 is used twice"),
        ({"tasks": [{"name": "x"}]}, "tasks[0].uid: required"),
        ({"links": [{"from": 1, "to": 9}]}, "links[0].to: task 9 does not exist"),
        ({"links": [{"from": 1, "to": 2, "type": "XX"}]}, "links[0].type: 'XX' is not one of"),
        ({"calendars": [{"uid": 1, "weekly": {"mon": ["17:00-08:00"]}}]}, "weekly.mon[0]"),
        ({"calendars": [{"uid": 1, "weekly": {"monday": []}}]}, "unknown field 'monday'"),
        ({"calendars": [{"uid": 1, "exceptions": [{"start": "2026-02-30"}]}]}, "exceptions[0]"),
        ({"options": {"minutes_per_day": 0}}, "options.minutes_per_day: expected a positive"),
        ({"tasks": "none"}, "tasks: expected a list"),
    ],
)
def test_validation_errors_name_the_field(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ProjectJsonError) as raised:
        project_from_dict(_minimal(**change))
    assert message in str(raised.value)


def test_not_an_object() -> None:
    with pytest.raises(ProjectJsonError, match="project: expected an object, got a list"):
        project_from_dict([])


def test_documented_example_is_valid() -> None:
    text = DOC_EXAMPLE.read_text()
    example = text.split("```json", 1)[1].split("```", 1)[0]
    spec = project_from_dict(json.loads(example))
    assert len(spec.tasks) >= 4
    assert {x.type for x in spec.links} == set(LinkType)


# ---------------------------------------------------------------- property: any spec round-trips

_minutes = st.integers(min_value=0, max_value=24 * 60)
_datetimes = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1))
_minute_datetimes = _datetimes.map(lambda d: d.replace(second=0, microsecond=0))
_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
_intervals = st.lists(st.tuples(_minutes, _minutes).filter(lambda i: i[0] < i[1]), max_size=3).map(
    lambda spans: tuple(sorted(spans))
)


@st.composite
def _calendars(draw: st.DrawFn, uid: int) -> CalendarSpec:
    start = draw(_dates)
    exceptions = [
        CalendarException(start, start + dt.timedelta(days=draw(st.integers(0, 9))), spans, name)
        for spans, name in draw(st.lists(st.tuples(_intervals, st.text(max_size=8)), max_size=3))
    ]
    weekly = draw(st.dictionaries(st.integers(0, 6), _intervals))
    return CalendarSpec(
        uid=uid, name=draw(st.text(max_size=8)), weekly=weekly, exceptions=exceptions
    )


@st.composite
def _projects(draw: st.DrawFn) -> ProjectSpec:
    calendar = draw(_calendars(1))
    uids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=6, unique=True))
    tasks = [
        TaskSpec(
            uid=uid,
            name=draw(st.text(max_size=12)),
            duration_minutes=draw(st.integers(0, 100_000)),
            outline_level=draw(st.integers(1, 4)),
            milestone=draw(st.booleans()),
            manual=draw(st.booleans()),
            constraint_type=draw(st.sampled_from(ConstraintType)),
            constraint_date=draw(st.none() | _minute_datetimes),
            deadline=draw(st.none() | _minute_datetimes),
            calendar_uid=draw(st.sampled_from([None, 1])),
            actual_start=draw(st.none() | _minute_datetimes),
            percent_complete=draw(st.floats(0, 100)),
            remaining_duration_minutes=draw(st.none() | st.integers(0, 10_000)),
        )
        for uid in uids
    ]
    links = [
        LinkSpec(
            predecessor_uid=draw(st.sampled_from(uids)),
            successor_uid=draw(st.sampled_from(uids)),
            type=draw(st.sampled_from(LinkType)),
            lag=draw(st.integers(-10_000, 10_000)),
            lag_format=draw(st.sampled_from(LagFormat)),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    return ProjectSpec(
        name=draw(st.text(max_size=20)),
        start=draw(_minute_datetimes),
        calendar_uid=1,
        calendars=[calendar],
        tasks=tasks,
        links=links,
        status_date=draw(st.none() | _minute_datetimes),
    )


@settings(max_examples=150, deadline=None)
@given(_projects())
def test_any_project_round_trips(spec: ProjectSpec) -> None:
    assert project_from_dict(json.loads(json.dumps(project_to_dict(spec)))) == spec
    assert read_project_json(dumps_project_json(spec).encode()) == spec
