"""Boards, items and moves at chosen times, for the agile tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hitpm.accounts.models import User
from hitpm.agile.models import Board, Column, WorkItem
from hitpm.agile.services.boards import create_board
from hitpm.agile.services.items import create_item
from hitpm.agile.services.moves import Move, move_item
from hitpm.portfolio.models import Project


def when(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    """An aware UTC moment in March 2027 (a Monday is the 1st)."""
    return dt.datetime(2027, month, day, hour, tzinfo=dt.UTC)


def board_for(project: Project, kind: str = Board.Kind.KANBAN, **fields: Any) -> Board:
    return create_board(project, name=fields.pop("name", f"{kind} team"), kind=kind, **fields)


def column(board: Board, name: str) -> Column:
    return board.columns.get(name=name)


def item(
    board: Board, title: str = "Story", at: dt.datetime | None = None, **fields: Any
) -> WorkItem:
    return create_item(board, None, title=title, at=at or when(1), **fields)


def move(
    work: WorkItem,
    name: str,
    at: dt.datetime | None = None,
    reason: str = "",
    actor: User | None = None,
) -> WorkItem:
    target = column(work.board, name)
    return move_item(work, Move(target, override_reason=reason), actor=actor, at=at)
