"""Meetings, the decision log and action items."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models.register import Stakeholder


class Meeting(AuditedModel):
    """A project meeting (steering committee, design session, readiness review) with its
    agenda, attendees and minutes."""

    class Kind(models.TextChoices):
        STEERING = "steering", "Steering committee"
        STATUS = "status", "Status meeting"
        DESIGN = "design", "Design session"
        READINESS = "readiness", "Go-live readiness review"
        HUDDLE = "huddle", "Huddle"
        OTHER = "other", "Other"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True, help_text="Mention people with @username.")
    attendees = models.ManyToManyField(Stakeholder, related_name="meetings", blank=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class Decision(AuditedModel):
    """An entry of the decision log: what was decided (or is awaiting decision), why, by whom,
    when, and which plan items it concerns. Pending decisions are the "decisions needed" of
    the executive status report."""

    class Status(models.TextChoices):
        PENDING = "pending", "Decision needed"
        DECIDED = "decided", "Decided"
        SUPERSEDED = "superseded", "Superseded"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DECIDED)
    decided_by = models.CharField(max_length=200, blank=True, help_text="Who decided.")
    decided_on = models.DateField(null=True, blank=True)
    needed_by = models.DateField(null=True, blank=True, help_text="For a pending decision.")
    tasks = models.ManyToManyField(Task, related_name="decisions", blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.status == self.Status.DECIDED:
            if not self.decided_by:
                errors["decided_by"] = "Say who made the decision."
            if not self.decided_on:
                errors["decided_on"] = "Give the date of the decision."
        if self.meeting_id and self.meeting and self.meeting.project_id != self.project_id:
            errors["meeting"] = "The meeting belongs to another project."
        if errors:
            raise ValidationError(errors)


class ActionItem(AuditedModel):
    """Something someone must do, usually out of a meeting; it appears in the owner's
    "my actions" list across projects."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    notes = models.TextField(blank=True, help_text="Mention people with @username.")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today

    def clean(self) -> None:
        errors = {}
        if self.meeting_id and self.meeting and self.meeting.project_id != self.project_id:
            errors["meeting"] = "The meeting belongs to another project."
        if self.task_id and self.task and self.task.project_id != self.project_id:
            errors["task"] = "The task belongs to another project."
        if errors:
            raise ValidationError(errors)
