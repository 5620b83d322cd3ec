"""Demo Kanban board: the interface-build team of IFC-HL7FHIR, five months of flow."""

from __future__ import annotations

import datetime as dt
import random

from hitpm.accounts.models import User
from hitpm.agile.demo.common import (
    Draft,
    at_work_hour,
    make_epic,
    pick_title,
    plan_task,
    save_drafts,
    set_lanes,
    team_of,
)
from hitpm.agile.demo.content import (
    INTERFACE_DEFECTS,
    INTERFACE_FILL,
    INTERFACE_WORK,
    PATIENT_SAFETY,
)
from hitpm.agile.models import Board, WorkItem
from hitpm.agile.services.boards import columns_of, create_board
from hitpm.agile.services.plan_link import sync_epic
from hitpm.portfolio.models import Project

KANBAN_DAYS = 150


def _kanban_drafts(
    rng: random.Random, team: list[User], today: dt.date, epic: WorkItem
) -> list[Draft]:
    start = today - dt.timedelta(days=KANBAN_DAYS)
    stays = (
        (0, 3),
        (0, 4),
        (2, 5),
        (1, 3),
        (1, 2),
    )  # days in Backlog, Ready, Build, Test, Validate
    drafts = []
    for offset in range(KANBAN_DAYS):
        day = start + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for _ in range(rng.choice((0, 1, 1, 2, 2))):
            if rng.random() < 0.1:
                index = rng.randrange(len(INTERFACE_DEFECTS))
                draft = Draft(
                    INTERFACE_DEFECTS[index],
                    "integration",
                    WorkItem.Kind.DEFECT,
                    patient_safety=index in PATIENT_SAFETY and offset > KANBAN_DAYS - 12,
                )
            else:
                title, area = pick_title(rng, INTERFACE_WORK, INTERFACE_FILL)
                draft = Draft(title, area, epic=epic if "ORM^O01" in title else None)
            draft.assignee = rng.choice(team)
            moment = at_work_hour(day, rng)
            draft.moves.append((moment, 0))
            for column, (low, high) in enumerate(stays, 1):
                moment += dt.timedelta(days=rng.randint(low, high), hours=rng.randint(1, 6))
                if draft.patient_safety:
                    moment -= dt.timedelta(days=low)
                draft.moves.append((moment, column))
            drafts.append(draft)
    return drafts + _kanban_queue(rng, team, today, epic)


def _kanban_queue(
    rng: random.Random, team: list[User], today: dt.date, epic: WorkItem
) -> list[Draft]:
    """Work waiting to be pulled, and a patient-safety defect being expedited right now."""
    queue = []
    for n in range(16):
        title, area = pick_title(rng, INTERFACE_WORK, INTERFACE_FILL)
        if n % 4 == 0:
            system = ("PACS", "cardiology PACS")[n % 8 // 4]
            title, area = (
                f"ORM^O01 radiology order feed to {system}, site {n // 4 + 1}",
                "radiology",
            )
        draft = Draft(title, area, epic=epic if area == "radiology" else None)
        created = at_work_hour(today - dt.timedelta(days=rng.randint(1, 25)), rng)
        draft.moves.append((created, 0))
        if n % 3 == 0:
            draft.moves.append((created + dt.timedelta(hours=rng.randint(4, 30)), 1))
        queue.append(draft)
    defect = Draft(INTERFACE_DEFECTS[2], "pharmacy", WorkItem.Kind.DEFECT, patient_safety=True)
    defect.assignee = rng.choice(team)
    reported = at_work_hour(today - dt.timedelta(days=2), rng)
    defect.moves += [(reported, 0), (reported + dt.timedelta(hours=2), 2)]
    return [*queue, defect]


def _respect_limits(board: Board, drafts: list[Draft], now: dt.datetime) -> None:
    """Hold back the newest cards where the generated flow would break a WIP limit now."""
    columns = columns_of(board)
    for index in reversed(range(len(columns))):
        limit = columns[index].wip_limit
        if limit is None:
            continue
        here = [d for d in drafts if _column_now(d, now) == index and not d.patient_safety]
        for draft in sorted(here, key=lambda d: d.moves[0][0])[limit:]:
            draft.moves = [m for m in draft.moves if m[1] < index]


def _column_now(draft: Draft, now: dt.datetime) -> int:
    return [c for at, c in draft.moves if at <= now][-1]


def load_kanban(project: Project, today: dt.date, now: dt.datetime) -> None:
    rng = random.Random(20_260_101)
    board = create_board(
        project, name="Interface build team", kind=Board.Kind.KANBAN, allow_wip_override=True
    )
    team = team_of(project)
    epic = make_epic(
        board,
        "Radiology order and report interfaces (ORM/ORU) live",
        "radiology",
        now - dt.timedelta(days=KANBAN_DAYS),
        plan_task(project, "Radiology", "channel build"),
    )
    drafts = _kanban_drafts(rng, team, today, epic)
    _respect_limits(board, drafts, now)
    items = save_drafts(board, drafts, now)
    set_lanes(board, items)
    sync_epic(epic)
