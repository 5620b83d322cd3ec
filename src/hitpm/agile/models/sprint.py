"""Sprints of a Scrum board, each person's capacity in it, and what was in its scope when."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.agile.models.board import Board
from hitpm.agile.models.item import WorkItem
from hitpm.core.models import AuditedModel


class Sprint(AuditedModel):
    """A time-box of a Scrum board: planned, then active (one at a time), then closed.

    ``committed_*`` are fixed when it starts, ``completed_*`` when it closes (velocity).
    """

    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="sprints")
    name = models.CharField(max_length=100)
    goal = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    state = models.CharField(max_length=7, choices=State.choices, default=State.PLANNED)
    committed_points = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    committed_items = models.PositiveIntegerField(null=True, blank=True)
    completed_points = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    completed_items = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["board", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="agile_sprint_name_per_board"),
            models.UniqueConstraint(
                fields=["board"],
                condition=models.Q(state="active"),
                name="agile_one_active_sprint",
                violation_error_message="The board already has an active sprint; close it first.",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="agile_sprint_ends_after_start",
                violation_error_message="A sprint cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_project_id(self) -> int | None:
        return self.board.project_id


class SprintMember(AuditedModel):
    """A person's availability in a sprint: share of their time and days off."""

    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    allocation_percent = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    days_off = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["sprint", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["sprint", "user"], name="agile_sprint_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.sprint}"

    @property
    def audit_project_id(self) -> int | None:
        return self.sprint.board.project_id


class SprintEntry(models.Model):
    """An item's stay in a sprint's scope: when it came in (committed at start or added
    later), with how many points, and when and how it left (returned or carried over)."""

    class Outcome(models.TextChoices):
        OPEN = "", "In the sprint"
        REMOVED = "removed", "Removed during the sprint"
        TO_BACKLOG = "backlog", "Back to the backlog at close"
        TO_SPRINT = "next", "Carried to the next sprint at close"

    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="sprint_entries")
    points = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0"))
    committed = models.BooleanField(default=False)
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=7, choices=Outcome.choices, blank=True, default="")

    class Meta:
        ordering = ["sprint", "added_at", "pk"]
        indexes = [models.Index(fields=["sprint", "item"])]

    def __str__(self) -> str:
        return f"{self.item_id} in {self.sprint_id}"
