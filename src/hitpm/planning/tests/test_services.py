"""Planning services: stored plan -> engine spec, rescheduling, calendars and bulk plan building."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitpm.audit.models import AuditEntry
from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.planning.builder import PlanLink, PlanRow, build_plan
from hitpm.planning.models import COMPUTED_FIELDS, Calendar, CalendarException, Dependency, Task
from hitpm.planning.services import (
    FALLBACK_CALENDAR_UID,
    create_calendar,
    create_default_calendar,
    project_spec,
    reschedule,
)
from hitpm.portfolio.models import Portfolio, Project

pytestmark = pytest.mark.django_db

DAY = 480
MONDAY = dt.date(2027, 3, 1)
UTC = dt.UTC


@pytest.fixture
def project() -> Project:
    portfolio = Portfolio.objects.create(name="Clinical IT")
    return Project.objects.create(
        portfolio=portfolio, code="EHR-1", name="EHR go-live", start_date=MONDAY
    )


def rows_abc() -> list[PlanRow]:
    """A summary with two tasks (A then B, one day of lag) and a milestone after it."""
    return [
        PlanRow("phase", "Build", level=1),
        PlanRow("a", "Order sets", level=2, duration_minutes=2 * DAY),
        PlanRow(
            "b",
            "Unit testing",
            level=2,
            duration_minutes=3 * DAY,
            predecessors=(PlanLink("a", lag=DAY),),
        ),
        PlanRow("done", "Build complete", milestone=True, predecessors=(PlanLink("phase"),)),
    ]


def test_spec_converts_calendars_with_inheritance_and_exceptions(project: Project) -> None:
    standard = create_default_calendar(project, [(dt.date(2027, 5, 31), "Memorial Day")])
    weekend = create_calendar(
        project, "Go-live weekend", base=standard, weekly={"5": [[480, 1020]]}
    )
    CalendarException.objects.create(
        calendar=weekend, name="Half day", start=MONDAY, end=MONDAY, intervals=[[480, 720]]
    )
    spec = project_spec(project)
    calendars = {c.uid: c for c in spec.calendars}
    assert spec.calendar_uid == standard.pk
    assert calendars[standard.pk].weekly[0] == ((480, 720), (780, 1020))
    assert calendars[standard.pk].weekly[6] == ()
    assert [(e.start, e.name) for e in calendars[standard.pk].exceptions] == [
        (dt.date(2027, 5, 31), "Memorial Day")
    ]
    derived = calendars[weekend.pk]
    assert (derived.base_uid, derived.weekly) == (standard.pk, {5: ((480, 1020),)})
    assert derived.exceptions[0].intervals == ((480, 720),)
    assert spec.start == dt.datetime(2027, 3, 1, 8, 0)


def test_spec_starts_at_the_calendars_first_working_minute(project: Project) -> None:
    early = {str(d): [[420, 900]] for d in range(5)}
    create_calendar(project, "Early", weekly=early, default=True)
    project.status_date = dt.date(2027, 3, 5)
    spec = project_spec(project)
    assert spec.start == dt.datetime(2027, 3, 1, 7, 0)
    assert spec.status_date == dt.datetime(2027, 3, 5, 15, 0)
    assert spec.options.remaining_after_status_date
    project.status_date = None
    assert not project_spec(project).options.remaining_after_status_date


def test_work_left_at_the_status_date_is_scheduled_after_it(project: Project) -> None:
    create_default_calendar(project)
    tasks = build_plan(
        project,
        [
            PlanRow("a", "Specification", duration_minutes=4 * DAY),
            PlanRow("b", "Build", duration_minutes=DAY, predecessors=(PlanLink("a"),)),
        ],
    )
    a = tasks["a"]
    a.actual_start = dt.datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    a.percent_complete = Decimal(25)
    a.save()
    project.status_date = dt.date(2027, 3, 3)
    project.save()
    reschedule(project)
    a.refresh_from_db()
    tasks["b"].refresh_from_db()
    assert a.start == dt.datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    # one day done; three left resume after Wednesday's status date: Thu, Fri, Mon
    assert a.finish == dt.datetime(2027, 3, 8, 17, 0, tzinfo=UTC)
    assert tasks["b"].start == dt.datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def test_spec_without_calendar_uses_the_standard_week(project: Project) -> None:
    spec = project_spec(project)
    assert spec.calendar_uid == FALLBACK_CALENDAR_UID
    assert [c.uid for c in spec.calendars] == [FALLBACK_CALENDAR_UID]
    assert spec.start == dt.datetime(2027, 3, 1, 8, 0)


def test_spec_converts_tasks_links_constraints_and_progress(project: Project) -> None:
    create_default_calendar(project)
    tasks = build_plan(project, rows_abc())
    a, b = tasks["a"], tasks["b"]
    a.constraint_type = ConstraintType.SNET
    a.constraint_date = dt.datetime(2027, 3, 2, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    a.deadline = dt.datetime(2027, 3, 10, 17, 0, tzinfo=UTC)
    a.actual_start = dt.datetime(2027, 3, 2, 18, 0, tzinfo=UTC)
    a.percent_complete = Decimal("40.5")
    a.remaining_minutes = 300
    a.save()
    Dependency.objects.filter(successor=b).update(
        type=LinkType.SS, lag=50, lag_format=LagFormat.PERCENT
    )
    spec = project_spec(project)
    assert [t.uid for t in spec.tasks] == [t.pk for t in tasks.values()]
    assert [t.outline_level for t in spec.tasks] == [1, 2, 2, 1]
    first = spec.tasks[1]
    assert first.constraint_type is ConstraintType.SNET
    assert first.constraint_date == dt.datetime(2027, 3, 2, 18, 0)  # UTC, naive
    assert first.deadline == dt.datetime(2027, 3, 10, 17, 0)
    assert first.actual_start == dt.datetime(2027, 3, 2, 18, 0)
    assert (first.percent_complete, first.remaining_duration_minutes) == (40.5, 300)
    assert spec.tasks[3].milestone is True
    links = {(lk.predecessor_uid, lk.successor_uid): lk for lk in spec.links}
    link = links[(a.pk, b.pk)]
    assert (link.type, link.lag, link.lag_format) == (LinkType.SS, 50, LagFormat.PERCENT)
    assert links[(tasks["phase"].pk, tasks["done"].pk)].type is LinkType.FS


def test_spec_refuses_a_malformed_week(project: Project) -> None:
    Calendar.objects.create(project=project, name="Broken", weekly={"8": [[480, 720]]})
    with pytest.raises(ValidationError, match="not a weekday number"):
        project_spec(project)
    Calendar.objects.filter(name="Broken").update(weekly={"0": "nine to five"})
    with pytest.raises(ValidationError, match="minute pairs"):
        project_spec(project)


def test_reschedule_writes_dates_floats_and_summaries(project: Project) -> None:
    create_default_calendar(project)
    build_plan(project, rows_abc())
    before = AuditEntry.objects.count()
    result = reschedule(project)
    tasks = {t.name: t for t in project.tasks.all()}
    a, b = tasks["Order sets"], tasks["Unit testing"]
    assert (a.start, a.finish) == (
        dt.datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
        dt.datetime(2027, 3, 2, 17, 0, tzinfo=UTC),
    )
    assert b.start == dt.datetime(2027, 3, 4, 8, 0, tzinfo=UTC)  # one working day of lag
    assert b.finish == dt.datetime(2027, 3, 8, 17, 0, tzinfo=UTC)
    assert tasks["Build"].is_summary
    assert not a.is_summary
    assert tasks["Build"].finish == b.finish
    assert tasks["Build complete"].start == dt.datetime(2027, 3, 8, 17, 0, tzinfo=UTC)
    assert all(t.total_float_minutes == 0 and t.critical for t in tasks.values())
    assert all(
        t.late_finish is not None and t.free_float_minutes is not None for t in tasks.values()
    )
    assert result.finish == dt.datetime(2027, 3, 8, 17, 0, tzinfo=UTC)
    assert result.changed_ids == {t.pk for t in tasks.values()}
    assert AuditEntry.objects.count() == before  # outputs are not audited
    assert {t.version for t in tasks.values()} == {1}
    assert all(getattr(t, name) is not None for t in tasks.values() for name in COMPUTED_FIELDS)


def test_rescheduling_an_unchanged_plan_writes_nothing(project: Project) -> None:
    create_default_calendar(project)
    build_plan(project, rows_abc())
    reschedule(project)
    with CaptureQueriesContext(connection) as queries:
        reschedule(project)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_reschedule_honours_holidays_and_task_calendars(project: Project) -> None:
    standard = create_default_calendar(project, [(dt.date(2027, 3, 2), "Closed")])
    create_calendar(project, "Weekend", base=standard, weekly={"5": [[480, 1020]]})
    build_plan(
        project,
        [
            PlanRow("a", "Cutover", duration_minutes=2 * DAY),
            PlanRow(
                "b",
                "Weekend support",
                duration_minutes=DAY,
                calendar="Weekend",
                constraint_type=ConstraintType.SNET,
                constraint_date=dt.datetime(2027, 3, 6, 8, 0, tzinfo=UTC),
            ),
        ],
    )
    reschedule(project)
    a, b = project.tasks.order_by("position")
    assert a.finish == dt.datetime(2027, 3, 3, 17, 0, tzinfo=UTC)  # skips the holiday
    assert b.start == dt.datetime(2027, 3, 6, 8, 0, tzinfo=UTC)  # works on Saturday


def test_a_loop_is_refused_by_name_and_nothing_is_written(project: Project) -> None:
    create_default_calendar(project)
    tasks = build_plan(project, rows_abc())
    Dependency.objects.create(project=project, predecessor=tasks["b"], successor=tasks["a"])
    with pytest.raises(ValidationError) as caught:
        reschedule(project)
    message = caught.value.messages[0]
    assert "loop" in message
    assert "1.1 Order sets" in message
    assert "1.2 Unit testing" in message
    assert not project.tasks.filter(start__isnull=False).exists()


def test_build_plan_sets_positions_parents_and_wbs_codes(project: Project) -> None:
    rows = [
        PlanRow("p1", "Initiation"),
        PlanRow("charter", "Charter", level=2, duration_minutes=DAY),
        PlanRow("p2", "Build", level=2),
        PlanRow("orders", "Orders", level=3, duration_minutes=DAY),
        PlanRow("labs", "Labs", level=3, duration_minutes=DAY),
        PlanRow("signoff", "Sign-off", level=2, milestone=True),
        PlanRow("p3", "Go-live"),
    ]
    created = build_plan(project, rows)
    assert list(created) == [row.key for row in rows]
    stored = list(project.tasks.order_by("position"))
    assert [(t.position, t.wbs, t.outline_level) for t in stored] == [
        (0, "1", 1),
        (1, "1.1", 2),
        (2, "1.2", 2),
        (3, "1.2.1", 3),
        (4, "1.2.2", 3),
        (5, "1.3", 2),
        (6, "2", 1),
    ]
    parents = {t.name: t.parent.name if t.parent else None for t in stored}
    assert parents == {
        "Initiation": None,
        "Charter": "Initiation",
        "Build": "Initiation",
        "Orders": "Build",
        "Labs": "Build",
        "Sign-off": "Initiation",
        "Go-live": None,
    }
    more = build_plan(project, [PlanRow("close", "Closure"), PlanRow("x", "Lessons", level=2)])
    more["x"].refresh_from_db()
    assert (more["close"].wbs, more["close"].position, more["x"].wbs) == ("3", 7, "3.1")


def test_build_plan_is_audited(project: Project) -> None:
    create_default_calendar(project)
    tasks = build_plan(project, rows_abc())
    created = AuditEntry.objects.filter(action="create", project_id=project.pk)
    task_ids = set(created.filter(model="planning.task").values_list("object_id", flat=True))
    assert task_ids == {str(t.pk) for t in tasks.values()}
    assert created.filter(model="planning.dependency").count() == 2


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([PlanRow("a", "A"), PlanRow("a", "B")], "key no other row has"),
        ([PlanRow("a", "A", level=0)], "level 0 must be between 1 and 2"),
        ([PlanRow("a", "A", level=3)], "level 3 must be between 1 and 2"),
        ([PlanRow("a", "A", predecessors=(PlanLink("zz"),))], "no row has key 'zz'"),
        ([PlanRow("a", "A", predecessors=(PlanLink("a"),))], "to itself or twice"),
        (
            [PlanRow("a", "A"), PlanRow("b", "B", predecessors=(PlanLink("a"), PlanLink("a")))],
            "to itself or twice",
        ),
        ([PlanRow("a", "A", calendar="Night shift")], "no calendar 'Night shift'"),
        ([PlanRow("a", "A", constraint_type=ConstraintType.MSO)], "needs a constraint date"),
        ([PlanRow("a", "x" * 300)], "at most 255 characters"),
        ([PlanRow("a", "")], "cannot be blank"),
    ],
)
def test_build_plan_refuses_bad_rows_and_creates_nothing(
    project: Project, rows: list[PlanRow], message: str
) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        build_plan(project, [PlanRow("ok", "Fine"), *rows])
    assert not Task.objects.exists()
    assert not Dependency.objects.exists()
    assert AuditEntry.objects.count() == before


def test_an_outline_starts_at_the_top_level(project: Project) -> None:
    with pytest.raises(ValidationError, match="level 2 must be between 1 and 1"):
        build_plan(project, [PlanRow("a", "A", level=2)])
    assert not Task.objects.exists()


def test_create_calendar_rules(project: Project) -> None:
    standard = create_default_calendar(project, [(dt.date(2027, 7, 5), "Independence Day")])
    assert (standard.is_project_default, standard.weekly["5"]) == (True, [])
    holiday = standard.exceptions.get()
    entry = AuditEntry.objects.get(model="planning.calendarexception", object_id=str(holiday.pk))
    assert entry.project_id == project.pk
    with pytest.raises(ValidationError, match="already has a default calendar"):
        create_default_calendar(project)
    with pytest.raises(ValidationError, match="not a weekday number"):
        create_calendar(project, "Odd", weekly={"monday": [[480, 1020]]})
    assert list(project.calendars.values_list("name", flat=True)) == ["Standard"]
