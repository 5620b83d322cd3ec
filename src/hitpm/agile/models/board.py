"""A team's board: Scrum or Kanban, its ordered columns (mapped to workflow states) and lanes."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.portfolio.models import Project


class Board(AuditedModel):
    """One team's board in a project.

    A Scrum board plans work in sprints (velocity, burndown); a Kanban board pulls work
    continuously under WIP limits. Both keep every card move as history for flow metrics and
    throughput forecasts.
    """

    class Kind(models.TextChoices):
        SCRUM = "scrum", "Scrum"
        KANBAN = "kanban", "Kanban"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="agile_boards")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.KANBAN)
    allow_wip_override = models.BooleanField(
        default=False,
        help_text="Allow a move past a WIP limit when the person gives a reason (recorded).",
    )
    points_per_day = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text="Story points a fully allocated person finishes per working day (capacity).",
    )
    sprint_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Usual sprint length in calendar days (velocity forecasts).",
    )
    history_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(1000)],
        help_text="Calendar days of throughput history the forecasts resample.",
    )
    weekdays_only = models.BooleanField(
        default=True, help_text="The team works Monday to Friday (forecast dates skip weekends)."
    )

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="agile_board_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_scrum(self) -> bool:
        return self.kind == self.Kind.SCRUM


class Column(AuditedModel):
    """A board column, mapped to a workflow state category; left to right by ``position``.

    Not-started columns come first, then in-progress, then done: a card is started when it
    first enters an in-progress column and finished when it enters a done column.
    """

    class Category(models.TextChoices):
        TODO = "todo", "Not started"
        DOING = "doing", "In progress"
        DONE = "done", "Done"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=5, choices=Category.choices)
    wip_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Most cards allowed in the column (expedite lane excluded); empty = no limit.",
    )

    class Meta:
        ordering = ["board", "position"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="agile_column_name_per_board"),
            models.UniqueConstraint(
                fields=["board", "position"], name="agile_column_position_per_board"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_project_id(self) -> int | None:
        return self.board.project_id

    @property
    def is_done(self) -> bool:
        return self.category == self.Category.DONE


class Swimlane(AuditedModel):
    """A horizontal lane of a board. The expedite lane carries patient-safety defects: its cards
    jump the queue, do not count against column WIP limits and have a limit of their own."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="lanes")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    expedite = models.BooleanField(default=False)
    wip_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Most cards in progress in this lane; empty = no limit.",
    )

    class Meta:
        ordering = ["board", "position"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="agile_lane_name_per_board"),
            models.UniqueConstraint(
                fields=["board"], condition=models.Q(expedite=True), name="agile_one_expedite_lane"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_project_id(self) -> int | None:
        return self.board.project_id
