"""Agile work beside the plan: each linked epic's forecast finish next to its task's finish.

The forecast is the epic's remaining items over the board's throughput (Kanban) or its
remaining points over the velocity (Scrum). The epic threatens the plan when the 85 % date
is after the task's scheduled finish; it is at risk when only the 50 % date is within it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import timezone

from hitpm.agile.models import WorkItem
from hitpm.agile.services import forecasts
from hitpm.agile.services.plan_link import EpicProgress, epic_progress
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project

LIKELY, SAFE = 50, 85


class Outlook(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    THREATENED = "threatened"
    UNKNOWN = "unknown"


OUTLOOK_LABELS = {
    Outlook.DONE: "Done",
    Outlook.ON_TRACK: "On track",
    Outlook.AT_RISK: "At risk",
    Outlook.THREATENED: "Threatens the plan",
    Outlook.UNKNOWN: "No forecast",
}


@dataclass(frozen=True)
class EpicOutlook:
    """An epic, its progress, the linked task's finish and the forecast finish dates."""

    epic: WorkItem
    task: Task | None
    progress: EpicProgress
    likely: dt.date | None
    safe: dt.date | None
    outlook: Outlook
    note: str

    @property
    def task_finish(self) -> dt.date | None:
        return self.task.finish.date() if self.task and self.task.finish else None

    @property
    def label(self) -> str:
        return OUTLOOK_LABELS[self.outlook]

    @property
    def days_late(self) -> int:
        finish = self.task_finish
        return (self.safe - finish).days if self.safe and finish and self.safe > finish else 0


def epic_outlook(epic: WorkItem, today: dt.date | None = None) -> EpicOutlook:
    today = today or timezone.localdate()
    progress = epic_progress(epic)
    task = epic.plan_task
    if progress.total_items and progress.remaining_items == 0:
        return EpicOutlook(epic, task, progress, today, today, Outlook.DONE, "")
    try:
        likely, safe = _forecast(epic, progress, today)
    except ValidationError as exc:
        return EpicOutlook(
            epic, task, progress, None, None, Outlook.UNKNOWN, " ".join(exc.messages)
        )
    finish = task.finish.date() if task and task.finish else None
    if finish is None:
        outlook = Outlook.UNKNOWN
    elif safe <= finish:
        outlook = Outlook.ON_TRACK
    elif likely <= finish:
        outlook = Outlook.AT_RISK
    else:
        outlook = Outlook.THREATENED
    return EpicOutlook(epic, task, progress, likely, safe, outlook, "")


def _forecast(epic: WorkItem, progress: EpicProgress, today: dt.date) -> tuple[dt.date, dt.date]:
    if progress.total_items == 0:
        raise ValidationError("The epic has no stories yet.")
    board = epic.board
    if board.is_scrum and progress.by_points:
        result = forecasts.when_points(board, float(progress.remaining_points))
    else:
        result = forecasts.when_items(board, progress.remaining_items, today)
    return result.dates[LIKELY], result.dates[SAFE]


def linked_epics(project: Project, today: dt.date | None = None) -> list[EpicOutlook]:
    """Every epic of the project linked to a plan task, in plan order."""
    epics = (
        project.work_items.filter(kind=WorkItem.Kind.EPIC, plan_task__isnull=False)
        .select_related("plan_task", "board")
        .order_by("plan_task__position", "rank")
    )
    return [epic_outlook(e, today) for e in epics]
