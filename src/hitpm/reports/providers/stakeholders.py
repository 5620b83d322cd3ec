"""Sections from the stakeholders app: decisions needed and open actions."""

from __future__ import annotations

from hitpm.reports.formatting import day
from hitpm.reports.sections import ReportContext, Section, section
from hitpm.stakeholders.models import ActionItem
from hitpm.stakeholders.services.meetings import pending_decisions

SHOWN = 15


@section("decisions_needed", "Decisions needed")
def decisions_needed(context: ReportContext) -> Section:
    decisions = list(pending_decisions(context.project)[:SHOWN])
    return {
        "note": "Pending entries of the decision log, soonest needed first.",
        "table": {
            "columns": ["Decision", "Needed by", "Context"],
            "rows": [[d.title, day(d.needed_by), d.description or "—"] for d in decisions],
            "empty": "No decision is pending.",
        },
    }


@section("open_actions", "Open action items")
def open_actions(context: ReportContext) -> Section:
    actions = (
        context.project.action_items.filter(status=ActionItem.Status.OPEN)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    rows = [
        [a.description, a.owner.get_full_name() or a.owner.get_username(), day(a.due_on),
         "Overdue" if a.is_overdue(context.as_of) else "Open"]
        for a in actions[:SHOWN]
    ]  # fmt: skip
    return {
        "table": {
            "columns": ["Action", "Owner", "Due", "Status"],
            "rows": rows,
            "empty": "No open action items.",
        }
    }
