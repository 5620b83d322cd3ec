"""Epics linked to plan tasks: the task's percent complete follows the epic's done points.

The percent is written with the shared ``update_fields`` service, so the change lands in the
plan task's audit trail like any other edit, attributed to whoever moved the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from hitpm.agile.models import Column, WorkItem
from hitpm.core.services import update_fields
from hitpm.planning.models import Task

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class EpicProgress:
    """Done and total points of an epic's items (item counts when nothing is estimated)."""

    done_points: Decimal
    total_points: Decimal
    done_items: int
    total_items: int

    @property
    def by_points(self) -> bool:
        return self.total_points > 0

    @property
    def percent(self) -> Decimal:
        """Share done, to two decimals, by points when the epic's items are estimated."""
        done, total = (
            (self.done_points, self.total_points)
            if self.by_points
            else (Decimal(self.done_items), Decimal(self.total_items))
        )
        if total == 0:
            return Decimal("0.00")
        return (done * HUNDRED / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def remaining_items(self) -> int:
        return self.total_items - self.done_items

    @property
    def remaining_points(self) -> Decimal:
        return self.total_points - self.done_points


def epic_progress(epic: WorkItem) -> EpicProgress:
    """Progress of an epic from its child items, in one query."""
    done = Q(column__category=Column.Category.DONE)
    row = epic.children.aggregate(
        total_points=Sum("points"),
        done_points=Sum("points", filter=done),
        total_items=Count("pk"),
        done_items=Count("pk", filter=done),
    )
    return EpicProgress(
        done_points=row["done_points"] or Decimal(0),
        total_points=row["total_points"] or Decimal(0),
        done_items=row["done_items"],
        total_items=row["total_items"],
    )


def sync_epic(epic: WorkItem) -> None:
    """Write the epic's percent done into its linked plan task, when it changed."""
    if epic.plan_task_id is None:
        return
    percent = epic_progress(epic).percent
    task = Task.objects.only("percent_complete").get(pk=epic.plan_task_id)
    if task.percent_complete != percent:
        update_fields(Task, task.pk, {"percent_complete": percent}, None)


def item_changed(item: WorkItem, *, old_epic_id: int | None = None) -> None:
    """Re-sync the plan tasks of the epics an item change touches (its epic, a former epic,
    or the item itself when it is an epic that was just linked)."""
    epic_ids = {i for i in (item.epic_id, old_epic_id) if i is not None}
    if item.kind == WorkItem.Kind.EPIC:
        epic_ids.add(item.pk)
    for epic in WorkItem.objects.filter(pk__in=epic_ids, plan_task__isnull=False):
        sync_epic(epic)
