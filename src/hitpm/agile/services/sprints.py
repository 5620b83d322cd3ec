"""Sprints: planning with a capacity meter, starting, closing and where unfinished work goes.

Rules: one active sprint per board; a sprint starts only when planned, holding at least one
item; closing is only for the active sprint. At close, items not in a done column leave the
sprint, either back to the backlog or into a planned sprint of the same board, and the sprint
keeps what it committed and what it completed (velocity).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from hitpm.agile.models import Board, Column, Sprint, SprintEntry, SprintMember, WorkItem
from hitpm.core.services import lock_current, save_validated, update_fields
from hitpm.engine.forecast import WorkDays

ZERO = Decimal(0)


def workdays(board: Board) -> WorkDays:
    return WorkDays.weekdays() if board.weekdays_only else WorkDays()


def create_sprint(board: Board, **fields: Any) -> Sprint:
    if not board.is_scrum:
        raise ValidationError("Sprints belong to Scrum boards; this is a Kanban board.")
    return save_validated(Sprint(board=board, **fields))


def next_sprint(board: Board, today: dt.date | None = None) -> dict[str, Any]:
    """Name and dates suggested for a new sprint: right after the last one, the usual length."""
    last = board.sprints.order_by("-end_date").first()
    start = last.end_date + dt.timedelta(days=1) if last else (today or timezone.localdate())
    number = board.sprints.count() + 1
    prefix = last.name.rstrip("0123456789").strip() if last else "Sprint"
    return {
        "name": f"{prefix or 'Sprint'} {number}",
        "start_date": start,
        "end_date": start + dt.timedelta(days=board.sprint_days - 1),
    }


@dataclass(frozen=True)
class PersonCapacity:
    """One person's working days in the sprint after allocation and time off."""

    member: SprintMember
    person_days: Decimal
    points: Decimal


@dataclass(frozen=True)
class Capacity:
    """The team's capacity against what is planned: the capacity meter."""

    working_days: int
    people: list[PersonCapacity]
    planned_points: Decimal
    unestimated: int

    @property
    def person_days(self) -> Decimal:
        return sum((p.person_days for p in self.people), ZERO)

    @property
    def points(self) -> Decimal:
        return sum((p.points for p in self.people), ZERO)

    @property
    def load_percent(self) -> int:
        """Planned points as a share of capacity (0 when there is no capacity)."""
        return round(self.planned_points * 100 / self.points) if self.points else 0

    @property
    def over(self) -> bool:
        return self.planned_points > self.points


def capacity(sprint: Sprint) -> Capacity:
    """Per person: working days x allocation - days off, times the board's points per day."""
    board = sprint.board
    days = workdays(board).count(sprint.start_date, sprint.end_date)
    people = []
    for member in sprint.members.select_related("user"):
        share = Decimal(days) * member.allocation_percent / 100 - member.days_off
        person_days = max(ZERO, share).quantize(Decimal("0.1"))
        people.append(PersonCapacity(member, person_days, person_days * board.points_per_day))
    items = sprint.items.all()
    planned = items.aggregate(p=Sum("points"))["p"] or ZERO
    return Capacity(days, people, planned, items.filter(points__isnull=True).count())


def set_member(sprint: Sprint, user: Any, allocation_percent: int, days_off: Decimal) -> None:
    """Add a person to the sprint's capacity, or change their allocation and time off."""
    if sprint.state == Sprint.State.CLOSED:
        raise ValidationError("The sprint is closed; its capacity is history.")
    member = sprint.members.filter(user=user).first() or SprintMember(sprint=sprint, user=user)
    member.allocation_percent, member.days_off = allocation_percent, days_off
    save_validated(member)


def _entry(sprint: Sprint, item: WorkItem, now: dt.datetime, committed: bool) -> SprintEntry:
    return SprintEntry.objects.create(
        sprint=sprint, item=item, points=item.points or ZERO, committed=committed, added_at=now
    )


def _close_entry(item: WorkItem, now: dt.datetime, outcome: str) -> None:
    SprintEntry.objects.filter(item=item, sprint=item.sprint, removed_at=None).update(
        removed_at=now, outcome=outcome
    )


