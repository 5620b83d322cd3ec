"""Sign-in with throttling, sign-out, password change and API tokens, through the pages."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from hitpm.accounts.models import ApiToken, LoginFailure, User
from hitpm.accounts.services import issue_token, user_for_token
from hitpm.core.tests.web_fixtures import PASSWORD, make_user, signed_in

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TOKENS = reverse("accounts:tokens")


@pytest.fixture
def alice() -> User:
    return make_user("alice", password=PASSWORD)


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    data = {"username": username, "password": password}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def test_pages_need_a_signed_in_user() -> None:
    response = Client().get(reverse("portfolio:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_with_the_right_password_goes_to_the_dashboard(alice: User) -> None:
    client = Client()
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:dashboard")
    assert client.get(reverse("portfolio:dashboard")).status_code == 200


def test_wrong_password_is_refused_and_counted(alice: User) -> None:
    client = Client()
    response = _login(client, "alice", "not-it")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert LoginFailure.objects.filter(username="alice", address="10.0.0.1").count() == 1
    assert "_auth_user_id" not in client.session


def test_too_many_failures_lock_the_account_without_checking_the_password(
    alice: User, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        _login(client, "alice", "guess")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a locked sign-in must not check the password")

    monkeypatch.setattr("django.contrib.auth.forms.authenticate", refuse)
    response = _login(client, "Alice", PASSWORD)
    assert response.status_code == 200
    assert "temporarily locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_is_per_address(alice: User, settings) -> None:
    settings.LOGIN_MAX_FAILURES = 2
    client = Client()
    for _ in range(2):
        _login(client, "alice", "guess", address="10.0.0.66")
    assert _login(client, "alice", PASSWORD, address="10.0.0.1").status_code == 302


def test_successful_login_clears_earlier_failures(alice: User) -> None:
    client = Client()
    _login(client, "alice", "guess")
    assert _login(client, "alice", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="alice").exists()


def test_login_form_enforces_csrf(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "alice", PASSWORD).status_code == 403
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(alice: User) -> None:
    client = signed_in(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("wrong-old-one", "Plenty-long-pass-7", "Plenty-long-pass-7", "old password was entered"),
        (PASSWORD, "short7", "short7", "too short"),
        (PASSWORD, "password123", "password123", "too common"),
        (PASSWORD, "Plenty-long-pass-7", "Plenty-long-pass-8", "didn"),
    ],
)
def test_password_change_errors_are_shown_and_nothing_changes(
    alice: User, old: str, new1: str, new2: str, message: str
) -> None:
    client = signed_in(alice)
    data = {"old_password": old, "new_password1": new1, "new_password2": new2}
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_keeps_the_user_signed_in(alice: User) -> None:
    client = signed_in(alice)
    new = "Interfaces-Everywhere-99"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(reverse("accounts:password_change"), data, follow=True)
    assert "Your password was changed." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(new)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_profile_lists_the_users_projects(alice: User) -> None:
    response = signed_in(alice).get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert "alice@example.org" in response.content.decode()


def test_new_token_secret_is_shown_once_and_stored_hashed(alice: User) -> None:
    client = signed_in(alice)
    response = client.post(TOKENS, {"name": "Interface monitor"})
    assert response.status_code == 200
    secret = response.context["issued"].secret
    page = response.content.decode()
    assert secret in page
    assert "only time it is shown" in page
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=alice)
    assert token.name == "Interface monitor"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.key_hash
    assert user_for_token(secret) == alice
    assert secret not in client.get(TOKENS).content.decode()


def test_token_needs_a_name(alice: User) -> None:
    response = signed_in(alice).post(TOKENS, {"name": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_asks_first_then_revokes(alice: User) -> None:
    issued = issue_token(alice, "laptop")
    client = signed_in(alice)
    url = reverse("accounts:token_revoke", args=[issued.token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Revoke “laptop”?" in confirm.content.decode()
    assert user_for_token(issued.secret) == alice
    response = client.post(url)
    assert response.status_code == 302
    assert user_for_token(issued.secret) is None


def test_revoke_through_htmx_returns_the_updated_row(alice: User) -> None:
    issued = issue_token(alice, "laptop")
    url = reverse("accounts:token_revoke", args=[issued.token.pk])
    response = signed_in(alice).post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="token-{issued.token.pk}"' in response.content.decode()
    assert "Revoked" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_nobody_revokes_another_persons_token(alice: User) -> None:
    issued = issue_token(alice, "laptop")
    mallory = make_user("mallory")
    url = reverse("accounts:token_revoke", args=[issued.token.pk])
    assert signed_in(mallory).post(url).status_code == 404
    assert user_for_token(issued.secret) == alice


def test_token_forms_enforce_csrf(alice: User) -> None:
    issued = issue_token(alice, "laptop")
    client = signed_in(alice, enforce_csrf_checks=True)
    assert client.post(TOKENS, {"name": "sneaky"}).status_code == 403
    revoke = reverse("accounts:token_revoke", args=[issued.token.pk])
    assert client.post(revoke).status_code == 403
    assert ApiToken.objects.filter(user=alice).count() == 1
    assert user_for_token(issued.secret) == alice
