"""The risk register: scales and categories per portfolio, risks, their actions and history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.planning.models import Task
from hitpm.portfolio.models import Portfolio, Project
from hitpm.risk import scoring

DEFAULT_CATEGORIES = (
    "Patient safety",
    "PHI and security",
    "Regulatory and compliance",
    "Clinical workflow",
    "Technical",
    "Interoperability",
    "Vendor",
    "Resources",
    "Schedule",
    "Budget",
    "Organisational change",
)
IMPACT_DIMENSIONS = ("safety", "schedule", "cost", "compliance")
Rating = models.PositiveSmallIntegerField


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return Rating(label, null=True, blank=True, validators=[MinValueValidator(1)])


class RiskScale(AuditedModel):
    """A portfolio's probability x impact scale: its size and the words for each level."""

    portfolio = models.OneToOneField(Portfolio, on_delete=models.CASCADE, related_name="risk_scale")
    size = Rating(default=5, validators=[MinValueValidator(3), MaxValueValidator(10)])
    probability_labels = models.JSONField(default=list)
    impact_labels = models.JSONField(default=list)
    amber_from = Rating(default=5, help_text="Scores from this value are amber.")
    red_from = Rating(default=15, help_text="Scores from this value are red.")

    audit_project_id = None

    def __str__(self) -> str:
        return f"{self.size}x{self.size} scale of {self.portfolio}"

    @property
    def bands(self) -> scoring.Bands:
        return scoring.Bands(self.amber_from, self.red_from)

    def levels(self) -> list[tuple[int, str, str]]:
        """(level, probability words, impact words) from 1 to size."""
        return [
            (n, _label(self.probability_labels, n), _label(self.impact_labels, n))
            for n in range(1, self.size + 1)
        ]


def _label(labels: list[str], level: int) -> str:
    return labels[level - 1] if len(labels) >= level else str(level)


