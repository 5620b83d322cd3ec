"""People and roles who do the work, and their assignments to tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.planning.models.plan import Calendar, Task
from hitpm.portfolio.models import Project


class Resource(AuditedModel):
    """A named person, or a generic role ("Epic Orders analyst"), with a calendar and capacity.

    ``capacity_percent`` is MS Project's Max. Units: 100 for full time, 50 for someone who
    gives the project half of each working day; above 100 for a role that stands for a team.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ROLE = "role", "Role"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(max_length=120, blank=True, help_text="Job role, e.g. Trainer.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    calendar = models.ForeignKey(
        Calendar, on_delete=models.RESTRICT, null=True, blank=True, related_name="resources"
    )
    capacity_percent = models.PositiveIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="resource_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(AuditedModel):
    """A resource working on a task at ``units_percent`` of its time (100 = full time)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="assignments")
    units_percent = models.PositiveIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )

    class Meta:
        ordering = ["project", "task", "resource"]
        constraints = [
            models.UniqueConstraint(fields=["task", "resource"], name="one_assignment_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}@{self.task_id} {self.units_percent}%"
