"""Helpers every app's pages share: HTMX detection and turning service errors into form errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from hitpm.core.services import StaleVersion

if TYPE_CHECKING:
    from hitpm.accounts.models import User


class SignedInRequest(HttpRequest):
    """The request a login_required view receives: its user is a signed-in ``User``.

    For type checking only; at run time it is Django's plain HttpRequest.
    """

    user: User


def is_htmx(request: HttpRequest) -> bool:
    """True when HTMX asked for a fragment rather than a whole page."""
    return request.headers.get("HX-Request") == "true"


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data on POST, even an empty POST (so it shows "required" errors), else None."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation error on the form: on its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def error_text(exc: Exception) -> str:
    """A refusal as one line: a ``ValidationError``'s messages joined, else the exception's text."""
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def service_ok(form: forms.BaseForm, call: Callable[[], object]) -> bool:
    """Run a service ``call`` for a valid form; True when it succeeded.

    A ``ValidationError`` it raises goes on the form (see ``add_service_errors``).
    """
    try:
        call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def save_form(form: forms.BaseForm, save: Callable[[], object]) -> tuple[bool, bool]:
    """Run ``save`` for a valid form; a stale version or a service's refusal goes on the form.

    Returns ``(saved, stale)``: stale when someone else changed the record meanwhile.
    """
    try:
        return service_ok(form, save), False
    except StaleVersion as exc:
        form.add_error(None, f"Not saved: {exc}")
        return False, True


def confirm_page(
    request: HttpRequest, *, title: str, question: str, confirm_label: str, cancel_url: str
) -> HttpResponse:
    """Ask before a destructive POST; browsers with JavaScript get hx-confirm instead."""
    context = {
        "title": title,
        "question": question,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
    }
    return render(request, "core/confirm.html", context)
