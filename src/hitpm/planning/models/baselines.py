"""Baselines: named snapshots of the plan's dates that the current schedule is compared with."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.planning.models.plan import Task
from hitpm.portfolio.models import Project


class Baseline(AuditedModel):
    """A named snapshot of every task's start, finish and duration, e.g. "Approved plan".

    A project keeps as many as it needs (MS Project has eleven, Primavera unlimited); the
    snapshot rows are :class:`BaselineTask`.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_date = models.DateField(null=True, blank=True, help_text="The status date when saved.")
    finish = models.DateTimeField(null=True, blank=True, help_text="Project finish when saved.")

    class Meta:
        ordering = ["project", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="baseline_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name


class BaselineTask(models.Model):
    """One task's dates in a baseline. Written once with its baseline and never edited, so it
    is recorded in the audit trail through the baseline's own creation, not row by row."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="rows")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="baseline_rows")
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(default=0)
    milestone = models.BooleanField(default=False)

    class Meta:
        ordering = ["baseline", "task"]
        constraints = [
            models.UniqueConstraint(fields=["baseline", "task"], name="one_row_per_baseline_task")
        ]

    def __str__(self) -> str:
        return f"{self.baseline_id}:{self.task_id}"
