"""Read a Primavera P6 XER export into a :class:`PlanDocument`.

Read: the first project (``PROJECT``), its WBS (``PROJWBS``, as summary tasks), activities
(``TASK``: durations, milestones, constraints, actuals, percent complete, calendars),
relationships (``TASKPRED`` with PR_FS/PR_SS/PR_FF/PR_SF and lags in working hours),
calendars (``CALENDAR`` with their ``clndr_data``), resources (``RSRC``) and assignments
(``TASKRSRC``). Dates are ``YYYY-MM-DD hh:mm``; durations and lags are hours.
"""

from __future__ import annotations

import datetime as dt

from hitpm.engine.model import (
    CalendarSpec,
    ConstraintType,
    LinkSpec,
    LinkType,
    ProjectSpec,
    TaskSpec,
)
from hitpm.exchange.document import AssignmentData, PlanDocument, ResourceData, SavedDates
from hitpm.exchange.errors import XerError
from hitpm.exchange.xer_calendar import parse_calendar_data, read_exceptions, read_week
from hitpm.exchange.xer_tables import XerRow, XerTable, parse_tables

LINK_TYPES = {
    "PR_FS": LinkType.FS,
    "PR_SS": LinkType.SS,
    "PR_FF": LinkType.FF,
    "PR_SF": LinkType.SF,
}
CONSTRAINTS = {
    "": ConstraintType.ASAP,
    "CS_ALAP": ConstraintType.ALAP,
    "CS_MSO": ConstraintType.MSO,
    "CS_MANDSTART": ConstraintType.MSO,
    "CS_MEO": ConstraintType.MFO,
    "CS_MANDFIN": ConstraintType.MFO,
    "CS_MSOA": ConstraintType.SNET,
    "CS_MSOB": ConstraintType.SNLT,
    "CS_MEOA": ConstraintType.FNET,
    "CS_MEOB": ConstraintType.FNLT,
}
MILESTONES = ("TT_Mile", "TT_FinMile")
_WBS_UID_OFFSET = 1_000_000_000  # keeps WBS summary uids apart from activity uids


class _Reader:
    def __init__(self, tables: dict[str, XerTable]) -> None:
        self.tables = tables

    def rows(self, name: str, required: bool = False) -> list[XerRow]:
        table = self.tables.get(name)
        if table is None and required:
            raise XerError(f"the file has no {name} table")
        return table.rows if table is not None else []


def _where(table: str, row: XerRow) -> str:
    return f"{table} line {row.line}"


def _int(table: str, row: XerRow, name: str, required: bool = True) -> int | None:
    raw = row.get(name).strip()
    if not raw:
        if required:
            raise XerError(f"{_where(table, row)}: {name} is empty")
        return None
    try:
        return int(float(raw))
    except ValueError:
        raise XerError(f"{_where(table, row)}: {name} {raw!r} is not a number") from None


def _hours(table: str, row: XerRow, name: str) -> float | None:
    raw = row.get(name).strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise XerError(f"{_where(table, row)}: {name} {raw!r} is not a number of hours") from None


def _date(table: str, row: XerRow, name: str) -> dt.datetime | None:
    raw = row.get(name).strip()
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise XerError(
            f"{_where(table, row)}: {name} {raw!r} is not a date (YYYY-MM-DD hh:mm)"
        ) from None
    if not 1900 <= value.year <= 2200:
        raise XerError(f"{_where(table, row)}: {name} {raw!r} is outside 1900..2200")
    return value


