"""Store the resources, assignments and baselines of a :class:`PlanDocument`."""

from __future__ import annotations

from hitpm.audit.signals import record_bulk_create
from hitpm.core.bulk import insert_rows
from hitpm.exchange.document import PlanDocument
from hitpm.exchange.errors import ImportFileError
from hitpm.planning.models import (
    Assignment,
    Baseline,
    BaselineTask,
    Calendar,
    Resource,
    Task,
)
from hitpm.planning.spec import aware
from hitpm.portfolio.models import Project


def store_resources(
    project: Project,
    document: PlanDocument,
    tasks: dict[int, Task],
    calendars: dict[int, Calendar],
) -> tuple[int, int]:
    """Create the resources and their assignments; how many of each."""
    taken = {n.casefold() for n in project.resources.values_list("name", flat=True)}
    resources: dict[int, Resource] = {}
    for data in document.resources:
        where = f"Resource {data.uid} ({data.name})"
        if data.name.casefold() in taken:
            raise ImportFileError(f"{where}: two resources have this name")
        if not 1 <= data.capacity_percent <= 10000:
            raise ImportFileError(f"{where}: capacity {data.capacity_percent}% is not 1..10000")
        taken.add(data.name.casefold())
        resources[data.uid] = Resource(
            project=project,
            name=data.name[:120],
            kind=data.kind if data.kind in Resource.Kind.values else Resource.Kind.PERSON,
            role=data.role[:120],
            calendar=calendars.get(data.calendar_uid) if data.calendar_uid is not None else None,
            capacity_percent=data.capacity_percent,
        )
    insert_rows(Resource, list(resources.values()))
    assignments = []
    for item in document.assignments:
        if item.task_uid not in tasks or item.resource_uid not in resources:
            raise ImportFileError(
                f"Assignment of resource {item.resource_uid} to task {item.task_uid}: "
                "the task or the resource is not in the file"
            )
        if not 1 <= item.units_percent <= 10000:
            raise ImportFileError(
                f"Assignment of resource {item.resource_uid} to task {item.task_uid}: "
                f"units {item.units_percent}% are not 1..10000"
            )
        assignments.append(
            Assignment(
                project=project,
                task=tasks[item.task_uid],
                resource=resources[item.resource_uid],
                units_percent=item.units_percent,
            )
        )
    insert_rows(Assignment, assignments)
    record_bulk_create([*resources.values(), *assignments])
    return len(resources), len(assignments)


def store_baselines(project: Project, document: PlanDocument, tasks: dict[int, Task]) -> int:
    """Create the baselines with one row per task; how many baselines."""
    taken = set(project.baselines.values_list("name", flat=True))
    baselines = []
    rows = []
    for data in document.baselines:
        if data.name in taken:
            raise ImportFileError(f"Baseline {data.name!r}: two baselines have this name")
        taken.add(data.name)
        finishes = [row.finish for row in data.rows if row.finish is not None]
        baseline = Baseline(
            project=project, name=data.name[:100], finish=aware(max(finishes)) if finishes else None
        )
        baselines.append(baseline)
        for row in data.rows:
            if row.task_uid not in tasks:
                raise ImportFileError(f"Baseline {data.name!r}: task {row.task_uid} is unknown")
            rows.append(
                BaselineTask(
                    baseline=baseline,
                    task=tasks[row.task_uid],
                    start=aware(row.start) if row.start is not None else None,
                    finish=aware(row.finish) if row.finish is not None else None,
                    duration_minutes=max(row.duration_minutes, 0),
                    milestone=row.milestone,
                )
            )
    insert_rows(Baseline, baselines)
    insert_rows(BaselineTask, rows)
    record_bulk_create(list(baselines))
    return len(baselines)
