"""CSV and XLSX task lists: read rows, map columns to fields, build a :class:`PlanDocument`;
and write a plan's task table in the same layout, so an export can be imported again.

Columns are mapped to fields by header (see :data:`DEFAULT_MAPPING`, case-insensitive), or by
an explicit ``{column index: field}`` mapping chosen in the upload page. Rows refer to each
other by their ``ID`` column, or by their row number (1 = first task) when there is none, in
MS Project's predecessor syntax: ``3``, ``3FS+2d``, ``4SS-1d``, ``5FF+50%``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from hitpm.engine.model import (
    CalendarSpec,
    ConstraintType,
    LagFormat,
    LinkSpec,
    LinkType,
    ProjectSpec,
    TaskSpec,
)
from hitpm.exchange.document import AssignmentData, PlanDocument, ResourceData, SavedDates
from hitpm.exchange.errors import TableFileError

FIELDS: dict[str, str] = {
    "id": "Row id that predecessors refer to",
    "name": "Task name (required)",
    "level": "Outline level, 1 = top",
    "wbs": "WBS code such as 1.2.3 (gives the level when there is no level column)",
    "duration": "Duration: 5d, 3h, 90m, 2w, or a number of days",
    "start": "Start date: kept as a start-no-earlier-than constraint",
    "predecessors": "Predecessors: 3, 3FS+2d, 4SS-1d, 5FF+50%, separated by , or ;",
    "milestone": "Milestone: yes/no, true/false, 1/0",
    "percent_complete": "% complete, 0-100",
    "deadline": "Deadline date",
    "resources": "Resource names separated by ; or ,",
    "notes": "Notes",
}
FIELD_NAMES: dict[str, str] = {
    "id": "ID", "name": "Task name", "level": "Outline level", "wbs": "WBS code",
    "duration": "Duration", "start": "Start (constraint)", "predecessors": "Predecessors",
    "milestone": "Milestone", "percent_complete": "% complete", "deadline": "Deadline",
    "resources": "Resources", "notes": "Notes",
}  # fmt: skip
DEFAULT_MAPPING: dict[str, str] = {
    "id": "id",
    "unique id": "id",
    "#": "id",
    "name": "name",
    "task name": "name",
    "task": "name",
    "activity name": "name",
    "level": "level",
    "outline level": "level",
    "wbs": "wbs",
    "outline number": "wbs",
    "duration": "duration",
    "duration (days)": "duration",
    "start": "start",
    "start date": "start",
    "predecessors": "predecessors",
    "depends on": "predecessors",
    "milestone": "milestone",
    "% complete": "percent_complete",
    "percent complete": "percent_complete",
    "deadline": "deadline",
    "resources": "resources",
    "resource names": "resources",
    "assigned to": "resources",
    "notes": "notes",
}
EXPORT_HEADERS = (
    "ID",
    "WBS",
    "Name",
    "Outline level",
    "Duration",
    "Scheduled start",
    "Scheduled finish",
    "Predecessors",
    "Milestone",
    "% complete",
    "Deadline",
    "Resources",
    "Notes",
)
MAX_ROWS = 100_000
_UNITS = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "d": 0,
    "day": 0,
    "days": 0,
    "w": -1,
    "wk": -1,
    "wks": -1,
    "week": -1,
    "weeks": -1,
}
_AMOUNT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)
_LINK = re.compile(
    r"^\s*([^\s+\-]+?)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*(%|[a-z]*))?\s*$",
    re.IGNORECASE,
)
_FORMULA_STARTS = ("=", "+", "-", "@")
_TRUE, _FALSE = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}


def read_rows(data: bytes, kind: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (UTF-8, delimiter sniffed) or of an XLSX's first sheet."""
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise TableFileError("the file has no rows; the first row must name the columns")
    if len(rows) > MAX_ROWS:
        raise TableFileError(f"the file has {len(rows) - 1} rows; at most {MAX_ROWS} are read")
    header = [h.strip() for h in rows[0]]
    return header, [r + [""] * (len(header) - len(r)) for r in rows[1:]]


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableFileError(
            f'line {line}: the file is not UTF-8 text; save it as "CSV UTF-8" and try again'
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # the header has no quoted separators
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise TableFileError(f"the CSV is malformed: {exc}") from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise TableFileError(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell(v) for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def default_mapping(header: Sequence[str]) -> dict[int, str]:
    """Columns whose header is a known name, mapped to their field."""
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        field = DEFAULT_MAPPING.get(name.strip().lower())
        if field is not None and field not in mapping.values():
            mapping[index] = field
    return mapping


def _unquote(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in _FORMULA_STARTS else text


class _Row:
    def __init__(self, number: int, cells: Sequence[str], mapping: Mapping[int, str]) -> None:
        self.number = number
        self.values = {f: _unquote(cells[i].strip()) for i, f in mapping.items() if i < len(cells)}

    def error(self, field: str, problem: str) -> TableFileError:
        return TableFileError(f"row {self.number}, column {field!r}: {problem}")

    def get(self, field: str) -> str:
        return self.values.get(field, "")


def _minutes(row: _Row, field: str, minutes_per_day: int) -> int:
    match = _AMOUNT.match(row.get(field))
    if match is None:
        raise row.error(field, f"{row.get(field)!r} is not a duration such as 5d, 3h or 90m")
    amount, unit = float(match.group(1).replace(",", ".")), match.group(2).lower() or "d"
    if unit not in _UNITS:
        raise row.error(field, f"unknown unit {unit!r}; use m, h, d or w")
    factor = _UNITS[unit] or minutes_per_day
    return round(amount * (factor if factor > 0 else minutes_per_day * 5))


def _date(row: _Row, field: str) -> dt.datetime | None:
    raw = row.get(field)
    if not raw:
        return None
    for parse in (dt.datetime.fromisoformat, lambda s: dt.datetime.strptime(s, "%m/%d/%Y")):
        try:
            value = parse(raw)
        except ValueError:
            continue
        if not 1900 <= value.year <= 2200:
            raise row.error(field, f"{raw!r} is outside the years 1900..2200")
        return value.replace(tzinfo=None)
    raise row.error(field, f"{raw!r} is not a date (YYYY-MM-DD or MM/DD/YYYY)")


def _flag(row: _Row, field: str) -> bool:
    raw = row.get(field).lower()
    if raw not in _TRUE | _FALSE:
        raise row.error(field, f"{raw!r} is not yes or no")
    return raw in _TRUE


def _level(row: _Row) -> int:
    raw = row.get("level")
    if raw:
        if not raw.isdigit() or not 1 <= int(raw) <= 50:
            raise row.error("level", f"{raw!r} is not an outline level 1..50")
        return int(raw)
    wbs = row.get("wbs")
    return wbs.count(".") + 1 if wbs else 1


def table_document(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    mapping: Mapping[int, str],
    start: dt.date,
    minutes_per_day: int = 480,
) -> PlanDocument:
    """A plan from mapped rows; raises :class:`TableFileError` naming the row and column."""
    if "name" not in mapping.values():
        raise TableFileError("map one column to the task name")
    unknown = set(mapping.values()) - set(FIELDS)
    if unknown:
        raise TableFileError(f"unknown fields in the mapping: {', '.join(sorted(unknown))}")
    parsed = [_Row(n, cells, mapping) for n, cells in enumerate(rows, start=2)]
    parsed = [r for r in parsed if r.get("name")]
    spec = ProjectSpec(
        name="Imported task list",
        start=dt.datetime.combine(start, dt.time(8)),
        calendar_uid=1,
        calendars=[CalendarSpec(uid=1)],
        tasks=[],
    )
    document = PlanDocument(spec=spec, source_format="table")
    keys: dict[str, int] = {}
    previous = 0
    for uid, row in enumerate(parsed, start=1):
        key = row.get("id") or str(uid)
        if key in keys:
            raise row.error("id", f"id {key!r} is used by two rows")
        keys[key] = uid
        level = min(_level(row), previous + 1)
        previous = level
        task = _task(row, uid, level, minutes_per_day)
        document.spec.tasks.append(task)
        document.notes[uid] = row.get("notes")
        document.wbs[uid] = row.get("wbs")
    for uid, row in enumerate(parsed, start=1):
        document.spec.links.extend(_links(row, uid, keys, minutes_per_day))
    _assign(document, parsed)
    return document


def _task(row: _Row, uid: int, level: int, minutes_per_day: int) -> TaskSpec:
    start = _date(row, "start")
    duration = _minutes(row, "duration", minutes_per_day) if row.get("duration") else 0
    if duration < 0:
        raise row.error("duration", "a duration cannot be negative")
    zero = bool(row.get("duration")) and duration == 0
    percent = row.get("percent_complete").rstrip("%").strip() or "0"
    try:
        complete = float(percent.replace(",", "."))
    except ValueError:
        raise row.error("percent_complete", f"{percent!r} is not a number") from None
    if not 0 <= complete <= 100:
        raise row.error("percent_complete", f"{complete:g} is not between 0 and 100")
    return TaskSpec(
        uid=uid,
        name=row.get("name")[:255],
        duration_minutes=duration,
        outline_level=level,
        milestone=_flag(row, "milestone") if "milestone" in row.values else zero,
        constraint_type=ConstraintType.SNET if start is not None else ConstraintType.ASAP,
        constraint_date=start,
        deadline=_date(row, "deadline"),
        percent_complete=complete,
    )


def _links(row: _Row, uid: int, keys: Mapping[str, int], minutes_per_day: int) -> list[LinkSpec]:
    links = []
    for part in re.split(r"[;,]", row.get("predecessors")):
        if not part.strip():
            continue
        match = _LINK.match(part)
        if match is None or match.group(1) not in keys:
            raise row.error("predecessors", f"{part.strip()!r} does not name another row's id")
        key, kind, sign, amount, unit = match.groups()
        lag, lag_format = 0.0, LagFormat.WORKING
        if amount is not None:
            value = float(amount) * (-1 if sign == "-" else 1)
            if unit == "%":
                lag, lag_format = value, LagFormat.PERCENT
            else:
                probe = _Row(row.number, [f"{value}{unit or 'd'}"], {0: "lag"})
                lag = float(_minutes(probe, "lag", minutes_per_day))
        if keys[key] == uid:
            raise row.error("predecessors", "a task cannot depend on itself")
        links.append(LinkSpec(keys[key], uid, LinkType[(kind or "FS").upper()], lag, lag_format))
    return links


def _assign(document: PlanDocument, rows: Sequence[_Row]) -> None:
    resources: dict[str, ResourceData] = {}
    for uid, row in enumerate(rows, start=1):
        for name in re.split(r"[;,]", row.get("resources")):
            name = name.strip()[:120]
            if not name:
                continue
            resource = resources.setdefault(name.casefold(), ResourceData(len(resources) + 1, name))
            document.assignments.append(AssignmentData(uid, resource.uid))
    document.resources = list(resources.values())


# -- export --------------------------------------------------------------------------------


def _days(minutes: int, minutes_per_day: int) -> str:
    return f"{minutes / minutes_per_day:g}d"


def task_table(document: PlanDocument) -> list[list[Any]]:
    """The task table (header first) of a plan, as :data:`EXPORT_HEADERS` columns."""
    per_day = document.spec.options.minutes_per_day
    ids = {t.uid: n for n, t in enumerate(document.spec.tasks, start=1)}
    predecessors: dict[int, list[str]] = {}
    for link in document.spec.links:
        lag = ""
        if link.lag_format == LagFormat.PERCENT:
            lag = f"{link.lag:+g}%"
        elif link.lag and link.lag % per_day == 0:
            lag = f"{link.lag / per_day:+g}d"
        elif link.lag:
            lag = f"{link.lag:+g}m"
        text = f"{ids[link.predecessor_uid]}{LinkType(link.type).name}{lag}"
        predecessors.setdefault(link.successor_uid, []).append(text)
    names = {r.uid: r.name for r in document.resources}
    assigned: dict[int, list[str]] = {}
    for a in document.assignments:
        assigned.setdefault(a.task_uid, []).append(names[a.resource_uid])
    table: list[list[Any]] = [list(EXPORT_HEADERS)]
    for task in document.spec.tasks:
        saved = document.saved.get(task.uid) or SavedDates()
        table.append(
            [
                ids[task.uid],
                document.wbs.get(task.uid, ""),
                task.name,
                task.outline_level,
                _days(task.duration_minutes, per_day),
                saved.start,
                saved.finish,
                ", ".join(predecessors.get(task.uid, [])),
                "yes" if task.milestone else "no",
                task.percent_complete,
                task.deadline,
                "; ".join(assigned.get(task.uid, [])),
                document.notes.get(task.uid, ""),
            ]
        )
    return table


def write_csv(document: PlanDocument) -> bytes:
    """The task table as UTF-8 CSV with a BOM (so spreadsheet programs detect UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in task_table(document):
        writer.writerow(["" if v is None else _safe(_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(text: str) -> str:
    """No formula injection when the file is opened in a spreadsheet (read back on import)."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write_xlsx(document: PlanDocument) -> bytes:
    """The task table as an .xlsx workbook with a bold, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tasks"
    for row in task_table(document):
        sheet.append([_safe(v) if isinstance(v, str) else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