def read_xer(data: bytes) -> PlanDocument:
    """Read the first project of an XER file; raises :class:`XerError` naming the line."""
    reader = _Reader(parse_tables(data))
    projects = reader.rows("PROJECT", required=True)
    if not projects:
        raise XerError("the PROJECT table has no project")
    project = projects[0]
    proj_id = project.get("proj_id")
    calendars = _calendars(reader)
    start = _date("PROJECT", project, "plan_start_date") or _date(
        "PROJECT", project, "last_recalc_date"
    )
    if start is None:
        raise XerError(f"{_where('PROJECT', project)}: plan_start_date is empty")
    calendar_uid = _int("PROJECT", project, "clndr_id", required=False)
    default = next((c for c in reader.rows("CALENDAR") if c.get("default_flag") == "Y"), None)
    if calendar_uid not in {c.uid for c in calendars}:
        calendar_uid = _int("CALENDAR", default, "clndr_id") if default else None
    if calendar_uid is None:
        calendars.append(CalendarSpec(uid=0))
        calendar_uid = 0
    document = PlanDocument(
        spec=ProjectSpec(
            name=project.get("proj_short_name") or "P6 project",
            start=start,
            calendar_uid=calendar_uid,
            calendars=calendars,
            tasks=[],
            status_date=_date("PROJECT", project, "last_recalc_date"),
        ),
        source_format="xer",
    )
    _outline(reader, proj_id, document, {c.uid for c in calendars})
    _links(reader, proj_id, document)
    _resources(reader, proj_id, document, {c.uid for c in calendars})
    return document


def _calendars(reader: _Reader) -> list[CalendarSpec]:
    specs = []
    for row in reader.rows("CALENDAR"):
        uid = _int("CALENDAR", row, "clndr_id")
        assert uid is not None
        where = f"{_where('CALENDAR', row)} ({row.get('clndr_name')})"
        tree = parse_calendar_data(row.get("clndr_data"), where)
        specs.append(
            CalendarSpec(
                uid=uid,
                name=row.get("clndr_name") or f"Calendar {uid}",
                base_uid=_int("CALENDAR", row, "base_clndr_id", required=False),
                weekly=read_week(tree, where) if tree is not None else CalendarSpec(uid).weekly,
                exceptions=read_exceptions(tree, where),
            )
        )
    known = {s.uid for s in specs}
    for spec in specs:
        if spec.base_uid not in known or spec.base_uid == spec.uid:
            spec.base_uid = None
    return specs


def _task(row: XerRow, level: int, calendar_uids: set[int]) -> TaskSpec:
    uid = _int("TASK", row, "task_id")
    assert uid is not None
    where = f"{_where('TASK', row)} ({row.get('task_code')})"
    constraint_code = row.get("cstr_type").strip()
    if constraint_code not in CONSTRAINTS:
        raise XerError(f"{where}: {constraint_code!r} is not a P6 constraint type")
    constraint = CONSTRAINTS[constraint_code]
    constraint_date = _date("TASK", row, "cstr_date")
    if constraint not in (ConstraintType.ASAP, ConstraintType.ALAP) and constraint_date is None:
        raise XerError(f"{where}: constraint {constraint_code} has no cstr_date")
    duration = _hours("TASK", row, "target_drtn_hr_cnt") or 0.0
    remaining = _hours("TASK", row, "remain_drtn_hr_cnt")
    percent = _hours("TASK", row, "phys_complete_pct") or 0.0
    if duration < 0 or not 0 <= percent <= 100:
        raise XerError(f"{where}: negative duration or percent complete outside 0..100")
    calendar = _int("TASK", row, "clndr_id", required=False)
    return TaskSpec(
        uid=uid,
        name=row.get("task_name") or row.get("task_code") or f"Activity {uid}",
        duration_minutes=round(duration * 60),
        outline_level=level,
        milestone=row.get("task_type") in MILESTONES,
        constraint_type=constraint,
        constraint_date=constraint_date,
        calendar_uid=calendar if calendar in calendar_uids else None,
        actual_start=_date("TASK", row, "act_start_date"),
        actual_finish=_date("TASK", row, "act_end_date"),
        percent_complete=percent,
        remaining_duration_minutes=None if remaining is None else round(remaining * 60),
    )


