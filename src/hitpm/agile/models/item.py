"""Backlog items (epics, stories, tasks, defects) and the history of their moves."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from hitpm.agile.models.board import Board, Column, Swimlane
from hitpm.core.models import AuditedModel
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project


class ClinicalArea(models.TextChoices):
    """The clinical or business area a piece of build work serves."""

    GENERAL = "general", "General / cross-area"
    AMBULATORY = "ambulatory", "Ambulatory clinics"
    ED = "ed", "Emergency department"
    INPATIENT = "inpatient", "Inpatient nursing"
    PHARMACY = "pharmacy", "Pharmacy"
    LAB = "lab", "Laboratory"
    RADIOLOGY = "radiology", "Radiology"
    PERIOP = "periop", "Surgery / perioperative"
    REVENUE_CYCLE = "revenue_cycle", "Revenue cycle"
    HIM = "him", "Health information management"
    INTEGRATION = "integration", "Interfaces / integration"


class WorkItem(AuditedModel):
    """An epic, story, task or defect on a board's backlog.

    ``rank`` orders the backlog (smaller = higher priority). ``column`` is the item's workflow
    state; ``started_at`` and ``done_at`` follow the move history (first entry into an
    in-progress column; last entry into a done column while it stays done). Epics group
    stories; an epic may be linked to a plan task whose percent complete then follows it.
    """

    class Kind(models.TextChoices):
        EPIC = "epic", "Epic"
        STORY = "story", "Story"
        TASK = "task", "Task"
        DEFECT = "defect", "Defect"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_items")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField(editable=False)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    acceptance_criteria = models.TextField(blank=True)
    points = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    rank = models.BigIntegerField(default=0)
    labels = models.JSONField(default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agile_items",
    )
    clinical_area = models.CharField(
        max_length=14, choices=ClinicalArea.choices, default=ClinicalArea.GENERAL
    )
    blocked = models.BooleanField(default=False)
    blocked_reason = models.CharField(max_length=255, blank=True)
    patient_safety = models.BooleanField(
        default=False, help_text="A defect that can harm patients: it goes to the expedite lane."
    )
    epic = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": "epic"},
    )
    plan_task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="agile_items"
    )
    risk = models.ForeignKey(
        "risk.Risk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agile_items",
        help_text="The project risk this work mitigates or is exposed to.",
    )
    column = models.ForeignKey(Column, on_delete=models.RESTRICT, related_name="items")
    lane = models.ForeignKey(
        Swimlane, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    sprint = models.ForeignKey(
        "agile.Sprint", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    column_entered_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["board", "rank", "pk"]
        indexes = [
            models.Index(fields=["board", "column"]),
            models.Index(fields=["board", "rank"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="agile_item_number"),
            models.CheckConstraint(
                condition=models.Q(blocked=False) | ~models.Q(blocked_reason=""),
                name="agile_blocked_needs_reason",
                violation_error_message="Say why the item is blocked.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def key(self) -> str:
        """The item's reference, e.g. ``IFC-HL7FHIR-42``."""
        return f"{self.project.code}-{self.number}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.board_id and self.board.project_id != self.project_id:
            errors["board"] = "The board belongs to another project."
        if self.column_id and self.column.board_id != self.board_id:
            errors["column"] = "The column is on another board."
        if self.lane_id and self.lane and self.lane.board_id != self.board_id:
            errors["lane"] = "The lane is on another board."
        if self.epic_id and self.epic:
            if self.epic.kind != self.Kind.EPIC:
                errors["epic"] = "Only an epic can be the parent of an item."
            elif self.epic.project_id != self.project_id:
                errors["epic"] = "The epic belongs to another project."
            elif self.kind == self.Kind.EPIC:
                errors["epic"] = "An epic cannot belong to another epic."
        if self.plan_task_id and self.plan_task and self.plan_task.project_id != self.project_id:
            errors["plan_task"] = "The plan task belongs to another project."
        if self.risk_id and self.risk and self.risk.project_id != self.project_id:
            errors["risk"] = "The risk belongs to another project."
        if self.sprint_id and self.sprint and self.sprint.board_id != self.board_id:
            errors["sprint"] = "The sprint is on another board."
        if self.kind == self.Kind.EPIC and self.sprint_id:
            errors["sprint"] = "Epics are not planned into sprints; plan their stories."
        if self.patient_safety and self.kind != self.Kind.DEFECT:
            errors["patient_safety"] = "Only defects are flagged as patient-safety issues."
        if errors:
            raise ValidationError(errors)


class ItemMove(models.Model):
    """One state change of a work item: from which column to which, when, by whom.

    Append-only history (the item's own change is also in the audit trail). A move that
    passed a WIP limit keeps the reason given. ``from_column`` is empty on creation.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="moves")
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="moves")
    at = models.DateTimeField()
    from_column = models.ForeignKey(
        Column, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    to_column = models.ForeignKey(Column, on_delete=models.RESTRICT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    wip_override_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["item", "at", "pk"]
        indexes = [models.Index(fields=["board", "at"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_column_id} -> {self.to_column_id} at {self.at}"
