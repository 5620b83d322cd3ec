"""The backlog with drag-to-rank and sprint planning, and the item pages."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.agile.forms import ItemForm
from hitpm.agile.models import Board, ClinicalArea, Sprint, WorkItem
from hitpm.agile.services import backlog_view, items, sprints
from hitpm.agile.services.plan_view import epic_outlook
from hitpm.agile.views.common import board_for, item_on, page
from hitpm.agile.views.sprints import epic_burnup
from hitpm.core.services import StaleVersion
from hitpm.core.views import (
    SignedInRequest,
    add_service_errors,
    confirm_page,
    is_htmx,
    posted,
    save_form,
)
from hitpm.portfolio.access import Action


def _planning_context(request: SignedInRequest, board: Board) -> dict[str, object]:
    query = {k: request.GET.get(k, "") for k in backlog_view.FILTERS}
    return {
        "backlog": backlog_view.backlog_items(board, query),
        "plans": backlog_view.sprint_plans(board) if board.is_scrum else [],
        "query": query,
        "kinds": WorkItem.Kind.choices,
        "clinical_areas": ClinicalArea.choices,
    }


@login_required
def backlog(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    """The ranked backlog; on a Scrum board, the sprints to plan into beside it."""
    project, role, board = board_for(request, code, board_id)
    context = _planning_context(request, board)
    context["epics"] = backlog_view.epic_rows(board)
    context["done"] = backlog_view.done_recently(board)
    return page(request, "agile/backlog.html", project, role, board, **context)


@login_required
@require_POST
def rank(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    """A drop on the planning page: into a sprint (or back to the backlog) and between two
    neighbours. Answers the planning fragment again, with any refusal."""
    project, role, board = board_for(request, code, board_id, Action.EDIT)
    item = item_on(board, request.POST.get("item"))
    error = ""
    try:
        _plan(board, item, request.POST.get("sprint", ""))
        after = _neighbour(board, request.POST.get("after"))
        before = _neighbour(board, request.POST.get("before"))
        if after or before:  # dropped between cards; else the rank is kept
            items.place(WorkItem.objects.get(pk=item.pk), after=after, before=before)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    context = _planning_context(request, board) | {"error": error}
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("agile:backlog", code=project.code, board_id=board.pk)
    return page(request, "agile/_planning.html", project, role, board, **context)


def _plan(board: Board, item: WorkItem, sprint_id: str) -> None:
    if not sprint_id:
        if item.sprint_id is not None:
            sprints.remove_from_sprint(item)
        return
    sprint = Sprint.objects.filter(board=board, pk=int(sprint_id) if sprint_id.isdigit() else 0)
    target = sprint.first()
    if target is None:
        raise ValidationError("That sprint is not on this board.")
    sprints.add_to_sprint(item, target)


def _neighbour(board: Board, value: str | None) -> WorkItem | None:
    return item_on(board, value) if value else None


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: SignedInRequest, code: str, board_id: int, item_id: int) -> HttpResponse:
    """Delete an item and its history (GET asks first, for browsers without JavaScript)."""
    project, _, board = board_for(request, code, board_id, Action.EDIT)
    item = item_on(board, item_id)
    if request.method == "GET":
        return confirm_page(
            request,
            title=f"Delete {item.key}",
            question=f"Delete {item.key} {item.title} and its history of moves?",
            confirm_label="Delete item",
            cancel_url=reverse("agile:item", args=[project.code, board.pk, item.pk]),
        )
    try:
        items.delete_item(item, _version(request))
    except StaleVersion as exc:
        messages.error(request, str(exc))
        return redirect("agile:item", code=project.code, board_id=board.pk, item_id=item.pk)
    messages.success(request, f"{item.key} deleted.")
    return redirect("agile:backlog", code=project.code, board_id=board.pk)


def _version(request: SignedInRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    project, role, board = board_for(request, code, board_id, Action.EDIT)
    form = ItemForm(posted(request), board=board, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        fields = form.changes()
        try:
            item = items.create_item(board, request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{item.key} created.")
            return redirect("agile:backlog", code=project.code, board_id=board.pk)
    return page(request, "agile/item_form.html", project, role, board, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: SignedInRequest, code: str, board_id: int, item_id: int) -> HttpResponse:
    """An item: its fields (editable by team members), its moves and where it can move."""
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role, board = board_for(request, code, board_id, action)
    item = item_on(board, item_id)
    form = ItemForm(posted(request), instance=copy.copy(item), board=board)
    stale = False
    if request.method == "POST" and form.is_valid():
        saved, stale = save_form(
            form, lambda: items.update_item(item, form.changes(), form.cleaned_data["version"])
        )
        if saved:
            messages.success(request, f"{item.key} saved.")
            return redirect("agile:item", code=project.code, board_id=board.pk, item_id=item.pk)
    context = {
        "item": item,
        "form": form,
        "stale": stale,
        "moves": item.moves.select_related("from_column", "to_column", "actor").order_by(
            "at", "pk"
        ),
        "columns": board.columns.order_by("position"),
        "children": item.children.select_related("column").order_by("rank")
        if item.kind == WorkItem.Kind.EPIC
        else [],
        "outlook": epic_outlook(item) if item.kind == WorkItem.Kind.EPIC else None,
        "burnup_chart": epic_burnup(board, item) if item.kind == WorkItem.Kind.EPIC else None,
        "open_sprints": board.sprints.exclude(state=Sprint.State.CLOSED).order_by("start_date"),
    }
    return page(request, "agile/item.html", project, role, board, **context)
