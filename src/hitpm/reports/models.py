"""Status reports: a draft the project manager edits, then an immutable published snapshot."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.portfolio.models import Project


class Audience(models.TextChoices):
    EXECUTIVE = "executive", "Executive"
    CLINICAL = "clinical", "Clinical leadership"
    IT = "it", "IT"


class Rating(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


DIMENSIONS = ("schedule", "scope", "budget", "quality", "risk")


class StatusReport(AuditedModel):
    """A status report for one audience as of a date.

    While a draft, its sections are generated from live data each time it is shown; the
    project manager edits the narrative and (for executives) the RAG per dimension, which
    starts from computed suggestions. Publishing freezes it: ``snapshot`` keeps the data as
    JSON and ``html`` the rendered report, and neither changes afterwards.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    title = models.CharField(max_length=200)
    as_of = models.DateField(default=dt.date.today, help_text="The date the report speaks for.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    summary = models.TextField("Summary", blank=True, help_text="The headline narrative.")
    accomplishments = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    asks = models.TextField("Asks and escalations", blank=True)
    ratings = models.JSONField(
        default=dict, blank=True, help_text='Per dimension: {"rating": "amber", "note": "..."}.'
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    html = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )  # fmt: skip

    audit_exclude = ("updated_at", "created_at", "html", "snapshot")

    class Meta:
        ordering = ["-as_of", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED
