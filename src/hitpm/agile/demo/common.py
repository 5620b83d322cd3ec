"""Shared steps of the demo generators: drafts of items with their moves, saved in bulk."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Model, Q

from hitpm.accounts.models import User
from hitpm.agile.models import Board, ItemMove, Sprint, WorkItem
from hitpm.agile.services.boards import DONE, TODO, columns_of
from hitpm.audit.signals import record_bulk_create
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project


@dataclass
class Draft:
    """An item being generated and its moves as (time, column index)."""

    title: str
    area: str
    kind: str = WorkItem.Kind.STORY
    points: int | None = None
    patient_safety: bool = False
    epic: WorkItem | None = None
    assignee: User | None = None
    moves: list[tuple[dt.datetime, int]] = field(default_factory=list)
    sprint: int | None = None  # index into the board's sprints
    sprints_in: list[int] = field(default_factory=list)


def pick_title(
    rng: random.Random, work: Sequence[tuple[str, str]], fill: Mapping[str, Sequence[str]]
) -> tuple[str, str]:
    template, area = rng.choice(work)
    return template.format(**{k: rng.choice(v) for k, v in fill.items()}), area


def at_work_hour(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8 + rng.randrange(9), rng.randrange(60)), dt.UTC)


def team_of(project: Project) -> list[User]:
    roles = ("project_manager", "team_member")
    return list(
        User.objects.filter(memberships__project=project, memberships__role__in=roles).order_by(
            "username"
        )
    )


def plan_task(project: Project, group: str, name: str) -> Task | None:
    """The demo plan's task named like ``name`` under a summary named like ``group``."""
    tasks = Task.objects.filter(project=project, is_summary=False).order_by("position")
    match = tasks.filter(parent__name__icontains=group, name__icontains=name).first()
    return match or tasks.filter(Q(name__icontains=name) | Q(name__icontains=group)).first()


def save_drafts(
    board: Board, drafts: list[Draft], now: dt.datetime, sprints: Sequence[Sprint] = ()
) -> list[WorkItem]:
    """Bulk-create the drafts as items with their move history, audited as creations."""
    columns = columns_of(board)
    number = board.project.work_items.count()
    items = []
    for rank, draft in enumerate(drafts, 1):
        moves = [(at, c) for at, c in draft.moves if at <= now]
        last_at, last = moves[-1]
        started = next((at for at, c in moves if columns[c].category != TODO), None)
        number += 1
        items.append(
            WorkItem(
                project=board.project,
                board=board,
                number=number,
                kind=draft.kind,
                title=draft.title,
                clinical_area=draft.area,
                points=draft.points,
                rank=rank * 1024,
                labels=[],
                assignee=draft.assignee if started else None,
                patient_safety=draft.patient_safety,
                epic=draft.epic,
                column=columns[last],
                column_entered_at=last_at,
                started_at=started,
                done_at=last_at if columns[last].category == DONE else None,
                sprint=sprints[draft.sprint] if draft.sprint is not None else None,
            )
        )
        draft.moves = moves
    WorkItem.objects.bulk_create(items)
    record_bulk_create(list[Model](items))
    ItemMove.objects.bulk_create(
        ItemMove(
            board=board,
            item=item,
            at=at,
            to_column=columns[c],
            actor=item.assignee,
            from_column=columns[draft.moves[k - 1][1]] if k else None,
        )
        for item, draft in zip(items, drafts, strict=True)
        for k, (at, c) in enumerate(draft.moves)
    )
    return items


def set_lanes(board: Board, items: list[WorkItem]) -> None:
    expedite = board.lanes.get(expedite=True)
    standard = board.lanes.get(expedite=False)
    for item in items:
        item.lane = expedite if item.patient_safety else standard
    WorkItem.objects.bulk_update(items, ["lane"])


def make_epic(board: Board, title: str, area: str, at: dt.datetime, task: Task | None) -> WorkItem:
    draft = Draft(title, area, WorkItem.Kind.EPIC, moves=[(at, 0)])
    (epic,) = save_drafts(board, [draft], at)
    if task is not None:
        epic.plan_task = task
        epic.save(update_fields=["plan_task"])
    return epic
