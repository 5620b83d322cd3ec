"""What every agile page shares: resolving the board through the access rules, page context."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from hitpm.agile.models import Board, WorkItem
from hitpm.core.views import SignedInRequest
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project


def board_for(
    request: SignedInRequest, code: str, board_id: int, action: Action = Action.VIEW
) -> tuple[Project, str, Board]:
    """The project, the user's role and the board; 404 for strangers and other projects'
    boards, 403 when the role is too low for ``action``."""
    project, role = project_for(request.user, code, action)
    board = Board.objects.filter(project=project, pk=board_id).select_related("project").first()
    if board is None:
        raise Http404(f"Project {project.code} has no board {board_id}.")
    return project, role, board


def item_on(board: Board, item_id: int | str | None) -> WorkItem:
    """An item of the board, or 404."""
    try:
        pk = int(item_id or 0)
    except ValueError:
        pk = 0
    item = board.items.select_related("column", "lane", "sprint", "project").filter(pk=pk).first()
    if item is None:
        raise Http404("That item is not on this board.")
    return item


def page(
    request: HttpRequest,
    template: str,
    project: Project,
    role: str,
    board: Board | None = None,
    **context: Any,
) -> HttpResponse:
    """Render an agile page with the project, role and board every template expects."""
    return render(request, template, {"project": project, "role": role, "board": board, **context})
