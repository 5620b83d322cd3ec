"""Input and output schemas of the agile API."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, FilterLookup, Schema

from hitpm.agile.models import Board, ClinicalArea, Column, ItemMove, WorkItem
from hitpm.core.api import Filters, InputSchema, RecordId

Points = Annotated[Decimal, Field(ge=0, le=9999, decimal_places=1)]


class ColumnOut(Schema):
    id: int
    version: int
    name: str
    position: int
    category: Column.Category
    wip_limit: int | None


class LaneOut(Schema):
    id: int
    name: str
    position: int
    expedite: bool
    wip_limit: int | None


class BoardOut(Schema):
    id: int
    version: int
    name: str
    kind: Board.Kind
    allow_wip_override: bool
    points_per_day: Decimal
    sprint_days: int
    history_days: int
    weekdays_only: bool
    columns: list[ColumnOut]
    lanes: list[LaneOut]

    @staticmethod
    def resolve_columns(board: Board) -> list[Column]:
        return list(board.columns.order_by("position"))

    @staticmethod
    def resolve_lanes(board: Board) -> list[object]:
        return list(board.lanes.order_by("position"))


class ItemOut(Schema):
    id: int
    version: int
    key: str
    board_id: int
    kind: WorkItem.Kind
    title: str
    description: str
    acceptance_criteria: str
    points: Decimal | None
    rank: int
    labels: list[str]
    assignee: str | None
    clinical_area: ClinicalArea
    blocked: bool
    blocked_reason: str
    patient_safety: bool
    epic_id: int | None
    plan_task_id: int | None
    risk_id: int | None
    column_id: int
    lane_id: int | None
    sprint_id: int | None
    column_entered_at: dt.datetime
    started_at: dt.datetime | None
    done_at: dt.datetime | None

    @staticmethod
    def resolve_assignee(item: WorkItem) -> str | None:
        return item.assignee.get_username() if item.assignee else None


class ItemIn(InputSchema):
    board_id: RecordId
    kind: WorkItem.Kind = WorkItem.Kind.STORY
    title: Annotated[str, Field(min_length=1, max_length=255)]
    description: str = ""
    acceptance_criteria: str = ""
    points: Points | None = None
    labels: list[Annotated[str, Field(max_length=40)]] = []
    assignee: str | None = Field(None, description="Username of a project member.")
    clinical_area: ClinicalArea = ClinicalArea.GENERAL
    blocked: bool = False
    blocked_reason: Annotated[str, Field(max_length=255)] = ""
    patient_safety: bool = False
    epic_id: RecordId | None = None
    plan_task_id: RecordId | None = None
    risk_id: RecordId | None = None


class ItemChange(InputSchema):
    kind: WorkItem.Kind
    title: Annotated[str, Field(min_length=1, max_length=255)]
    description: str
    acceptance_criteria: str
    points: Points | None = None
    labels: list[Annotated[str, Field(max_length=40)]]
    assignee: str | None = None
    clinical_area: ClinicalArea
    blocked: bool
    blocked_reason: Annotated[str, Field(max_length=255)]
    patient_safety: bool
    epic_id: RecordId | None = None
    plan_task_id: RecordId | None = None
    risk_id: RecordId | None = None


class MoveIn(InputSchema):
    column_id: RecordId
    lane_id: RecordId | None = None
    override_reason: Annotated[str, Field(max_length=255)] = Field(
        "", description="Needed to pass a WIP limit on a board that allows overrides."
    )


class MoveOut(Schema):
    id: int
    at: dt.datetime
    from_column_id: int | None
    to_column_id: int
    actor: str | None
    wip_override_reason: str

    @staticmethod
    def resolve_actor(move: ItemMove) -> str | None:
        return move.actor.get_username() if move.actor else None


class ItemQuery(Filters):
    board: Annotated[RecordId | None, FilterLookup("board_id")] = None
    kind: Annotated[WorkItem.Kind | None, FilterLookup("kind")] = None
    column: Annotated[RecordId | None, FilterLookup("column_id")] = None
    sprint: Annotated[RecordId | None, FilterLookup("sprint_id")] = None
    epic: Annotated[RecordId | None, FilterLookup("epic_id")] = None
    assignee: Annotated[str | None, FilterLookup("assignee__username")] = None
    clinical_area: Annotated[ClinicalArea | None, FilterLookup("clinical_area")] = None
    blocked: Annotated[bool | None, FilterLookup("blocked")] = None
    q: Annotated[str | None, FilterLookup(["title__icontains", "description__icontains"])] = None


class MetricsOut(Schema):
    as_of: dt.datetime | None
    columns: list[str]
    percentiles: dict[int, int]
    finished: int
    in_progress: int
    days: list[dt.date]
    cfd: list[list[int]] = Field(description="Cards per column at the end of each day.")
    throughput: list[int]
    wip: list[int]
    aging: list[dict[str, int | str]]


class ForecastLevel(Schema):
    confidence: int
    periods: int | None = None
    date: dt.date | None = None
    amount: float | None = None


class ForecastOut(Schema):
    question: str
    trials: int
    basis: str
    levels: list[ForecastLevel]
