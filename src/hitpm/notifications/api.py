"""Your notifications and e-mail preferences over the API."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Schema

from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    InputSchema,
    Page,
    PageQuery,
    RecordId,
    caller,
    if_match,
    paginate,
    represent_with,
    tagged,
)
from hitpm.core.services import save_validated, update_fields
from hitpm.notifications.models import Kind, Notification, Preference
from hitpm.notifications.services import mark_read, preference_for

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: Kind
    project_code: str | None
    message: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    emailed_at: dt.datetime | None

    @staticmethod
    def resolve_project_code(note: Notification) -> str | None:
        return note.project.code if note.project else None


class ReadIn(InputSchema):
    ids: list[RecordId] | None = None


class ReadOut(Schema):
    marked: int


class PreferenceOut(Schema):
    version: int
    email_actions: bool
    email_communications: bool
    email_mentions: bool


class PreferenceIn(InputSchema):
    email_actions: bool = True
    email_communications: bool = True
    email_mentions: bool = True


@router.get("/me/notifications", response={200: Page[NotificationOut], **ERRORS})
def list_notifications(
    request: HttpRequest, paging: Query[PageQuery], unread: bool | None = None
) -> dict[str, Any]:
    """Your notifications, newest first; ``unread=true`` for the unread only."""
    notes = Notification.objects.filter(user=caller(request)).select_related("project")
    if unread is not None:
        notes = notes.filter(read_at__isnull=unread)
    return paginate(notes.order_by("-created_at", "-pk"), paging)


@router.post("/me/notifications/read", response={200: ReadOut, **WRITE_ERRORS})
def read_notifications(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    """Mark the listed notifications read, or all of them when ``ids`` is left out."""
    return {"marked": mark_read(caller(request), payload.ids)}


@router.get("/me/notification-preferences", response={200: PreferenceOut, **ERRORS})
def get_preferences(request: HttpRequest, response: HttpResponse) -> Preference:
    """Which notifications also come by e-mail (all, until you change it)."""
    preference = preference_for(caller(request))
    if preference.pk is None:
        save_validated(preference)
    return tagged(response, preference)


@router.patch("/me/notification-preferences", response={200: PreferenceOut, **WRITE_ERRORS})
def update_preferences(
    request: HttpRequest, payload: PatchDict[PreferenceIn], response: HttpResponse
) -> Preference:
    """Change your e-mail preferences (If-Match from the GET)."""
    preference = preference_for(caller(request))
    if preference.pk is None:
        save_validated(preference)
    return tagged(response, update_fields(Preference, preference.pk, payload, if_match(request)))


represent_with(Preference, PreferenceOut)
