"""The communication plan: next due dates, the due and overdue view, logging a sending.

Next due: a recurring communication is due on ``first_due`` and then every period after it
(daily, weekly, every two weeks, monthly, quarterly); a month step keeps the day of the month
of ``first_due``, clamped to the month's last day (31 Jan -> 28/29 Feb -> 31 Mar). Logging a
sending moves ``next_due`` to the first scheduled date after the sending, so a late or missed
sending never leaves a backlog of overdue dates; a one-off communication is then done.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from hitpm.accounts.models import User
from hitpm.core.services import lock_current, save_validated
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models import Communication, CommunicationLog, Stakeholder

Frequency = Communication.Frequency
DAYS = {Frequency.DAILY: 1, Frequency.WEEKLY: 7, Frequency.BIWEEKLY: 14}
MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3}
DUE_SOON_DAYS = 7
"""The due view shows what is overdue and what falls due within this many days."""


def occurrence(first_due: dt.date, frequency: str, n: int) -> dt.date | None:
    """The n-th scheduled date (n = 0 is ``first_due``); None past a one-off's only date."""
    if n == 0:
        return first_due
    if frequency in DAYS:
        return first_due + dt.timedelta(days=DAYS[Frequency(frequency)] * n)
    if frequency in MONTHS:
        months = first_due.month - 1 + MONTHS[Frequency(frequency)] * n
        year, month = first_due.year + months // 12, months % 12 + 1
        day = min(first_due.day, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)
    return None


def next_due_after(first_due: dt.date, frequency: str, day: dt.date) -> dt.date | None:
    """The first scheduled date strictly after ``day`` (None when there is none)."""
    if day < first_due:
        return first_due
    if frequency in DAYS:
        step = DAYS[Frequency(frequency)]
        return occurrence(first_due, frequency, (day - first_due).days // step + 1)
    n = 1
    while (when := occurrence(first_due, frequency, n)) is not None and when <= day:
        n += 1
    return when


@dataclass(frozen=True)
class DueView:
    """Active communications that are overdue, and those due within the horizon."""

    overdue: list[Communication]
    due_soon: list[Communication]
    today: dt.date


def due_view(
    communications: QuerySet[Communication], today: dt.date, horizon: int = DUE_SOON_DAYS
) -> DueView:
    due = (
        communications.filter(
            active=True, next_due__isnull=False, next_due__lte=today + dt.timedelta(days=horizon)
        )
        .select_related("owner", "project")
        .prefetch_related("audience")
        .order_by("next_due", "pk")
    )
    rows = list(due)
    return DueView(
        overdue=[c for c in rows if c.next_due and c.next_due < today],
        due_soon=[c for c in rows if c.next_due and c.next_due >= today],
        today=today,
    )


def create_communication(
    project: Project, fields: Mapping[str, Any], audience: list[Stakeholder]
) -> Communication:
    """A planned communication, first due on ``first_due``."""
    communication = Communication(project=project, **fields)
    communication.next_due = communication.first_due
    _check_audience(project, audience)
    with transaction.atomic():
        save_validated(communication)
        communication.audience.set(audience)
    return communication


def update_communication(
    communication: Communication,
    changes: Mapping[str, Any],
    expected_version: int | None,
    audience: list[Stakeholder] | None = None,
) -> Communication:
    """Change a planned communication; a new first due or frequency recomputes next due from
    the last sending."""
    if audience is not None:
        _check_audience(communication.project, audience)
    with transaction.atomic():
        current = lock_current(Communication, communication.pk, expected_version)
        for name, value in changes.items():
            setattr(current, name, value)
        if {"first_due", "frequency"} & set(changes) and current.first_due:
            current.next_due = (
                next_due_after(current.first_due, current.frequency, current.last_sent_on)
                if current.last_sent_on
                else current.first_due
            )
        save_validated(current)
        if audience is not None:
            current.audience.set(audience)
    return current


def _check_audience(project: Project, audience: list[Stakeholder]) -> None:
    if any(s.project_id != project.pk for s in audience):
        raise ValidationError({"audience": "Every audience member must be on this project."})


def log_sent(
    communication: Communication,
    user: User | None,
    sent_on: dt.date,
    note: str = "",
    expected_version: int | None = None,
) -> CommunicationLog:
    """Record a sending and move next due past it."""
    with transaction.atomic():
        current = lock_current(Communication, communication.pk, expected_version)
        if not current.active:
            raise ValidationError("This communication is inactive; reactivate it first.")
        if current.next_due is None:
            raise ValidationError("This one-off communication was already sent.")
        entry = save_validated(
            CommunicationLog(
                communication=current, sent_on=sent_on, sent_by=user,
                due_on=current.next_due, note=note,
            )
        )  # fmt: skip
        current.last_sent_on = max(sent_on, current.last_sent_on or sent_on)
        current.next_due = next_due_after(
            current.first_due, current.frequency, max(sent_on, current.next_due)
        )
        save_validated(current)
    return entry
