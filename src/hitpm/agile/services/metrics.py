"""Flow metrics of a board from its move history, computed by :mod:`hitpm.engine.flow`.

The history is read in one query as four columns (item, time, from-column, to-column index)
and handed to the engine; this module only converts and trims the results for the pages and
the API. Times are in the site time zone (UTC by default), as the engine wants naive times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from hitpm.agile.models import Board, Column, ItemMove, WorkItem
from hitpm.agile.services.boards import columns_of, engine_board
from hitpm.engine.board import History
from hitpm.engine.flow import FlowMetrics, flow_metrics


@dataclass(frozen=True)
class BoardFlow:
    """A board's columns and the engine's metrics over its whole history (None: no history)."""

    board: Board
    columns: list[Column]
    metrics: FlowMetrics | None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def naive(moment: dt.datetime) -> dt.datetime:
    """An aware datetime as a naive one in the site time zone (the engine's convention)."""
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def board_history(board: Board, columns: list[Column]) -> History | None:
    """The board's moves as engine arrays (epics left out); None when there are none."""
    index = {c.pk: i for i, c in enumerate(columns)}
    rows = list(
        ItemMove.objects.filter(board=board)
        .exclude(item__kind=WorkItem.Kind.EPIC)
        .values_list("item_id", "at", "from_column_id", "to_column_id")
    )
    if not rows:
        return None
    items, ats, froms, tos = zip(*rows, strict=True)
    tz = timezone.get_current_timezone()
    stamps = [a.astimezone(tz).replace(tzinfo=None) for a in ats]
    return History(
        items=np.fromiter(items, dtype=np.int64, count=len(rows)),
        at=np.array(stamps, dtype="datetime64[s]"),
        to_states=np.fromiter((index[t] for t in tos), dtype=np.int64, count=len(rows)),
        from_states=np.fromiter(
            (index[f] if f is not None else -1 for f in froms), dtype=np.int64, count=len(rows)
        ),
    )


def board_flow(board: Board, as_of: dt.datetime | None = None) -> BoardFlow:
    """Lead and cycle times, CFD, throughput, WIP, percentiles and aging WIP of a board."""
    columns = columns_of(board)
    history = board_history(board, columns)
    if history is None:
        return BoardFlow(board, columns, None)
    moment = naive(as_of or timezone.now())
    latest: dt.datetime = np.asarray(history.at).max().item()
    moment = max(moment, latest)
    return BoardFlow(board, columns, flow_metrics(history, engine_board(columns), as_of=moment))


def weekly(days: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum a daily series into weeks starting on Mondays: (week start dates, totals)."""
    if days.size == 0:
        return days, values
    monday = days - ((days.astype("datetime64[D]").view("int64") - 4) % 7).astype("timedelta64[D]")
    weeks, inverse = np.unique(monday, return_inverse=True)
    return weeks, np.bincount(inverse, weights=values, minlength=weeks.size).astype(np.int64)


def since(metrics: FlowMetrics, days: int) -> int:
    """Index into the per-day series where the last ``days`` days begin."""
    return max(0, metrics.days.size - days)