class RiskCategory(AuditedModel):
    """A kind of risk, kept per portfolio (patient safety, PHI and security, vendor, ...)."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="risk_categories"
    )
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    audit_project_id = None

    class Meta:
        ordering = ["portfolio", "position", "name"]
        verbose_name_plural = "risk categories"
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "name"], name="risk_category_per_portfolio"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Risk(AuditedModel):
    """An uncertain event that would affect the project: a threat or an opportunity.

    Probability and the impact dimensions are rated twice: inherent (before any response) and
    residual (expected after the planned response). Each score is probability x the worst
    dimension and is stored for sorting; every change of a score or status is kept in
    :class:`RiskScoreChange`.
    """

    class Kind(models.TextChoices):
        THREAT = "threat", "Threat"
        OPPORTUNITY = "opportunity", "Opportunity"

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        ASSESSED = "assessed", "Assessed"
        RESPONDING = "responding", "Responding"
        CLOSED = "closed", "Closed"
        OCCURRED = "occurred", "Occurred (now an issue)"

    class Strategy(models.TextChoices):
        AVOID = "avoid", "Avoid"
        MITIGATE = "mitigate", "Mitigate"
        TRANSFER = "transfer", "Transfer"
        ACCEPT = "accept", "Accept"
        ESCALATE = "escalate", "Escalate"
        EXPLOIT = "exploit", "Exploit"
        ENHANCE = "enhance", "Enhance"
        SHARE = "share", "Share"

    class Cadence(models.IntegerChoices):
        WEEKLY = 7, "Weekly"
        FORTNIGHTLY = 14, "Every two weeks"
        MONTHLY = 30, "Monthly"
        QUARTERLY = 90, "Quarterly"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveIntegerField(editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.THREAT)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cause = models.TextField(blank=True, help_text="Because of ... (the known fact or condition)")
    event = models.TextField(blank=True, help_text="... this may happen (the uncertain event)")
    effect = models.TextField(blank=True, help_text="... which would lead to (the consequence)")
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="risks")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDENTIFIED)
    identified_on = models.DateField(default=dt.date.today)

    probability = _rating("Inherent probability")
    impact_safety = _rating("Inherent safety impact")
    impact_schedule = _rating("Inherent schedule impact")
    impact_cost = _rating("Inherent cost impact")
    impact_compliance = _rating("Inherent compliance impact")
    residual_probability = _rating("Residual probability")
    residual_safety = _rating("Residual safety impact")
    residual_schedule = _rating("Residual schedule impact")
    residual_cost = _rating("Residual cost impact")
    residual_compliance = _rating("Residual compliance impact")
    inherent_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    proximity = models.DateField(null=True, blank=True, help_text="When the risk could occur.")
    triggers = models.TextField(blank=True, help_text="Early warning signs that it is occurring.")
    strategy = models.CharField(max_length=10, choices=Strategy.choices, blank=True)
    response = models.TextField(blank=True, help_text="The planned response.")
    contingency = models.TextField(blank=True, help_text="What we do if it occurs.")
    fallback = models.TextField(blank=True, help_text="What we do if the contingency fails.")

    review_cadence = models.PositiveSmallIntegerField(
        choices=Cadence.choices, default=Cadence.FORTNIGHTLY
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    issue_summary = models.TextField(blank=True, help_text="The issue now being managed.")

    # Schedule risk event for Monte Carlo: chance it strikes, delay in working days.
    schedule_probability = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], help_text="Percent."
    )
    delay_min_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    delay_likely_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    delay_max_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)

    tasks = models.ManyToManyField(Task, through="RiskTask", related_name="risks", blank=True)

    audit_exclude = ("updated_at", "created_at", "inherent_score", "residual_score")

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="risk_number_per_project")
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"R-{self.number:03d}" if self.number else "R-new"

    def inherent_impacts(self) -> list[int | None]:
        return [getattr(self, f"impact_{d}") for d in IMPACT_DIMENSIONS]

    def residual_impacts(self) -> list[int | None]:
        return [getattr(self, f"residual_{d}") for d in IMPACT_DIMENSIONS]

    @property
    def inherent_impact(self) -> int | None:
        return scoring.worst_impact(self.inherent_impacts())

    @property
    def residual_impact(self) -> int | None:
        return scoring.worst_impact(self.residual_impacts())

    @property
    def current_score(self) -> int | None:
        """The exposure now: the residual score once assessed, else the inherent one."""
        return self.residual_score if self.residual_score is not None else self.inherent_score

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.OCCURRED)

    def review_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.next_review_on is not None and self.next_review_on < today

    def compute_scores(self) -> None:
        self.inherent_score = scoring.risk_score(self.probability, self.inherent_impacts())
        self.residual_score = scoring.risk_score(self.residual_probability, self.residual_impacts())


class RiskTask(AuditedModel):
    """A plan task or milestone a risk threatens (and delays, in schedule risk analysis)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="task_links")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="risk_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["risk", "task"], name="risk_task_once")]

    @property
    def audit_project_id(self) -> int | None:
        return self.task.project_id


class RiskAction(AuditedModel):
    """A response action with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_actions",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["risk", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def audit_project_id(self) -> int | None:
        return self.risk.project_id

    def overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < today


class RiskScoreChange(models.Model):
    """One entry of a risk's score history: the scores and status from ``at`` on.

    Written by the services whenever a score or the status changes (append-only); the trend
    chart replays it week by week.
    """

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    by = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=12, choices=Risk.Status.choices)
    probability = models.PositiveSmallIntegerField(null=True)
    impact = models.PositiveSmallIntegerField(null=True)
    inherent_score = models.PositiveSmallIntegerField(null=True)
    residual_probability = models.PositiveSmallIntegerField(null=True)
    residual_impact = models.PositiveSmallIntegerField(null=True)
    residual_score = models.PositiveSmallIntegerField(null=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["risk", "at", "pk"]
        indexes = [models.Index(fields=["risk", "at"])]

    def __str__(self) -> str:
        return f"{self.risk_id} at {self.at:%Y-%m-%d}: {self.inherent_score}/{self.residual_score}"

    @property
    def current_score(self) -> int | None:
        return self.residual_score if self.residual_score is not None else self.inherent_score
