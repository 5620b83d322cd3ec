"""The stakeholder register: who matters, how much, and how engaged they are."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.portfolio.models import Project

SCALE_MAX = 5
HIGH_FROM = 3
"""Influence and interest are rated 1-5; 3 and above counts as high on the power/interest grid."""


class Engagement(models.TextChoices):
    """Engagement levels of the PMBOK stakeholder engagement assessment matrix."""

    UNAWARE = "unaware", "Unaware"
    RESISTANT = "resistant", "Resistant"
    NEUTRAL = "neutral", "Neutral"
    SUPPORTIVE = "supportive", "Supportive"
    LEADING = "leading", "Leading"


ENGAGEMENT_ORDER = [level.value for level in Engagement]


class Quadrant(models.TextChoices):
    """The four strategies of the power/interest grid (Mendelow 1991)."""

    MANAGE_CLOSELY = "manage_closely", "Manage closely"
    KEEP_SATISFIED = "keep_satisfied", "Keep satisfied"
    KEEP_INFORMED = "keep_informed", "Keep informed"
    MONITOR = "monitor", "Monitor"


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=HIGH_FROM,
        validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)],
        help_text="1 (low) to 5 (high).",
    )


class Stakeholder(AuditedModel):
    """A person, group or role with a stake in the project (e.g. the CMIO, nursing leadership,
    pharmacy, revenue cycle, IT infrastructure, the EHR vendor).

    Influence (power) and interest place it on the power/interest grid; current and desired
    engagement form the engagement assessment matrix. ``user`` links a person to their hitpm
    account when they have one.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        GROUP = "group", "Group"
        ROLE = "role", "Role"

    class Attitude(models.TextChoices):
        CHAMPION = "champion", "Champion"
        SUPPORTER = "supporter", "Supporter"
        NEUTRAL = "neutral", "Neutral"
        SCEPTIC = "sceptic", "Sceptic"
        OPPONENT = "opponent", "Opponent"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PERSON)
    organisation = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    project_role = models.CharField("Role in the project", max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_entries",
        help_text="Their hitpm account, if they have one.",
    )
    influence = _rating("Influence (power)")
    interest = _rating("Interest")
    attitude = models.CharField(max_length=10, choices=Attitude.choices, default=Attitude.NEUTRAL)
    current_engagement = models.CharField(
        max_length=10, choices=Engagement.choices, default=Engagement.UNAWARE
    )
    desired_engagement = models.CharField(
        max_length=10, choices=Engagement.choices, default=Engagement.SUPPORTIVE
    )
    concerns = models.TextField(blank=True)
    expectations = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="stakeholder_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quadrant(self) -> Quadrant:
        """The grid strategy: high power and interest are managed closely, and so on."""
        power, interest = self.influence >= HIGH_FROM, self.interest >= HIGH_FROM
        if power:
            return Quadrant.MANAGE_CLOSELY if interest else Quadrant.KEEP_SATISFIED
        return Quadrant.KEEP_INFORMED if interest else Quadrant.MONITOR

    @property
    def engagement_gap(self) -> int:
        """Levels between current and desired engagement; positive when more is needed."""
        return ENGAGEMENT_ORDER.index(self.desired_engagement) - ENGAGEMENT_ORDER.index(
            self.current_engagement
        )
