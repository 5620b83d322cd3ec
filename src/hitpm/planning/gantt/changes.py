"""Edits made on the chart: move a bar, stretch its end, draw or remove a link.

Each calls the planning core (:mod:`hitpm.planning.editing`), which validates, saves, audits and
reschedules in one transaction, and answers with what moved; this module only turns the chart's
gestures into those calls and their results into the chart's rows.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from hitpm.engine.model import LinkType
from hitpm.planning import editing
from hitpm.planning.gantt.data import from_minutes, link_row, minutes, values_row
from hitpm.planning.models import Dependency
from hitpm.portfolio.models import Project

LINK_TYPES = {t.name: t for t in LinkType}


def _payload(result: editing.ChangeResult) -> dict[str, Any]:
    """Only what moved: the changed tasks' rows, removed ids and the new project finish."""
    return {
        "tasks": [values_row(values, {}) for values in result.values],
        "removed_ids": list(result.removed_ids),
        "removed_links": list(result.removed_link_ids),
        "project_finish": minutes(result.project_finish),
    }


def move(project: Project, task_id: int, start: int, version: int | None) -> dict[str, Any]:
    """Drag a bar: the task starts no earlier than ``start`` (a start-no-earlier-than
    constraint, as Microsoft Project sets), and its successors follow."""
    result = editing.change_task(project, task_id, {"start": from_minutes(start)}, version)
    return _payload(result)


def resize(project: Project, task_id: int, finish: int, version: int | None) -> dict[str, Any]:
    """Drag a bar's end: the duration becomes the working time from its start to ``finish``."""
    result = editing.change_task(project, task_id, {"finish": from_minutes(finish)}, version)
    return _payload(result)


def link(project: Project, predecessor: int, successor: int, type_name: str) -> dict[str, Any]:
    """Draw a link; a loop, a link to itself or a second link between two tasks is refused."""
    if type_name not in LINK_TYPES:
        raise ValidationError({"type": f"A link type is one of FS, SS, FF, SF, not {type_name!r}."})
    result = editing.link_tasks(project, predecessor, successor, type=LINK_TYPES[type_name])
    made = Dependency.objects.get(project=project, predecessor=predecessor, successor=successor)
    return {**_payload(result), "links": [link_row(made)]}


def unlink(project: Project, dependency_id: int, version: int | None) -> dict[str, Any]:
    """Remove a link; its successor may move earlier."""
    result = editing.unlink(project, dependency_id, version)
    return {**_payload(result), "removed_ids": [], "removed_links": result.removed_ids}
