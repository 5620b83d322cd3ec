"""RAG per dimension for the executive report: a computed suggestion, which the project
manager may override with a note.

Rules (documented in docs/reports.md):

* Schedule: red when the go-live milestone (else the plan's finish) is forecast more than 10
  days after the target go-live or 10% or more of the work tasks are overdue; amber when it
  is forecast after target, a milestone is late or slipping past its deadline, or 3% or more
  are overdue; else green.
* Risk: red when an open risk scores in the red band of the portfolio's scale, amber when one
  is amber, else green.
* Quality: from agile defects: red with an open patient-safety defect, amber with open
  defects, else green; no suggestion when the project has no agile board.
* Scope and budget: hitpm does not track change requests or cost yet, so there is no
  suggestion; the report shows "not rated" until the project manager rates them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Max, Q

from hitpm.reports.providers.plan import go_live_milestone, milestone_state, overdue_tasks
from hitpm.reports.sections import ReportContext, Section, section

LATE_DAYS_RED = 10
OVERDUE_RED, OVERDUE_AMBER = 0.10, 0.03
LABELS = {"schedule": "Schedule", "scope": "Scope", "budget": "Budget", "quality": "Quality",
          "risk": "Risk"}  # fmt: skip


@dataclass(frozen=True)
class Suggestion:
    rating: str | None
    reason: str


def schedule(context: ReportContext) -> Suggestion:
    project = context.project
    work = project.tasks.filter(is_summary=False)
    total = work.count()
    if total == 0:
        return Suggestion(None, "The plan has no tasks yet.")
    share = overdue_tasks(context).count() / total
    go_live = go_live_milestone(context)
    finish = go_live.finish if go_live else work.aggregate(last=Max("finish"))["last"]
    late_days = (finish.date() - project.target_go_live).days if (
        finish and project.target_go_live) else 0  # fmt: skip
    milestones = project.tasks.filter(Q(milestone=True), actual_finish__isnull=True)
    troubled = [m for m in milestones if milestone_state(m, context.as_of) in ("Late", "Slipping")]
    what = "go-live forecast" if go_live else "plan finish"
    reason = (f"{share:.0%} of tasks overdue; {what} {late_days:+d} days against target "
              f"go-live; {len(troubled)} milestones late or slipping.")  # fmt: skip
    if late_days > LATE_DAYS_RED or share >= OVERDUE_RED:
        return Suggestion("red", reason)
    if late_days > 0 or troubled or share >= OVERDUE_AMBER:
        return Suggestion("amber", reason)
    return Suggestion("green", reason)


def risk(context: ReportContext) -> Suggestion:
    if not apps.is_installed("hitpm.risk"):
        return Suggestion(None, "The risk register is not yet tracked in hitpm.")
    from hitpm.risk.services.insights import open_risks
    from hitpm.risk.services.register import scale_for

    bands = scale_for(context.project.portfolio).bands
    ratings = [bands.rating(r.current_score) for r in open_risks(context.project)]
    reason = (f"{len(ratings)} open risks: {ratings.count('red')} red, "
              f"{ratings.count('amber')} amber.")  # fmt: skip
    if "red" in ratings:
        return Suggestion("red", reason)
    return Suggestion("amber" if "amber" in ratings else "green", reason)


def quality(context: ReportContext) -> Suggestion:
    if not apps.is_installed("hitpm.agile") or not context.project.agile_boards.exists():
        return Suggestion(None, "Defects are not tracked for this project in hitpm.")
    from hitpm.agile.models import WorkItem

    open_ = WorkItem.objects.filter(
        project=context.project, kind=WorkItem.Kind.DEFECT, done_at__isnull=True
    )
    safety, count = open_.filter(patient_safety=True).count(), open_.count()
    reason = f"{count} open defects, {safety} of them patient-safety."
    if safety:
        return Suggestion("red", reason)
    return Suggestion("amber" if count else "green", reason)


def untracked(what: str) -> Suggestion:
    return Suggestion(None, f"{what} is not yet tracked in hitpm; rate it yourself.")


def suggestions(context: ReportContext) -> dict[str, Suggestion]:
    return {
        "schedule": schedule(context),
        "scope": untracked("Scope change"),
        "budget": untracked("Cost"),
        "quality": quality(context),
        "risk": risk(context),
    }


@section("rag", "RAG by dimension")
def rag(context: ReportContext) -> Section:
    rows = []
    for name, suggestion in suggestions(context).items():
        chosen = context.ratings.get(name) or {}
        rows.append({
            "dimension": name,
            "label": LABELS[name],
            "rating": chosen.get("rating") or suggestion.rating or "none",
            "suggested": suggestion.rating or "none",
            "reason": suggestion.reason,
            "note": chosen.get("note", ""),
        })  # fmt: skip
    return {
        "note": "Suggested ratings are computed from live data; the project manager's rating, "
        "where given, is shown.",
        "rag": rows,
    }
