"""Moving a card between columns and lanes: WIP limits, overrides, and the history they leave.

A move is refused when it would put more cards in a column than its WIP limit allows (cards
in the expedite lane do not count there; the expedite lane has a limit of its own). On a board
that allows overrides the move goes through when the person gives a reason, which is kept
with the move in the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.agile.models import Column, ItemMove, Swimlane, WorkItem
from hitpm.agile.services import plan_link
from hitpm.agile.services.boards import DONE, TODO
from hitpm.core.services import lock_current, save_validated


class WipLimitReached(ValidationError):
    """The move would break a WIP limit; ``can_override`` when a reason would let it pass."""

    def __init__(self, message: str, *, can_override: bool) -> None:
        super().__init__({"column": message}, code="wip_limit")
        self.can_override = can_override
        self.text = message


@dataclass(frozen=True)
class Move:
    """What a person asked for: the target column, optionally a lane and an override reason."""

    column: Column
    lane: Swimlane | None = None
    override_reason: str = ""


def move_item(
    item: WorkItem,
    move: Move,
    *,
    actor: User | None,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> WorkItem:
    """Put the item in the column (and lane) asked for, enforcing WIP limits; one history row
    per change of column."""
    now = at or timezone.now()
    reason = move.override_reason.strip()
    with transaction.atomic():
        current = lock_current(WorkItem, item.pk, version)
        if move.column.board_id != current.board_id:
            raise ValidationError({"column": "That column is on another board."})
        if current.kind == WorkItem.Kind.EPIC:
            raise ValidationError("Epics are not cards on the board; move their stories.")
        lane = move.lane or current.lane
        if lane is not None and lane.board_id != current.board_id:
            raise ValidationError({"lane": "That lane is on another board."})
        if lane is not None and current.patient_safety and not lane.expedite:
            raise ValidationError(
                {"lane": "Patient-safety defects stay in the expedite lane; clear the flag first."}
            )
        changed_column = move.column.pk != current.column_id
        passed = _check_limits(current, move.column, lane, reason)
        if not changed_column and lane == current.lane:
            return current
        from_column = current.column
        current.column, current.lane = move.column, lane
        if changed_column:
            _stamp(current, move.column, now)
        save_validated(current)
        if changed_column:
            ItemMove.objects.create(
                board_id=current.board_id,
                item=current,
                at=now,
                from_column=from_column,
                to_column=move.column,
                actor=actor,
                wip_override_reason=reason if passed else "",
            )
            plan_link.item_changed(current)
    return current


def _stamp(item: WorkItem, column: Column, now: dt.datetime) -> None:
    """Keep the denormalised timestamps in step with the history rules of the engine."""
    item.column_entered_at = now
    if column.category != TODO and item.started_at is None:
        item.started_at = now
    if column.category == DONE:
        if item.done_at is None:
            item.done_at = now
    else:
        item.done_at = None


def _check_limits(item: WorkItem, column: Column, lane: Swimlane | None, reason: str) -> bool:
    """Raise WipLimitReached unless the move fits; True when it passed only by override."""
    broken = _broken_limit(item, column, lane)
    if broken is None:
        return False
    board = column.board
    if board.allow_wip_override and reason:
        return True
    if board.allow_wip_override:
        raise WipLimitReached(
            f"{broken} Give a reason to go over the limit; it is recorded with the move.",
            can_override=True,
        )
    raise WipLimitReached(
        f"{broken} Finish or move a card out first: this board does not allow overrides.",
        can_override=False,
    )


def _broken_limit(item: WorkItem, column: Column, lane: Swimlane | None) -> str | None:
    """The message for the WIP limit this move would break, or None."""
    if lane is not None and lane.expedite:
        if lane.wip_limit is None or column.category != Column.Category.DOING:
            return None
        in_lane = WorkItem.objects.filter(lane=lane, column__category=Column.Category.DOING)
        count = in_lane.exclude(pk=item.pk).count()
        if count + 1 > lane.wip_limit:
            limit = lane.wip_limit
            return f"The {lane.name} lane already has {count} card(s) in progress (limit {limit})."
        return None
    if column.wip_limit is None or column.pk == item.column_id:
        return None
    cards = column.items.exclude(lane__expedite=True).exclude(pk=item.pk)
    if column.board.is_scrum:  # a Scrum board shows, and limits, one sprint's cards
        cards = cards.filter(sprint=item.sprint_id) if item.sprint_id else cards.none()
    count = cards.count()
    if count + 1 > column.wip_limit:
        return f"Column {column.name} is at its WIP limit ({count} of {column.wip_limit})."
    return None
