"""Calendar feeds: a project's milestones and key dates as iCalendar, by download or by a
secret, revocable subscription link (only the token's SHA-256 is stored)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db.models import Q
from django.utils import timezone

from hitpm.exchange.ical import KeyDate, write_calendar
from hitpm.exchange.models import CalendarFeed
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project

TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_feed(project: Project, user: Any, label: str = "") -> tuple[CalendarFeed, str]:
    """A new feed and its token (shown once; only its hash is kept)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(
        project=project,
        label=label.strip()[:100],
        token_hash=_hash(token),
        prefix=token[:6],
        created_by=user,
    )
    return feed, token


def revoke_feed(feed: CalendarFeed) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of a token, or None (unknown or revoked)."""
    feed = (
        CalendarFeed.objects.select_related("project")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed


def key_dates(project: Project) -> list[KeyDate]:
    """Milestones (all day), deadlines (all day) and the project's go-live and status dates."""
    events: list[KeyDate] = []
    tasks = Task.objects.filter(project=project).filter(
        Q(milestone=True) | Q(deadline__isnull=False)
    )
    for task in tasks.order_by("position"):
        if task.milestone and task.finish is not None:
            events.append(
                KeyDate(
                    key=f"task-{task.pk}",
                    summary=f"{project.code}: {task.name}",
                    start=task.finish,
                    description=f"Milestone {task.wbs} of {project.name}"
                    + (" (critical)" if task.critical else ""),
                    categories="Milestone",
                )
            )
        if task.deadline is not None:
            events.append(
                KeyDate(
                    key=f"deadline-{task.pk}",
                    summary=f"{project.code} deadline: {task.name}",
                    start=task.deadline,
                    all_day=False,
                    description=f"Deadline of {task.wbs} {task.name}",
                    categories="Deadline",
                )
            )
    if project.target_go_live is not None:
        day = dt.datetime.combine(project.target_go_live, dt.time())
        events.append(
            KeyDate(
                key=f"go-live-{project.pk}",
                summary=f"{project.code} go-live",
                start=day,
                categories="Go-live",
            )
        )
    return events


def project_calendar(project: Project) -> bytes:
    """The project's key dates as an .ics file."""
    domain = f"{project.code.lower()}.hitpm"
    return write_calendar(
        f"{project.code} {project.name}", domain, key_dates(project), timezone.now()
    )
