"""RACI: who is Responsible, Accountable, Consulted and Informed for a deliverable."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models.register import Stakeholder


class RaciAssignment(AuditedModel):
    """One cell of the RACI matrix: a stakeholder's letter for a deliverable (a plan task).

    A row is valid with exactly one Accountable and at least one Responsible
    (see ``services.raci.problems``).
    """

    class Letter(models.TextChoices):
        RESPONSIBLE = "R", "Responsible"
        ACCOUNTABLE = "A", "Accountable"
        CONSULTED = "C", "Consulted"
        INFORMED = "I", "Informed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="raci")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="raci")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="raci")
    letter = models.CharField(max_length=1, choices=Letter.choices)

    class Meta:
        verbose_name = "RACI assignment"
        constraints = [
            models.UniqueConstraint(fields=["task", "stakeholder"], name="one_raci_letter_per_cell")
        ]

    def __str__(self) -> str:
        return f"{self.letter}: {self.stakeholder_id} on task {self.task_id}"

    def clean(self) -> None:
        errors = {}
        if self.task_id and self.task.project_id != self.project_id:
            errors["task"] = "The task belongs to another project."
        if self.stakeholder_id and self.stakeholder.project_id != self.project_id:
            errors["stakeholder"] = "The stakeholder belongs to another project."
        if errors:
            raise ValidationError(errors)
