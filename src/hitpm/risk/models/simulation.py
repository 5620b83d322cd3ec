"""Schedule risk analysis inputs and runs: three-point estimates per task, stored runs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.engine.montecarlo import Distribution
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project

DISTRIBUTIONS = [
    (Distribution.TRIANGULAR.value, "Triangular"),
    (Distribution.PERT.value, "BetaPERT"),
    (Distribution.UNIFORM.value, "Uniform"),
    (Distribution.FIXED.value, "Fixed (most likely)"),
]


class TaskEstimate(AuditedModel):
    """A task's three-point duration estimate in working minutes (minimum, most likely,
    maximum); a blank distribution takes the run's."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="task_estimates")
    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="estimate")
    low_minutes = models.PositiveIntegerField()
    likely_minutes = models.PositiveIntegerField()
    high_minutes = models.PositiveIntegerField()
    distribution = models.CharField(max_length=12, choices=DISTRIBUTIONS, blank=True)
    basis = models.CharField(max_length=300, blank=True, help_text="Where the range comes from.")

    class Meta:
        ordering = ["project", "task__position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low_minutes__lte=models.F("likely_minutes"))
                & models.Q(likely_minutes__lte=models.F("high_minutes")),
                name="estimate_in_order",
                violation_error_message="Need minimum <= most likely <= maximum.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.low_minutes}/{self.likely_minutes}/{self.high_minutes}"


class SimulationRun(AuditedModel):
    """A Monte Carlo run of a project's schedule, and its background job.

    ``inputs`` is the engine's input (seed included) and ``plan`` the project as it was
    simulated (hitpm JSON), so the run can be repeated exactly; ``results`` holds the figures
    the pages and the API show. Status and progress are written by the worker with plain
    updates, outside the audit trail.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="simulations")
    name = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="simulations",
    )
    iterations = models.PositiveIntegerField(
        validators=[MinValueValidator(100), MaxValueValidator(200_000)]
    )
    seed = models.BigIntegerField(validators=[MinValueValidator(0)])
    inputs = models.JSONField(default=dict)
    plan = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    results = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )

    audit_exclude = (
        "updated_at",
        "created_at",
        "plan",
        "status",
        "progress",
        "results",
        "error",
        "started_at",
        "finished_at",
    )

    class Meta:
        ordering = ["project", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.name or f"Run {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
