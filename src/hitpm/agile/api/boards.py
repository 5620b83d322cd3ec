"""Boards of a project with their columns and lanes, flow metrics and forecasts."""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router

from hitpm.agile.api.schemas import BoardOut, ForecastLevel, ForecastOut, MetricsOut
from hitpm.agile.models import Board
from hitpm.agile.services import forecasts
from hitpm.agile.services.metrics import board_flow
from hitpm.core.api import (
    ERRORS,
    Page,
    PageQuery,
    RecordId,
    Text,
    caller,
    or_404,
    paginate,
    represent_with,
    tagged,
)
from hitpm.portfolio.access import project_for

router = Router()


def _board(request: HttpRequest, code: str, board_id: int) -> Board:
    project, _ = project_for(caller(request), code)
    board = project.agile_boards.filter(pk=board_id).first()
    return or_404(board, "board", project.code, board_id)


@router.get("/projects/{code}/boards", response={200: Page[BoardOut], **ERRORS})
def list_boards(request: HttpRequest, code: Text, paging: Query[PageQuery]) -> dict[str, Any]:
    """The project's Scrum and Kanban boards with their columns and lanes."""
    project, _ = project_for(caller(request), code)
    return paginate(project.agile_boards.order_by("name", "pk"), paging)


@router.get("/projects/{code}/boards/{board_id}", response={200: BoardOut, **ERRORS})
def get_board(
    request: HttpRequest, code: Text, board_id: RecordId, response: HttpResponse
) -> Board:
    return tagged(response, _board(request, code, board_id))


@router.get("/projects/{code}/boards/{board_id}/metrics", response={200: MetricsOut, **ERRORS})
def metrics(request: HttpRequest, code: Text, board_id: RecordId) -> dict[str, Any]:
    """CFD, throughput and WIP per day, cycle-time percentiles and aging WIP."""
    flow = board_flow(_board(request, code, board_id))
    m = flow.metrics
    if m is None:
        return {
            "as_of": None,
            "columns": flow.names,
            "percentiles": {},
            "finished": 0,
            "in_progress": 0,
            "days": [],
            "cfd": [],
            "throughput": [],
            "wip": [],
            "aging": [],
        }
    aging = [
        {"item_id": int(i), "column": flow.names[c], "age_days": int(a)}
        for i, c, a in zip(m.aging.items, m.aging.columns, m.aging.age_days, strict=True)
    ]
    return {
        "as_of": m.as_of.item().replace(tzinfo=dt.UTC),
        "columns": flow.names,
        "percentiles": m.percentiles,
        "finished": int(m.done_mask.sum()),
        "in_progress": len(aging),
        "days": m.days.astype(object).tolist(),
        "cfd": m.cfd.tolist(),
        "throughput": m.throughput.tolist(),
        "wip": m.wip.tolist(),
        "aging": aging,
    }


@router.get("/projects/{code}/boards/{board_id}/forecast", response={200: ForecastOut, **ERRORS})
def forecast(
    request: HttpRequest,
    code: Text,
    board_id: RecordId,
    items: Annotated[int | None, Field(ge=1, le=100_000)] = None,
    by: dt.date | None = None,
) -> dict[str, Any]:
    """``items=N``: dates by which N more items (Scrum: points) are done; ``by=D``: items done
    by that date. 50/70/85/95 % confidence, 10,000 trials."""
    board = _board(request, code, board_id)
    if items is not None:
        result = (
            forecasts.when_points(board, items)
            if board.is_scrum
            else forecasts.when_items(board, items)
        )
        levels = [
            ForecastLevel(confidence=c, periods=p, date=result.dates.get(c))
            for c, p in result.periods.items()
        ]
        unit = "sprints" if board.is_scrum else "working days"
        return {
            "question": f"when will {items} be done",
            "trials": result.trials,
            "basis": unit,
            "levels": levels,
        }
    if by is not None and not board.is_scrum:
        how = forecasts.items_by(board, by)
        levels = [ForecastLevel(confidence=c, amount=a) for c, a in how.amount.items()]
        return {
            "question": f"how many by {by}",
            "trials": how.trials,
            "basis": "items",
            "levels": levels,
        }
    raise ValidationError({"items": "Give items=N (or, on a Kanban board, by=YYYY-MM-DD)."})


represent_with(Board, BoardOut)
