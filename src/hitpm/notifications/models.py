"""Notifications a user sees under the bell, and how they want to be told by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.portfolio.models import Project


class Kind(models.TextChoices):
    ACTION_ASSIGNED = "action_assigned", "Action assigned to you"
    ACTION_DUE = "action_due", "Your action is due"
    COMMUNICATION_DUE = "communication_due", "Communication due"
    MENTION = "mention", "You were mentioned"


class Notification(models.Model):
    """One message for one user. ``key`` makes notifying idempotent: the same event (an action
    assigned, a communication due on a date, a mention in a record) notifies a user once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notify_once_per_event")
        ]

    def __str__(self) -> str:
        return self.message


class Preference(AuditedModel):
    """Which notifications a user also wants by e-mail (all of them unless they say otherwise).
    In-app notifications are always kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_actions = models.BooleanField("E-mail me actions assigned to me and due", default=True)
    email_communications = models.BooleanField("E-mail me communications I owe", default=True)
    email_mentions = models.BooleanField("E-mail me when someone mentions me", default=True)

    class Meta:
        verbose_name = "notification preference"

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"

    def wants_email(self, kind: str) -> bool:
        if kind in (Kind.ACTION_ASSIGNED, Kind.ACTION_DUE):
            return self.email_actions
        if kind == Kind.COMMUNICATION_DUE:
            return self.email_communications
        return self.email_mentions
