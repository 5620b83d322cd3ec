"""Sections from the risk register: top risks, patient-safety risks and the heat map.

They use the risk app's own read services (``top_risks``, ``heat_map``), so a status report
ranks risks exactly as the register does.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from hitpm.reports.charts import HeatCell, heat_map_svg
from hitpm.reports.formatting import day
from hitpm.reports.sections import ReportContext, Section, not_tracked, section

TOP = 5
SAFETY_FROM = 3
"""A risk is a patient-safety risk when its safety impact is rated 3 (moderate) or more."""


def _installed() -> bool:
    return apps.is_installed("hitpm.risk")


def _risk_rows(risks: list[Any], bands: Any) -> list[list[str]]:
    return [
        [r.ref, r.title, str(r.current_score or "—"), bands.rating(r.current_score),
         r.owner.get_full_name() if r.owner else "—", r.response or "—"]
        for r in risks
    ]  # fmt: skip


RISK_COLUMNS = ["Risk", "Title", "Score", "Rating", "Owner", "Response"]


@section("top_risks", "Top risks")
def top_risks(context: ReportContext) -> Section:
    if not _installed():
        return not_tracked("top_risks", "The risk register", "risk")
    from hitpm.risk.services.insights import top_risks as ranked
    from hitpm.risk.services.register import scale_for

    bands = scale_for(context.project.portfolio).bands
    return {
        "note": "Open risks by current score (residual once assessed), then proximity.",
        "table": {
            "columns": RISK_COLUMNS,
            "rows": _risk_rows(ranked(context.project, TOP), bands),
            "empty": "No open, scored risks.",
        },
    }


@section("patient_safety_risks", "Patient-safety risks")
def patient_safety_risks(context: ReportContext) -> Section:
    if not _installed():
        return not_tracked("patient_safety_risks", "The risk register", "risk")
    from hitpm.risk.services.insights import open_risks, with_score
    from hitpm.risk.services.register import scale_for

    bands = scale_for(context.project.portfolio).bands
    risks = with_score(open_risks(context.project)).filter(impact_safety__gte=SAFETY_FROM)
    ordered = sorted(risks, key=lambda r: (-(r.current_score or 0), r.number))
    return {
        "note": f"Open risks whose patient-safety impact is rated {SAFETY_FROM} or more.",
        "table": {
            "columns": RISK_COLUMNS,
            "rows": _risk_rows(ordered, bands),
            "empty": "No open risk with a patient-safety impact of that size.",
        },
    }


@section("heat_map", "Risk heat map")
def heat_map(context: ReportContext) -> Section:
    if not _installed():
        return not_tracked("heat_map", "The risk register", "risk")
    from hitpm.risk.services.insights import heat_map as grid

    found = grid(context.project, "residual")
    which = "residual"
    if found.total == 0:
        found, which = grid(context.project, "inherent"), "inherent"
    rows = [[HeatCell(c.probability, c.impact, c.rating, len(c.risks)) for c in row]
            for row in found.rows]  # fmt: skip
    unrated = f" {len(found.unrated)} open risks are not yet rated." if found.unrated else ""
    return {
        "note": f"Open risks by {which} probability and worst impact, as of "
        f"{day(context.as_of)}.{unrated}",
        "svg": heat_map_svg(rows),
    }
