"""The agile home of a project, a board with drag and drop, and moving a card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.agile.forms import BoardForm
from hitpm.agile.services.board_view import board_grid
from hitpm.agile.services.boards import create_board
from hitpm.agile.services.moves import Move, WipLimitReached, move_item
from hitpm.agile.services.plan_view import linked_epics
from hitpm.agile.views.common import board_for, item_on, page
from hitpm.core.services import StaleVersion
from hitpm.core.views import SignedInRequest, add_service_errors, is_htmx, posted
from hitpm.portfolio.access import Action, project_for


@login_required
@require_http_methods(["GET", "POST"])
def index(request: SignedInRequest, code: str) -> HttpResponse:
    """The project's boards, a new-board form for managers, and agile work against the plan."""
    action = Action.MANAGE if request.method == "POST" else Action.VIEW
    project, role = project_for(request.user, code, action)
    form = BoardForm(posted(request), prefix="board")
    if request.method == "POST" and form.is_valid():
        try:
            board = create_board(project, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Board {board.name} created.")
            return redirect("agile:board", code=project.code, board_id=board.pk)
    boards = project.agile_boards.order_by("name")
    context = {"boards": boards, "form": form, "outlooks": linked_epics(project)}
    return page(request, "agile/index.html", project, role, None, **context)


@login_required
def board(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    """The Kanban board, or the Scrum board of the active sprint."""
    project, role, found = board_for(request, code, board_id)
    return page(request, "agile/board.html", project, role, found, grid=board_grid(found))


@login_required
@require_POST
def move(request: SignedInRequest, code: str, board_id: int, item_id: int) -> HttpResponse:
    """Move a card (drag and drop, or the item page's form). HTMX gets the board back, with
    the refusal and, where the board allows it, a form to override with a reason."""
    project, role, found = board_for(request, code, board_id, Action.EDIT)
    item = item_on(found, item_id)
    column = found.columns.filter(pk=_int(request.POST.get("column")) or 0).first()
    lane = found.lanes.filter(pk=_int(request.POST.get("lane")) or 0).first()
    refusal: WipLimitReached | None = None
    error = ""
    if column is None:
        error = "Choose a column of this board."
    else:
        try:
            move_item(
                item,
                Move(column, lane, request.POST.get("reason", "")),
                actor=request.user,
                version=_int(request.POST.get("version")),
            )
        except WipLimitReached as exc:
            refusal = exc
            error = exc.text
        except StaleVersion as exc:
            error = f"Not moved: {exc}"
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if is_htmx(request):
        context = {
            "grid": board_grid(found),
            "error": error,
            "refusal": refusal,
            "pending": {"item": item, "column": column, "lane": lane},
        }
        return page(request, "agile/_board.html", project, role, found, **context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{item.key} moved to {column}.")
    return redirect("agile:item", code=project.code, board_id=found.pk, item_id=item.pk)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
