"""Read a whole MSPDI file into a :class:`PlanDocument`: the schedule plus notes, WBS codes,
resources, assignments, baselines and the dates Microsoft Project saved.

Conventions: ``MaxUnits`` and assignment ``Units`` are fractions (1.0 = 100 %); resource
``Type`` 1 is work (a person or role), 0 material, 2 cost; resource UID 0 and assignments to
resource UID -65535 are Microsoft Project's "unassigned" placeholders and are skipped.
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
from hitpm.exchange.mspdi import (
    project_fields,
    schedulable_task_elements,
    spec_from_fields,
    task_uid,
)
from hitpm.exchange.mspdi_xml import Fields, Source

_UNASSIGNED = -65535


def read_mspdi_document(source: Source) -> PlanDocument:
    """Read an MSPDI file; raises :class:`~hitpm.exchange.errors.MspdiError` with the line."""
    project = project_fields(source)
    spec = spec_from_fields(project)
    task_uids = {t.uid for t in spec.tasks}
    calendar_uids = {c.uid for c in spec.calendars}
    document = PlanDocument(spec=spec, source_format="mspdi")
    baselines: dict[int, BaselineData] = {}
    for element in schedulable_task_elements(project):
        task = project.sub(element, "Task")
        uid = task_uid(task)
        document.notes[uid] = task.text("Notes", "") or ""
        document.wbs[uid] = task.text("WBS", "") or ""
        slack = task.number("TotalSlack")
        document.saved[uid] = SavedDates(
            start=task.datetime("Start"),
            finish=task.datetime("Finish"),
            total_float_minutes=None if slack is None else round(slack / 10),
            critical=task.flag("Critical"),
        )
        for baseline_element in task.all("Baseline"):
            _read_baseline(task.sub(baseline_element), uid, baselines)
    document.baselines = [baselines[n] for n in sorted(baselines)]
    document.resources = _read_resources(project, calendar_uids)
    resource_uids = {r.uid for r in document.resources}
    document.assignments = _read_assignments(project, task_uids, resource_uids)
    return document


def _read_baseline(fields: Fields, task: int, baselines: dict[int, BaselineData]) -> None:
    number = fields.integer("Number", 0) or 0
    if not 0 <= number <= 10:
        raise fields.error("Number", f"{number} is not a baseline number (0..10)")
    name = "Baseline" if number == 0 else f"Baseline {number}"
    baseline = baselines.setdefault(number, BaselineData(name=name, number=number))
    duration = fields.duration_minutes("Duration") or 0
    baseline.rows.append(
        BaselineRowData(
            task_uid=task,
            start=fields.datetime("Start"),
            finish=fields.datetime("Finish"),
            duration_minutes=max(duration, 0),
            milestone=duration == 0,
        )
    )


def _read_resources(project: Fields, calendar_uids: set[int]) -> list[ResourceData]:
    container = project.child("Resources")
    resources: list[ResourceData] = []
    for element in container if container is not None else ():
        fields = project.sub(element, "Resource")
        uid = fields.integer("UID")
        if uid is None:
            raise fields.error("UID", "every <Resource> needs a <UID>")
        fields.where = f"Resource UID {uid}"
        name = fields.text("Name", "") or ""
        if uid == 0 or fields.flag("IsNull") or not name:
            continue
        units = fields.number("MaxUnits", 1.0)
        calendar = fields.integer("CalendarUID")
        resources.append(
            ResourceData(
                uid=uid,
                name=name[:120],
                kind="role" if fields.flag("IsGeneric") else "person",
                role=(fields.text("Group", "") or "")[:120],
                calendar_uid=calendar if calendar in calendar_uids else None,
                capacity_percent=max(1, round((units if units is not None else 1.0) * 100)),
            )
        )
    return resources


def _read_assignments(
    project: Fields, task_uids: set[int], resource_uids: set[int]
) -> list[AssignmentData]:
    container = project.child("Assignments")
    found: dict[tuple[int, int], AssignmentData] = {}
    for element in container if container is not None else ():
        fields = project.sub(element, "Assignment")
        task, resource = fields.integer("TaskUID"), fields.integer("ResourceUID")
        if task is None or resource is None:
            raise fields.error("TaskUID", "an <Assignment> needs <TaskUID> and <ResourceUID>")
        if resource == _UNASSIGNED or task not in task_uids or resource not in resource_uids:
            continue
        units = fields.number("Units", 1.0)
        percent = max(1, round((units if units is not None else 1.0) * 100))
        found[(task, resource)] = AssignmentData(task, resource, percent)
    return list(found.values())
