"""Read a whole MSPDI file into a :class:`PlanDocument`: the schedule plus notes, WBS codes,
resources, assignments, baselines and the dates Microsoft Project saved.

Conventions: ``MaxUnits`` and assignment ``Units`` are fractions (1.0 = 100 %); resource
``Type`` 1 is work (a person or role), 0 material, 2 cost; resource UID 0 and assignments to
resource UID -65535 are Microsoft Project's "unassigned" placeholders and are skipped.

What hitpm cannot hold is reported in the document's warnings rather than dropped silently:
inactive tasks (left out, with their links), and material and cost resources (hitpm's
resources are people and roles: they are imported as work resources at 100 % on each of their
assignments, so the assignments stay, without quantities or costs).
"""

from __future__ import annotations

from hitpm.exchange.document import (
    AssignmentData,
    BaselineData,
    BaselineRowData,
    PlanDocument,
    ResourceData,
    SavedDates,
    name_list,
    plural,
)
from hitpm.exchange.mspdi import (
    inactive_task_elements,
    project_fields,
    schedulable_task_elements,
    spec_from_fields,
    task_elements,
    task_uid,
)
from hitpm.exchange.mspdi_xml import Fields, Source

_UNASSIGNED = -65535
_MATERIAL, _WORK, _COST = 0, 1, 2
_NOT_KEPT = {_MATERIAL: "quantities", _COST: "costs"}


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
    document.resources, types = _read_resources(project, calendar_uids)
    document.assignments = _read_assignments(project, task_uids, types)
    inactive = _inactive_warning(project, task_uids)
    document.warnings.extend([inactive] if inactive else [])
    document.warnings.extend(_resource_type_warnings(document.resources, types))
    return document


def _inactive_warning(project: Fields, task_uids: set[int]) -> str | None:
    """``Skipped 2 inactive tasks: 4 Legacy interface, 9 Fax gateway; 3 links ... dropped``."""
    elements = inactive_task_elements(project)
    if not elements:
        return None
    labels = []
    inactive: set[int] = set()
    for element in elements:
        task = project.sub(element, "Task")
        uid = task_uid(task)
        inactive.add(uid)
        name = task.text("Name", "") or "(no name)"
        labels.append(f"{task.integer('ID', uid)} {name}")
    links = 0
    for element in task_elements(project):
        task = project.sub(element, "Task")
        successor = task_uid(task)
        for link_element in task.all("PredecessorLink"):
            link = task.sub(link_element)
            if link.flag("CrossProject"):
                continue
            predecessor = link.integer("PredecessorUID")
            ends = {predecessor, successor}
            links += bool(ends & inactive) and bool(ends & task_uids)
    text = f"Skipped {plural(len(labels), 'inactive task')}: {name_list(labels)}"
    if links:
        them = "it" if len(labels) == 1 else "them"
        text += f"; {plural(links, 'link')} between {them} and active tasks dropped"
    return text


def _resource_type_warnings(resources: list[ResourceData], types: dict[int, int]) -> list[str]:
    """One sentence per resource type hitpm has not got (material, cost)."""
    warnings = []
    for code, label in ((_MATERIAL, "material"), (_COST, "cost")):
        names = [f"'{r.name}'" for r in resources if types.get(r.uid) == code]
        if not names:
            continue
        if len(names) == 1:
            subject = f"{label.capitalize()} resource {names[0]}"
            verb, own = "a work resource", "its"
        else:
            subject = f"{len(names)} {label} resources ({name_list(names)})"
            verb, own = "work resources", "their"
        warnings.append(
            f"{subject} imported as {verb} at 100 % on each of {own} assignments; "
            f"hitpm keeps no {_NOT_KEPT[code]} of {label} resources"
        )
    return warnings


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


def _read_resources(
    project: Fields, calendar_uids: set[int]
) -> tuple[list[ResourceData], dict[int, int]]:
    """The resources, and each one's MSPDI ``Type`` (0 material, 1 work, 2 cost)."""
    container = project.child("Resources")
    resources: list[ResourceData] = []
    types: dict[int, int] = {}
    for element in container if container is not None else ():
        fields = project.sub(element, "Resource")
        uid = fields.integer("UID")
        if uid is None:
            raise fields.error("UID", "every <Resource> needs a <UID>")
        fields.where = f"Resource UID {uid}"
        name = fields.text("Name", "") or ""
        if uid == 0 or fields.flag("IsNull") or not name:
            continue
        kind = fields.integer("Type", _WORK)
        types[uid] = kind if kind in _NOT_KEPT else _WORK
        units = fields.number("MaxUnits", 1.0) if kind not in _NOT_KEPT else 1.0
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
    return resources, types


def _read_assignments(
    project: Fields, task_uids: set[int], types: dict[int, int]
) -> list[AssignmentData]:
    """Assignments to scheduled tasks; those of material and cost resources at 100 %."""
    container = project.child("Assignments")
    found: dict[tuple[int, int], AssignmentData] = {}
    for element in container if container is not None else ():
        fields = project.sub(element, "Assignment")
        task, resource = fields.integer("TaskUID"), fields.integer("ResourceUID")
        if task is None or resource is None:
            raise fields.error("TaskUID", "an <Assignment> needs <TaskUID> and <ResourceUID>")
        if resource == _UNASSIGNED or task not in task_uids or resource not in types:
            continue
        units = fields.number("Units", 1.0) if types[resource] == _WORK else 1.0
        percent = max(1, round((units if units is not None else 1.0) * 100))
        found[(task, resource)] = AssignmentData(task, resource, percent)
    return list(found.values())
