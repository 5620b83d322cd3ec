"""Backlog items: creation (numbered per project, ranked last), edits and priority order."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.agile.models import Board, ItemMove, Swimlane, WorkItem
from hitpm.agile.services import plan_link
from hitpm.agile.services.boards import TODO, columns_of
from hitpm.core.services import lock_current, save_validated, update_fields
from hitpm.portfolio.models import Project

RANK_STEP = 1024
EDITABLE = (
    "kind",
    "title",
    "description",
    "acceptance_criteria",
    "points",
    "labels",
    "assignee",
    "clinical_area",
    "blocked",
    "blocked_reason",
    "patient_safety",
    "epic",
    "plan_task",
    "risk",
    "lane",
)


def clean_labels(raw: str | list[str]) -> list[str]:
    """Labels from a comma-separated text or a list: trimmed, lower-case, unique, in order."""
    parts = raw.split(",") if isinstance(raw, str) else raw
    labels: list[str] = []
    for part in parts:
        label = part.strip().lower()
        if len(label) > 40:
            raise ValidationError({"labels": f"Label {label[:40]!r}... is longer than 40 letters."})
        if label and label not in labels:
            labels.append(label)
    return labels


def expedite_lane(board: Board) -> Swimlane | None:
    return board.lanes.filter(expedite=True).first()


def default_lane(board: Board) -> Swimlane | None:
    return board.lanes.filter(expedite=False).order_by("position").first()


def _lane_for(item: WorkItem) -> Swimlane | None:
    """Patient-safety defects ride the expedite lane; other items keep the lane they were put
    in (a team may expedite other urgent work by dragging it there)."""
    if item.patient_safety:
        return expedite_lane(item.board) or item.lane
    return item.lane or default_lane(item.board)


def create_item(board: Board, actor: User | None, **fields: Any) -> WorkItem:
    """A new item in the board's first column, ranked last; its creation starts its history."""
    now = fields.pop("at", None) or timezone.now()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=board.project_id)
        number = (project.work_items.aggregate(m=Max("number"))["m"] or 0) + 1
        last_rank = board.items.aggregate(m=Max("rank"))["m"] or 0
        first = next(c for c in columns_of(board) if c.category == TODO)
        if "labels" in fields:
            fields["labels"] = clean_labels(fields["labels"])
        item = WorkItem(
            project=project,
            board=board,
            number=number,
            rank=last_rank + RANK_STEP,
            column=first,
            column_entered_at=now,
            **fields,
        )
        item.lane = _lane_for(item)
        save_validated(item)
        ItemMove.objects.create(board=board, item=item, at=now, to_column=first, actor=actor)
        plan_link.item_changed(item)
    return item


def update_item(item: WorkItem, changes: dict[str, Any], version: int | None) -> WorkItem:
    """Edit an item's fields (not its column: that is a move). Unknown fields are refused."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if "labels" in changes:
        changes = {**changes, "labels": clean_labels(changes["labels"])}
    if changes.get("blocked") is False:
        changes = {**changes, "blocked_reason": ""}
    old_epic_id = item.epic_id
    with transaction.atomic():
        updated = update_fields(WorkItem, item.pk, changes, version)
        lane = _lane_for(updated)
        if lane != updated.lane:
            updated = update_fields(WorkItem, updated.pk, {"lane": lane}, None)
        plan_link.item_changed(updated, old_epic_id=old_epic_id)
    return updated


def delete_item(item: WorkItem, version: int | None) -> None:
    """Delete an item and its history; an epic's stories are kept, without an epic."""
    with transaction.atomic():
        current = lock_current(WorkItem, item.pk, version)
        epic_id = current.epic_id
        current.delete()
        if epic_id:
            plan_link.sync_epic(WorkItem.objects.get(pk=epic_id))


def place(item: WorkItem, *, after: WorkItem | None, before: WorkItem | None) -> WorkItem:
    """Rank ``item`` between two neighbours of the same board (either may be None: an end).

    Ranks keep gaps of 1,024 so a move normally changes one row; when a gap is used up the
    board's ranks are spread out again first.
    """
    for neighbour in (after, before):
        if neighbour is not None and (neighbour.board_id != item.board_id or neighbour == item):
            raise ValidationError("Items can only be ranked against other items of the board.")
    with transaction.atomic():
        rank = _rank_between(item.board, after, before)
        if rank is None:
            _respread(item.board)
            after = WorkItem.objects.get(pk=after.pk) if after else None
            before = WorkItem.objects.get(pk=before.pk) if before else None
            rank = _rank_between(item.board, after, before)
        return update_fields(WorkItem, item.pk, {"rank": rank}, None)


def _rank_between(board: Board, after: WorkItem | None, before: WorkItem | None) -> int | None:
    if after is None and before is None:
        return (board.items.aggregate(m=Max("rank"))["m"] or 0) + RANK_STEP
    if after is None:
        assert before is not None
        return before.rank - RANK_STEP
    if before is None:
        return after.rank + RANK_STEP
    low, high = after.rank, before.rank
    if low >= high:
        raise ValidationError("The neighbours given are not in rank order; reload the backlog.")
    if high - low < 2:
        return None
    return (low + high) // 2


def _respread(board: Board) -> None:
    """Give every item of the board a rank a full step from its neighbours (order kept)."""
    items = list(board.items.order_by("rank", "pk").only("pk", "rank"))
    for index, row in enumerate(items, 1):
        row.rank = index * RANK_STEP
    WorkItem.objects.bulk_update(items, ["rank"], batch_size=500)
