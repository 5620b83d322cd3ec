"""Agile items: list, create, read, change, delete, move and their state-change history."""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Status

from hitpm.accounts.models import User
from hitpm.agile.api.schemas import ItemChange, ItemIn, ItemOut, ItemQuery, MoveIn, MoveOut
from hitpm.agile.models import WorkItem
from hitpm.agile.services import items
from hitpm.agile.services.moves import Move, move_item
from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    Page,
    PageQuery,
    RecordId,
    Text,
    caller,
    if_match,
    or_404,
    paginate,
    represent_with,
    tagged,
)
from hitpm.planning.models import Task
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project
from hitpm.risk.models import Risk

router = Router()

ItemOrder = Literal["rank", "-rank", "number", "-number", "updated_at", "-updated_at"]
LINKS = {"epic_id": ("epic", None), "plan_task_id": ("plan_task", Task), "risk_id": ("risk", Risk)}


def _item(project: Project, item_id: int) -> WorkItem:
    item = project.work_items.select_related("board", "column", "assignee").filter(pk=item_id)
    found = item.first()
    return or_404(found, "agile item", project.code, item_id)


def _fields(project: Project, data: dict[str, Any]) -> dict[str, Any]:
    """Input field values as model values: ids and usernames checked against the project."""
    out = dict(data)
    if "assignee" in out:
        name = out.pop("assignee")
        user = User.objects.filter(username=name, memberships__project=project).first()
        if name and user is None:
            raise ValidationError({"assignee": f"{name} is not a member of {project.code}."})
        out["assignee"] = user
    for key, (field, model) in LINKS.items():
        if key not in out:
            continue
        pk = out.pop(key)
        records = project.work_items if model is None else model.objects.filter(project=project)
        record = records.filter(pk=pk).first() if pk else None
        if pk and record is None:
            raise ValidationError({key: f"Project {project.code} has no {field} with id {pk}."})
        out[field] = record
    return out


@router.get("/projects/{code}/items", response={200: Page[ItemOut], **ERRORS})
def list_items(
    request: HttpRequest,
    code: Text,
    filters: Query[ItemQuery],
    paging: Query[PageQuery],
    order: ItemOrder = "rank",
) -> dict[str, Any]:
    """Backlog items of every board of the project, highest priority first."""
    project, _ = project_for(caller(request), code)
    found = project.work_items.select_related("assignee", "project")
    return paginate(filters.filter(found).order_by(order, "pk"), paging)


@router.post("/projects/{code}/items", response={201: ItemOut, **WRITE_ERRORS})
def create_item(
    request: HttpRequest, code: Text, payload: ItemIn, response: HttpResponse
) -> Status[Any]:
    """A new item in its board's first column, ranked last (team members and up)."""
    user = caller(request)
    project, _ = project_for(user, code, Action.EDIT)
    data = payload.dict()
    board = project.agile_boards.filter(pk=data.pop("board_id")).first()
    if board is None:
        raise ValidationError({"board_id": f"Project {project.code} has no such board."})
    item = items.create_item(board, user, **_fields(project, data))
    return Status(201, tagged(response, item))


@router.get("/projects/{code}/items/{item_id}", response={200: ItemOut, **ERRORS})
def get_item(
    request: HttpRequest, code: Text, item_id: RecordId, response: HttpResponse
) -> WorkItem:
    project, _ = project_for(caller(request), code)
    return tagged(response, _item(project, item_id))


@router.patch("/projects/{code}/items/{item_id}", response={200: ItemOut, **WRITE_ERRORS})
def update_item(
    request: HttpRequest,
    code: Text,
    item_id: RecordId,
    payload: PatchDict[ItemChange],
    response: HttpResponse,
) -> WorkItem:
    """Change some fields (If-Match required). The column changes only through a move."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    item = _item(project, item_id)
    changed = items.update_item(item, _fields(project, payload), if_match(request))
    return tagged(response, changed)


@router.delete("/projects/{code}/items/{item_id}", response={204: None, **WRITE_ERRORS})
def delete_item(request: HttpRequest, code: Text, item_id: RecordId) -> Status[None]:
    """Delete an item and its history (If-Match required)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    items.delete_item(_item(project, item_id), if_match(request))
    return Status(204, None)


@router.post("/projects/{code}/items/{item_id}/move", response={200: ItemOut, **WRITE_ERRORS})
def move(
    request: HttpRequest, code: Text, item_id: RecordId, payload: MoveIn, response: HttpResponse
) -> WorkItem:
    """Move a card to a column (and lane); a WIP limit refusal is 422 on ``column``."""
    user = caller(request)
    project, _ = project_for(user, code, Action.EDIT)
    item = _item(project, item_id)
    column = item.board.columns.filter(pk=payload.column_id).first()
    if column is None:
        raise ValidationError({"column_id": "That column is not on the item's board."})
    lane = None
    if payload.lane_id is not None:
        lane = item.board.lanes.filter(pk=payload.lane_id).first()
        if lane is None:
            raise ValidationError({"lane_id": "That lane is not on the item's board."})
    moved = move_item(
        item, Move(column, lane, payload.override_reason), actor=user, version=if_match(request)
    )
    return tagged(response, moved)


@router.get("/projects/{code}/items/{item_id}/moves", response={200: Page[MoveOut], **ERRORS})
def list_moves(
    request: HttpRequest, code: Text, item_id: RecordId, paging: Query[PageQuery]
) -> dict[str, Any]:
    """Every state change of the item, oldest first."""
    project, _ = project_for(caller(request), code)
    moves = _item(project, item_id).moves.select_related("actor").order_by("at", "pk")
    return paginate(moves, paging)


represent_with(WorkItem, ItemOut)
