"""What every API router shares: authentication, the error format, ETag/If-Match, pagination.

Routers stay thin: they read typed input, ask ``portfolio.access`` for permission, call a
service and return a schema. Everything a route would otherwise repeat lives here, so every
route authenticates, fails and pages the same way (see docs/api.md).
"""

import math
import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Annotated, Any, cast

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import capfirst
from ninja import Field, FilterSchema, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf
from pydantic import AfterValidator, ConfigDict, field_validator

from hitpm.accounts.models import User
from hitpm.accounts.services import user_for_token
from hitpm.audit.context import acting_as
from hitpm.core.models import AuditedModel
from hitpm.core.services import StaleVersion

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 1_000_000
_ETAG = re.compile(r'^"(\d+)"$')
_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]{1,200}")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


# --- Input types shared by every router -----------------------------------------------------


def storable(value: Any) -> Any:
    """Refuse text no database can store (NUL, lone surrogates) before it reaches a query."""
    if isinstance(value, str) and _UNSTORABLE.search(value):
        raise ValueError("Text must not contain NUL characters or unpaired surrogates.")
    return value


Text = Annotated[str, AfterValidator(storable)]
"""A string path parameter, checked like every string field of a body or filter."""

RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
"""A database id: a number that fits the id column, so lookups never overflow it."""


class InputSchema(Schema):
    """Base of request bodies: an unknown field is an error, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


class Filters(FilterSchema):
    """Base of list filters (query parameters)."""

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


class FieldError(Schema):
    field: str | None = Field(description="The input field at fault; null for the whole record.")
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class StaleOut(Schema):
    detail: str
    current: dict[str, Any] = Field(description="The record as it is stored now.")


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: ErrorOut, 412: StaleOut, 428: ErrorOut}


# --- Authentication -------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """Personal API tokens (``Authorization: Bearer hitpm_...``), for scripts and integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token) if _TOKEN_CHARACTERS.fullmatch(token) else None
        if user is None:
            # A bad token fails outright rather than falling back to a browser session.
            raise AuthenticationError(
                401, "This API token is not valid or has been revoked; create a new one."
            )
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser session, so the UI and the docs page can call the API; unsafe methods need
    Django's CSRF token. Unlike ninja's own class it checks CSRF only for signed-in users, so
    an anonymous caller gets 401 rather than a CSRF error."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_active:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403,
                "CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header, "
                "or authenticate with an API token instead of the session.",
            )
        return user


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def act_as_caller(view: Callable[..., Any]) -> Callable[..., Any]:
    """Attribute audit entries to the API caller: the middleware only knows session users."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with acting_as(caller(request).get_username()):
            return view(request, *args, **kwargs)

    return wrapper


# --- Optimistic concurrency -----------------------------------------------------------------


class PreconditionRequired(Exception):
    """A write came without a usable If-Match header (answered with 428)."""


def etag(record: AuditedModel) -> str:
    return f'"{record.version}"'


def tagged[R: AuditedModel](response: HttpResponse, record: R) -> R:
    """Put the record's ETag on the response and return the record, for one-line handlers."""
    response["ETag"] = etag(record)
    return record


def if_match(request: HttpRequest) -> int:
    """The version the client last read, from its If-Match header."""
    value = request.headers.get("If-Match", "").strip()
    match = _ETAG.match(value)
    if match is None:
        got = f" (got {value!r})" if value else ""
        raise PreconditionRequired(
            "Send an If-Match header with the ETag from your last GET of this record, "
            f'e.g. If-Match: "3"{got}, so that you never overwrite a change you have not seen.'
        )
    return int(match.group(1))


_REPRESENTATIONS: dict[type[Model], type[Schema]] = {}


def represent_with(model: type[Model], schema: type[Schema]) -> None:
    """Register the output schema a 412 uses to show the current state of a model's records."""
    _REPRESENTATIONS[model] = schema


def representation(record: Model) -> dict[str, Any]:
    schema = _REPRESENTATIONS[type(record)]
    return cast(dict[str, Any], schema.model_validate(record).model_dump())


# --- Pagination -----------------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


