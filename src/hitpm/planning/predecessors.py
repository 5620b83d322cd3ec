"""Predecessors as text, as Microsoft Project's Predecessors column takes them.

``"12FS+2d, 15SS-1d, 7FF+50%, 9SF+3ed"``: each item is a row ID (the task's row number in the
plan, as MS Project's ID column shows it), a link type (FS when left out), and an optional
lead (-) or lag (+) in minutes ``m``, hours ``h``, days ``d``, weeks ``w`` or months ``mo`` of
working time; ``e`` before the unit (``ed``, ``ew``...) makes it elapsed (24x7) time, ``%`` a
percent of the predecessor's duration. A number without a unit is days. Working days, weeks
and months follow the schedule options (480, 2,400 and 9,600 minutes, MS Project's defaults);
elapsed ones are 1,440, 10,080 and 43,200 minutes.

:func:`set_predecessors` replaces a task's links with those of the text in one transaction:
unchanged links are kept, changed ones updated, missing ones removed, new ones created; a
loop, an unknown row or a link to itself is refused with nothing changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.core.services import lock_current, save_validated
from hitpm.engine.model import LagFormat, LinkType
from hitpm.planning.editing import (
    ChangeResult,
    change_task,
    check_link,
    finish_change,
    refuse_cycles,
)
from hitpm.planning.models import Dependency, Task
from hitpm.portfolio.models import Project

WORKING_UNITS = {"m": 1, "h": 60, "d": 480, "w": 2400, "mo": 9600}
ELAPSED_UNITS = {"m": 1, "h": 60, "d": 1440, "w": 10080, "mo": 43200}
_ITEM = re.compile(
    r"^\s*(?P<row>\d+)\s*(?P<type>[a-z]{2})?\s*"
    r"(?:(?P<sign>[+-])\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>e?(?:mo|m|h|d|w)|%)?)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedLink:
    """One item of a predecessors text: the predecessor's row ID, type and lag."""

    row: int
    type: LinkType = LinkType.FS
    lag: float = 0
    lag_format: LagFormat = LagFormat.WORKING


def _lag(sign: str, amount: str, unit: str) -> tuple[float, LagFormat]:
    value = float(amount) * (-1 if sign == "-" else 1)
    unit = unit.lower()
    if unit == "%":
        return value, LagFormat.PERCENT
    if unit.startswith("e"):
        return value * ELAPSED_UNITS[unit[1:]], LagFormat.ELAPSED
    return value * WORKING_UNITS[unit], LagFormat.WORKING


_LAG = re.compile(
    r"^\s*(?P<sign>[+-]?)\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>e?(?:mo|m|h|d|w)|%)?\s*$",
    re.IGNORECASE,
)


def parse_lag(text: str) -> tuple[float, LagFormat]:
    """A lag on its own, as the picker takes it: "2d", "-1d", "4h", "50%", "3ed"; "" is none."""
    if not text.strip():
        return 0.0, LagFormat.WORKING
    match = _LAG.match(text)
    if match is None:
        raise ValidationError(
            {"lag": f"{text!r} is not a lag: write e.g. 2d, -1d, 4h, 50% or 3ed (elapsed days)."}
        )
    return _lag(match["sign"] or "+", match["amount"], match["unit"] or "d")


def parse(text: str) -> list[ParsedLink]:
    """The links of a predecessors text, or a ValidationError naming the bad item."""
    links: list[ParsedLink] = []
    seen: set[int] = set()
    items = [item for item in re.split(r"[,;]", text) if item.strip()]
    for number, item in enumerate(items, 1):
        match = _ITEM.match(item)
        where = f"Item {number} ({item.strip()!r})"
        if match is None:
            raise ValidationError(
                f"{where} is not a predecessor: write a row ID, a type and a lag or lead, "
                "e.g. 12FS+2d, 15SS-1d, 7FF+50% or 9SF+3ed."
            )
        kind = (match["type"] or "FS").upper()
        if kind not in LinkType.__members__:
            raise ValidationError(f"{where}: {kind!r} is not a link type; use FS, SS, FF or SF.")
        row = int(match["row"])
        if row in seen:
            raise ValidationError(f"{where}: row {row} is listed twice.")
        seen.add(row)
        lag, lag_format = (0.0, LagFormat.WORKING)
        if match["sign"]:
            lag, lag_format = _lag(match["sign"], match["amount"], match["unit"] or "d")
        links.append(ParsedLink(row, LinkType[kind], lag, lag_format))
    return links


def _amount(value: float) -> str:
    return f"{value:g}"


