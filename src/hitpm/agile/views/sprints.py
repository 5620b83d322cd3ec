"""Sprints of a Scrum board: list and create, the sprint report with burndown and capacity,
start and close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.agile import charts
from hitpm.agile.forms import CapacityForm, CloseSprintForm, SprintForm
from hitpm.agile.models import Board, Sprint, WorkItem
from hitpm.agile.services import scrum, sprints
from hitpm.agile.views.common import board_for, page
from hitpm.core.services import StaleVersion
from hitpm.core.views import SignedInRequest, add_service_errors, error_text, posted
from hitpm.portfolio.access import Action
from hitpm.portfolio.models import Project


def _sprint(board: Board, sprint_id: int) -> Sprint:
    sprint = board.sprints.filter(pk=sprint_id).first()
    if sprint is None:
        raise Http404("That sprint is not on this board.")
    return sprint


def velocity_chart(board: Board) -> object:
    rows = scrum.velocity_rows(board)
    return charts.bar_chart(
        "Velocity: committed and completed points per sprint",
        [r.sprint.name for r in rows],
        [
            charts.Series("Committed", [r.committed for r in rows], color="#9fb3c8"),
            charts.Series("Completed", [r.completed for r in rows], color="#2e8540"),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def sprint_list(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role, board = board_for(request, code, board_id, action)
    form = SprintForm(posted(request), initial=sprints.next_sprint(board))
    if request.method == "POST" and form.is_valid():
        try:
            sprint = sprints.create_sprint(board, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{sprint.name} created; plan it from the backlog.")
            return redirect("agile:sprints", code=project.code, board_id=board.pk)
    context = {
        "sprints": board.sprints.order_by("-start_date"),
        "form": form,
        "velocity": scrum.velocity_rows(board),
        "velocity_chart": velocity_chart(board),
        "burnup_chart": burnup_chart(board),
    }
    return page(request, "agile/sprints.html", project, role, board, **context)


def burnup_chart(board: Board) -> object:
    return _burnup(board, None, "Release burnup: scope and done points")


def epic_burnup(board: Board, epic: WorkItem) -> object:
    return _burnup(board, epic, f"Burnup of {epic.key}: scope and done points")


def _burnup(board: Board, epic: WorkItem | None, title: str) -> object:
    burnup = scrum.burnup(board, epic)
    return charts.line_chart(
        title,
        [d.strftime("%d %b") for d in burnup.dates],
        [
            charts.Series("Scope", burnup.scope, color="#5b6b7a", dashed=True),
            charts.Series("Done", burnup.done, color="#2e8540"),
        ],
    )


@login_required
def sprint_detail(
    request: SignedInRequest, code: str, board_id: int, sprint_id: int
) -> HttpResponse:
    project, role, board = board_for(request, code, board_id)
    sprint = _sprint(board, sprint_id)
    return _detail(request, project, role, board, sprint, CapacityForm(project=project))


def _detail(
    request: SignedInRequest,
    project: Project,
    role: str,
    board: Board,
    sprint: Sprint,
    capacity_form: CapacityForm,
    close_form: CloseSprintForm | None = None,
) -> HttpResponse:
    burndown = scrum.burndown(sprint)
    chart = charts.line_chart(
        f"Burndown of {sprint.name}",
        [d.strftime("%d %b") for d in burndown.days],
        [
            charts.Series("Remaining", burndown.remaining, color="#1f5fa8"),
            charts.Series("Ideal", burndown.ideal, dashed=True, color="#9fb3c8"),
            charts.Series("Scope", burndown.scope, dashed=True, color="#d9822b"),
        ],
    )
    context = {
        "sprint": sprint,
        "report": scrum.sprint_report(sprint),
        "burndown": burndown,
        "burndown_chart": chart,
        "capacity": sprints.capacity(sprint),
        "capacity_form": capacity_form,
        "close_form": close_form or CloseSprintForm(sprint=sprint),
    }
    return page(request, "agile/sprint.html", project, role, board, **context)


@login_required
@require_POST
def start(request: SignedInRequest, code: str, board_id: int, sprint_id: int) -> HttpResponse:
    project, _, board = board_for(request, code, board_id, Action.EDIT)
    sprint = _sprint(board, sprint_id)
    try:
        sprints.start_sprint(sprint, _version(request))
    except (ValidationError, StaleVersion) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"{sprint.name} started.")
    return redirect("agile:sprint", code=project.code, board_id=board.pk, sprint_id=sprint.pk)


@login_required
@require_POST
def close(request: SignedInRequest, code: str, board_id: int, sprint_id: int) -> HttpResponse:
    project, role, board = board_for(request, code, board_id, Action.EDIT)
    sprint = _sprint(board, sprint_id)
    form = CloseSprintForm(request.POST, sprint=sprint)
    if not form.is_valid():
        return _detail(request, project, role, board, sprint, CapacityForm(project=project), form)
    try:
        sprints.close_sprint(
            sprint, unfinished_to=form.cleaned_data["unfinished_to"], version=_version(request)
        )
    except (ValidationError, StaleVersion) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"{sprint.name} closed.")
    return redirect("agile:sprint", code=project.code, board_id=board.pk, sprint_id=sprint.pk)


@login_required
@require_POST
def capacity(request: SignedInRequest, code: str, board_id: int, sprint_id: int) -> HttpResponse:
    project, role, board = board_for(request, code, board_id, Action.EDIT)
    sprint = _sprint(board, sprint_id)
    form = CapacityForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sprints.set_member(sprint, data["user"], data["allocation_percent"], data["days_off"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Capacity of {data['user']} saved.")
            return redirect(
                "agile:sprint", code=project.code, board_id=board.pk, sprint_id=sprint.pk
            )
    return _detail(request, project, role, board, sprint, form)


def _version(request: SignedInRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None
