"""Demo Scrum board: the EHR build team of EHR-GOLIVE, eight closed sprints and more."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hitpm.accounts.models import User
from hitpm.agile.demo.common import (
    Draft,
    make_epic,
    pick_title,
    plan_task,
    save_drafts,
    set_lanes,
    team_of,
)
from hitpm.agile.demo.content import (
    EHR_FILL,
    EHR_WORK,
    LABELS,
)
from hitpm.agile.models import Board, Sprint, SprintEntry, SprintMember, WorkItem
from hitpm.agile.services.boards import create_board
from hitpm.agile.services.plan_link import sync_epic
from hitpm.portfolio.models import Project

SPRINT_DAYS = 14
CLOSED_SPRINTS = 8
POINTS = (1, 2, 3, 3, 5, 5, 8)


def _sprints(board: Board, team: list[User], today: dt.date, rng: random.Random) -> list[Sprint]:
    monday = today - dt.timedelta(days=today.weekday())
    active_start = monday - dt.timedelta(days=7)
    goals = (
        "Pharmacy order sets ready for validation",
        "ED triage build complete",
        "MAR workflows demo-ready",
        "Perioperative preference lists",
        "Charge capture rules",
        "Nursing documentation round 2",
        "Best-practice alerts tuned",
        "Clinic navigators",
        "Integrated testing fixes",
        "Go-live readiness build",
    )
    sprints = []
    for k in range(CLOSED_SPRINTS + 2):
        start = active_start + dt.timedelta(days=SPRINT_DAYS * (k - CLOSED_SPRINTS))
        state = (
            Sprint.State.CLOSED
            if k < CLOSED_SPRINTS
            else (Sprint.State.ACTIVE if k == CLOSED_SPRINTS else Sprint.State.PLANNED)
        )
        sprints.append(
            Sprint.objects.create(
                board=board,
                name=f"Build sprint {k + 1}",
                goal=goals[k],
                start_date=start,
                end_date=start + dt.timedelta(days=SPRINT_DAYS - 1),
                state=state,
            )
        )
        for user in team:
            SprintMember.objects.create(
                sprint=sprints[-1],
                user=user,
                allocation_percent=rng.choice((100, 100, 100, 80)),
                days_off=Decimal(rng.choice((0, 0, 0, 1, 2))),
            )
    return sprints


def _scrum_drafts(
    rng: random.Random, team: list[User], sprints: list[Sprint], now: dt.datetime, epic: WorkItem
) -> list[Draft]:
    drafts: list[Draft] = []
    carried: list[Draft] = []
    for k, sprint in enumerate(sprints):
        begin = dt.datetime.combine(sprint.start_date, dt.time(9), dt.UTC)
        commitment = list(carried)
        target = rng.randint(28, 36)
        while sum(d.points or 0 for d in commitment) < target:
            title, area = pick_title(rng, EHR_WORK, EHR_FILL)
            draft = Draft(
                title,
                area,
                points=rng.choice(POINTS),
                assignee=rng.choice(team),
                epic=epic if area == "pharmacy" else None,
            )
            draft.moves.append((min(begin, now) - dt.timedelta(days=rng.randint(3, 30)), 0))
            commitment.append(draft)
            drafts.append(draft)
        carried = []
        for draft in commitment:
            draft.sprint = k
            draft.sprints_in.append(k)
            if sprint.state == Sprint.State.PLANNED:
                continue
            moment = begin + dt.timedelta(days=rng.randint(0, 8), hours=rng.randint(0, 6))
            finishes = rng.random() < 0.85
            for column in (1, 2, 3) if finishes else (1,):
                if draft.moves[-1][1] >= column:
                    continue
                draft.moves.append((moment, column))
                moment += dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
            if not finishes and sprint.state == Sprint.State.CLOSED:
                carried.append(draft)
    return drafts


def _sprint_records(
    sprints: list[Sprint], drafts: list[Draft], items: list[WorkItem], now: dt.datetime
) -> None:
    """Entries, commitments and outcomes of each sprint, as the services would have left them."""
    for k, sprint in enumerate(sprints[:-1]):
        begin = dt.datetime.combine(sprint.start_date, dt.time(9), dt.UTC)
        end = dt.datetime.combine(sprint.end_date, dt.time(18), dt.UTC)
        members = [(d, i) for d, i in zip(drafts, items, strict=True) if k in d.sprints_in]
        entries = []
        done_points = Decimal(0)
        done_count = 0
        for draft, item in members:
            finished = any(c == 3 and begin <= at <= end for at, c in draft.moves)
            moved_on = sprint.state == Sprint.State.CLOSED and not finished
            entries.append(
                SprintEntry(
                    sprint=sprint,
                    item=item,
                    points=Decimal(draft.points or 0),
                    committed=True,
                    added_at=begin,
                    removed_at=end if moved_on else None,
                    outcome=SprintEntry.Outcome.TO_SPRINT if moved_on else "",
                )
            )
            if finished:
                done_points += Decimal(draft.points or 0)
                done_count += 1
        SprintEntry.objects.bulk_create(entries)
        sprint.committed_points = sum((e.points for e in entries), Decimal(0))
        sprint.committed_items = len(entries)
        sprint.started_at = begin
        if sprint.state == Sprint.State.CLOSED:
            sprint.completed_points, sprint.completed_items, sprint.closed_at = (
                done_points,
                done_count,
                end,
            )
        sprint.save()


def load_scrum(project: Project, today: dt.date, now: dt.datetime) -> None:
    rng = random.Random(20_260_202)
    board = create_board(
        project, name="EHR build team", kind=Board.Kind.SCRUM, points_per_day=Decimal("1.0")
    )
    team = team_of(project)
    sprints = _sprints(board, team, today, rng)
    epic = make_epic(
        board,
        "Pharmacy order sets and MAR build",
        "pharmacy",
        now - dt.timedelta(days=140),
        plan_task(project, "Pharmacy", "Content build"),
    )
    drafts = _scrum_drafts(rng, team, sprints, now, epic)
    pharmacy = [w for w in EHR_WORK if w[1] == "pharmacy"]
    for n in range(25):
        title, area = pick_title(rng, pharmacy if n < 10 else EHR_WORK, EHR_FILL)
        drafts.append(
            Draft(
                title,
                area,
                points=rng.choice(POINTS),
                epic=epic if area == "pharmacy" else None,
                moves=[(now - dt.timedelta(days=rng.randint(1, 60)), 0)],
            )
        )
    items = save_drafts(board, drafts, now, sprints)
    for item, label in zip(items[::7], LABELS * 50, strict=False):
        item.labels = [label]
    WorkItem.objects.bulk_update(items[::7], ["labels"])
    set_lanes(board, items)
    _sprint_records(sprints, drafts, items, now)
    sync_epic(epic)