def lag_text(lag: float, lag_format: str) -> str:
    """A lag as the text :func:`parse` reads: "+2d", "-4h", "+50%", "+3ed"; "" for none."""
    if not lag:
        return ""
    sign = "+" if lag > 0 else "-"
    size = abs(lag)
    if lag_format == LagFormat.PERCENT:
        return f"{sign}{_amount(size)}%"
    elapsed = lag_format == LagFormat.ELAPSED
    prefix, units = ("e", ELAPSED_UNITS) if elapsed else ("", WORKING_UNITS)
    for unit in ("d", "h"):
        if size % units[unit] == 0:
            return f"{sign}{_amount(size / units[unit])}{prefix}{unit}"
    return f"{sign}{_amount(size)}{prefix}m"


def link_text(row: int, link_type: int, lag: float, lag_format: str) -> str:
    """One link as MS Project writes it: "12" for a plain FS link, "12SS+2d" otherwise."""
    kind = LinkType(link_type).name
    suffix = lag_text(lag, lag_format)
    return f"{row}" if kind == "FS" and not suffix else f"{row}{kind}{suffix}"


def row_ids(project: Project) -> list[int]:
    """Task ids in plan order: row ID n is ``row_ids(project)[n - 1]``."""
    query = Task.objects.filter(project=project).order_by("position", "pk")
    return list(query.values_list("pk", flat=True))


def predecessors_text(project: Project, rows: Sequence[int] | None = None) -> dict[int, str]:
    """The predecessors text of every task that has predecessors, by task id."""
    rows = rows if rows is not None else row_ids(project)
    number = {pk: i for i, pk in enumerate(rows, 1)}
    texts: dict[int, list[tuple[int, str]]] = {}
    fields = ("successor_id", "predecessor_id", "type", "lag", "lag_format")
    for succ, pred, kind, lag, fmt in project.dependencies.values_list(*fields):
        texts.setdefault(succ, []).append((number[pred], link_text(number[pred], kind, lag, fmt)))
    return {pk: ", ".join(text for _, text in sorted(items)) for pk, items in texts.items()}


def _wanted(project: Project, task: Task, text: str) -> dict[int, ParsedLink]:
    """Predecessor task id -> parsed link, checking that every row exists."""
    rows = row_ids(project)
    wanted: dict[int, ParsedLink] = {}
    for link in parse(text):
        if not 1 <= link.row <= len(rows):
            raise ValidationError(
                f"There is no row {link.row}: the plan has rows 1 to {len(rows)}."
            )
        wanted[rows[link.row - 1]] = link
    return wanted


def set_predecessors(
    project: Project, task_id: int, text: str, expected_version: int | None = None
) -> ChangeResult:
    """Make the task's predecessors exactly those of ``text`` and reschedule.

    ``expected_version`` is the task's version the user edited, so that two people editing
    the same task's links cannot silently overwrite each other.
    """
    with transaction.atomic():
        if not Task.objects.filter(project=project, pk=task_id).exists():
            raise ValidationError(f"{project.code} has no task with id {task_id}.")
        task = lock_current(Task, task_id, expected_version)
        wanted = _wanted(project, task, text)
        tasks = Task.objects.in_bulk(list(wanted))
        for pk in wanted:
            check_link(project, tasks[pk], task)
        existing: Mapping[int, Dependency] = {
            link.predecessor_id: link for link in Dependency.objects.filter(successor=task)
        }
        new_pairs = [(pk, task.pk) for pk in wanted if pk not in existing]
        refuse_cycles(project, new_pairs)
        removed = [link for pk, link in existing.items() if pk not in wanted]
        removed_ids = [link.pk for link in removed]
        for link in removed:
            link.delete()
        for pk, parsed in wanted.items():
            values = (int(parsed.type), parsed.lag, parsed.lag_format.value)
            link = existing.get(pk) or Dependency(
                project=project, predecessor_id=pk, successor=task
            )
            if link.pk is None or (link.type, link.lag, link.lag_format) != values:
                link.type, link.lag, link.lag_format = values
                save_validated(link)
        return finish_change(project, [task.pk], removed_link_ids=removed_ids)


def change_with_links(
    project: Project,
    task_id: int,
    changes: Mapping[str, object],
    text: str | None,
    expected_version: int | None,
) -> ChangeResult:
    """Field changes and a new predecessors text of one task, all or nothing."""
    with transaction.atomic():
        result = None
        if changes:
            result = change_task(project, task_id, changes, expected_version)
            expected_version = None  # checked by the first step; the version moved on since
        if text is not None:
            result = set_predecessors(project, task_id, text, expected_version)
        if result is None:
            lock_current(Task, task_id, expected_version)
            result = finish_change(project, [task_id])
        return result
