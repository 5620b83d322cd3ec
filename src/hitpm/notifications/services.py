"""Telling people: in-app notifications, e-mail by preference, and @mentions.

Every notification has a key naming its event, so repeating a scan (``hitpm notify`` from cron)
or saving a record again never tells anyone twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.notifications.models import Kind, Notification, Preference
from hitpm.portfolio.access import Action, can
from hitpm.portfolio.models import Project

log = logging.getLogger(__name__)
_email_muted: ContextVar[bool] = ContextVar("hitpm_email_muted", default=False)


@contextmanager
def email_muted() -> Iterator[None]:
    """Notify in-app only, e.g. while loading demo data."""
    token = _email_muted.set(True)
    try:
        yield
    finally:
        _email_muted.reset(token)


MENTION = re.compile(r"(?<![\w.@])@([\w.+-]*\w)")


def preference_for(user: User) -> Preference:
    """The user's preferences; defaults (e-mail everything) until they change them."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def notify(
    user: User,
    kind: Kind,
    message: str,
    *,
    key: str,
    url: str = "",
    project: Project | None = None,
) -> Notification | None:
    """Notify a user once per ``key``; e-mail them too when their preferences say so.

    Returns the new notification, or None when this event was already notified.
    """
    if not user.is_active or Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user, kind=kind, message=message[:300], url=url, key=key, project=project
            )
    except IntegrityError:  # notified concurrently
        return None
    if user.email and not _email_muted.get() and preference_for(user).wants_email(kind):
        _email(note, user)
    return note


def _email(note: Notification, user: User) -> None:
    link = f"\n\nOpen it in hitpm: {note.url}" if note.url else ""
    prefix = f"[{note.project.code}] " if note.project else ""
    try:
        send_mail(
            subject=f"hitpm: {prefix}{note.get_kind_display()}",
            message=f"{note.message}{link}\n\nChange what you receive under Notifications.",
            from_email=None,
            recipient_list=[user.email],
        )
    except OSError as exc:  # an unreachable mail server must not lose the in-app notice
        log.warning("Could not e-mail notification %s to %s: %s", note.pk, user.email, exc)
        return
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def mentioned_users(text: str, project: Project) -> list[User]:
    """Users named as @username in ``text`` who can see the project."""
    names = {m.group(1).rstrip(".") for m in MENTION.finditer(text or "")}
    if not names:
        return []
    users = User.objects.filter(username__in=names, is_active=True).order_by("username")
    return [u for u in users if can(u, project, Action.VIEW)]


def notify_mentions(
    texts: Iterable[str], project: Project, *, where: str, key: str, url: str, author: User | None
) -> int:
    """Notify everyone @mentioned in ``texts`` (once per record); returns how many were."""
    count = 0
    for user in mentioned_users("\n".join(texts), project):
        if author is not None and user.pk == author.pk:
            continue
        who = author.get_full_name() or author.get_username() if author else "Someone"
        message = f"{who} mentioned you in {where}."
        if notify(user, Kind.MENTION, message, key=f"{key}:{user.pk}", url=url, project=project):
            count += 1
    return count


def unread(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when ``ids`` is None)."""
    notes = unread(user)
    if ids is not None:
        notes = notes.filter(pk__in=list(ids))
    return notes.update(read_at=timezone.now())
