"""Shared test data of the exchange area: a rich plan in the database, and field-by-field
views of a stored plan that tests compare across imports and exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hitpm.core.tests.web_fixtures import make_project
from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.exchange.document import (
    AssignmentData,
    BaselineData,
    BaselineRowData,
    PlanDocument,
    ResourceData,
)
from hitpm.exchange.importers.plan import import_plan
from hitpm.exchange.projectjson import project_from_dict
from hitpm.planning.models import (
    Assignment,
    BaselineTask,
    Calendar,
    CalendarException,
    Dependency,
    Resource,
    Task,
)
from hitpm.portfolio.models import Project

SHARED_MSPDI = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "mspdi"
XER_FIXTURE = Path(__file__).parent / "data" / "xer" / "ifc-lab.xer"
UTC = dt.UTC


def rich_document() -> PlanDocument:
    """A plan that uses every field the exchange formats carry."""
    spec = project_from_dict(
        {
            "format": "hitpm-project",
            "version": 1,
            "name": "EHR interfaces",
            "start": "2027-01-04T08:00:00",
            "status_date": "2027-01-20T17:00:00",
            "calendar": 1,
            "calendars": [
                {"uid": 1, "name": "Hospital", "weekly": {
                    d: ["08:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")
                 }, "exceptions": [
                    {"start": "2027-01-18", "end": "2027-01-18", "name": "MLK Day"},
                    {"start": "2027-02-15", "end": "2027-02-16", "name": "Presidents' break"},
                    {"start": "2027-03-06", "end": "2027-03-06", "name": "Saturday cutover",
                     "working_times": ["08:00-12:00"]},
                ]},
                {"uid": 2, "name": "Night shift", "base": 1,
                 "weekly": {"mon": ["20:00-24:00"], "tue": ["20:00-24:00"]}},
            ],
            "tasks": [
                {"uid": 10, "name": "Design", "outline_level": 1},
                {"uid": 11, "name": "Kick-off", "outline_level": 2, "milestone": True,
                 "actual_start": "2027-01-04T08:00:00", "actual_finish": "2027-01-04T08:00:00",
                 "percent_complete": 100},
                {"uid": 12, "name": "Interface specification", "outline_level": 2,
                 "duration_minutes": 4800, "actual_start": "2027-01-05T08:00:00",
                 "percent_complete": 40, "remaining_duration_minutes": 2880,
                 "deadline": "2027-02-26T17:00:00"},
                {"uid": 20, "name": "Build", "outline_level": 1},
                {"uid": 21, "name": "ADT feed build", "outline_level": 2,
                 "duration_minutes": 7200, "constraint": "SNET",
                 "constraint_date": "2027-02-01T08:00:00"},
                {"uid": 22, "name": "Overnight load test", "outline_level": 2,
                 "duration_minutes": 960, "calendar": 2},
                {"uid": 23, "name": "Results feed build", "outline_level": 2,
                 "duration_minutes": 4800, "constraint": "FNLT",
                 "constraint_date": "2027-04-30T17:00:00"},
                {"uid": 30, "name": "Go-live", "outline_level": 1, "milestone": True},
            ],
            "links": [
                {"from": 11, "to": 12},
                {"from": 12, "to": 21, "type": "SS", "lag": 960},
                {"from": 21, "to": 22, "type": "FF", "lag": -240},
                {"from": 21, "to": 23, "type": "FS", "lag": 50,
                 "lag_format": "percent"},
                {"from": 22, "to": 30, "type": "FS", "lag": 2880,
                 "lag_format": "elapsed"},
                {"from": 23, "to": 30, "type": "SF", "lag": 480},
            ],
        }
    )  # fmt: skip
    document = PlanDocument(spec=spec)
    document.notes = {12: "Covers ADT^A01-A08 and ORU^R01.\nSigned by the CMIO."}
    document.resources = [
        ResourceData(1, "Interface analyst", role="Analyst", calendar_uid=1),
        ResourceData(2, "Epic Bridges team", kind="role", capacity_percent=300),
    ]
    document.assignments = [AssignmentData(12, 1), AssignmentData(21, 2, 150)]
    document.baselines = [
        BaselineData(
            "Baseline",
            0,
            [
                BaselineRowData(12, dt.datetime(2027, 1, 5, 8), dt.datetime(2027, 1, 18, 17), 4800),
                BaselineRowData(
                    30, dt.datetime(2027, 5, 3, 8), dt.datetime(2027, 5, 3, 8), 0, True
                ),
            ],
        )
    ]
    return document


def _fix_link_fields(document: PlanDocument) -> None:
    for link in document.spec.links:
        link.type = LinkType(link.type)
        link.lag_format = LagFormat(link.lag_format)


def rich_project(code: str = "IFC-1", members: dict[Any, str] | None = None) -> Project:
    """A project holding :func:`rich_document`, imported and scheduled."""
    project = make_project(code, members or {})
    document = rich_document()
    _fix_link_fields(document)
    import_plan(project, document)
    return project


def plan_fields(project: Project) -> dict[str, Any]:
    """Everything of a stored plan that an exchange format carries, with ids replaced by
    outline positions and names, so two projects can be compared field by field."""
    tasks = list(Task.objects.filter(project=project).order_by("position"))
    place = {t.pk: t.position for t in tasks}
    calendars = {c.pk: c.name for c in Calendar.objects.filter(project=project)}
    task_rows = [
        {
            "position": t.position, "level": t.outline_level, "name": t.name, "notes": t.notes,
            "duration": t.duration_minutes, "milestone": t.milestone,
            "constraint": (ConstraintType(t.constraint_type).name, t.constraint_date),
            "deadline": t.deadline, "calendar": calendars.get(t.calendar_id or 0),
            "actuals": (t.actual_start, t.actual_finish), "percent": float(t.percent_complete),
            "remaining": t.remaining_minutes, "dates": (t.start, t.finish),
        }
        for t in tasks
    ]  # fmt: skip
    links = sorted(
        (place[d.predecessor_id], place[d.successor_id], d.type, round(d.lag, 3), d.lag_format)
        for d in Dependency.objects.filter(project=project)
    )
    calendar_rows = sorted(
        (c.name, c.base.name if c.base else None, sorted(c.weekly.items()), c.is_project_default)
        for c in Calendar.objects.filter(project=project).select_related("base")
    )
    exceptions = sorted(
        (e.calendar.name, e.start, e.end, e.name, e.intervals)
        for e in CalendarException.objects.filter(calendar__project=project).select_related(
            "calendar"
        )
    )
    resources = sorted(
        (r.name, r.kind, r.role, calendars.get(r.calendar_id or 0), r.capacity_percent)
        for r in Resource.objects.filter(project=project)
    )
    assignments = sorted(
        (place[a.task_id], a.resource.name, a.units_percent)
        for a in Assignment.objects.filter(project=project).select_related("resource")
    )
    baselines = sorted(
        (b.baseline.name, place[b.task_id], b.start, b.finish, b.duration_minutes, b.milestone)
        for b in BaselineTask.objects.filter(baseline__project=project).select_related("baseline")
    )
    return {
        "tasks": task_rows, "links": links, "calendars": calendar_rows,
        "exceptions": exceptions, "resources": resources, "assignments": assignments,
        "baselines": baselines, "start": project.start_date, "status": project.status_date,
    }  # fmt: skip
