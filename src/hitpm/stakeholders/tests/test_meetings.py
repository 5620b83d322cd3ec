"""Meetings, decisions, action items, "my actions", and the notifications they cause."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from hitpm.accounts.models import User
from hitpm.core.tests.web_fixtures import TEAM, at, make_project, signed_in
from hitpm.notifications.due import scan
from hitpm.notifications.models import Kind, Notification, Preference
from hitpm.stakeholders.models import ActionItem, Decision, Meeting
from hitpm.stakeholders.services.communications import create_communication
from hitpm.stakeholders.services.meetings import create_record, my_actions, update_record
from hitpm.stakeholders.tests.fixtures import TODAY, Setup, make_setup

pytestmark = pytest.mark.django_db


def _meeting(s: Setup, minutes: str = "") -> Meeting:
    record = Meeting(project=s.project, title="Steering committee", starts_at=at(TODAY),
                     minutes=minutes)  # fmt: skip
    return create_record(record, s.pm, attendees=[s.cmio, s.nursing])


def _action(s: Setup, owner: User, due: dt.date = TODAY, **fields: object) -> ActionItem:
    record = ActionItem(project=s.project, description="Confirm printer mapping", owner=owner,
                        due_on=due, **fields)  # fmt: skip
    return create_record(record, s.pm)


def test_assigning_an_action_notifies_the_owner_once_in_app_and_by_email() -> None:
    s = make_setup()
    action = _action(s, s.member)
    note = Notification.objects.get(user=s.member)
    assert note.kind == Kind.ACTION_ASSIGNED
    assert "Confirm printer mapping" in note.message
    assert note.url.endswith(f"#action-{action.pk}")
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    update_record(action, {"notes": "Still open"}, action.version, s.pm)
    assert Notification.objects.filter(user=s.member).count() == 1


def test_email_follows_the_owners_preferences() -> None:
    s = make_setup()
    Preference.objects.create(user=s.member, email_actions=False)
    _action(s, s.member)
    assert Notification.objects.filter(user=s.member).count() == 1
    assert mail.outbox == []


def test_mentions_in_minutes_notify_members_only_once() -> None:
    s = make_setup()
    meeting = _meeting(s, "@member to follow up; @stranger is not on the project; @pm wrote it.")
    notes = Notification.objects.filter(kind=Kind.MENTION)
    assert [n.user for n in notes] == [s.member]  # the author and strangers are not told
    update_record(meeting, {"minutes": meeting.minutes + " @member again."}, meeting.version,
                  s.pm)  # fmt: skip
    assert notes.count() == 1


def test_owner_must_be_a_member() -> None:
    s = make_setup()
    with pytest.raises(ValidationError, match="not a member"):
        _action(s, s.stranger)
    assert not ActionItem.objects.exists()


def test_decision_needs_who_and_when_once_decided() -> None:
    s = make_setup()
    with pytest.raises(ValidationError) as caught:
        create_record(Decision(project=s.project, title="Big-bang go-live"), s.pm)
    assert set(caught.value.message_dict) == {"decided_by", "decided_on"}
    pending = create_record(
        Decision(project=s.project, title="Overtime", status=Decision.Status.PENDING), s.pm,
        tasks=[s.milestone],
    )  # fmt: skip
    assert list(pending.tasks.all()) == [s.milestone]


def test_completing_an_action_stamps_the_date() -> None:
    s = make_setup()
    action = _action(s, s.member)
    done = update_record(action, {"status": ActionItem.Status.DONE}, action.version, s.member)
    assert done.completed_on == dt.date.today()
    reopened = update_record(done, {"status": ActionItem.Status.OPEN}, done.version, s.member)
    assert reopened.completed_on is None


def test_my_actions_span_projects_and_hide_projects_i_left() -> None:
    s = make_setup()
    other = make_project("PACS-3", {s.member: TEAM, s.pm: "project_manager"})
    mine = _action(s, s.member, TODAY + dt.timedelta(days=2))
    elsewhere = create_record(
        ActionItem(project=other, description="Share mapping", owner=s.member, due_on=TODAY),
        s.pm,
    )
    _action(s, s.pm)
    assert list(my_actions(s.member)) == [elsewhere, mine]
    page = signed_in(s.member).get("/my/actions/").content.decode()
    assert "PACS-3" in page
    assert "EHR-1" in page
    other.memberships.filter(user=s.member).delete()
    assert list(my_actions(s.member)) == [mine]


def test_due_scan_is_idempotent() -> None:
    s = make_setup()
    _action(s, s.member, dt.date(2027, 3, 11))
    create_communication(
        s.project, {"title": "Newsletter", "frequency": "weekly", "owner": s.member,
                    "first_due": dt.date(2027, 3, 10)}, [],
    )  # fmt: skip
    first = scan(dt.date(2027, 3, 10))
    assert (first.communications, first.actions) == (1, 1)
    assert scan(dt.date(2027, 3, 10)).total == 0
    assert scan(dt.date(2027, 3, 12)).total == 0  # same due dates, already told


def test_meeting_pages_and_permissions() -> None:
    s = make_setup()
    meeting = _meeting(s, "Readiness at 82%.")
    viewer = signed_in(s.viewer)
    page = viewer.get(f"/p/EHR-1/stakeholders/meetings/{meeting.pk}/").content.decode()
    assert "Readiness at 82%." in page
    assert "Nursing leadership" in page
    assert "Edit meeting" not in page
    assert viewer.get("/p/EHR-1/stakeholders/meetings/new/").status_code == 403
    assert viewer.get("/p/EHR-1/stakeholders/decisions/").status_code == 200
    assert signed_in(s.stranger).get(
        f"/p/EHR-1/stakeholders/meetings/{meeting.pk}/").status_code == 404  # fmt: skip
    data = {"description": "Draft FAQ", "owner": s.member.pk, "due_on": "2027-03-20",
            "status": "open", "meeting": meeting.pk}  # fmt: skip
    reply = signed_in(s.pm).post("/p/EHR-1/stakeholders/actions/new/", data)
    assert reply.status_code == 302
    assert ActionItem.objects.get().meeting == meeting
