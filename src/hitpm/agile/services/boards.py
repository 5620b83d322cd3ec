"""Boards and their columns and lanes: creation with a sensible workflow, and the rules that
keep columns in workflow order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from hitpm.agile.models import Board, Column, ItemMove, Swimlane
from hitpm.core.services import save_validated, update_fields
from hitpm.engine.board import Board as EngineBoard
from hitpm.portfolio.models import Project

TODO, DOING, DONE = Column.Category.TODO, Column.Category.DOING, Column.Category.DONE
CATEGORY_ORDER: dict[str, int] = {TODO: 0, DOING: 1, DONE: 2}

DEFAULT_COLUMNS: dict[str, Sequence[tuple[str, str, int | None]]] = {
    Board.Kind.KANBAN: (
        ("Backlog", TODO, None),
        ("Ready", TODO, 8),
        ("Build", DOING, 4),
        ("Test", DOING, 3),
        ("Validate", DOING, 3),
        ("Done", DONE, None),
    ),
    Board.Kind.SCRUM: (
        ("To do", TODO, None),
        ("In progress", DOING, None),
        ("Review", DOING, None),
        ("Done", DONE, None),
    ),
}
DEFAULT_LANES = (("Expedite (patient safety)", True, 1), ("Standard", False, None))


def create_board(project: Project, **fields: Any) -> Board:
    """A board with the default columns of its kind and an expedite and a standard lane."""
    with transaction.atomic():
        board = save_validated(Board(project=project, **fields))
        for position, (name, category, limit) in enumerate(DEFAULT_COLUMNS[board.kind], 1):
            Column.objects.create(
                board=board, name=name, position=position, category=category, wip_limit=limit
            )
        for position, (name, expedite, limit) in enumerate(DEFAULT_LANES, 1):
            Swimlane.objects.create(
                board=board, name=name, position=position, expedite=expedite, wip_limit=limit
            )
    return board


def columns_of(board: Board) -> list[Column]:
    return list(board.columns.order_by("position"))


def check_workflow(columns: Sequence[Column]) -> None:
    """Columns run not-started, in-progress, done, left to right, with at least one done."""
    categories = [CATEGORY_ORDER[c.category] for c in columns]
    if categories != sorted(categories):
        raise ValidationError(
            "Columns must run from not-started through in-progress to done, left to right; "
            "move the column or change its category."
        )
    if DONE not in {c.category for c in columns}:
        raise ValidationError("A board needs at least one done column.")
    if TODO not in {c.category for c in columns}:
        raise ValidationError("A board needs at least one not-started column for new items.")


def add_column(board: Board, name: str, category: str, wip_limit: int | None) -> Column:
    """A new column placed last in its category's group."""
    with transaction.atomic():
        columns = columns_of(board)
        after = [c for c in columns if CATEGORY_ORDER[c.category] <= CATEGORY_ORDER[category]]
        position = (after[-1].position + 1) if after else 1
        for column in reversed([c for c in columns if c.position >= position]):
            column.position += 1  # highest first, so no two columns ever share a position
            column.save(update_fields=["position"])
        column = save_validated(
            Column(
                board=board, name=name, position=position, category=category, wip_limit=wip_limit
            )
        )
        check_workflow(columns_of(board))
    return column


def update_column(column: Column, changes: dict[str, Any], version: int | None) -> Column:
    """Rename a column, change its category or WIP limit; the workflow order must still hold."""
    with transaction.atomic():
        column = update_fields(Column, column.pk, changes, version)
        check_workflow(columns_of(column.board))
    return column


def move_column(column: Column, offset: int) -> None:
    """Swap a column with its neighbour to the left (-1) or right (+1)."""
    with transaction.atomic():
        columns = columns_of(column.board)
        index = next(i for i, c in enumerate(columns) if c.pk == column.pk)
        other_index = index + offset
        if not 0 <= other_index < len(columns):
            raise ValidationError("The column is already at that end of the board.")
        other = columns[other_index]
        spare = (Column.objects.filter(board=column.board).aggregate(m=Max("position"))["m"]) + 1
        first, second = column.position, other.position
        column.position = spare
        column.save(update_fields=["position"])
        other.position = first
        other.save(update_fields=["position"])
        column.position = second
        column.save(update_fields=["position"])
        check_workflow(columns_of(column.board))


def delete_column(column: Column) -> None:
    """Delete an empty column that no history refers to."""
    if column.items.exists():
        raise ValidationError(f"Column {column.name} still holds cards; move them first.")
    if ItemMove.objects.filter(to_column=column).exists():
        raise ValidationError(
            f"Column {column.name} is part of the board's history (flow metrics need it); "
            "rename it instead."
        )
    with transaction.atomic():
        board = column.board
        column.delete()
        check_workflow(columns_of(board))


def add_lane(board: Board, name: str, wip_limit: int | None) -> Swimlane:
    """A new standard lane below the others (the expedite lane is made with the board)."""
    position = (board.lanes.aggregate(m=Max("position"))["m"] or 0) + 1
    return save_validated(Swimlane(board=board, name=name, position=position, wip_limit=wip_limit))


def delete_lane(lane: Swimlane) -> None:
    """Delete a standard lane; its cards move to the first other standard lane."""
    if lane.expedite:
        raise ValidationError("The expedite lane carries patient-safety defects; it stays.")
    others = lane.board.lanes.filter(expedite=False).exclude(pk=lane.pk).order_by("position")
    target = others.first()
    if target is None:
        raise ValidationError("A board keeps at least one standard lane.")
    with transaction.atomic():
        for item in lane.items.all():
            update_fields(type(item), item.pk, {"lane": target}, None)
        lane.delete()


def engine_board(columns: Sequence[Column]) -> EngineBoard:
    """The engine's view of the board: column names, the first in-progress and first done."""
    names = tuple(c.name for c in columns)
    done = next(c.name for c in columns if c.category == DONE)
    started = next((c.name for c in columns if c.category != TODO), done)
    return EngineBoard(names, started=started, done=done)
