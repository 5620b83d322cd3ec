"""Scrum charts and the sprint report: burndown, velocity and release burnup.

Burndown of a sprint, for each day: the points in its scope that day (entries added by then and
not yet removed) minus the points of those items finished by the end of that day. Burnup of a
board: at the end of each sprint (or each week without sprints), the points of all items
created by then (scope) and of those done by then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from hitpm.agile.models import Board, Sprint, SprintEntry, WorkItem
from hitpm.agile.services.metrics import naive

ZERO = Decimal(0)


@dataclass(frozen=True)
class Burndown:
    """Per sprint day: remaining points, and the ideal straight line from the commitment."""

    days: list[dt.date]
    remaining: list[float | None]  # None for days still to come
    ideal: list[float]
    scope: list[float | None]


def _day(moment: dt.datetime | None) -> dt.date | None:
    return naive(moment).date() if moment is not None else None


def burndown(sprint: Sprint, today: dt.date | None = None) -> Burndown:
    today = today or timezone.localdate()
    entries = list(sprint.entries.select_related("item"))
    if sprint.state == Sprint.State.PLANNED:
        entries = []
    days = [
        sprint.start_date + dt.timedelta(days=n)
        for n in range((sprint.end_date - sprint.start_date).days + 1)
    ]
    committed = float(sprint.committed_points or 0)
    last = max(len(days) - 1, 1)
    ideal = [committed * (1 - i / last) for i in range(len(days))]
    remaining: list[float | None] = []
    scope: list[float | None] = []
    for day in days:
        if day > today or sprint.state == Sprint.State.PLANNED:
            remaining.append(None)
            scope.append(None)
            continue
        in_scope = [e for e in entries if _in_scope(e, day)]
        total = sum((e.points for e in in_scope), ZERO)
        done = sum((e.points for e in in_scope if _done_by(e.item, day)), ZERO)
        scope.append(float(total))
        remaining.append(float(total - done))
    return Burndown(days, remaining, ideal, scope)


def _in_scope(entry: SprintEntry, day: dt.date) -> bool:
    added = _day(entry.added_at)
    removed = _day(entry.removed_at)
    return added is not None and added <= day and (removed is None or removed > day)


def _done_by(item: WorkItem, day: dt.date) -> bool:
    done = _day(item.done_at)
    return done is not None and done <= day


@dataclass(frozen=True)
class VelocityRow:
    sprint: Sprint
    committed: float
    completed: float


def velocity_rows(board: Board, last: int = 12) -> list[VelocityRow]:
    """Committed vs completed points of the last ``last`` closed sprints, oldest first."""
    closed = board.sprints.filter(state=Sprint.State.CLOSED).order_by("-start_date")[:last]
    return [
        VelocityRow(s, float(s.committed_points or 0), float(s.completed_points or 0))
        for s in reversed(closed)
    ]


@dataclass(frozen=True)
class Burnup:
    """Scope and done points at each checkpoint (sprint ends, or Mondays without sprints)."""

    dates: list[dt.date]
    scope: list[float]
    done: list[float]


def burnup(board: Board, epic: WorkItem | None = None, today: dt.date | None = None) -> Burnup:
    """Release burnup of the board, or of one epic's items."""
    today = today or timezone.localdate()
    items = board.items.exclude(kind=WorkItem.Kind.EPIC)
    if epic is not None:
        items = items.filter(epic=epic)
    values = items.annotate(created=Min("moves__at")).values_list("created", "done_at", "points")
    rows = [(_day(c), _day(d), p or ZERO) for c, d, p in values]
    dates = [s.end_date for s in board.sprints.order_by("end_date") if s.end_date <= today]
    if not dates and rows:
        first = min(r[0] for r in rows if r[0] is not None)
        monday = first - dt.timedelta(days=first.weekday())
        dates = [monday + dt.timedelta(weeks=w) for w in range((today - monday).days // 7 + 1)]
    if dates and dates[-1] < today:
        dates.append(today)
    scope = [float(sum((p for c, _, p in rows if c and c <= d), ZERO)) for d in dates]
    done = [float(sum((p for _, f, p in rows if f and f <= d), ZERO)) for d in dates]
    return Burnup(dates, scope, done)


@dataclass(frozen=True)
class SprintReport:
    """What the sprint committed, added, finished and left unfinished."""

    sprint: Sprint
    committed: list[SprintEntry]
    added: list[SprintEntry]
    completed: list[SprintEntry]
    not_completed: list[SprintEntry]
    removed: list[SprintEntry]


def sprint_report(sprint: Sprint) -> SprintReport:
    entries = list(sprint.entries.select_related("item", "item__column", "item__assignee"))
    done = [e for e in entries if e.outcome == "" and e.item.column.is_done]
    left = ("", SprintEntry.Outcome.TO_BACKLOG, SprintEntry.Outcome.TO_SPRINT)
    open_ = [e for e in entries if e.outcome in left and e not in done]
    return SprintReport(
        sprint=sprint,
        committed=[e for e in entries if e.committed],
        added=[e for e in entries if not e.committed],
        completed=done,
        not_completed=open_,
        removed=[e for e in entries if e.outcome == SprintEntry.Outcome.REMOVED],
    )
