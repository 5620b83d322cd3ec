"""The communication plan: what is told to whom, how, how often, by whom, and when next."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models.register import Stakeholder


class Communication(AuditedModel):
    """A planned, usually recurring, communication (e.g. the weekly go-live readiness email to
    nursing leadership). ``next_due`` starts at ``first_due`` and advances by the frequency
    each time a sending is logged; a one-off communication has no next due once sent.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"
        HUDDLE = "huddle", "Huddle"
        NEWSLETTER = "newsletter", "Newsletter"
        INTRANET = "intranet", "Intranet post"
        TOWN_HALL = "town_hall", "Town hall"
        REPORT = "report", "Status report"
        DASHBOARD = "dashboard", "Dashboard"
        CHAT = "chat", "Chat channel"

    class Frequency(models.TextChoices):
        ONCE = "once", "Once"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="communications")
    title = models.CharField("What", max_length=200)
    purpose = models.TextField(blank=True)
    audience = models.ManyToManyField(
        Stakeholder, related_name="communications", blank=True, verbose_name="To whom"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_communications",
    )
    first_due = models.DateField()
    next_due = models.DateField(null=True, blank=True, editable=False)
    last_sent_on = models.DateField(null=True, blank=True, editable=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["next_due", "title"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.active and self.next_due is not None and self.next_due < today


class CommunicationLog(AuditedModel):
    """A record that a planned communication went out: when, by whom, with a note."""

    communication = models.ForeignKey(Communication, on_delete=models.CASCADE, related_name="log")
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True, help_text="The due date this sending met.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.communication} sent {self.sent_on}"

    @property
    def audit_project_id(self) -> int | None:
        return self.communication.project_id
