"""Board settings: options, and columns (name, workflow category, WIP limit, order)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.agile.forms import BoardEditForm, ColumnForm, LaneForm
from hitpm.agile.models import Board, Swimlane
from hitpm.agile.services import boards
from hitpm.agile.views.common import board_for, page
from hitpm.core.services import StaleVersion, update_fields
from hitpm.core.views import (
    SignedInRequest,
    add_service_errors,
    error_text,
    posted,
    save_form,
)
from hitpm.portfolio.access import Action
from hitpm.portfolio.models import Project


@login_required
@require_http_methods(["GET", "POST"])
def board_settings(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    """Everyone sees the workflow; project managers change it."""
    action = Action.MANAGE if request.method == "POST" else Action.VIEW
    project, role, board = board_for(request, code, board_id, action)
    form = BoardEditForm(posted(request), instance=copy.copy(board))
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        saved, _ = save_form(
            form, lambda: update_fields(type(board), board.pk, form.changes(), version)
        )
        if saved:
            messages.success(request, "Board settings saved.")
            return redirect("agile:settings", code=project.code, board_id=board.pk)
    return _page(request, project, role, board, form, ColumnForm(prefix="new"))


def _page(
    request: SignedInRequest,
    project: Project,
    role: str,
    board: Board,
    form: BoardEditForm,
    new_column: ColumnForm,
) -> HttpResponse:
    columns = [(c, ColumnForm(instance=c, prefix=f"c{c.pk}")) for c in boards.columns_of(board)]
    lanes = [(lane, LaneForm(instance=lane, prefix=f"l{lane.pk}")) for lane in board.lanes.all()]
    context = {
        "form": form,
        "columns": columns,
        "new_column": new_column,
        "lanes": lanes,
        "new_lane": LaneForm(prefix="lane"),
    }
    return page(request, "agile/settings.html", project, role, board, **context)


@login_required
@require_POST
def column_add(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    project, role, board = board_for(request, code, board_id, Action.MANAGE)
    form = ColumnForm(request.POST, prefix="new")
    if form.is_valid():
        data = form.cleaned_data
        try:
            boards.add_column(board, data["name"], data["category"], data["wip_limit"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Column {data['name']} added.")
            return redirect("agile:settings", code=project.code, board_id=board.pk)
    return _page(request, project, role, board, BoardEditForm(instance=board), form)


@login_required
@require_POST
def column_edit(request: SignedInRequest, code: str, board_id: int, column_id: int) -> HttpResponse:
    """Save, move left/right or delete one column (the button pressed says which)."""
    project, _, board = board_for(request, code, board_id, Action.MANAGE)
    column = board.columns.filter(pk=column_id).first()
    if column is None:
        raise Http404("That column is not on this board.")
    form = ColumnForm(request.POST, instance=copy.copy(column), prefix=f"c{column.pk}")
    try:
        if "delete" in request.POST:
            boards.delete_column(column)
        elif "move" in request.POST:
            boards.move_column(column, -1 if request.POST["move"] == "left" else 1)
        elif form.is_valid():
            boards.update_column(column, form.changes(), form.cleaned_data["version"])
        else:
            raise ValidationError(_form_text(form))
    except (ValidationError, StaleVersion) as exc:
        text = error_text(exc)
        messages.error(request, f"Column {column.name} not changed: {text}")
    else:
        messages.success(request, "Columns saved.")
    return redirect("agile:settings", code=project.code, board_id=board.pk)


@login_required
@require_POST
def lane_add(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    project, _, board = board_for(request, code, board_id, Action.MANAGE)
    form = LaneForm(request.POST, prefix="lane")
    if form.is_valid():
        try:
            boards.add_lane(board, form.cleaned_data["name"], form.cleaned_data["wip_limit"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Lane {form.cleaned_data['name']} added.")
    else:
        messages.error(request, _form_text(form))
    return redirect("agile:settings", code=project.code, board_id=board.pk)


@login_required
@require_POST
def lane_edit(request: SignedInRequest, code: str, board_id: int, lane_id: int) -> HttpResponse:
    """Save or delete one lane."""
    project, _, board = board_for(request, code, board_id, Action.MANAGE)
    lane = board.lanes.filter(pk=lane_id).first()
    if lane is None:
        raise Http404("That lane is not on this board.")
    form = LaneForm(request.POST, instance=copy.copy(lane), prefix=f"l{lane.pk}")
    try:
        if "delete" in request.POST:
            boards.delete_lane(lane)
        elif form.is_valid():
            update_fields(Swimlane, lane.pk, form.changes(), form.cleaned_data["version"])
        else:
            raise ValidationError(_form_text(form))
    except (ValidationError, StaleVersion) as exc:
        text = error_text(exc)
        messages.error(request, f"Lane {lane.name} not changed: {text}")
    else:
        messages.success(request, "Lanes saved.")
    return redirect("agile:settings", code=project.code, board_id=board.pk)


def _form_text(form: LaneForm | ColumnForm) -> str:
    return "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
