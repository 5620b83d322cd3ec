"""Monte Carlo forecasts of a board by :mod:`hitpm.engine.forecast`.

Kanban: daily throughput over the board's history window (zero days included, weekends left
out for Monday-to-Friday teams) answers "when will N items be done" and "how many by date D".
Scrum: the velocities of the closed sprints answer the same in points and sprints. The seed is
fixed per board, so a page shows the same answer on every reload until the history changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.utils import timezone

from hitpm.agile.models import Board, Sprint
from hitpm.agile.services.metrics import board_flow
from hitpm.agile.services.sprints import workdays
from hitpm.engine.board import FlowError
from hitpm.engine.forecast import (
    HowManyForecast,
    ThroughputHistory,
    WhenForecast,
    daily_throughput,
    forecast_how_many,
    forecast_items_by,
    forecast_items_when,
    forecast_when,
    sprint_ends,
)

TRIALS = 10_000
MIN_SPRINTS = 3


def _seed(board: Board) -> int:
    return 7_919 * board.pk


def throughput(board: Board, today: dt.date | None = None) -> ThroughputHistory:
    """Items finished per working day over the board's history window, ending yesterday."""
    end = (today or timezone.localdate()) - dt.timedelta(days=1)
    flow = board_flow(board)
    metrics = flow.metrics
    done = np.array([], dtype="datetime64[D]")
    if metrics is not None:
        done = metrics.done[metrics.done_mask].astype("datetime64[D]")
    first = end - dt.timedelta(days=board.history_days - 1)
    try:
        return daily_throughput(done, first=first, last=end, workdays=workdays(board))
    except FlowError as exc:
        raise ValidationError(str(exc)) from exc


def _needs_finished(history: ThroughputHistory) -> None:
    if history.total == 0:
        raise ValidationError(
            f"No items were finished between {history.start} and {history.end}; a forecast "
            "needs some finished work in the history window (widen it in the board settings)."
        )


def when_items(board: Board, items: int, today: dt.date | None = None) -> WhenForecast:
    """Dates by which ``items`` more items are done, starting today."""
    if items < 1:
        raise ValidationError({"items": "Forecast at least one item."})
    start = today or timezone.localdate()
    history = throughput(board, start)
    _needs_finished(history)
    return forecast_items_when(
        history, items, start, workdays=workdays(board), trials=TRIALS, seed=_seed(board)
    )


def items_by(board: Board, by: dt.date, today: dt.date | None = None) -> HowManyForecast:
    """Items finished from today through ``by``."""
    start = today or timezone.localdate()
    if by < start:
        raise ValidationError({"by": f"Pick a date from today ({start}) on."})
    history = throughput(board, start)
    _needs_finished(history)
    return forecast_items_by(
        history, start, by, workdays=workdays(board), trials=TRIALS, seed=_seed(board)
    )


@dataclass(frozen=True)
class Velocity:
    """Completed points of the closed sprints, oldest first, and when the next sprint starts."""

    sprints: list[Sprint]
    points: list[float]
    next_start: dt.date


def velocity(board: Board, today: dt.date | None = None) -> Velocity:
    closed = list(board.sprints.filter(state=Sprint.State.CLOSED).order_by("start_date"))
    following = board.sprints.exclude(state=Sprint.State.CLOSED).order_by("start_date").first()
    if following is not None:
        next_start = following.end_date + dt.timedelta(days=1)
        if following.state == Sprint.State.PLANNED:
            next_start = following.start_date
    elif closed:
        next_start = closed[-1].end_date + dt.timedelta(days=1)
    else:
        next_start = today or timezone.localdate()
    return Velocity(closed, [float(s.completed_points or 0) for s in closed], next_start)


def _velocities(board: Board) -> Velocity:
    found = velocity(board)
    if len(found.points) < MIN_SPRINTS:
        raise ValidationError(
            f"A velocity forecast needs at least {MIN_SPRINTS} closed sprints; "
            f"this board has {len(found.points)}."
        )
    return found


def when_points(board: Board, points: float) -> WhenForecast:
    """Sprints (and their end dates) needed for ``points`` more points, from velocity."""
    if points <= 0:
        raise ValidationError({"points": "Forecast a positive number of points."})
    found = _velocities(board)
    ends = sprint_ends(found.next_start, board.sprint_days)
    return forecast_when(found.points, points, trials=TRIALS, seed=_seed(board), period_end=ends)


def points_in(board: Board, sprints: int) -> HowManyForecast:
    """Points done in the next ``sprints`` sprints, from velocity."""
    if sprints < 1:
        raise ValidationError({"sprints": "Forecast at least one sprint."})
    found = _velocities(board)
    return forecast_how_many(found.points, sprints, trials=TRIALS, seed=_seed(board))
