"""A whole plan as files carry it: the engine's :class:`ProjectSpec` plus what the engine does
not need (notes, resources, assignments, baselines, saved dates).

Every reader of a task-list format (MSPDI, XER, CSV/XLSX, MPXJ's native formats) produces a
:class:`PlanDocument`, and every writer takes one, so importers and exporters deal with one
shape. Pure data, no Django: task, calendar and resource ``uid``\\ s are the file's own ids.

A reader that leaves something of the file out, or changes it to fit hitpm, says so in
:attr:`PlanDocument.warnings`: one sentence each, shown to whoever imports the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from hitpm.engine.model import ProjectSpec


@dataclass
class ResourceData:
    """A person or role that works on tasks; ``capacity_percent`` is MS Project's Max. Units."""

    uid: int
    name: str
    kind: str = "person"  # "person" or "role"
    role: str = ""
    calendar_uid: int | None = None
    capacity_percent: int = 100


@dataclass
class AssignmentData:
    """A resource on a task at ``units_percent`` of its time."""

    task_uid: int
    resource_uid: int
    units_percent: int = 100


@dataclass
class BaselineRowData:
    """One task's dates in a baseline."""

    task_uid: int
    start: dt.datetime | None
    finish: dt.datetime | None
    duration_minutes: int = 0
    milestone: bool = False


@dataclass
class BaselineData:
    """A named baseline (MS Project's Baseline, Baseline1 ... Baseline10)."""

    name: str
    number: int = 0
    rows: list[BaselineRowData] = field(default_factory=list)


@dataclass
class SavedDates:
    """Dates and floats a file (or hitpm's engine) computed for one task."""

    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    total_float_minutes: int | None = None
    critical: bool = False


@dataclass
class PlanDocument:
    """A complete plan: schedule inputs, descriptive fields, resources and baselines."""

    spec: ProjectSpec
    notes: dict[int, str] = field(default_factory=dict)
    wbs: dict[int, str] = field(default_factory=dict)
    resources: list[ResourceData] = field(default_factory=list)
    assignments: list[AssignmentData] = field(default_factory=list)
    baselines: list[BaselineData] = field(default_factory=list)
    saved: dict[int, SavedDates] = field(default_factory=dict)
    source_format: str = ""
    warnings: list[str] = field(default_factory=list)


def name_list(names: Sequence[str], shown: int = 5) -> str:
    """``a, b, c`` with at most ``shown`` names, then ``and N more``."""
    listed = ", ".join(names[:shown])
    rest = len(names) - shown
    return f"{listed} and {rest} more" if rest > 0 else listed


def plural(count: int, noun: str) -> str:
    """``1 task``, ``3 tasks``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
