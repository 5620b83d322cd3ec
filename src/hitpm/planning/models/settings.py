"""Per-project scheduling choices and per-user table layout."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.engine.model import ProgressMode
from hitpm.planning.models.baselines import Baseline
from hitpm.portfolio.models import Project


class PlanSettings(AuditedModel):
    """How a project's plan is scheduled and shown: out-of-sequence mode, Gantt baseline."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="plan_settings")
    progress_mode = models.CharField(
        max_length=20,
        choices=[
            (ProgressMode.RETAINED_LOGIC.value, "Retained logic"),
            (ProgressMode.PROGRESS_OVERRIDE.value, "Progress override"),
        ],
        default=ProgressMode.RETAINED_LOGIC.value,
    )
    gantt_baseline = models.ForeignKey(
        Baseline, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "plan settings"

    def __str__(self) -> str:
        return f"Plan settings of {self.project_id}"


class ColumnChoice(models.Model):
    """The task-table columns a user chose to see (a display preference, not audited)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_columns"
    )
    columns = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Columns of {self.user_id}"
