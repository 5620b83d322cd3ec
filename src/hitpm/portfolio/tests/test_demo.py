"""The demo portfolio: loaded once per module (inside a transaction rolled back at the end)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from pytest_django import DjangoDbBlocker

from hitpm.accounts.models import User
from hitpm.audit.chain import verify
from hitpm.audit.models import AuditEntry
from hitpm.planning.models import Task
from hitpm.portfolio.access import Action, can
from hitpm.portfolio.demo import DemoSummary, load_demo, remove_demo
from hitpm.portfolio.demo.holidays import federal_holidays
from hitpm.portfolio.demo.loader import PASSWORD, PORTFOLIO_NAME
from hitpm.portfolio.demo.outline import link
from hitpm.portfolio.models import Portfolio, Project

TODAY = dt.date(2026, 11, 24)
ACTIVE = ("EHR-GOLIVE", "IFC-HL7FHIR", "HIPAA-RMP")


@pytest.mark.django_db
def test_refuses_to_take_over_real_records() -> None:
    """A real user named like a demo user blocks loading; nothing is created."""
    remove_demo()  # instant unless this worker loaded the module's demo already
    User.objects.create_user("pmo", email="pmo@hospital.example", password="x" * 12)
    with pytest.raises(ValidationError, match="not demo data: pmo"):
        load_demo(today=TODAY)
    assert not Portfolio.objects.exists()
    assert not Project.objects.exists()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(today=TODAY)
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_summary_lists_projects_users_and_password(demo: DemoSummary) -> None:
    assert demo.loaded_now
    counts = {p.code: p.tasks for p in demo.projects}
    assert set(counts) == {*ACTIVE, "PACS-VNA"}
    assert 300 <= counts["EHR-GOLIVE"] <= 500
    assert 40 <= counts["IFC-HL7FHIR"] <= 80
    assert 40 <= counts["HIPAA-RMP"] <= 80
    assert counts == {code: Task.objects.filter(project__code=code).count() for code in counts}
    roles = {u.username: u.roles for u in demo.users}
    assert roles["pmo"].startswith("PMO administrator")
    assert roles["ehr.pm"] == "manager: EHR-GOLIVE; viewer: IFC-HL7FHIR"
    text = demo.as_text("http://127.0.0.1:8000/")
    assert "http://127.0.0.1:8000/" in text
    assert PASSWORD in text
    assert demo.as_dict()["password"] == PASSWORD


def test_every_role_has_its_rights(demo: DemoSummary) -> None:
    validate_password(PASSWORD, User(username="ehr.pm"))
    assert authenticate(username="ehr.pm", password=PASSWORD) is not None  # one hash check
    users = {
        u.username: u for u in User.objects.filter(username__in=[u.username for u in demo.users])
    }
    ehr = Project.objects.get(code="EHR-GOLIVE")
    hipaa = Project.objects.get(code="HIPAA-RMP")
    assert can(users["pmo"], hipaa, Action.MANAGE)
    assert can(users["ehr.pm"], ehr, Action.MANAGE)
    assert can(users["analyst"], ehr, Action.EDIT)
    assert not can(users["analyst"], ehr, Action.MANAGE)
    assert can(users["sponsor"], ehr, Action.VIEW)
    assert not can(users["sponsor"], ehr, Action.EDIT)
    assert can(users["security.officer"], hipaa, Action.MANAGE)
    assert not can(users["analyst"], hipaa, Action.VIEW)


def test_every_project_is_scheduled_and_statused(demo: DemoSummary) -> None:
    assert not Task.objects.filter(Q(start__isnull=True) | Q(finish__isnull=True)).exists()
    for project in Project.objects.filter(code__in=ACTIVE):
        assert project.status_date == dt.date(2026, 11, 20)  # the Friday before
        assert project.tasks.filter(critical=True).exists()
        done = project.tasks.filter(actual_finish__isnull=False, is_summary=False)
        under_way = project.tasks.filter(
            actual_start__isnull=False, actual_finish__isnull=True, is_summary=False
        )
        assert done.exists()
        assert under_way.filter(percent_complete__gt=0, percent_complete__lt=100).exists()
        cutoff = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC)
        assert not done.filter(actual_finish__gt=cutoff).exists()
    closed = Project.objects.get(code="PACS-VNA")
    assert not closed.tasks.filter(percent_complete__lt=100).exists()


def test_ehr_plan_has_the_shape_of_a_go_live(demo: DemoSummary) -> None:
    tasks = Task.objects.filter(project__code="EHR-GOLIVE")
    go_live = tasks.get(name__startswith="Go-live:")
    assert go_live.start is not None
    assert go_live.start.date() == Project.objects.get(code="EHR-GOLIVE").target_go_live
    assert go_live.start.weekday() == 5  # a Saturday, on the 24x7 calendar
    assert tasks.filter(constraint_type__gt=1).count() >= 3
    assert tasks.filter(deadline__isnull=False).exists()
    names = set(tasks.filter(milestone=True).values_list("name", flat=True))
    assert {"Design sign-off", "Application build complete", "Integrated testing complete"} <= names
    assert {"30-day stabilisation review", "90-day stabilisation review"} <= names
    build = tasks.get(name="Application build", outline_level=1)
    assert 0 < build.percent_complete < 100  # mid-build on the status date
    holidays = Project.objects.get(code="EHR-GOLIVE").calendars.get(name="Standard").exceptions
    assert holidays.filter(name="Thanksgiving Day", start=dt.date(2026, 11, 26)).exists()


def test_future_milestones_for_the_dashboard(demo: DemoSummary) -> None:
    for code in ACTIVE:
        upcoming = Task.objects.filter(
            project__code=code, milestone=True, percent_complete__lt=100, start__date__gt=TODAY
        )
        assert upcoming.exists(), code


def test_loading_is_audited_as_the_demo(demo: DemoSummary) -> None:
    ehr = Project.objects.get(code="EHR-GOLIVE")
    entries = AuditEntry.objects.filter(project_id=ehr.pk)
    assert set(entries.values_list("actor", flat=True)) == {"system:demo"}
    assert entries.filter(model="planning.task", action="create").count() == ehr.tasks.count()
    assert entries.filter(model="planning.task", action="update").exists()  # progress
    assert verify().ok


def test_second_load_changes_nothing(demo: DemoSummary) -> None:
    before = (Task.objects.count(), AuditEntry.objects.count(), User.objects.count())
    again = load_demo(today=TODAY)
    assert not again.loaded_now
    assert "already loaded" in again.message
    assert [p.tasks for p in again.projects] == [p.tasks for p in demo.projects]
    assert (Task.objects.count(), AuditEntry.objects.count(), User.objects.count()) == before


def test_reset_replaces_the_demo(demo: DemoSummary) -> None:
    old_ids = set(Project.objects.values_list("pk", flat=True))
    reloaded = load_demo(reset=True, today=TODAY + dt.timedelta(days=7))
    assert reloaded.loaded_now
    projects = Project.objects.filter(portfolio__name=PORTFOLIO_NAME)
    assert projects.count() == 4
    assert not old_ids & set(projects.values_list("pk", flat=True))
    assert Project.objects.get(code="EHR-GOLIVE").status_date == dt.date(2026, 11, 27)
    assert User.objects.filter(username="pmo").count() == 1
    deleted = AuditEntry.objects.filter(action="delete", model="portfolio.project")
    assert set(deleted.values_list("object_id", flat=True)) == {str(pk) for pk in old_ids}


def test_federal_holidays_are_observed_on_weekdays() -> None:
    days = {name: day for day, name in federal_holidays(2027)}
    assert days["Independence Day"] == dt.date(2027, 7, 5)  # Sunday -> Monday
    assert days["Christmas Day"] == dt.date(2027, 12, 24)  # Saturday -> Friday
    assert days["Thanksgiving Day"] == dt.date(2027, 11, 25)
    assert days["Memorial Day"] == dt.date(2027, 5, 31)
    assert len(days) == 11


def test_link_notation() -> None:
    fs = link("build")
    assert (fs.predecessor, fs.type.name, fs.lag) == ("build", "FS", 0)
    ss = link("build:SS+2")
    assert (ss.type.name, ss.lag, ss.lag_format) == ("SS", 960, "working")
    lead = link("test:FF-1")
    assert (lead.type.name, lead.lag) == ("FF", -480)
    elapsed = link("golive+30ed")
    assert (elapsed.lag, elapsed.lag_format) == (30 * 1440, "elapsed")
    with pytest.raises(ValueError, match="cannot read link"):
        link("build:XX")