def add_to_sprint(item: WorkItem, sprint: Sprint, version: int | None = None) -> WorkItem:
    """Plan an item into a planned or active sprint (an addition counts as scope change)."""
    now = timezone.now()
    with transaction.atomic():
        sprint = Sprint.objects.select_for_update().get(pk=sprint.pk)
        if sprint.state == Sprint.State.CLOSED:
            raise ValidationError({"sprint": f"{sprint.name} is closed; plan into a later sprint."})
        if item.kind == WorkItem.Kind.EPIC:
            raise ValidationError(
                {"sprint": "Epics are not planned into sprints; plan their stories."}
            )
        current = lock_current(WorkItem, item.pk, version)
        if current.sprint_id == sprint.pk:
            return current
        if current.sprint_id is not None:
            _close_entry(current, now, SprintEntry.Outcome.REMOVED)
        current = update_fields(WorkItem, current.pk, {"sprint": sprint}, None)
        if sprint.state == Sprint.State.ACTIVE:
            _entry(sprint, current, now, committed=False)
    return current


def remove_from_sprint(item: WorkItem, version: int | None = None) -> WorkItem:
    """Take an item out of its sprint, back to the backlog."""
    with transaction.atomic():
        current = lock_current(WorkItem, item.pk, version)
        if current.sprint is None:
            return current
        if current.sprint.state == Sprint.State.CLOSED:
            raise ValidationError({"sprint": "The item's sprint is closed; it stays in history."})
        _close_entry(current, timezone.now(), SprintEntry.Outcome.REMOVED)
        return update_fields(WorkItem, current.pk, {"sprint": None}, None)


def start_sprint(
    sprint: Sprint, version: int | None = None, at: dt.datetime | None = None
) -> Sprint:
    """Start a planned sprint: fix its commitment (items and points in it now)."""
    now = at or timezone.now()
    with transaction.atomic():
        current = lock_current(Sprint, sprint.pk, version)
        if current.state != Sprint.State.PLANNED:
            raise ValidationError(
                f"{current.name} is {current.get_state_display().lower()}; "
                "only a planned sprint can start."
            )
        active = current.board.sprints.filter(state=Sprint.State.ACTIVE).first()
        if active is not None:
            raise ValidationError(
                f"{active.name} is still active; close it before starting {current.name}."
            )
        items = list(current.items.all())
        if not items:
            raise ValidationError(f"{current.name} has no items; plan some from the backlog first.")
        for item in items:
            _entry(current, item, now, committed=True)
        current.state = Sprint.State.ACTIVE
        current.started_at = now
        current.committed_items = len(items)
        current.committed_points = sum((i.points or ZERO for i in items), ZERO)
        return save_validated(current)


def close_sprint(
    sprint: Sprint,
    *,
    unfinished_to: Sprint | None = None,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Sprint:
    """Close the active sprint; unfinished items go to ``unfinished_to`` or the backlog."""
    now = at or timezone.now()
    with transaction.atomic():
        current = lock_current(Sprint, sprint.pk, version)
        if current.state != Sprint.State.ACTIVE:
            raise ValidationError(
                f"{current.name} is not active; only the active sprint can close."
            )
        if unfinished_to is not None:
            _check_target(current, unfinished_to)
        done = current.items.filter(column__category=Column.Category.DONE)
        outcome = SprintEntry.Outcome.TO_SPRINT if unfinished_to else SprintEntry.Outcome.TO_BACKLOG
        for item in current.items.exclude(column__category=Column.Category.DONE):
            _close_entry(item, now, outcome)
            update_fields(WorkItem, item.pk, {"sprint": unfinished_to}, None)
        current.completed_items = done.count()
        current.completed_points = done.aggregate(p=Sum("points"))["p"] or ZERO
        current.state = Sprint.State.CLOSED
        current.closed_at = now
        return save_validated(current)


def _check_target(sprint: Sprint, target: Sprint) -> None:
    if target.board_id != sprint.board_id:
        raise ValidationError({"unfinished_to": "The next sprint must be on the same board."})
    if target.state != Sprint.State.PLANNED or target.pk == sprint.pk:
        raise ValidationError({"unfinished_to": f"{target.name} is not a planned sprint."})


def backlog(board: Board) -> Any:
    """Items not in a sprint and not done, in rank order (epics left out)."""
    return (
        board.items.filter(sprint__isnull=True)
        .exclude(kind=WorkItem.Kind.EPIC)
        .exclude(column__category=Column.Category.DONE)
        .select_related("assignee", "epic", "column")
        .order_by("rank", "pk")
    )
