"""What the backlog and sprint-planning page shows: the ranked backlog, planned sprints with
their capacity meters, and the epics with their progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hitpm.agile.models import Board, Column, Sprint, WorkItem
from hitpm.agile.services.plan_link import EpicProgress, epic_progress
from hitpm.agile.services.sprints import Capacity, backlog, capacity

FILTERS = ("kind", "clinical_area", "assignee", "label", "blocked")


@dataclass(frozen=True)
class SprintPlan:
    sprint: Sprint
    items: list[WorkItem]
    capacity: Capacity


@dataclass(frozen=True)
class EpicRow:
    epic: WorkItem
    progress: EpicProgress


def filtered(items: QuerySet[WorkItem], query: dict[str, Any]) -> QuerySet[WorkItem]:
    """The backlog narrowed by the page's filters (unknown values match nothing)."""
    if query.get("kind"):
        items = items.filter(kind=query["kind"])
    if query.get("clinical_area"):
        items = items.filter(clinical_area=query["clinical_area"])
    if query.get("assignee"):
        items = items.filter(assignee__username=query["assignee"])
    if query.get("label"):
        items = items.filter(labels__contains=[query["label"]]) if _json_contains() else items
    if query.get("blocked") == "yes":
        items = items.filter(blocked=True)
    return items


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def backlog_items(board: Board, query: dict[str, Any]) -> list[WorkItem]:
    items = filtered(backlog(board), query)
    if query.get("label") and not _json_contains():
        return [i for i in items if query["label"] in i.labels]
    return list(items)


def sprint_plans(board: Board) -> list[SprintPlan]:
    """The active and planned sprints, soonest first, with their items and capacity."""
    open_sprints = board.sprints.exclude(state=Sprint.State.CLOSED).order_by("start_date", "pk")
    return [
        SprintPlan(
            s,
            list(s.items.select_related("assignee", "column").order_by("rank", "pk")),
            capacity(s),
        )
        for s in open_sprints
    ]


def epic_rows(board: Board) -> list[EpicRow]:
    epics = board.items.filter(kind=WorkItem.Kind.EPIC).select_related("plan_task")
    return [EpicRow(e, epic_progress(e)) for e in epics.order_by("rank", "pk")]


def done_recently(board: Board, limit: int = 20) -> list[WorkItem]:
    items = board.items.filter(column__category=Column.Category.DONE).exclude(
        kind=WorkItem.Kind.EPIC
    )
    return list(items.order_by("-done_at")[:limit])
