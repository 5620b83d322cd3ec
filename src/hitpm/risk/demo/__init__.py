"""Demo data of the risk area: registers with score history, an FMEA, estimates, a run.

Called by the demo portfolio loader (``DEMO_EXTENSIONS``) inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.portfolio.models import Project
from hitpm.risk.demo.data import BCMA_FMEA, EHR_ESTIMATES, RISKS, DemoRisk, Ratings
from hitpm.risk.models import (
    FailureMode,
    FmeaAction,
    FmeaWorksheet,
    Risk,
    RiskAction,
    RiskScoreChange,
)
from hitpm.risk.services import fmea, simulation
from hitpm.risk.services.register import categories_for, create_risk, save_action, update_risk

MINUTES_PER_DAY = 480
DEMO_SEED = 20271016
DEMO_ITERATIONS = 2000


def load(projects: dict[str, Project], users: dict[str, User], today: dt.date) -> None:
    """Risks for every demo project; the BCMA FMEA, estimates and a finished simulation run
    for the EHR go-live."""
    for code, risks in RISKS.items():
        project = projects.get(code)
        if project is None:
            continue
        categories = {c.name: c for c in categories_for(project.portfolio)}
        for demo in risks:
            _risk(project, demo, categories, users, today)
    ehr = projects.get("EHR-GOLIVE")
    if ehr is not None:
        _fmea(ehr, users, today)
        _estimates(ehr)
        _simulation(ehr, users)


def _fields(ratings: Ratings, residual: Ratings | None) -> dict[str, Any]:
    p, safety, schedule, cost, compliance = ratings
    fields: dict[str, Any] = {
        "probability": p,
        "impact_safety": safety,
        "impact_schedule": schedule,
        "impact_cost": cost,
        "impact_compliance": compliance,
    }
    rp, rs, rsch, rc, rcomp = residual or (None, None, None, None, None)
    fields.update(
        residual_probability=rp,
        residual_safety=rs,
        residual_schedule=rsch,
        residual_cost=rc,
        residual_compliance=rcomp,
    )
    return fields


def _risk(
    project: Project,
    demo: DemoRisk,
    categories: dict[str, Any],
    users: dict[str, User],
    today: dt.date,
) -> Risk:
    """Create the risk as first assessed, replay its later assessments, then date them."""
    # The current assessment was made halfway between the previous one and today.
    latest = demo.history[-1][0] // 2 if demo.history else 3
    steps = [*demo.history, (latest, demo.inherent, demo.residual, demo.status)]
    weeks_ago, first_ratings, first_residual, first_status = steps[0]
    owner = users.get(demo.owner)
    identified = today - dt.timedelta(weeks=weeks_ago)
    fields: dict[str, Any] = {
        "kind": demo.kind,
        "title": demo.title,
        "category": categories[demo.category],
        "owner": owner,
        "cause": demo.cause,
        "event": demo.event,
        "effect": demo.effect,
        "status": first_status,
        "identified_on": identified,
        "triggers": demo.triggers,
        "strategy": demo.strategy,
        "response": demo.response,
        "contingency": demo.contingency,
        "fallback": demo.fallback,
        "proximity": today + dt.timedelta(weeks=demo.proximity_weeks)
        if demo.proximity_weeks is not None
        else None,
        **_fields(first_ratings, first_residual),
    }
    if demo.schedule_event:
        chance, low, likely, high = demo.schedule_event
        fields.update(
            schedule_probability=chance,
            delay_min_days=Decimal(str(low)),
            delay_likely_days=Decimal(str(likely)),
            delay_max_days=Decimal(str(high)),
        )
    task_ids = list(project.tasks.filter(wbs__in=demo.tasks).values_list("pk", flat=True))
    risk = create_risk(project, owner, fields, task_ids)
    for _, ratings, residual, status in steps[1:]:
        changes = {**_fields(ratings, residual), "status": status}
        if status == Risk.Status.CLOSED:
            changes["closed_on"] = today - dt.timedelta(weeks=1)
        risk = update_risk(risk, changes, None, owner)
    _date_history(risk, [today - dt.timedelta(weeks=s[0]) for s in steps])
    reviewed = (
        today + dt.timedelta(days=demo.review_offset_days) - dt.timedelta(days=risk.review_cadence)
    )
    risk = update_risk(
        risk,
        {
            "last_reviewed_on": reviewed,
            "next_review_on": today + dt.timedelta(days=demo.review_offset_days),
        },
        None,
        owner,
    )
    for description, username, due_days, status in demo.actions:
        save_action(
            RiskAction(
                risk=risk,
                description=description,
                owner=users.get(username),
                due_on=today + dt.timedelta(days=due_days),
                status=status,
                completed_on=today - dt.timedelta(days=2) if status == "done" else None,
            )
        )
    return risk


def _date_history(risk: Risk, days: list[dt.date]) -> None:
    """Move the history entries (one per assessment, in order) to the weeks they happened."""
    entries = list(RiskScoreChange.objects.filter(risk=risk).order_by("at", "pk"))
    for entry, day in zip(entries, days, strict=False):
        at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
        RiskScoreChange.objects.filter(pk=entry.pk).update(at=min(at, timezone.now()))


def _fmea(project: Project, users: dict[str, User], today: dt.date) -> None:
    sheet = FmeaWorksheet.objects.create(
        project=project,
        process=BCMA_FMEA["process"],
        scope=BCMA_FMEA["scope"],
        team=BCMA_FMEA["team"],
        method=FmeaWorksheet.Method.HFMEA,
    )
    for description, modes in BCMA_FMEA["steps"]:
        step = fmea.add_step(sheet, description)
        for (
            text,
            effects,
            causes,
            controls,
            severity,
            probability,
            spw,
            control,
            obvious,
            action,
        ) in modes:
            revised = action[5] if action else (None, None)
            mode = fmea.save_failure_mode(
                FailureMode(
                    step=step,
                    description=text,
                    effects=effects,
                    causes=causes,
                    controls=controls,
                    severity=severity,
                    probability=probability,
                    single_point_weakness=spw,
                    effective_control=control,
                    detectable=obvious,
                    revised_severity=revised[0],
                    revised_probability=revised[1],
                )
            )
            if action:
                kind, what, measure, owner, due_days, _ = action
                fmea.save_action(
                    FmeaAction(
                        failure_mode=mode,
                        kind=kind,
                        description=what,
                        measure=measure,
                        owner=users.get(owner),
                        due_on=today + dt.timedelta(days=due_days),
                    )
                )


def _estimates(project: Project) -> None:
    tasks = {t.wbs: t for t in project.tasks.filter(wbs__in=[e[0] for e in EHR_ESTIMATES])}
    for wbs, low, likely, high, distribution, basis in EHR_ESTIMATES:
        task = tasks.get(wbs)
        if task is None or task.is_summary:
            continue
        simulation.save_estimate(
            task,
            {
                "low_minutes": low * MINUTES_PER_DAY,
                "likely_minutes": likely * MINUTES_PER_DAY,
                "high_minutes": high * MINUTES_PER_DAY,
                "distribution": distribution,
                "basis": basis,
            },
        )


def _simulation(project: Project, users: dict[str, User]) -> None:
    """A finished run, executed now rather than queued, so the demo opens on results."""
    options = simulation.RunOptions(
        iterations=DEMO_ITERATIONS, seed=DEMO_SEED, name="Baseline schedule risk analysis"
    )
    simulation.simulate_now(project, users.get("ehr.pm"), options)
