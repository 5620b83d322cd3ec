"""The calendar editor: services (validation, reschedule, delete rules, the default), the
month view, the pages (who may do what) and the API (create, patch with If-Match, delete)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from hitpm.audit.models import AuditEntry
from hitpm.core.services import StaleVersion
from hitpm.core.tests.api_fixtures import Team, audit_count, error_fields, make_team
from hitpm.core.tests.web_fixtures import make_project
from hitpm.planning import calendars
from hitpm.planning.builder import PlanRow, build_plan
from hitpm.planning.calendar_display import calendar_rows, month_view, parse_month, week_summary
from hitpm.planning.hours import format_hours, parse_hours
from hitpm.planning.models import Calendar, CalendarException, Task
from hitpm.planning.resources import create_resource
from hitpm.planning.services import create_default_calendar, reschedule
from hitpm.planning.tests.conftest import url
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db
CODE = "EHR-1"
DAY = 480


def standard(project: Project) -> Calendar:
    return project.calendars.get(is_project_default=True)


def fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


# -- hours ---------------------------------------------------------------------------------


def test_hours_are_read_from_text_ranges_or_minute_pairs() -> None:
    assert parse_hours("08:00-12:00, 13:00-17:00", "Monday") == [[480, 720], [780, 1020]]
    assert parse_hours(["7:30\u201311:30", "12:00-24:00"], "Monday") == [[450, 690], [720, 1440]]
    assert parse_hours([[0, 1440]], "Monday") == [[0, 1440]]
    assert parse_hours("", "Monday") == parse_hours(None, "Monday") == []
    assert format_hours([[480, 720], [780, 1440]]) == "08:00-12:00, 13:00-24:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("8-12", "'8-12' is not a time range; write HH:MM-HH:MM"),
        ("08:00-25:00", "not within the day"),
        ("08:75-12:00", "not within the day"),
        ("12:00-08:00", "12:00-08:00 must end after it starts"),
        ("08:00-08:00", "must end after it starts"),
        ("13:00-17:00, 08:00-12:00", "list the hours in order of the day"),
        ("08:00-12:00, 11:00-13:00", "08:00-12:00 and 11:00-13:00 overlap"),
    ],
)
def test_bad_weekday_hours_are_refused_naming_the_day_and_nothing_is_written(
    plan: dict[str, Task], text: str, message: str
) -> None:
    project = plan["Build"].project
    calendar = standard(project)
    before = audit_count()
    with pytest.raises(ValidationError) as caught:
        calendars.change_calendar(project, calendar.pk, {"weekly": {"2": text}}, None)
    errors = caught.value.message_dict
    assert list(errors) == ["weekly.2"]
    assert errors["weekly.2"][0].startswith("Wednesday: ")
    assert message in errors["weekly.2"][0]
    assert Calendar.objects.get(pk=calendar.pk).weekly == calendar.weekly
    assert audit_count() == before


# -- creating, the default, bases ----------------------------------------------------------


def test_create_from_presets_bases_and_copies(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    base = standard(project)
    calendars.add_exception(project, base.pk, "Thanksgiving Day", dt.date(2027, 11, 25))
    around = calendars.create_calendar(project, "Command centre 24x7", preset="24x7").record
    assert around.weekly == {str(d): [[0, 1440]] for d in range(7)}
    assert not around.is_project_default
    part_time = calendars.create_calendar(
        project, "Part-time (Mon-Thu)", base_id=base.pk, weekly={"4": []}
    ).record
    assert (part_time.base_id, part_time.weekly) == (base.pk, {"4": []})
    copy = calendars.create_calendar(project, "Standard (copy)", copy_of_id=base.pk).record
    assert copy.weekly == base.weekly
    assert [e.name for e in copy.exceptions.all()] == ["Thanksgiving Day"]
    assert (
        AuditEntry.objects.filter(
            model="planning.calendarexception", action="create", project_id=project.pk
        ).count()
        == 2
    )
    rows = {r.calendar.name: r for r in calendar_rows(project, dt.date(2027, 3, 1))}
    assert rows["Part-time (Mon-Thu)"].hours_per_week == 32
    assert rows["Part-time (Mon-Thu)"].summary == (
        "Mon-Thu 08:00-12:00, 13:00-17:00; Fri-Sun non-working"
    )
    assert [e.name for e in rows["Part-time (Mon-Thu)"].upcoming] == ["Thanksgiving Day"]
    assert rows["Command centre 24x7"].hours_per_week == 168


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "standard"}, "name"),  # names are unique whatever their case
        ({"name": "X", "preset": "night"}, "preset"),
        ({"name": "X", "base_id": 999999}, "base_id"),
        ({"name": "X", "copy_of_id": 999999}, "copy_of_id"),
        ({"name": "X", "weekly": {"7": []}}, "weekly"),
        ({"name": "X", "weekly": {"0": None}}, "weekly.0"),  # no base to inherit from
        ({"name": "X", "weekly": {key: [] for key in "0123456"}}, "__all__"),  # no working time
    ],
)
def test_bad_new_calendars_are_refused(
    plan: dict[str, Task], arguments: dict[str, Any], field: str
) -> None:
    project = plan["Build"].project
    name = arguments.pop("name")
    before = audit_count()
    with pytest.raises(ValidationError) as caught:
        calendars.create_calendar(project, name, **arguments)
    assert field in caught.value.update_error_dict({})
    assert project.calendars.count() == 1
    assert audit_count() == before


def test_a_copy_takes_no_base_or_preset_of_its_own(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    with pytest.raises(ValidationError, match="leave the base and the preset empty"):
        calendars.create_calendar(project, "X", copy_of_id=standard(project).pk, preset="24x7")


def test_exactly_one_default_calendar(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    old = standard(project)
    early = calendars.create_calendar(
        project, "Early", weekly={str(d): ["06:00-14:00"] for d in range(5)}
    )
    assert not early.record.is_project_default
    assert early.moved == 0
    switched = calendars.set_default(project, early.record.pk, early.record.version)
    assert list(project.calendars.filter(is_project_default=True)) == [early.record]
    assert fresh(plan["Order sets"]).start == dt.datetime(2027, 3, 1, 6, tzinfo=dt.UTC)
    assert plan["Order sets"].pk in switched.changed_ids
    with pytest.raises(ValidationError, match="always has one default calendar"):
        calendars.change_calendar(project, early.record.pk, {"is_project_default": False}, None)
    new_default = calendars.create_calendar(project, "Day shift", default=True).record
    assert set(project.calendars.filter(is_project_default=True)) == {new_default}
    assert Calendar.objects.get(pk=old.pk).is_project_default is False


def test_the_first_calendar_of_a_project_becomes_its_default() -> None:
    first = calendars.create_calendar(make_project("LAB-2", {}), "Standard").record
    assert first.is_project_default


def test_base_loops_are_refused_and_a_calendar_losing_its_base_keeps_its_week(
    plan: dict[str, Task],
) -> None:
    project = plan["Build"].project
    base = standard(project)
    derived = calendars.create_calendar(project, "Derived", base_id=base.pk).record
    with pytest.raises(ValidationError) as caught:
        calendars.change_calendar(project, base.pk, {"base_id": derived.pk}, None)
    assert caught.value.message_dict["base_id"] == [
        "Standard cannot be based on Derived: Derived already inherits from Standard."
    ]
    with pytest.raises(ValidationError, match="calendar 999999"):
        calendars.change_calendar(project, derived.pk, {"base_id": 999999}, None)
    alone = calendars.change_calendar(project, derived.pk, {"base_id": None}, None).record
    assert alone.base_id is None
    assert alone.weekly["0"] == [[480, 720], [780, 1020]]
    assert alone.weekly["6"] == []


def test_a_stale_version_changes_nothing(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    calendar = standard(project)
    before = audit_count()
    same = calendars.change_calendar(project, calendar.pk, {"name": "Standard"}, 1).record
    assert (same.version, audit_count()) == (1, before)  # no change, no new version
    with pytest.raises(StaleVersion):
        calendars.change_calendar(project, calendar.pk, {"name": "Renamed"}, calendar.version + 3)
    assert Calendar.objects.get(pk=calendar.pk).name == "Standard"


# -- working time moves the plan -----------------------------------------------------------


def test_a_holiday_on_a_tasks_dates_moves_it_and_its_successors(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    calendar = standard(project)
    orders, testing = plan["Order sets"], plan["Unit testing"]
    assert fresh(orders).finish == dt.datetime(2027, 3, 2, 17, tzinfo=dt.UTC)
    saved = calendars.add_exception(project, calendar.pk, "Staff day", dt.date(2027, 3, 2))
    assert fresh(orders).finish == dt.datetime(2027, 3, 3, 17, tzinfo=dt.UTC)
    assert fresh(testing).finish == dt.datetime(2027, 3, 8, 17, tzinfo=dt.UTC)
    assert {orders.pk, testing.pk} <= saved.changed_ids
    assert saved.project_finish == dt.datetime(2027, 3, 8, 17, tzinfo=dt.UTC)
    # Working that day after all (a half day) moves them back by half a day.
    half = calendars.change_exception(
        project, saved.record.pk, {"hours": "08:00-12:00"}, saved.record.version
    )
    assert fresh(orders).finish == dt.datetime(2027, 3, 3, 12, tzinfo=dt.UTC)
    calendars.delete_exception(project, half.record.pk, half.record.version)
    assert fresh(orders).finish == dt.datetime(2027, 3, 2, 17, tzinfo=dt.UTC)


def test_a_friday_off_moves_the_plan_and_a_24x7_task_calendar_ignores_it(
    plan: dict[str, Task],
) -> None:
    project = plan["Build"].project
    training = plan["Training"]
    around = calendars.create_calendar(project, "Command centre", preset="24x7").record
    Task.objects.filter(pk=training.pk).update(calendar=around)
    reschedule(project)
    before = fresh(training).finish
    assert before == dt.datetime(2027, 3, 3, tzinfo=dt.UTC)  # 40 hours from Monday 08:00
    calendars.change_calendar(project, standard(project).pk, {"weekly": {"4": []}}, None)
    assert fresh(plan["Unit testing"]).finish == dt.datetime(2027, 3, 8, 17, tzinfo=dt.UTC)
    assert fresh(training).finish == before


def test_a_failed_reschedule_writes_nothing(
    plan: dict[str, Task], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = plan["Build"].project

    def refuse(project: Project) -> None:
        raise ValidationError("The plan cannot be scheduled.")

    monkeypatch.setattr(calendars, "reschedule", refuse)
    before = audit_count()
    with pytest.raises(ValidationError, match="cannot be scheduled"):
        calendars.add_exception(project, standard(project).pk, "Holiday", dt.date(2027, 3, 2))
    assert not CalendarException.objects.exists()
    assert audit_count() == before


def test_a_week_without_working_time_is_refused(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    calendar = standard(project)
    derived = calendars.create_calendar(project, "Weekdays", base_id=calendar.pk).record
    with pytest.raises(ValidationError, match="'Standard' would have no working time"):
        calendars.change_calendar(
            project, calendar.pk, {"weekly": {key: [] for key in "01234"}}, None
        )
    assert derived.base_id == calendar.pk
    assert Calendar.objects.get(pk=calendar.pk).weekly["0"] == [[480, 720], [780, 1020]]


# -- exceptions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": "", "start": "2027-03-02"}, "name"),
        ({"name": "Closed", "start": "2027-03-05", "end": "2027-03-02"}, "end"),
        ({"name": "Closed", "start": "2027-02-30"}, "start"),
        ({"name": "Closed", "start": "2027-03-02", "end": "2047-03-02"}, "end"),
        ({"name": "Half day", "start": "2027-03-02", "hours": "08:00-12:00, 10:00-11:00"}, "hours"),
        ({"name": "Overlap", "start": "2027-03-30", "end": "2027-04-02"}, "start"),
    ],
)
def test_bad_exceptions_are_refused_and_nothing_is_written(
    plan: dict[str, Task], arguments: dict[str, Any], field: str
) -> None:
    project = plan["Build"].project
    calendar = standard(project)
    calendars.add_exception(project, calendar.pk, "Go-live freeze", "2027-04-01", "2027-04-10")
    before, finish = audit_count(), fresh(plan["Go-live"]).finish
    with pytest.raises(ValidationError) as caught:
        calendars.add_exception(project, calendar.pk, **arguments)
    assert field in caught.value.message_dict
    assert calendar.exceptions.count() == 1
    assert audit_count() == before
    assert fresh(plan["Go-live"]).finish == finish


def test_exceptions_belong_to_their_project(plan: dict[str, Task]) -> None:
    lab = make_project("LAB-2", {})
    create_default_calendar(lab)
    other = standard(lab)
    project = plan["Build"].project
    with pytest.raises(ValidationError, match="has no calendar"):
        calendars.add_exception(project, other.pk, "Closed", dt.date(2027, 3, 2))
    holiday = calendars.add_exception(lab, other.pk, "Closed", dt.date(2027, 3, 2))
    with pytest.raises(ValidationError, match="has no calendar exception"):
        calendars.delete_exception(project, holiday.record.pk, None)


# -- deleting ------------------------------------------------------------------------------


def test_delete_is_refused_while_the_calendar_is_used(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    base = standard(project)
    with pytest.raises(calendars.CalendarInUse, match="default calendar"):
        calendars.delete_calendar(project, base.pk, None)
    night = calendars.create_calendar(project, "Night shift", weekly={"0": "22:00-24:00"}).record
    calendars.add_exception(project, night.pk, "Closed", dt.date(2027, 3, 2))
    Task.objects.filter(pk=plan["Training"].pk).update(calendar=night)
    create_resource(project, {"name": "Night nurse", "calendar_id": night.pk})
    calendars.create_calendar(project, "Night (derived)", base_id=night.pk)
    with pytest.raises(calendars.CalendarInUse) as caught:
        calendars.delete_calendar(project, night.pk, None)
    message = caught.value.messages[0]
    assert "1 task (3 Training)" in message
    assert "1 resource (Night nurse)" in message
    assert "1 calendar (Night (derived))" in message
    assert project.calendars.filter(pk=night.pk).exists()
    Task.objects.filter(pk=plan["Training"].pk).update(calendar=None)
    project.resources.all().delete()
    project.calendars.filter(name="Night (derived)").delete()
    calendars.delete_calendar(project, night.pk, Calendar.objects.get(pk=night.pk).version)
    assert not Calendar.objects.filter(pk=night.pk).exists()
    assert not CalendarException.objects.filter(calendar_id=night.pk).exists()
    assert AuditEntry.objects.filter(
        model="planning.calendar", object_id=str(night.pk), action="delete"
    ).exists()


def test_a_project_with_derived_calendars_and_their_users_can_be_deleted(
    plan: dict[str, Task],
) -> None:
    from hitpm.portfolio.services import delete_project

    project = plan["Build"].project
    night = calendars.create_calendar(project, "Night shift", weekly={"0": "22:00-24:00"}).record
    derived = calendars.create_calendar(project, "Night (derived)", base_id=night.pk).record
    Task.objects.filter(pk=plan["Training"].pk).update(calendar=derived)
    create_resource(project, {"name": "Night nurse", "calendar_id": derived.pk})
    delete_project(project, None)
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Calendar.objects.filter(pk__in=[night.pk, derived.pk]).exists()


# -- the month view ------------------------------------------------------------------------


def test_the_month_view_honours_inheritance_and_exceptions(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    base = standard(project)
    calendars.add_exception(project, base.pk, "Memorial Day", dt.date(2027, 5, 31))
    weekend = calendars.create_calendar(
        project, "Go-live weekend", base_id=base.pk, weekly={"5": "08:00-17:00"}
    ).record
    calendars.add_exception(
        project, weekend.pk, "Cutover", dt.date(2027, 5, 30), hours="00:00-24:00"
    )
    pattern = calendars.resolved_patterns(project)[weekend.pk]
    month = month_view(pattern, dt.date(2027, 5, 17))
    days = {d.date: d for week in month.weeks for d in week}
    assert month.first == dt.date(2027, 5, 1)
    assert (month.previous, month.next) == (dt.date(2027, 4, 1), dt.date(2027, 6, 1))
    assert month.weeks[0][0].date == dt.date(2027, 4, 26)
    assert not month.weeks[0][0].in_month
    assert days[dt.date(2027, 5, 29)].text == "08:00-17:00"  # its own Saturday
    assert not days[dt.date(2027, 5, 31)].working  # the base's holiday
    assert days[dt.date(2027, 5, 31)].exception == "Memorial Day"
    assert days[dt.date(2027, 5, 30)].minutes == 1440
    assert days[dt.date(2027, 5, 30)].exception
    assert month.working_days == 20 + 5 + 1
    assert week_summary(pattern).startswith("Mon-Fri 08:00-12:00, 13:00-17:00; Sat 08:00-17:00")
    assert parse_month("2027-13", dt.date(2027, 3, 9)) == dt.date(2027, 3, 1)
    assert parse_month("2028-02", dt.date(2027, 3, 9)) == dt.date(2028, 2, 1)


# -- pages ---------------------------------------------------------------------------------


def test_viewers_read_calendars_and_cannot_change_them(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    calendar = standard(plan["Build"].project)
    listing = clients["vic"].get(url("calendars"))
    page = listing.content.decode()
    assert listing.status_code == 200
    assert "Standard" in page
    assert "Project default" in page
    assert "40" in page
    assert "New calendar" not in page
    assert "Make default" not in page
    detail = clients["vic"].get(url("calendar", calendar.pk) + "?month=2027-03")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "March 2027" in html
    assert 'id="week-form"' not in html
    assert 'aria-current="page">Calendars<' in html
    for name, args, data in [
        ("calendars", (), {"name": "X"}),
        ("calendar", (calendar.pk,), {"name": "X"}),
        ("calendar_week", (calendar.pk,), {}),
        ("add_calendar_exception", (calendar.pk,), {"name": "X", "start": "2027-03-02"}),
        ("delete_calendar", (calendar.pk,), {}),
        ("calendar_default", (calendar.pk,), {}),
    ]:
        assert clients["vic"].post(url(name, *args), data).status_code == 403, name
    assert clients["stranger"].get(url("calendars")).status_code == 404
    assert clients["stranger"].get(url("calendar", calendar.pk)).status_code == 404
    assert clients["stranger"].post(url("calendars"), {"name": "X"}).status_code == 404
    assert clients["pm"].get(url("calendar", 999999)).status_code == 404


def test_project_managers_create_and_edit_calendars_without_javascript(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    project = plan["Build"].project
    base = standard(project)
    created = clients["pm"].post(
        url("calendars"), {"name": "Part-time analyst", "base_id": base.pk, "preset": ""}
    )
    part_time = project.calendars.get(name="Part-time analyst")
    assert created.status_code == 302
    assert created["Location"] == url("calendar", part_time.pk)
    week = {f"day_{d}": "inherit" for d in range(7)} | {"day_4": "off", "hours_4": ""}
    saved = clients["pm"].post(
        url("calendar_week", part_time.pk), week | {"version": part_time.version}
    )
    assert saved.status_code == 302
    assert Calendar.objects.get(pk=part_time.pk).weekly == {"4": []}
    bad = clients["pm"].post(
        url("calendar_week", part_time.pk),
        week | {"day_0": "working", "hours_0": "09:00-08:00", "version": part_time.version + 1},
    )
    html = bad.content.decode()
    assert bad.status_code == 422
    assert 'class="field-error" id="id_hours_0_error">Monday: 09:00-08:00 must end' in html
    holiday = clients["pm"].post(
        url("add_calendar_exception", base.pk),
        {"name": "Staff day", "start": "2027-03-02", "end": "", "working": "off"},
        follow=True,
    )
    assert "The plan was rescheduled" in holiday.content.decode()
    assert fresh(plan["Order sets"]).finish == dt.datetime(2027, 3, 3, 17, tzinfo=dt.UTC)
    refused = clients["pm"].post(
        url("add_calendar_exception", base.pk),
        {"name": "Half day", "start": "2027-03-09", "working": "working", "hours": "8-12"},
    )
    assert refused.status_code == 422
    assert 'id="exception_hours_error">Hours: &#x27;8-12&#x27; is not a time range' in (
        refused.content.decode()
    )
    exception = base.exceptions.get()
    edit = clients["pm"].get(url("calendar_exception", base.pk, exception.pk))
    assert 'value="Staff day"' in edit.content.decode()
    clients["pm"].post(
        url("calendar_exception", base.pk, exception.pk),
        {"name": "Staff day", "start": "2027-03-02", "end": "2027-03-02", "working": "working",
         "hours": "08:00-12:00", "version": exception.version},
    )  # fmt: skip
    assert CalendarException.objects.get(pk=exception.pk).intervals == [[480, 720]]
    settings = clients["tess"].post(
        url("calendar", part_time.pk),
        {"name": "Part-time (Mon-Thu)", "base_id": base.pk, "version": part_time.version + 1,
         "is_project_default": "on"},
    )  # fmt: skip
    assert settings.status_code == 302
    assert standard(project).name == "Part-time (Mon-Thu)"


def test_default_and_delete_from_the_pages(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    project = plan["Build"].project
    standard_id = standard(project).pk
    spare = calendars.create_calendar(project, "Spare", preset="24x7").record
    Task.objects.filter(pk=plan["Training"].pk).update(calendar=spare)
    made = clients["tess"].post(
        url("calendar_default", spare.pk), {"version": spare.version}, follow=True
    )
    assert "Spare is now the project&#x27;s default calendar" in made.content.decode()
    assert "The plan was rescheduled" in made.content.decode()
    calendars.set_default(project, standard_id)
    spare.refresh_from_db()
    refused = clients["pm"].post(url("delete_calendar", spare.pk), follow=True)
    assert "still used by 1 task (3 Training)" in refused.content.decode()
    Task.objects.filter(pk=plan["Training"].pk).update(calendar=None)
    clients["pm"].post(url("delete_calendar", spare.pk), {"version": spare.version})
    assert not Calendar.objects.filter(pk=spare.pk).exists()


def test_month_navigation_swaps_only_the_month_with_htmx(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    calendar = standard(plan["Build"].project)
    fragment = clients["vic"].get(
        url("calendar_month", calendar.pk), {"month": "2027-04"}, HTTP_HX_REQUEST="true"
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.startswith('<section id="calendar-month"')
    assert "April 2027" in html
    assert "?month=2027-03" in html
    assert "?month=2027-05" in html
    assert "22 working days" in html
    plain = clients["vic"].get(url("calendar_month", calendar.pk), {"month": "2027-04"})
    assert plain.status_code == 302
    assert plain["Location"].endswith("?month=2027-04")


# -- API -----------------------------------------------------------------------------------

P = "/projects/EHR-1"


@pytest.fixture
def team() -> Team:
    team = make_team()
    create_default_calendar(team.project)
    build_plan(team.project, [PlanRow("orders", "Order sets", duration_minutes=2 * DAY)])
    reschedule(team.project)
    return team


def test_api_creates_reads_and_lists_calendars(team: Team) -> None:
    created = team.member.post(
        f"{P}/calendars",
        {"name": "Part-time", "base_id": standard(team.project).pk, "weekly": {"4": []}},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["ETag"] == '"1"'
    assert body["weekly"] == {"4": []}
    assert body["hours_per_week"] == 32
    assert body["week"][0] == {
        "weekday": 0,
        "name": "Monday",
        "hours": ["08:00-12:00", "13:00-17:00"],
        "inherited": True,
    }
    assert body["changed_task_ids"] == []
    assert body["project_finish"] is None
    listed = team.viewer.get(f"{P}/calendars").json()
    assert [c["name"] for c in listed["items"]] == ["Standard", "Part-time"]
    one = team.viewer.get(f"{P}/calendars/{body['id']}")
    assert one.status_code == 200
    assert one["ETag"] == '"1"'
    assert team.viewer.post(f"{P}/calendars", {"name": "X"}).status_code == 403
    assert team.stranger.get(f"{P}/calendars").status_code == 404
    assert team.stranger.get(f"{P}/calendars/{body['id']}").status_code == 404
    bad = team.member.post(f"{P}/calendars", {"name": "X", "weekly": {"0": ["9-5"]}})
    assert bad.status_code == 422
    assert error_fields(bad) == {"weekly.0"}
    unknown = team.member.post(f"{P}/calendars", {"name": "X", "weekly": {"8": []}})
    assert unknown.status_code == 422


def test_api_patch_uses_if_match_and_reschedules(team: Team) -> None:
    calendar = standard(team.project)
    path = f"{P}/calendars/{calendar.pk}"
    assert team.member.patch(path, {"name": "Day"}).status_code == 428
    stale = team.member.patch(path, {"name": "Day"}, if_match='"9"')
    assert stale.status_code == 412
    assert stale.json()["current"]["name"] == "Standard"
    changed = team.member.patch(
        path, {"weekly": {"0": ["10:00-12:00", "13:00-17:00"]}}, if_match='"1"'
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert changed["ETag"] == '"2"'
    assert body["changed_task_ids"] == [Task.objects.get().pk]
    assert body["project_finish"].startswith("2027-01-06T10:00")  # two hours later
    before = audit_count()
    bad = team.member.patch(path, {"weekly": {"1": ["13:00-17:00", "08:00-12:00"]}}, if_match='"2"')
    assert bad.status_code == 422
    assert error_fields(bad) == {"weekly.1"}
    assert "Tuesday: list the hours in order" in bad.json()["detail"]
    assert audit_count() == before
    assert team.viewer.patch(path, {"name": "X"}, if_match='"2"').status_code == 403


def test_api_exceptions_and_delete(team: Team) -> None:
    calendar = standard(team.project)
    task = Task.objects.get()
    added = team.member.post(
        f"{P}/calendars/{calendar.pk}/exceptions",
        {"name": "Staff day", "start": "2027-01-05"},
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["working"], body["end"], body["hours"]) == (False, "2027-01-05", [])
    assert body["changed_task_ids"] == [task.pk]
    assert Task.objects.get().finish == dt.datetime(2027, 1, 6, 17, tzinfo=dt.UTC)
    detail = team.viewer.get(f"{P}/calendars/{calendar.pk}").json()
    assert [e["name"] for e in detail["exceptions"]] == ["Staff day"]
    one = f"{P}/calendars/{calendar.pk}/exceptions/{body['id']}"
    patched = team.member.patch(one, {"hours": ["08:00-12:00"]}, if_match='"1"')
    assert patched.status_code == 200
    assert patched.json()["working"] is True
    assert team.member.delete(one, if_match='"1"').status_code == 412
    assert team.member.delete(one, if_match='"2"').status_code == 204
    assert Task.objects.get().finish == dt.datetime(2027, 1, 5, 17, tzinfo=dt.UTC)
    spare = calendars.create_calendar(team.project, "Spare", preset="24x7").record
    Task.objects.update(calendar=spare)
    in_use = team.member.delete(f"{P}/calendars/{spare.pk}", if_match='"1"')
    assert in_use.status_code == 409
    assert "1 task (1 Order sets)" in in_use.json()["detail"]
    default = team.member.delete(f"{P}/calendars/{calendar.pk}", if_match='"1"')
    assert default.status_code == 409
    Task.objects.update(calendar=None)
    assert team.member.delete(f"{P}/calendars/{spare.pk}", if_match='"1"').status_code == 204
    assert team.member.delete(f"{P}/calendars/{spare.pk}", if_match='"1"').status_code == 404