def _outline(reader: _Reader, proj_id: str, document: PlanDocument, calendars: set[int]) -> None:
    """WBS nodes as summary tasks, each followed by its activities, then its sub-nodes."""
    wbs_rows = [r for r in reader.rows("PROJWBS") if r.get("proj_id") == proj_id]
    tasks = [r for r in reader.rows("TASK", required=True) if r.get("proj_id") == proj_id]
    root_ids = {r.get("wbs_id") for r in wbs_rows if r.get("proj_node_flag") == "Y"}
    by_parent: dict[str, list[XerRow]] = {}
    for row in wbs_rows:
        if row.get("wbs_id") not in root_ids:
            parent = row.get("parent_wbs_id")
            by_parent.setdefault("" if parent in root_ids else parent, []).append(row)
    tasks_by_wbs: dict[str, list[XerRow]] = {}
    known_wbs = {r.get("wbs_id") for r in wbs_rows} - root_ids
    for row in tasks:
        wbs = row.get("wbs_id")
        tasks_by_wbs.setdefault(wbs if wbs in known_wbs else "", []).append(row)

    def order(row: XerRow) -> tuple[int, str]:
        return (_int("PROJWBS", row, "seq_num", required=False) or 0, row.get("wbs_short_name"))

    def visit(wbs_id: str, level: int) -> None:
        for row in tasks_by_wbs.get(wbs_id, []):
            spec = _task(row, level, calendars)
            document.spec.tasks.append(spec)
            document.wbs[spec.uid] = row.get("task_code")
            document.saved[spec.uid] = SavedDates(
                start=_date("TASK", row, "early_start_date"),
                finish=_date("TASK", row, "early_end_date"),
            )
        for row in sorted(by_parent.get(wbs_id, []), key=order):
            uid = _WBS_UID_OFFSET + (_int("PROJWBS", row, "wbs_id") or 0)
            document.spec.tasks.append(
                TaskSpec(
                    uid=uid,
                    name=row.get("wbs_name") or row.get("wbs_short_name"),
                    outline_level=level,
                )
            )
            document.wbs[uid] = row.get("wbs_short_name")
            visit(row.get("wbs_id"), level + 1)

    visit("", 1)


def _links(reader: _Reader, proj_id: str, document: PlanDocument) -> None:
    uids = {t.uid for t in document.spec.tasks}
    for row in reader.rows("TASKPRED"):
        if row.get("proj_id") != proj_id:
            continue
        code = row.get("pred_type").strip()
        if code not in LINK_TYPES:
            raise XerError(
                f"{_where('TASKPRED', row)}: {code!r} is not a link type (PR_FS, PR_SS, PR_FF, "
                "PR_SF)"
            )
        successor, predecessor = (
            _int("TASKPRED", row, "task_id"),
            _int("TASKPRED", row, "pred_task_id"),
        )
        if predecessor not in uids or successor not in uids:
            if row.get("pred_proj_id", proj_id) != proj_id:
                continue  # a link to another project's activity
            raise XerError(f"{_where('TASKPRED', row)}: the link names an activity not in TASK")
        assert predecessor is not None
        assert successor is not None
        document.spec.links.append(
            LinkSpec(
                predecessor_uid=predecessor,
                successor_uid=successor,
                type=LINK_TYPES[code],
                lag=round((_hours("TASKPRED", row, "lag_hr_cnt") or 0.0) * 60, 6),
            )
        )


def _resources(reader: _Reader, proj_id: str, document: PlanDocument, calendars: set[int]) -> None:
    for row in reader.rows("RSRC"):
        uid = _int("RSRC", row, "rsrc_id")
        assert uid is not None
        calendar = _int("RSRC", row, "clndr_id", required=False)
        units = _hours("RSRC", row, "max_qty_per_hr")
        document.resources.append(
            ResourceData(
                uid=uid,
                name=(row.get("rsrc_name") or row.get("rsrc_short_name"))[:120],
                role=row.get("rsrc_title_name")[:120],
                calendar_uid=calendar if calendar in calendars else None,
                capacity_percent=max(1, round((units if units is not None else 1.0) * 100)),
            )
        )
    resources = {r.uid for r in document.resources}
    tasks = {t.uid for t in document.spec.tasks}
    for row in reader.rows("TASKRSRC"):
        if row.get("proj_id") != proj_id:
            continue
        task, resource = _int("TASKRSRC", row, "task_id"), _int("TASKRSRC", row, "rsrc_id")
        if task in tasks and resource in resources:
            assert task is not None
            assert resource is not None
            units = _hours("TASKRSRC", row, "target_qty_per_hr")
            percent = max(1, round((units if units is not None else 1.0) * 100))
            document.assignments.append(AssignmentData(task, resource, percent))
