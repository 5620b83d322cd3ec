"""Changing the register: risks, their scores and history, linked tasks, reviews and actions.

Every write goes through here so the rules hold for the pages, the API and the demo alike:
ratings stay on the portfolio's scale, strategies fit threats or opportunities, an occurred
risk records its issue, owners are members of the project, and every change of a score or of
the status appends a :class:`RiskScoreChange`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.core.services import delete_current, lock_current, save_validated, update_fields
from hitpm.portfolio.access import Action, can
from hitpm.portfolio.models import Portfolio, Project
from hitpm.risk import scoring
from hitpm.risk.models import (
    DEFAULT_CATEGORIES,
    IMPACT_DIMENSIONS,
    Risk,
    RiskAction,
    RiskCategory,
    RiskScale,
    RiskScoreChange,
    RiskTask,
)

RATING_FIELDS = (
    "probability",
    *(f"impact_{d}" for d in IMPACT_DIMENSIONS),
    "residual_probability",
    *(f"residual_{d}" for d in IMPACT_DIMENSIONS),
)
THREAT_ONLY = {Risk.Strategy.AVOID, Risk.Strategy.MITIGATE, Risk.Strategy.TRANSFER}
OPPORTUNITY_ONLY = {Risk.Strategy.EXPLOIT, Risk.Strategy.ENHANCE, Risk.Strategy.SHARE}
TRACKED = ("status", "inherent_score", "residual_score", "probability", "residual_probability")


# --- Scales and categories ------------------------------------------------------------------


def scale_for(portfolio: Portfolio) -> RiskScale:
    """The portfolio's scale, created as the default 5 x 5 with descriptors on first use."""
    scale = RiskScale.objects.filter(portfolio=portfolio).first()
    if scale is None:
        bands = scoring.default_bands(5)
        scale = RiskScale.objects.create(
            portfolio=portfolio,
            size=5,
            amber_from=bands.amber,
            red_from=bands.red,
            probability_labels=list(scoring.DEFAULT_PROBABILITY_LABELS),
            impact_labels=list(scoring.DEFAULT_IMPACT_LABELS),
        )
    return scale


def update_scale(
    portfolio: Portfolio, changes: Mapping[str, Any], version: int | None
) -> RiskScale:
    """Change a scale; refused while a risk of the portfolio is rated above the new size."""
    scale = scale_for(portfolio)
    with transaction.atomic():
        scale = lock_current(RiskScale, scale.pk, version)
        for name, value in changes.items():
            setattr(scale, name, value)
        top = max(_highest_rating(portfolio), 1)
        if scale.size < top:
            raise ValidationError(
                {"size": f"A risk is rated {top}; the scale needs {top}+ levels."}
            )
        for name in ("probability_labels", "impact_labels"):
            if len(getattr(scale, name)) != scale.size:
                raise ValidationError({name: f"Give exactly {scale.size} descriptors."})
        if not 1 < scale.amber_from < scale.red_from <= scale.size * scale.size:
            raise ValidationError({"red_from": "Need 1 < amber_from < red_from <= size x size."})
        return save_validated(scale)


def _highest_rating(portfolio: Portfolio) -> int:
    risks = Risk.objects.filter(project__portfolio=portfolio)
    found = risks.aggregate(**{f: Max(f) for f in RATING_FIELDS})
    return max((v for v in found.values() if v), default=0)


def categories_for(portfolio: Portfolio) -> list[RiskCategory]:
    """The portfolio's categories; the healthcare defaults are created on first use."""
    categories = list(RiskCategory.objects.filter(portfolio=portfolio))
    if not categories:
        for position, name in enumerate(DEFAULT_CATEGORIES):
            categories.append(
                RiskCategory.objects.create(portfolio=portfolio, name=name, position=position)
            )
    return categories


def add_category(portfolio: Portfolio, name: str) -> RiskCategory:
    existing = categories_for(portfolio)
    position = max((c.position for c in existing), default=-1) + 1
    return save_validated(RiskCategory(portfolio=portfolio, name=name.strip(), position=position))


def rename_category(category: RiskCategory, name: str, version: int | None) -> RiskCategory:
    """Rename a category (StaleVersion if ``version`` is old; names stay unique per portfolio)."""
    return update_fields(RiskCategory, category.pk, {"name": name.strip()}, version)


def delete_category(category: RiskCategory, version: int | None) -> None:
    """Delete a category; ``ProtectedError`` while risks use it, StaleVersion if it changed."""
    delete_current(RiskCategory, category.pk, version)


