"""FMEA worksheets for clinical workflow changes: process steps, failure modes, actions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hitpm.core.models import AuditedModel
from hitpm.portfolio.models import Project
from hitpm.risk import scoring


def _score(top: int, label: str, *, null: bool = False) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=null, blank=null, validators=[MinValueValidator(1), MaxValueValidator(top)]
    )


class FmeaWorksheet(AuditedModel):
    """The FMEA of one process (e.g. bar-code medication administration after go-live),
    scored as VA healthcare FMEA or as classic RPN."""

    class Method(models.TextChoices):
        HFMEA = "hfmea", "VA healthcare FMEA (hazard score)"
        RPN = "rpn", "Classic FMEA (RPN)"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fmeas")
    process = models.CharField(max_length=200)
    scope = models.TextField(blank=True)
    team = models.TextField(blank=True, help_text="Who took part (names and roles).")
    method = models.CharField(max_length=5, choices=Method.choices, default=Method.HFMEA)
    action_threshold = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="RPN from which a failure mode needs action (RPN only)."
    )

    class Meta:
        ordering = ["project", "process"]
        verbose_name = "FMEA worksheet"

    def __str__(self) -> str:
        return self.process

    @property
    def is_hfmea(self) -> bool:
        return self.method == self.Method.HFMEA


class FmeaStep(AuditedModel):
    """A numbered step of the process being analysed."""

    worksheet = models.ForeignKey(FmeaWorksheet, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["worksheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "number"], name="fmea_step_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description}"

    @property
    def audit_project_id(self) -> int | None:
        return self.worksheet.project_id


class FailureMode(AuditedModel):
    """How a step can fail, why, what follows, and what already guards against it.

    HFMEA uses severity and probability (1-4) and the decision-tree answers; RPN uses
    severity, occurrence and detection (1-10). ``revised_*`` hold the scores expected once
    the actions are done.
    """

    step = models.ForeignKey(FmeaStep, on_delete=models.CASCADE, related_name="failure_modes")
    description = models.CharField(max_length=300)
    effects = models.TextField(blank=True)
    causes = models.TextField(blank=True)
    controls = models.TextField(blank=True, help_text="Current controls.")
    severity = _score(10, "Severity")
    probability = _score(10, "Probability / occurrence")
    detection = _score(10, "Detection (RPN)", null=True)
    single_point_weakness = models.BooleanField(default=False)
    effective_control = models.BooleanField(default=False)
    detectable = models.BooleanField(
        default=False, help_text="So obvious and readily apparent that no control is needed."
    )
    revised_severity = _score(10, "Revised severity", null=True)
    revised_probability = _score(10, "Revised probability / occurrence", null=True)
    revised_detection = _score(10, "Revised detection", null=True)

    class Meta:
        ordering = ["step", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def audit_project_id(self) -> int | None:
        return self.step.worksheet.project_id


class FmeaAction(AuditedModel):
    """What the team will do about a failure mode, who does it, by when, how it is measured."""

    class Kind(models.TextChoices):
        ELIMINATE = "eliminate", "Eliminate"
        CONTROL = "control", "Control"
        ACCEPT = "accept", "Accept"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    failure_mode = models.ForeignKey(FailureMode, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CONTROL)
    description = models.CharField(max_length=300)
    measure = models.CharField(max_length=300, blank=True, help_text="Outcome measure.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fmea_actions",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["failure_mode", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def audit_project_id(self) -> int | None:
        return self.failure_mode.step.worksheet.project_id


def hfmea_or_rpn(worksheet: FmeaWorksheet, mode: FailureMode, revised: bool = False) -> int | None:
    """The failure mode's hazard score or RPN (revised: after actions; None if not scored)."""
    prefix = "revised_" if revised else ""
    severity = getattr(mode, f"{prefix}severity")
    probability = getattr(mode, f"{prefix}probability")
    if severity is None or probability is None:
        return None
    if worksheet.is_hfmea:
        return scoring.hazard_score(severity, probability)
    detection = getattr(mode, f"{prefix}detection")
    return None if detection is None else scoring.rpn(severity, probability, detection)
