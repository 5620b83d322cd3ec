"""Flow metrics and forecast pages of a board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from hitpm.agile.forms import ForecastForm
from hitpm.agile.services import chart_data, forecasts
from hitpm.agile.views.common import board_for, page
from hitpm.agile.views.sprints import burnup_chart, velocity_chart
from hitpm.core.views import SignedInRequest, add_service_errors


@login_required
def metrics(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    """CFD, cycle-time scatter, aging WIP, throughput, lead time and WIP over time."""
    project, role, board = board_for(request, code, board_id)
    days = request.GET.get("days", "")
    window = int(days) if days.isdigit() and 7 <= int(days) <= 1000 else board.history_days
    context = {"flow": chart_data.flow_page(board, window), "window": window}
    if board.is_scrum:
        context |= {"velocity_chart": velocity_chart(board), "burnup_chart": burnup_chart(board)}
    return page(request, "agile/metrics.html", project, role, board, **context)


@login_required
def forecast(request: SignedInRequest, code: str, board_id: int) -> HttpResponse:
    """ "When will N be done" and "how many by date D", from throughput or velocity."""
    project, role, board = board_for(request, code, board_id)
    form = ForecastForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = chart_data.forecast_view(board, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {"form": form, "result": result, "history": _history(board)}
    return page(request, "agile/forecast.html", project, role, board, **context)


def _history(board: object) -> object:
    try:
        return forecasts.throughput(board)  # type: ignore[arg-type]
    except ValidationError:
        return None