def category_use(portfolio: Portfolio) -> dict[int, int]:
    """How many risks (of any status) use each category of the portfolio, by category id."""
    rows = (
        Risk.objects.filter(category__portfolio=portfolio)
        .values("category_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["category_id"]: row["n"] for row in rows}


# --- Risks ----------------------------------------------------------------------------------


def create_risk(
    project: Project, by: User | None, fields: Mapping[str, Any], task_ids: Iterable[int] = ()
) -> Risk:
    """A new risk with the next number of the project, its first history entry and tasks."""
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        highest = project.risks.aggregate(n=Max("number"))["n"] or 0
        risk = Risk(project=project, number=highest + 1, **fields)
        if risk.next_review_on is None:
            risk.next_review_on = risk.identified_on + dt.timedelta(days=risk.review_cadence)
        _prepare(risk, None)
        save_validated(risk)
        set_tasks(risk, task_ids)
        _record(risk, by, "Identified")
    return risk


def update_risk(
    risk: Risk,
    changes: Mapping[str, Any],
    version: int | None,
    by: User | None,
    task_ids: Iterable[int] | None = None,
    note: str = "",
) -> Risk:
    """Apply changes to the current version of a risk (StaleVersion if ``version`` is old)."""
    with transaction.atomic():
        current = lock_current(Risk, risk.pk, version)
        before = {name: getattr(current, name) for name in TRACKED}
        for name, value in changes.items():
            setattr(current, name, value)
        _prepare(current, before["status"])
        save_validated(current)
        if task_ids is not None:
            set_tasks(current, task_ids)
        if any(getattr(current, name) != before[name] for name in TRACKED):
            _record(current, by, note or _change_note(before, current))
    return current


def mark_reviewed(risk: Risk, by: User | None, on: dt.date, version: int | None) -> Risk:
    """Record a review today (or ``on``) and schedule the next one by the cadence."""
    changes = {
        "last_reviewed_on": on,
        "next_review_on": on + dt.timedelta(days=risk.review_cadence),
    }
    return update_risk(risk, changes, version, by)


def delete_risk(risk: Risk, version: int | None) -> None:
    with transaction.atomic():
        lock_current(Risk, risk.pk, version).delete()


def set_tasks(risk: Risk, task_ids: Iterable[int]) -> None:
    """Link exactly these tasks of the risk's project (audited link rows)."""
    wanted = set(task_ids)
    found = set(risk.project.tasks.filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := wanted - found:
        raise ValidationError({"task_ids": f"Not tasks of this project: {sorted(missing)}."})
    current = {link.task_id: link for link in risk.task_links.all()}
    for task_id, link in current.items():
        if task_id not in wanted:
            link.delete()
    for task_id in sorted(wanted - current.keys()):
        RiskTask.objects.create(risk=risk, task_id=task_id)


def _prepare(risk: Risk, old_status: str | None) -> None:
    """Check the rules a single risk must meet and fill the derived fields."""
    project = risk.project
    errors: dict[str, str] = {}
    size = scale_for(project.portfolio).size
    for name in RATING_FIELDS:
        value = getattr(risk, name)
        if value is not None and not 1 <= value <= size:
            errors[name] = f"Rate from 1 to {size} (the portfolio's scale)."
    if (
        risk.category_id
        and not RiskCategory.objects.filter(
            pk=risk.category_id, portfolio_id=project.portfolio_id
        ).exists()
    ):
        errors["category"] = "Choose one of this portfolio's risk categories."
    errors.update(_strategy_errors(risk))
    if risk.owner is not None and not can(risk.owner, project, Action.VIEW):
        errors["owner"] = f"{risk.owner.get_username()} is not a member of {project.code}."
    errors.update(_delay_errors(risk))
    if risk.status == Risk.Status.OCCURRED:
        if risk.occurred_on is None:
            errors["occurred_on"] = "Say when the risk occurred."
        if not risk.issue_summary.strip():
            errors["issue_summary"] = "Describe the issue that is now being managed."
    if errors:
        raise ValidationError(errors)
    if risk.status == Risk.Status.CLOSED and old_status != Risk.Status.CLOSED:
        risk.closed_on = risk.closed_on or timezone.localdate()
    elif risk.status != Risk.Status.CLOSED:
        risk.closed_on = None
    risk.compute_scores()


def _strategy_errors(risk: Risk) -> dict[str, str]:
    if risk.kind == Risk.Kind.THREAT and risk.strategy in OPPORTUNITY_ONLY:
        return {"strategy": "Exploit, enhance and share are responses to opportunities."}
    if risk.kind == Risk.Kind.OPPORTUNITY and risk.strategy in THREAT_ONLY:
        return {"strategy": "Avoid, mitigate and transfer are responses to threats."}
    return {}


def _delay_errors(risk: Risk) -> dict[str, str]:
    delays = (risk.delay_min_days, risk.delay_likely_days, risk.delay_max_days)
    given = [d is not None for d in delays]
    if any(given) and not all(given):
        return {"delay_min_days": "Give the minimum, most likely and maximum delay, or none."}
    if all(given) and not 0 <= delays[0] <= delays[1] <= delays[2]:  # type: ignore[operator]
        return {"delay_min_days": "Need 0 <= minimum <= most likely <= maximum delay."}
    if risk.schedule_probability is not None and not all(given):
        return {"schedule_probability": "A schedule probability needs a three-point delay."}
    return {}


def _change_note(before: Mapping[str, Any], risk: Risk) -> str:
    if before["status"] != risk.status:
        return f"Status {before['status']} -> {risk.status}"
    return "Re-scored"


def _record(risk: Risk, by: User | None, note: str) -> RiskScoreChange:
    return RiskScoreChange.objects.create(
        risk=risk,
        at=timezone.now(),
        by=by.get_username() if by else "",
        status=risk.status,
        probability=risk.probability,
        impact=risk.inherent_impact,
        inherent_score=risk.inherent_score,
        residual_probability=risk.residual_probability,
        residual_impact=risk.residual_impact,
        residual_score=risk.residual_score,
        note=note[:300],
    )


# --- Actions --------------------------------------------------------------------------------


def save_action(action: RiskAction) -> RiskAction:
    """Validate and save a response action (owner a member; completion date when done)."""
    project = action.risk.project
    if action.owner is not None and not can(action.owner, project, Action.VIEW):
        raise ValidationError({"owner": f"{action.owner.get_username()} is not on {project.code}."})
    if action.status == RiskAction.Status.DONE:
        action.completed_on = action.completed_on or timezone.localdate()
    else:
        action.completed_on = None
    return save_validated(action)


def update_action(
    action: RiskAction, changes: Mapping[str, Any], version: int | None
) -> RiskAction:
    with transaction.atomic():
        current = lock_current(RiskAction, action.pk, version)
        for name, value in changes.items():
            setattr(current, name, value)
        return save_action(current)
