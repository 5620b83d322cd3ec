"""Read a project's plan from the database into a :class:`PlanDocument` for the writers.

Task, calendar and resource uids are primary keys. The schedule inputs come from the planning
app's own loader, so an exported file schedules exactly as the plan does in hitpm.
"""

from __future__ import annotations

from hitpm.exchange.document import (
    AssignmentData,
    BaselineData,
    BaselineRowData,
    PlanDocument,
    ResourceData,
    SavedDates,
)
from hitpm.planning.models import Assignment, Baseline, BaselineTask, Resource, Task
from hitpm.planning.spec import load_plan, naive
from hitpm.portfolio.models import Project


def plan_document(project: Project) -> PlanDocument:
    """The project's whole plan: schedule, notes, WBS codes, dates, resources, baselines."""
    spec = load_plan(project).spec
    document = PlanDocument(spec=spec, source_format="hitpm")
    fields = ("pk", "wbs", "notes", "start", "finish", "total_float_minutes", "critical")
    for pk, wbs, notes, start, finish, total_float, critical in Task.objects.filter(
        project=project
    ).values_list(*fields):
        document.wbs[pk] = wbs
        document.notes[pk] = notes
        document.saved[pk] = SavedDates(naive(start), naive(finish), total_float, critical)
    document.resources = [
        ResourceData(
            uid=r.pk,
            name=r.name,
            kind=r.kind,
            role=r.role,
            calendar_uid=r.calendar_id,
            capacity_percent=r.capacity_percent,
        )
        for r in Resource.objects.filter(project=project).order_by("pk")
    ]
    document.assignments = [
        AssignmentData(task_uid=task, resource_uid=resource, units_percent=units)
        for task, resource, units in Assignment.objects.filter(project=project)
        .order_by("pk")
        .values_list("task_id", "resource_id", "units_percent")
    ]
    document.baselines = _baselines(project)
    return document


def _baselines(project: Project) -> list[BaselineData]:
    baselines = list(Baseline.objects.filter(project=project).order_by("created_at", "pk"))
    rows: dict[int, list[BaselineRowData]] = {b.pk: [] for b in baselines}
    for row in BaselineTask.objects.filter(baseline__project=project).order_by("task__position"):
        rows[row.baseline_id].append(
            BaselineRowData(
                task_uid=row.task_id,
                start=naive(row.start),
                finish=naive(row.finish),
                duration_minutes=row.duration_minutes,
                milestone=row.milestone,
            )
        )
    return [
        BaselineData(name=b.name, number=min(number, 10), rows=rows[b.pk])
        for number, b in enumerate(baselines)
    ]
