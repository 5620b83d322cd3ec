"""Import jobs (large files imported in the background) and calendar feed tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from hitpm.portfolio.models import Project


class ImportJob(models.Model):
    """One uploaded file being imported: its bytes, options, status and progress.

    Small files are imported in the request; large ones are queued and run by a background
    thread or ``hitpm worker`` (see :mod:`hitpm.exchange.jobs`). The file's bytes are kept
    until the job ends, so a worker on another machine can read them.
    """

    exchange_skip = True

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for column mapping"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    format = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(blank=True)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=100, blank=True)
    progress = models.FloatField(default=0)
    message = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Import {self.pk} {self.filename} ({self.status})"

    @property
    def counts(self) -> list[tuple[str, Any]]:
        """What the import created, ``(what, how many)``, for the result page."""
        return [(k, v) for k, v in (self.summary or {}).items() if k != "warnings"]

    @property
    def warnings(self) -> list[str]:
        """What the file held that the import left out or changed, one sentence each."""
        found = (self.summary or {}).get("warnings") or []
        return [str(w) for w in found] if isinstance(found, list) else []


class CalendarFeed(models.Model):
    """A secret link to a project's milestones as an iCalendar feed; only a hash is stored.

    Whoever holds the link can subscribe without signing in, so a project manager can revoke
    it at any time; the token itself is shown once, when the feed is created.
    """

    exchange_skip = True
    # Who created and revoked which public link is audited; the token's hash never is.
    audit_enabled = True
    audit_exclude = ("token_hash", "last_used_at")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="calendar_feeds")
    label = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell feeds apart.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Feed {self.prefix}… of {self.project_id}"

    @property
    def audit_project_id(self) -> int:
        return int(self.project_id)
