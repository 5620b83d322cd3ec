"""Next due dates, the due and overdue view, logging sendings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hitpm.core.services import StaleVersion
from hitpm.core.tests.web_fixtures import signed_in
from hitpm.stakeholders.models import Communication, CommunicationLog
from hitpm.stakeholders.services.communications import (
    create_communication,
    due_view,
    log_sent,
    next_due_after,
    occurrence,
    update_communication,
)
from hitpm.stakeholders.tests.fixtures import TODAY, Setup, make_setup

D = dt.date


@pytest.mark.parametrize(
    ("first", "frequency", "n", "expected"),
    [
        (D(2027, 1, 4), "daily", 3, D(2027, 1, 7)),
        (D(2027, 1, 4), "weekly", 2, D(2027, 1, 18)),
        (D(2027, 1, 4), "biweekly", 1, D(2027, 1, 18)),
        (D(2027, 1, 31), "monthly", 1, D(2027, 2, 28)),
        (D(2027, 1, 31), "monthly", 2, D(2027, 3, 31)),
        (D(2028, 1, 31), "monthly", 1, D(2028, 2, 29)),
        (D(2027, 11, 30), "quarterly", 1, D(2028, 2, 29)),
        (D(2027, 1, 4), "once", 0, D(2027, 1, 4)),
        (D(2027, 1, 4), "once", 1, None),
    ],
)
def test_occurrence(first: dt.date, frequency: str, n: int, expected: dt.date | None) -> None:
    assert occurrence(first, frequency, n) == expected


@pytest.mark.parametrize(
    ("frequency", "day", "expected"),
    [
        ("weekly", D(2027, 1, 3), D(2027, 1, 4)),  # before the first: the first
        ("weekly", D(2027, 1, 4), D(2027, 1, 11)),  # on a due date: the next one
        ("weekly", D(2027, 1, 20), D(2027, 1, 25)),  # missed two: no backlog
        ("monthly", D(2027, 3, 5), D(2027, 4, 4)),
        ("once", D(2027, 1, 4), None),
    ],
)
def test_next_due_after(frequency: str, day: dt.date, expected: dt.date | None) -> None:
    assert next_due_after(D(2027, 1, 4), frequency, day) == expected


def _weekly(s: Setup, first: dt.date, **fields: object) -> Communication:
    values = {"title": "Readiness update", "frequency": "weekly", "owner": s.member,
              "first_due": first, **fields}  # fmt: skip
    return create_communication(s.project, values, [s.nursing])


@pytest.mark.django_db
def test_due_view_splits_overdue_and_due_soon() -> None:
    s = make_setup()
    late = _weekly(s, TODAY - dt.timedelta(days=2))
    soon = _weekly(s, TODAY + dt.timedelta(days=7), title="Newsletter")
    _weekly(s, TODAY + dt.timedelta(days=8), title="Later")
    _weekly(s, TODAY - dt.timedelta(days=9), title="Paused", active=False)
    view = due_view(Communication.objects.all(), TODAY)
    assert view.overdue == [late]
    assert view.due_soon == [soon]
    assert late.is_overdue(TODAY)
    assert not soon.is_overdue(TODAY)


@pytest.mark.django_db
def test_logging_a_late_sending_moves_next_due_past_it() -> None:
    s = make_setup()
    c = _weekly(s, D(2027, 3, 1))
    entry = log_sent(c, s.member, D(2027, 3, 10), "Sent to nursing council.", c.version)
    c.refresh_from_db()
    assert entry.due_on == D(2027, 3, 1)
    assert c.next_due == D(2027, 3, 15)
    assert c.last_sent_on == D(2027, 3, 10)


@pytest.mark.django_db
def test_an_early_sending_meets_the_current_due_date() -> None:
    s = make_setup()
    c = _weekly(s, D(2027, 3, 15))
    log_sent(c, s.member, D(2027, 3, 12))
    c.refresh_from_db()
    assert c.next_due == D(2027, 3, 22)


@pytest.mark.django_db
def test_a_one_off_is_done_once_sent_and_cannot_be_sent_again() -> None:
    s = make_setup()
    c = _weekly(s, D(2027, 3, 15), frequency="once")
    log_sent(c, s.member, D(2027, 3, 15))
    c.refresh_from_db()
    assert c.next_due is None
    with pytest.raises(ValidationError, match="already sent"):
        log_sent(c, s.member, D(2027, 3, 16))
    assert CommunicationLog.objects.count() == 1


@pytest.mark.django_db
def test_stale_or_inactive_sendings_are_refused() -> None:
    s = make_setup()
    c = _weekly(s, D(2027, 3, 1))
    with pytest.raises(StaleVersion):
        log_sent(c, s.member, D(2027, 3, 2), expected_version=c.version + 1)
    c = update_communication(c, {"active": False}, c.version)
    with pytest.raises(ValidationError, match="inactive"):
        log_sent(c, s.member, D(2027, 3, 2))
    assert not CommunicationLog.objects.exists()


@pytest.mark.django_db
def test_changing_the_frequency_recomputes_next_due() -> None:
    s = make_setup()
    c = _weekly(s, D(2027, 3, 1))
    log_sent(c, s.member, D(2027, 3, 1))
    c.refresh_from_db()
    c = update_communication(c, {"frequency": "monthly"}, c.version)
    assert c.next_due == D(2027, 4, 1)


@pytest.mark.django_db
def test_audience_must_be_on_the_project() -> None:
    s = make_setup()
    outsider = s.foreign.stakeholders.create(name="Lab director")
    values = {"title": "X", "frequency": "weekly", "owner": s.member, "first_due": TODAY}
    with pytest.raises(ValidationError):
        create_communication(s.project, values, [outsider])
    assert not Communication.objects.exists()


@pytest.mark.django_db
def test_page_shows_due_and_logs_a_sending() -> None:
    s = make_setup()
    c = _weekly(s, dt.date.today() - dt.timedelta(days=3))
    client = signed_in(s.member)
    page = client.get("/p/EHR-1/stakeholders/communications/").content.decode()
    assert "Overdue</strong> since" in page
    assert "Log as sent" in page
    data = {"sent_on": dt.date.today().isoformat(), "note": "done", "version": c.version}
    reply = client.post(f"/p/EHR-1/stakeholders/communications/{c.pk}/sent/", data)
    assert reply.status_code == 302
    c.refresh_from_db()
    assert c.next_due == c.first_due + dt.timedelta(days=7)


@pytest.mark.django_db
def test_viewer_reads_the_plan_but_cannot_log_or_plan() -> None:
    s = make_setup()
    c = _weekly(s, TODAY)
    viewer = signed_in(s.viewer)
    page = viewer.get("/p/EHR-1/stakeholders/communications/").content.decode()
    assert "Readiness update" in page
    assert "Log as sent" not in page
    data = {"sent_on": TODAY.isoformat(), "version": c.version}
    assert (
        viewer.post(f"/p/EHR-1/stakeholders/communications/{c.pk}/sent/", data).status_code == 403
    )
    assert viewer.get("/p/EHR-1/stakeholders/communications/new/").status_code == 403
    assert not CommunicationLog.objects.exists()
