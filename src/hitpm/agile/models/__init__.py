"""Agile delivery records: boards and their columns and lanes, work items and their move
history, sprints with their capacity and scope."""

from hitpm.agile.models.board import Board, Column, Swimlane
from hitpm.agile.models.item import ClinicalArea, ItemMove, WorkItem
from hitpm.agile.models.sprint import Sprint, SprintEntry, SprintMember

__all__ = [
    "Board",
    "ClinicalArea",
    "Column",
    "ItemMove",
    "Sprint",
    "SprintEntry",
    "SprintMember",
    "Swimlane",
    "WorkItem",
]
