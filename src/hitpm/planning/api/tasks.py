"""Tasks of a plan: list, read, create, change (with predecessors as text), move, delete."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, FilterLookup, PatchDict, Query, Router, Status

from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    Filters,
    InputSchema,
    Page,
    PageQuery,
    RecordId,
    Text,
    caller,
    if_match,
    or_404,
    paginate,
    tagged,
)
from hitpm.planning import editing, outline
from hitpm.planning.api.schemas import ChangeOut, TaskChangeOut, TaskOut, change_out
from hitpm.planning.models import Task
from hitpm.planning.predecessors import change_with_links, set_predecessors
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project

router = Router(tags=["planning"])

SmallCount = Annotated[int, Field(ge=0, le=32767)]
Minutes = Annotated[int, Field(ge=0, le=2**31 - 1)]
ConstraintName = Literal["ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"]


class TaskQuery(Filters):
    parent: Annotated[RecordId | None, FilterLookup("parent_id")] = None
    outline_level: Annotated[SmallCount | None, FilterLookup("outline_level")] = None
    milestone: Annotated[bool | None, FilterLookup("milestone")] = None
    critical: Annotated[bool | None, FilterLookup("critical")] = None
    summary: Annotated[bool | None, FilterLookup("is_summary")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "wbs__startswith"])] = None


TaskOrder = Literal[
    "position", "-position", "start", "-start", "finish", "-finish",
    "total_float_minutes", "-total_float_minutes", "name", "-name",
]  # fmt: skip


class TaskFields(InputSchema):
    """Fields a person edits; ``start``/``finish`` act as dragging the bar (see docs)."""

    name: str = Field(max_length=255)
    notes: str = ""
    owner_id: RecordId | None = None
    calendar_id: RecordId | None = None
    duration_minutes: Minutes = 0
    milestone: bool = False
    manual: bool = False
    constraint_type: ConstraintName = "ASAP"
    constraint_date: dt.datetime | None = None
    deadline: dt.datetime | None = None
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    percent_complete: float = Field(0, ge=0, le=100)
    remaining_minutes: Minutes | None = None
    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    predecessors: str = Field("", max_length=2000, description='e.g. "12FS+2d, 15SS"')


class TaskCreate(TaskFields):
    before_id: RecordId | None = Field(None, description="Insert above this task, at its level.")
    parent_id: RecordId | None = Field(None, description="Insert as the last subtask of this one.")


class MoveIn(InputSchema):
    target_id: RecordId
    place: Literal["before", "after"] = "before"


def _task(project: Project, task_id: int) -> Task:
    task = project.tasks.filter(pk=task_id).first()
    return or_404(task, "task", project.code, task_id)


def _answer(response: HttpResponse, result: editing.ChangeResult, task_id: int) -> dict[str, Any]:
    task = Task.objects.get(pk=task_id)
    tagged(response, task)
    return {**change_out(result), "task": task}


@router.get("/projects/{code}/tasks", response={200: Page[TaskOut], **ERRORS})
def list_tasks(
    request: HttpRequest,
    code: Text,
    filters: Query[TaskQuery],
    paging: Query[PageQuery],
    order: TaskOrder = "position",
) -> dict[str, Any]:
    """The project's tasks in plan order, with the dates the scheduler computed."""
    project, _ = project_for(caller(request), code)
    return paginate(filters.filter(project.tasks.all()).order_by(order, "pk"), paging)


@router.get("/projects/{code}/tasks/{task_id}", response={200: TaskOut, **ERRORS})
def get_task(request: HttpRequest, code: Text, task_id: RecordId, response: HttpResponse) -> Task:
    project, _ = project_for(caller(request), code)
    return tagged(response, _task(project, task_id))


@router.post("/projects/{code}/tasks", response={201: TaskChangeOut, **WRITE_ERRORS})
def create_task(
    request: HttpRequest, code: Text, payload: TaskCreate, response: HttpResponse
) -> Status[Any]:
    """Insert a task (team members); the answer lists every task the insertion changed."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    fields = payload.dict(exclude_unset=True)
    before_id, parent_id = fields.pop("before_id", None), fields.pop("parent_id", None)
    text = fields.pop("predecessors", None)
    result = outline.create_task(project, fields, before_id=before_id, parent_id=parent_id)
    new_id = result.created_id
    assert new_id is not None
    if text:
        result = set_predecessors(project, new_id, text)
    return Status(201, _answer(response, result, new_id))


@router.patch("/projects/{code}/tasks/{task_id}", response={200: TaskChangeOut, **WRITE_ERRORS})
def change_task(
    request: HttpRequest,
    code: Text,
    task_id: RecordId,
    payload: PatchDict[TaskFields],
    response: HttpResponse,
) -> dict[str, Any]:
    """Change a task (team members; If-Match); reschedules and returns what moved."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    _task(project, task_id)
    fields = dict(payload)
    text = fields.pop("predecessors", None)
    result = change_with_links(project, task_id, fields, text, if_match(request))
    return _answer(response, result, task_id)


@router.delete("/projects/{code}/tasks/{task_id}", response={204: None, **WRITE_ERRORS})
def delete_task(request: HttpRequest, code: Text, task_id: RecordId) -> Status[None]:
    """Delete a task with its subtasks and links (team members; If-Match)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    _task(project, task_id)
    outline.delete_tasks(project, [task_id], if_match(request))
    return Status(204, None)


@router.post("/projects/{code}/tasks/{task_id}/indent", response={200: ChangeOut, **WRITE_ERRORS})
def indent(request: HttpRequest, code: Text, task_id: RecordId) -> dict[str, Any]:
    """Make the task a subtask of the task above it."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    return change_out(outline.indent(project, [_task(project, task_id).pk]))


@router.post("/projects/{code}/tasks/{task_id}/outdent", response={200: ChangeOut, **WRITE_ERRORS})
def outdent(request: HttpRequest, code: Text, task_id: RecordId) -> dict[str, Any]:
    """Move the task up one outline level (its following siblings become its subtasks)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    return change_out(outline.outdent(project, [_task(project, task_id).pk]))


@router.post("/projects/{code}/tasks/{task_id}/move", response={200: ChangeOut, **WRITE_ERRORS})
def move(request: HttpRequest, code: Text, task_id: RecordId, payload: MoveIn) -> dict[str, Any]:
    """Move the task and its subtasks before or after another task, at that task's level."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    task = _task(project, task_id)
    target = _task(project, payload.target_id)
    return change_out(outline.move_task(project, task.pk, target.pk, payload.place))
