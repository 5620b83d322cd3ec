"""Store a :class:`PlanDocument` as a project's plan: calendars, tasks, links, resources,
assignments and baselines, in bulk, audited, then scheduled.

Everything runs in the caller's transaction (or one of its own): a problem anywhere, down to
the final reschedule finding a loop of links, leaves the database as it was. Problems are
reported as :class:`ImportFileError` naming the task, link or calendar of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.audit.signals import record_bulk_create
from hitpm.core.bulk import insert_rows
from hitpm.engine.model import ConstraintType, TaskSpec
from hitpm.exchange.document import PlanDocument
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.importers.extras import store_baselines, store_resources
from hitpm.planning.builder import UNDATED_CONSTRAINTS
from hitpm.planning.models import Calendar, CalendarException, Dependency, Task
from hitpm.planning.services import reschedule
from hitpm.planning.spec import aware
from hitpm.portfolio.models import Project

Progress = Callable[[str, float], None]
EARLIEST, LATEST = dt.datetime(1900, 1, 1), dt.datetime(2200, 12, 31)
_DATE_FIELDS = ("constraint_date", "deadline", "actual_start", "actual_finish")


@dataclass(frozen=True)
class ImportSummary:
    """What an import created, and what of the file it left out or changed (``warnings``,
    one sentence each, from the file's reader)."""

    calendars: int
    tasks: int
    links: int
    resources: int
    assignments: int
    baselines: int
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Counts, then ``warnings`` as a list: JSON for jobs, the API and ``--json``."""
        return {**asdict(self), "warnings": list(self.warnings)}


def import_plan(
    project: Project, document: PlanDocument, progress: Progress | None = None
) -> ImportSummary:
    """Add the document's plan to ``project``, whose plan must be empty; schedule it."""
    report = progress or (lambda _step, _fraction: None)
    with transaction.atomic():
        if project.tasks.exists():
            raise ImportFileError(
                f"{project.code} already has a plan ({project.tasks.count()} tasks); import "
                "into a new project, or delete the plan first."
            )
        report("Calendars", 0.05)
        calendars = _store_calendars(project, document)
        report("Tasks", 0.15)
        tasks = _store_tasks(project, document, calendars)
        report("Links", 0.45)
        links = _store_links(project, document, tasks)
        report("Resources and baselines", 0.6)
        resources, assignments = store_resources(project, document, tasks, calendars)
        baselines = store_baselines(project, document, tasks)
        _set_project_dates(project, document)
        report("Scheduling", 0.75)
        try:
            reschedule(project)
        except ValidationError as exc:
            raise ImportFileError(" ".join(exc.messages)) from None
        report("Done", 1.0)
    return ImportSummary(
        calendars=len(calendars),
        tasks=len(tasks),
        links=links,
        resources=resources,
        assignments=assignments,
        baselines=baselines,
        warnings=tuple(document.warnings),
    )


def _unique(name: str, taken: set[str], limit: int) -> str:
    base = (name.strip() or "Calendar")[:limit]
    candidate, number = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate, number = base[: limit - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def _store_calendars(project: Project, document: PlanDocument) -> dict[int, Calendar]:
    """Calendars by file uid, bases saved before the calendars derived from them."""
    specs = {c.uid: c for c in document.spec.calendars}
    has_default = project.calendars.filter(is_project_default=True).exists()
    taken = {name.casefold() for name in project.calendars.values_list("name", flat=True)}
    stored: dict[int, Calendar] = {}
    pending = list(specs.values())
    while pending:
        ready = [c for c in pending if c.base_uid is None or c.base_uid in stored]
        if not ready:
            raise ImportFileError(f"Calendar {pending[0].name!r}: its base calendars form a loop")
        for spec in ready:
            stored[spec.uid] = Calendar(
                project=project,
                name=_unique(spec.name, taken, 100),
                base=stored.get(spec.base_uid) if spec.base_uid is not None else None,
                weekly={str(d): [list(i) for i in times] for d, times in spec.weekly.items()},
                is_project_default=not has_default and spec.uid == document.spec.calendar_uid,
            )
            stored[spec.uid].save()
        pending = [c for c in pending if c.uid not in stored]
    exceptions = [
        CalendarException(
            calendar=stored[spec.uid],
            name=exception.name[:100],
            start=exception.start,
            end=exception.end,
            intervals=[list(i) for i in exception.intervals],
        )
        for spec in specs.values()
        for exception in spec.exceptions
    ]
    insert_rows(CalendarException, exceptions)
    record_bulk_create(list(exceptions))
    return stored


def _checked(task: TaskSpec) -> TaskSpec:
    where = f"Task {task.uid} ({task.name[:60]})"
    if not task.name.strip():
        raise ImportFileError(f"{where}: a task needs a name")
    if len(task.name) > 255:
        raise ImportFileError(f"{where}: the name is longer than 255 characters")
    if task.duration_minutes < 0:
        raise ImportFileError(f"{where}: the duration is negative")
    if not 0 <= task.percent_complete <= 100:
        raise ImportFileError(f"{where}: percent complete {task.percent_complete} is not 0..100")
    for name in _DATE_FIELDS:
        value = getattr(task, name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ImportFileError(f"{where}: {name} {value:%Y-%m-%d} is outside 1900..2200")
    if task.constraint_date is None and task.constraint_type not in UNDATED_CONSTRAINTS:
        raise ImportFileError(
            f"{where}: constraint {ConstraintType(task.constraint_type).name} needs a date"
        )
    return task


def _optional(value: dt.datetime | None) -> dt.datetime | None:
    return aware(value) if value is not None else None


def _store_tasks(
    project: Project, document: PlanDocument, calendars: dict[int, Calendar]
) -> dict[int, Task]:
    """Tasks by file uid, with parents, positions and WBS codes from the outline."""
    tasks: dict[int, Task] = {}
    stack: list[tuple[Task, list[int]]] = []
    top = [0]
    for position, spec in enumerate(document.spec.tasks):
        _checked(spec)
        level = max(1, min(spec.outline_level, len(stack) + 1))
        del stack[level - 1 :]
        counter = stack[-1][1] if stack else top
        counter[0] += 1
        parent = stack[-1][0] if stack else None
        code = f"{parent.wbs}.{counter[0]}" if parent is not None else str(counter[0])
        manual = spec.manual and spec.manual_start is not None
        task = Task(
            project=project,
            parent=parent,
            position=position,
            outline_level=level,
            wbs=code[:64],
            name=spec.name,
            notes=document.notes.get(spec.uid, ""),
            duration_minutes=spec.duration_minutes,
            milestone=spec.milestone,
            manual=spec.manual,
            constraint_type=spec.constraint_type,
            constraint_date=_optional(spec.constraint_date),
            deadline=_optional(spec.deadline),
            calendar=calendars.get(spec.calendar_uid) if spec.calendar_uid is not None else None,
            actual_start=_optional(spec.actual_start),
            actual_finish=_optional(spec.actual_finish),
            percent_complete=round(spec.percent_complete, 2),
            remaining_minutes=spec.remaining_duration_minutes,
            start=_optional(spec.manual_start) if manual else None,
            finish=_optional(spec.manual_finish) if manual else None,
        )
        if spec.uid in tasks:
            raise ImportFileError(f"Task {spec.uid}: two tasks have this id")
        tasks[spec.uid] = task
        stack.append((task, [0]))
    for level in sorted({t.outline_level for t in tasks.values()}):
        insert_rows(Task, [t for t in tasks.values() if t.outline_level == level])
    record_bulk_create(list(tasks.values()))
    return tasks


def _store_links(project: Project, document: PlanDocument, tasks: dict[int, Task]) -> int:
    links: list[Dependency] = []
    seen: set[tuple[int, int]] = set()
    for spec in document.spec.links:
        where = f"Link {spec.predecessor_uid} -> {spec.successor_uid}"
        if spec.predecessor_uid not in tasks or spec.successor_uid not in tasks:
            raise ImportFileError(f"{where}: the link names a task that is not in the file")
        if spec.predecessor_uid == spec.successor_uid:
            raise ImportFileError(f"{where}: a task cannot depend on itself")
        if (spec.predecessor_uid, spec.successor_uid) in seen:
            continue  # MS Project allows no duplicate; keep the first of a repeated pair
        seen.add((spec.predecessor_uid, spec.successor_uid))
        links.append(
            Dependency(
                project=project,
                predecessor=tasks[spec.predecessor_uid],
                successor=tasks[spec.successor_uid],
                type=spec.type,
                lag=spec.lag,
                lag_format=spec.lag_format,
            )
        )
    insert_rows(Dependency, links)
    record_bulk_create(list(links))
    return len(links)


def _set_project_dates(project: Project, document: PlanDocument) -> None:
    start = document.spec.start
    if not EARLIEST <= start <= LATEST:
        raise ImportFileError(f"Project start {start:%Y-%m-%d} is outside 1900..2200")
    project.start_date = start.date()
    if document.spec.status_date is not None:
        project.status_date = document.spec.status_date.date()
    project.save()
