"""FMEA worksheets: validation of scores per method, the HFMEA decision, worksheet rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from hitpm.core.services import lock_current, save_validated, update_fields
from hitpm.portfolio.access import Action, can
from hitpm.risk import scoring
from hitpm.risk.models import FailureMode, FmeaAction, FmeaStep, FmeaWorksheet
from hitpm.risk.models.fmea import hfmea_or_rpn

SCORE_FIELDS = ("severity", "probability", "detection")
REVISED_FIELDS = ("revised_severity", "revised_probability", "revised_detection")


def update_worksheet(
    worksheet: FmeaWorksheet, changes: Mapping[str, Any], version: int | None
) -> FmeaWorksheet:
    """Change a worksheet; switching method is refused once failure modes are scored."""
    method = changes.get("method", worksheet.method)
    if (
        method != worksheet.method
        and FailureMode.objects.filter(step__worksheet=worksheet).exists()
    ):
        message = "Failure modes are scored with this method; start a new worksheet instead."
        raise ValidationError({"method": message})
    return update_fields(FmeaWorksheet, worksheet.pk, changes, version)


def add_step(worksheet: FmeaWorksheet, description: str) -> FmeaStep:
    """Append a step numbered after the last one."""
    with transaction.atomic():
        highest = worksheet.steps.aggregate(n=Max("number"))["n"] or 0
        return save_validated(
            FmeaStep(worksheet=worksheet, number=highest + 1, description=description)
        )


def save_failure_mode(mode: FailureMode) -> FailureMode:
    """Validate the scores against the worksheet's method, then save."""
    worksheet = mode.step.worksheet
    top = scoring.HFMEA_MAX if worksheet.is_hfmea else scoring.RPN_MAX
    errors: dict[str, str] = {}
    for name in SCORE_FIELDS + REVISED_FIELDS:
        value = getattr(mode, name)
        if value is not None and not 1 <= value <= top:
            errors[name] = f"Score from 1 to {top} ({worksheet.get_method_display()})."
    if worksheet.is_hfmea:
        for name in ("detection", "revised_detection"):
            if getattr(mode, name) is not None:
                errors[name] = "HFMEA has no detection score; answer the detectability question."
    elif mode.detection is None:
        errors["detection"] = "Classic FMEA needs a detection score (1-10)."
    revised = [getattr(mode, n) for n in REVISED_FIELDS[: 2 if worksheet.is_hfmea else 3]]
    if any(v is not None for v in revised) and not all(v is not None for v in revised):
        errors["revised_severity"] = "Give every revised score, or none."
    if errors:
        raise ValidationError(errors)
    return save_validated(mode)


def update_failure_mode(
    mode: FailureMode, changes: Mapping[str, Any], version: int | None
) -> FailureMode:
    with transaction.atomic():
        current = lock_current(FailureMode, mode.pk, version)
        for name, value in changes.items():
            setattr(current, name, value)
        return save_failure_mode(current)


def save_action(action: FmeaAction) -> FmeaAction:
    project = action.failure_mode.step.worksheet.project
    if action.owner is not None and not can(action.owner, project, Action.VIEW):
        raise ValidationError({"owner": f"{action.owner.get_username()} is not on {project.code}."})
    return save_validated(action)


@dataclass(frozen=True)
class Assessed:
    """A failure mode with its score, decision (HFMEA) or action flag (RPN)."""

    mode: FailureMode
    score: int | None
    revised: int | None
    proceed: bool
    reason: str


def assess(worksheet: FmeaWorksheet, mode: FailureMode) -> Assessed:
    score = hfmea_or_rpn(worksheet, mode)
    revised = hfmea_or_rpn(worksheet, mode, revised=True)
    if score is None:
        return Assessed(mode, None, revised, False, "Not scored yet.")
    if worksheet.is_hfmea:
        decision = scoring.hfmea_decision(
            score, mode.single_point_weakness, mode.effective_control, mode.detectable
        )
        return Assessed(mode, score, revised, decision.proceed, decision.reason)
    threshold = worksheet.action_threshold
    if threshold is None:
        return Assessed(mode, score, revised, False, "No action threshold set; rank by RPN.")
    proceed = score >= threshold
    reason = f"RPN {score} {'>=' if proceed else '<'} threshold {threshold}."
    return Assessed(mode, score, revised, proceed, reason)


@dataclass(frozen=True)
class StepRows:
    step: FmeaStep
    modes: list[Assessed]


def worksheet_rows(worksheet: FmeaWorksheet) -> list[StepRows]:
    """Steps in order with their failure modes assessed and actions prefetched."""
    steps = worksheet.steps.prefetch_related("failure_modes__actions__owner").order_by("number")
    return [
        StepRows(step, [assess(worksheet, m) for m in step.failure_modes.all()]) for step in steps
    ]
