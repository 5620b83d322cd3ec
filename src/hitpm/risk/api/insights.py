"""Read-only views of the register: heat map, trend, overdue items, top risks, export."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema

from hitpm.core.api import ERRORS, Text, caller
from hitpm.portfolio.access import project_for
from hitpm.risk.api.actions import ActionOut
from hitpm.risk.api.register import RiskOut
from hitpm.risk.services import export, insights

router = Router(tags=["risk register"])


class CellOut(Schema):
    probability: int
    impact: int
    score: int
    rating: str
    count: int
    risk_ids: list[int]


class HeatMapOut(Schema):
    which: str
    size: int
    probability_labels: list[str]
    impact_labels: list[str]
    cells: list[CellOut] = Field(description="Every cell, highest probability first.")
    unrated_ids: list[int]


class WeekOut(Schema):
    week_ending: dt.date
    exposure: int = Field(description="Sum of the current scores of open risks.")
    open_count: int
    red: int


class OverdueOut(Schema):
    reviews: list[RiskOut]
    actions: list[ActionOut]


@router.get("/projects/{code}/risk-heatmap", response={200: HeatMapOut, **ERRORS})
def heat_map(
    request: HttpRequest, code: Text, which: Literal["inherent", "residual"] = "inherent"
) -> dict[str, Any]:
    """Open risks by probability and worst impact, inherent (before response) or residual."""
    project, _ = project_for(caller(request), code)
    found = insights.heat_map(project, which)
    cells = [
        {
            "probability": c.probability,
            "impact": c.impact,
            "score": c.score,
            "rating": c.rating,
            "count": len(c.risks),
            "risk_ids": [r.pk for r in c.risks],
        }
        for row in found.rows
        for c in row
    ]
    return {
        "which": which,
        "size": found.scale.size,
        "cells": cells,
        "probability_labels": [p for _, p, _ in found.scale.levels()],
        "impact_labels": [i for _, _, i in found.scale.levels()],
        "unrated_ids": [r.pk for r in found.unrated],
    }


@router.get("/projects/{code}/risk-trend", response={200: list[WeekOut], **ERRORS})
def trend(request: HttpRequest, code: Text, weeks: Annotated[int, Field(ge=1, le=104)] = 12) -> Any:
    """Open exposure at the end of each of the past ``weeks`` weeks, from the score history."""
    project, _ = project_for(caller(request), code)
    return [
        {"week_ending": w.ending, "exposure": w.exposure, "open_count": w.open_count, "red": w.red}
        for w in insights.trend(project, timezone.localdate(), weeks)
    ]


@router.get("/projects/{code}/risk-overdue", response={200: OverdueOut, **ERRORS})
def overdue(request: HttpRequest, code: Text) -> Any:
    """Open risks past their next review, and open response actions past their due date."""
    project, _ = project_for(caller(request), code)
    return insights.overdue(project, timezone.localdate())


@router.get("/projects/{code}/risk-top", response={200: list[RiskOut], **ERRORS})
def top(request: HttpRequest, code: Text, limit: Annotated[int, Field(ge=1, le=50)] = 5) -> Any:
    """The open risks a status report leads with: highest current score, then nearest."""
    project, _ = project_for(caller(request), code)
    return insights.top_risks(project, limit)


@router.get("/projects/{code}/risk-export", response={200: None, **ERRORS})
def export_register(
    request: HttpRequest, code: Text, format: Literal["csv", "xlsx"] = "csv"
) -> HttpResponse:
    """The whole register as CSV or XLSX."""
    project, _ = project_for(caller(request), code)
    return export.as_response(export.register_file(project, format))
