"""Sections for areas hitpm does not hold yet (training, workflow changes, interfaces) and
defects, which come from the agile boards where a project keeps them."""

from __future__ import annotations

from django.apps import apps

from hitpm.reports.sections import ReportContext, Section, not_tracked, section

SHOWN = 15


@section("training", "Training")
def training(context: ReportContext) -> Section:
    return not_tracked("training", "End-user training (enrolment, completion, proficiency)",
                       "training and adoption")  # fmt: skip


@section("workflow_changes", "Workflow changes")
def workflow_changes(context: ReportContext) -> Section:
    return not_tracked("workflow_changes", "Clinical workflow change (future-state workflows and "
                       "their sign-off)", "workflow and change management")  # fmt: skip


@section("interfaces", "Interfaces")
def interfaces(context: ReportContext) -> Section:
    return not_tracked("interfaces", "The interface inventory (HL7 v2 / FHIR feeds and their "
                       "testing status)", "interoperability")  # fmt: skip


@section("defects", "Defects")
def defects(context: ReportContext) -> Section:
    if not apps.is_installed("hitpm.agile"):
        return not_tracked("defects", "Defect tracking", "quality")
    from hitpm.agile.models import WorkItem

    project = context.project
    if not project.agile_boards.exists():
        return not_tracked("defects", "Defect tracking for this project (it has no agile "
                           "board)", "quality")  # fmt: skip
    found = WorkItem.objects.filter(project=project, kind=WorkItem.Kind.DEFECT)
    open_ = found.filter(done_at__isnull=True).select_related("assignee", "column")
    ordered = list(open_.order_by("-patient_safety", "rank", "pk")[:SHOWN])
    return {
        "note": "Defects on the project's agile boards; patient-safety defects first.",
        "facts": [
            ["Open defects", str(open_.count())],
            ["Patient-safety", str(open_.filter(patient_safety=True).count())],
            ["Blocked", str(open_.filter(blocked=True).count())],
            ["Closed", str(found.filter(done_at__isnull=False).count())],
        ],
        "table": {
            "columns": ["Defect", "Title", "State", "Assignee", "Patient safety"],
            "rows": [
                [d.key, d.title, d.column.name,
                 d.assignee.get_full_name() if d.assignee else "—",
                 "Yes" if d.patient_safety else "No"]
                for d in ordered
            ],
            "empty": "No open defects.",
        },
    }  # fmt: skip
