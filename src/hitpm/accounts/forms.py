"""Sign-in with throttling, and the API token form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest

from hitpm.accounts import services


def client_address(request: HttpRequest | None) -> str | None:
    """The address a request came from, as the server saw it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing an account after too many failures from one address.

    While locked, the password is not even checked, so guessing gains nothing; a successful
    sign-in clears the failures.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": (
            "This account is temporarily locked after too many failed sign-ins from your "
            "address. Try again in %(minutes)s minutes, or ask an administrator to help."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if username and services.login_locked(username, address):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.record_login_failure(username, address)
            raise
        services.clear_login_failures(username, address)
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text='What the token is for, e.g. "Epic interface monitor" or "laptop script".',
    )
