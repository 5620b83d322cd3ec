"""Portfolio and project records and who may work on each project."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from hitpm.core.codes import PROJECT_CODE_PATTERN
from hitpm.core.models import AuditedModel

code_validator = RegexValidator(
    PROJECT_CODE_PATTERN,
    "Use 2-24 capital letters, digits or hyphens, starting with a letter or digit (EHR-2027).",
)


class Portfolio(AuditedModel):
    """A group of projects governed together, e.g. a health system's clinical IT portfolio."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    audit_project_id = None

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(AuditedModel):
    """A healthcare IT project: an EHR go-live, an interface build, a HIPAA programme."""

    class Phase(models.TextChoices):
        INITIATION = "initiation", "Initiation"
        PLANNING = "planning", "Planning"
        BUILD = "build", "Design & build"
        TESTING = "testing", "Testing"
        TRAINING = "training", "Training"
        GO_LIVE = "go_live", "Go-live"
        STABILISATION = "stabilisation", "Stabilisation"
        CLOSED = "closed", "Closed"

    class Health(models.TextChoices):
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="projects")
    code = models.CharField(max_length=24, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.INITIATION)
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.GREEN)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    sponsor = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    status_date = models.DateField(null=True, blank=True)
    target_go_live = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_go_live__isnull=True)
                | models.Q(target_go_live__gte=models.F("start_date")),
                name="project_go_live_after_start",
                violation_error_message="Target go-live cannot be before the project start.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def audit_project_id(self) -> int | None:
        return self.pk


class Membership(AuditedModel):
    """A user's role on one project. PMO administrators need none: they see every project."""

    class Role(models.TextChoices):
        PROJECT_MANAGER = "project_manager", "Project manager"
        TEAM_MEMBER = "team_member", "Team member"
        VIEWER = "viewer", "Viewer (read-only)"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["project", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_role_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} on {self.project.code}"
