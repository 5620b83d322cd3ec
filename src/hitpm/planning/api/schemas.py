"""Output schemas shared by the planning routes: tasks, links, and what an edit changed."""

import datetime as dt

from ninja import Schema

from hitpm.core.api import represent_with
from hitpm.engine.model import ConstraintType, LinkType
from hitpm.planning.editing import ChangeResult
from hitpm.planning.models import Dependency, Task


class TaskOut(Schema):
    id: int
    version: int
    parent_id: int | None
    position: int
    outline_level: int
    wbs: str
    name: str
    notes: str
    owner_id: int | None
    calendar_id: int | None
    duration_minutes: int
    milestone: bool
    manual: bool
    constraint_type: str
    constraint_date: dt.datetime | None
    deadline: dt.datetime | None
    actual_start: dt.datetime | None
    actual_finish: dt.datetime | None
    percent_complete: float
    remaining_minutes: int | None
    is_summary: bool
    start: dt.datetime | None
    finish: dt.datetime | None
    early_start: dt.datetime | None
    early_finish: dt.datetime | None
    late_start: dt.datetime | None
    late_finish: dt.datetime | None
    total_float_minutes: int | None
    free_float_minutes: int | None
    critical: bool

    @staticmethod
    def resolve_constraint_type(task: Task) -> str:
        return ConstraintType(task.constraint_type).name


class DependencyOut(Schema):
    id: int
    version: int
    predecessor_id: int
    successor_id: int
    type: str
    lag: float
    lag_format: str

    @staticmethod
    def resolve_type(link: Dependency) -> str:
        return LinkType(link.type).name


class ChangeOut(Schema):
    """What an edit changed: every task whose inputs or scheduled dates moved."""

    changed: list[TaskOut]
    removed_ids: list[int]
    removed_link_ids: list[int]
    project_finish: dt.datetime | None


class TaskChangeOut(ChangeOut):
    task: TaskOut


class LinkChangeOut(ChangeOut):
    link: DependencyOut


def change_out(result: ChangeResult) -> dict[str, object]:
    return {
        "changed": result.changed,
        "removed_ids": result.removed_ids,
        "removed_link_ids": result.removed_link_ids,
        "project_finish": result.project_finish,
    }


represent_with(Task, TaskOut)
represent_with(Dependency, DependencyOut)
