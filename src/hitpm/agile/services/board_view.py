"""What the board page shows: a grid of lanes x columns with cards, ages and WIP counts.

Card ages are coloured against the board's cycle-time percentiles (50/85/95) over its history
window, read from the items' start and done dates in one query, so a board of thousands of
cards renders without replaying the whole move history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.db.models import QuerySet
from django.utils import timezone

from hitpm.agile.models import Board, Column, Sprint, Swimlane, WorkItem
from hitpm.agile.services.boards import DONE, TODO, columns_of
from hitpm.agile.services.metrics import naive
from hitpm.engine.flow import cycle_time_percentiles

CARD_FIELDS = (
    "pk",
    "number",
    "kind",
    "title",
    "points",
    "labels",
    "blocked",
    "blocked_reason",
    "patient_safety",
    "column_id",
    "lane_id",
    "started_at",
    "done_at",
    "version",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)
DONE_SHOWN_DAYS = 14


@dataclass
class Cell:
    column: Column
    lane: Swimlane | None
    cards: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Row:
    lane: Swimlane | None
    cells: list[Cell]


@dataclass(frozen=True)
class BoardGrid:
    board: Board
    columns: list[Column]
    rows: list[Row]
    counts: dict[int, int]  # cards per column (expedite lane excluded), for the WIP badges
    percentiles: dict[int, int]
    sprint: Sprint | None

    @property
    def card_count(self) -> int:
        return sum(len(c.cards) for r in self.rows for c in r.cells)


def aging_lines(board: Board, today: dt.date) -> dict[int, int]:
    """50/85/95th percentile cycle times (day counts) of items done in the history window."""
    since = timezone.now() - dt.timedelta(days=board.history_days)
    rows = board.items.filter(done_at__gte=since, started_at__isnull=False).values_list(
        "started_at", "done_at"
    )
    counts = [(naive(d).date() - naive(s).date()).days + 1 for s, d in rows if s and d]
    return cycle_time_percentiles(counts)


def _band(age: int, lines: dict[int, int]) -> int:
    return sum(1 for level in sorted(lines) if age > lines[level])


def _cards(board: Board, sprint: Sprint | None) -> QuerySet[WorkItem]:
    items = board.items.exclude(kind=WorkItem.Kind.EPIC)
    if board.is_scrum:
        items = items.filter(sprint=sprint) if sprint else items.none()
    else:
        recent = timezone.now() - dt.timedelta(days=DONE_SHOWN_DAYS)
        items = items.exclude(column__category=DONE, done_at__lt=recent)
    return items.order_by("rank", "pk")


def board_grid(board: Board, today: dt.date | None = None) -> BoardGrid:
    """The board's cells in lane then column order, cards in rank order."""
    today = today or timezone.localdate()
    columns = columns_of(board)
    lanes: list[Swimlane | None] = list(board.lanes.order_by("position")) or [None]
    sprint = board.sprints.filter(state=Sprint.State.ACTIVE).first() if board.is_scrum else None
    cells = {(lane.pk if lane else None, c.pk): Cell(c, lane) for lane in lanes for c in columns}
    lines = aging_lines(board, today)
    counts = dict.fromkeys((c.pk for c in columns), 0)
    fallback = next((lane.pk for lane in lanes if lane and not lane.expedite), None)
    expedite = {lane.pk for lane in lanes if lane and lane.expedite}
    by_column = {c.pk: c for c in columns}
    for card in _cards(board, sprint).values(*CARD_FIELDS):
        lane_id = card["lane_id"] if (card["lane_id"], card["column_id"]) in cells else fallback
        cell = cells[(lane_id, card["column_id"])]
        started = cast(dt.datetime | None, card["started_at"])
        in_progress = by_column[card["column_id"]].category not in (TODO, DONE)
        age = (today - naive(started).date()).days + 1 if started and in_progress else None
        card["age"] = age
        card["band"] = _band(age, lines) if age is not None else None
        cell.cards.append(card)
        if lane_id not in expedite:
            counts[card["column_id"]] += 1
    rows = [
        Row(lane, [cells[(lane.pk if lane else None, c.pk)] for c in columns]) for lane in lanes
    ]
    return BoardGrid(board, columns, rows, counts, lines, sprint)