class Page[T](Schema):
    items: list[T]
    count: int = Field(description="Items matching the filters, on all pages.")
    page: int
    page_size: int
    pages: int = Field(description="Number of pages (at least 1).")


def paginate(queryset: QuerySet[Any], query: PageQuery) -> dict[str, Any]:
    """One page of an ordered queryset; a page past the end is empty, not an error."""
    count = queryset.count()
    start = (query.page - 1) * query.page_size
    return {
        "items": list(queryset[start : start + query.page_size]),
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, math.ceil(count / query.page_size)),
    }


# --- Errors ---------------------------------------------------------------------------------


def or_404[T](record: T | None, what: str, code: str, pk: int) -> T:
    """The record a lookup found, or a 404: project ``code`` has no ``what`` with id ``pk``."""
    if record is None:
        raise Http404(f"Project {code} has no {what} with id {pk}.")
    return record


def _field_of(location: Iterable[Any]) -> str | None:
    """The name the client sent: ("body", "payload", "name") -> "name", ("query", "page") -> "page".

    Body locations start with the source and the handler's parameter name, other locations
    with the source only.
    """
    parts = [str(p) for p in location]
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or None


def _model_errors(exc: ModelValidationError) -> list[dict[str, str | None]]:
    if not hasattr(exc, "error_dict"):
        return [{"field": None, "message": m} for m in exc.messages]
    return [
        {"field": None if name == NON_FIELD_ERRORS else name, "message": message}
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _summary(errors: list[dict[str, str | None]]) -> str:
    parts = [f"{e['field']}: {e['message']}" if e["field"] else str(e["message"]) for e in errors]
    return "Invalid input. " + "; ".join(parts)


def install_conventions(api: NinjaAPI) -> None:
    """Give every route of ``api`` the shared error format and audit attribution."""

    def reply(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        # An error answer must leave no half-done write behind (ATOMIC_REQUESTS is on).
        if transaction.get_connection().in_atomic_block:
            transaction.set_rollback(True)
        return api.create_response(request, body, status=status)

    def fail(
        request: HttpRequest,
        status: int,
        detail: str,
        errors: list[dict[str, str | None]] | None = None,
    ) -> HttpResponse:
        return reply(request, status, {"detail": detail, "errors": errors or []})

    def on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        errors = [
            {
                "field": _field_of(e.get("loc", ())),
                "message": e["msg"].removeprefix("Value error, "),
            }
            for e in exc.errors
        ]
        return fail(request, 422, _summary(errors), errors)

    def on_model_error(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
        errors = _model_errors(exc)
        return fail(request, 422, _summary(errors), errors)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            detail = exc.message
            if detail == "Unauthorized":
                detail = "Sign in, or send an API token as 'Authorization: Bearer hitpm_...'."
            response = fail(request, 401, detail)
            response["WWW-Authenticate"] = 'Bearer realm="hitpm"'
            return response
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            return fail(request, 422, f"The request body is not valid JSON: {exc.__cause__}")
        return fail(request, exc.status_code, exc.message)

    def on_stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
        body = {"detail": capfirst(str(exc)), "current": representation(exc.current)}
        response = reply(request, 412, body)
        response["ETag"] = etag(exc.current)
        return response

    def on_in_use(request: HttpRequest, exc: ProtectedError | RestrictedError) -> HttpResponse:
        blockers = (
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        )
        names = sorted({str(o._meta.verbose_name_plural) for o in blockers})
        detail = f"This record is still in use by {', '.join(names)}; remove or move those first."
        return fail(request, 409, detail)

    handlers: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
        SchemaValidationError: on_schema_error,
        ModelValidationError: on_model_error,
        HttpError: on_http_error,
        StaleVersion: on_stale,
        ProtectedError: on_in_use,
        RestrictedError: on_in_use,
        Http404: lambda r, e: fail(r, 404, str(e) or "Not found."),
        ObjectDoesNotExist: lambda r, e: fail(r, 404, "This record no longer exists."),
        PermissionDenied: lambda r, e: fail(r, 403, str(e) or "You do not have permission."),
        PreconditionRequired: lambda r, e: fail(r, 428, str(e)),
        IntegrityError: lambda r, e: fail(r, 409, "This change conflicts with existing data."),
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)
    api.add_decorator(act_as_caller)
