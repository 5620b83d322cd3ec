"""The bell, the inbox, marking read, preferences, and e-mail failures."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail

from hitpm.core.tests.api_fixtures import api_as
from hitpm.core.tests.web_fixtures import make_user, signed_in
from hitpm.notifications.models import Kind, Notification, Preference
from hitpm.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_bell_counts_unread_and_inbox_marks_read() -> None:
    user = make_user("nurse")
    notify(user, Kind.MENTION, "Dr Chen mentioned you.", key="m:1", url="/my/actions/")
    client = signed_in(user)
    page = client.get("/").content.decode()
    assert 'hx-get="/notifications/count/"' in page  # the count loads after the page
    assert "bell-count" in client.get("/notifications/count/").content.decode()
    assert "Dr Chen mentioned you." in client.get("/notifications/").content.decode()
    note = Notification.objects.get()
    reply = client.post("/notifications/read/", {"id": note.pk, "next": note.url})
    assert reply.status_code == 302
    assert reply["Location"] == "/my/actions/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "bell-count" not in client.get("/notifications/count/").content.decode()


def test_read_never_redirects_off_site() -> None:
    user = make_user("nurse")
    reply = signed_in(user).post("/notifications/read/", {"next": "https://evil.example/"})
    assert reply["Location"] == "/notifications/"


def test_preferences_page_turns_email_off() -> None:
    user = make_user("nurse")
    client = signed_in(user)
    reply = client.post("/notifications/", {"email_actions": "on", "email_mentions": ""})
    assert reply.status_code == 302
    preference = Preference.objects.get(user=user)
    assert preference.email_actions
    assert not preference.email_mentions
    notify(user, Kind.MENTION, "x", key="m:2")
    notify(user, Kind.ACTION_ASSIGNED, "y", key="a:2")
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_keeps_the_in_app_notice() -> None:
    user = make_user("nurse")
    with mock.patch("hitpm.notifications.services.send_mail", side_effect=OSError("refused")):
        note = notify(user, Kind.MENTION, "x", key="m:3")
    assert note is not None
    assert note.emailed_at is None
    assert Notification.objects.filter(user=user).count() == 1


def test_notifications_api() -> None:
    user, other = make_user("nurse"), make_user("other")
    notify(user, Kind.MENTION, "one", key="m:4")
    notify(user, Kind.MENTION, "two", key="m:5")
    notify(other, Kind.MENTION, "not yours", key="m:6")
    api = api_as(user)
    listed = api.get("/me/notifications").json()
    assert [n["message"] for n in listed["items"]] == ["two", "one"]
    first = listed["items"][1]["id"]
    assert api.post("/me/notifications/read", {"ids": [first]}).json() == {"marked": 1}
    assert api.get("/me/notifications", unread="true").json()["count"] == 1
    assert api.post("/me/notifications/read", {"ids": "all"}).status_code == 422
    assert api.post("/me/notifications/read", {}).json() == {"marked": 1}
    got = api.get("/me/notification-preferences")
    assert got.json()["email_mentions"] is True
    changed = api.patch("/me/notification-preferences", {"email_mentions": False},
                        if_match=got["ETag"])  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["email_mentions"] is False
    assert api.patch("/me/notification-preferences", {"email_mentions": True}).status_code == 428
