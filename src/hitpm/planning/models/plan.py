"""Calendars, tasks and dependencies of a project's plan.

Inputs (durations, links, constraints, progress) are edited by people and audited; the early
and late dates, floats and critical flag are outputs of the scheduling engine, written back by
:func:`hitpm.planning.services.reschedule` and left out of the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.portfolio.models import Project

COMPUTED_FIELDS = (
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float_minutes",
    "free_float_minutes",
    "critical",
    "is_summary",
)


class Calendar(AuditedModel):
    """A working-time calendar of a project; may inherit a base calendar's week and holidays.

    ``weekly`` maps weekday numbers ("0" = Monday) to lists of [start, end) minute intervals;
    a weekday left out is inherited from the base calendar.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="calendars")
    name = models.CharField(max_length=100)
    base = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="derived"
    )
    weekly = models.JSONField(default=dict, blank=True)
    is_project_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="calendar_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name


class CalendarException(AuditedModel):
    """Holidays and other days that differ from the weekly pattern (no intervals = day off)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="exceptions")
    name = models.CharField(max_length=100, blank=True)
    start = models.DateField()
    end = models.DateField()
    intervals = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["calendar", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="calendar_exception_end_after_start",
                violation_error_message="An exception cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Exception'} {self.start}..{self.end}"

    @property
    def audit_project_id(self) -> int | None:
        return self.calendar.project_id


class Task(AuditedModel):
    """A WBS element: phase, deliverable, work package, task or milestone.

    ``position`` orders all tasks of a project in outline order; ``parent`` gives the outline.
    A task with children is a summary whose dates roll up from them.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(help_text="Row order of the task in the plan.")
    outline_level = models.PositiveSmallIntegerField(default=1)
    wbs = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=255)
    notes = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_tasks",
    )
    duration_minutes = models.PositiveIntegerField(default=0)
    milestone = models.BooleanField(default=False)
    manual = models.BooleanField(default=False)
    constraint_type = models.PositiveSmallIntegerField(
        choices=[(c.value, c.name) for c in ConstraintType], default=ConstraintType.ASAP
    )
    constraint_date = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    calendar = models.ForeignKey(
        Calendar, on_delete=models.RESTRICT, null=True, blank=True, related_name="tasks"
    )
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_finish = models.DateTimeField(null=True, blank=True)
    percent_complete = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    remaining_minutes = models.PositiveIntegerField(null=True, blank=True)

    # Outputs of the scheduling engine.
    is_summary = models.BooleanField(default=False)
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    early_start = models.DateTimeField(null=True, blank=True)
    early_finish = models.DateTimeField(null=True, blank=True)
    late_start = models.DateTimeField(null=True, blank=True)
    late_finish = models.DateTimeField(null=True, blank=True)
    total_float_minutes = models.IntegerField(null=True, blank=True)
    free_float_minutes = models.IntegerField(null=True, blank=True)
    critical = models.BooleanField(default=False)

    # Position and WBS code follow from the outline (parent, level, order) and are renumbered
    # in bulk after structural edits, so they are derived like the engine outputs.
    audit_exclude = ("updated_at", "created_at", "position", "wbs", *COMPUTED_FIELDS)

    class Meta:
        ordering = ["project", "position"]
        indexes = [models.Index(fields=["project", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(constraint_type=ConstraintType.ASAP)
                | models.Q(constraint_type=ConstraintType.ALAP)
                | models.Q(constraint_date__isnull=False),
                name="task_constraint_needs_date",
                violation_error_message="This constraint type needs a constraint date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.wbs} {self.name}".strip()


class Dependency(AuditedModel):
    """A predecessor link between two tasks of the same project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies")
    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.PositiveSmallIntegerField(
        choices=[(t.value, t.name) for t in LinkType], default=LinkType.FS
    )
    lag = models.FloatField(default=0, help_text="Minutes, or percent when lag_format=percent.")
    lag_format = models.CharField(
        max_length=10, choices=[(f.value, f.value) for f in LagFormat], default=LagFormat.WORKING
    )

    class Meta:
        ordering = ["project", "successor", "predecessor"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="one_link_per_task_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="no_self_link",
                violation_error_message="A task cannot depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id}{LinkType(self.type).name}{self.successor_id}"
