"""The scan behind ``hitpm notify``: tell owners about communications and actions that are due.

Run it from cron (daily, or hourly); it is idempotent because every notification's key names
the record and its due date: a communication due on 3 March notifies its owner once, and again
only when its next due date comes round. Actions notify their owner from one day before the
due date; overdue ones that were never notified are notified too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from hitpm.notifications.models import Kind
from hitpm.notifications.services import notify
from hitpm.stakeholders.models import ActionItem, Communication

ACTION_LEAD_DAYS = 1


@dataclass(frozen=True)
class ScanResult:
    communications: int
    actions: int

    @property
    def total(self) -> int:
        return self.communications + self.actions


def scan(today: dt.date) -> ScanResult:
    """Notify what is due on or before ``today`` (actions: a day ahead); returns new counts."""
    comms = 0
    due = Communication.objects.filter(
        active=True, next_due__isnull=False, next_due__lte=today
    ).select_related("owner", "project")
    for c in due:
        when = c.next_due or today
        late = "overdue since" if when < today else "due"
        message = f"{c.project.code}: communication “{c.title}” is {late} {when:%d %b %Y}."
        url = reverse("stakeholders:communications", args=[c.project.code]) + f"#due-{c.pk}"
        key = f"communication-due:{c.pk}:{when.isoformat()}"
        if notify(c.owner, Kind.COMMUNICATION_DUE, message, key=key, url=url, project=c.project):
            comms += 1
    actions = 0
    horizon = today + dt.timedelta(days=ACTION_LEAD_DAYS)
    open_actions = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, due_on__lte=horizon
    ).select_related("owner", "project")
    for a in open_actions:
        late = "overdue since" if a.due_on < today else "due"
        message = f"{a.project.code}: your action “{a.description}” is {late} {a.due_on:%d %b %Y}."
        url = reverse("stakeholders:actions", args=[a.project.code]) + f"#action-{a.pk}"
        key = f"action-due:{a.pk}:{a.due_on.isoformat()}"
        if notify(a.owner, Kind.ACTION_DUE, message, key=key, url=url, project=a.project):
            actions += 1
    return ScanResult(comms, actions)
