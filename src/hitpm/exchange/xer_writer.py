"""Write a :class:`PlanDocument` as a Primavera P6 XER file.

Summary tasks become WBS nodes (``PROJWBS``) under the project's root node, other tasks
activities (``TASK``) in their WBS; links, calendars, resources and assignments follow. What
P6 has no place for is left out: links and constraints on summary tasks, deadlines, task
notes, exception names, baselines (documented in docs/exchange.md).
"""

from __future__ import annotations

import datetime as dt

from hitpm.engine.calendar import resolve
from hitpm.engine.model import ConstraintType, LagFormat, LinkSpec, LinkType, TaskSpec
from hitpm.exchange.document import PlanDocument
from hitpm.exchange.xer_calendar import write_calendar_data
from hitpm.exchange.xer_tables import XerRow, XerTable, format_tables

PROJECT_ID = "1"
ROOT_WBS = 1
_CONSTRAINT_CODES = {
    ConstraintType.ASAP: "",
    ConstraintType.ALAP: "CS_ALAP",
    ConstraintType.MSO: "CS_MSO",
    ConstraintType.MFO: "CS_MEO",
    ConstraintType.SNET: "CS_MSOA",
    ConstraintType.SNLT: "CS_MSOB",
    ConstraintType.FNET: "CS_MEOA",
    ConstraintType.FNLT: "CS_MEOB",
}
_LINK_CODES = {
    LinkType.FS: "PR_FS",
    LinkType.SS: "PR_SS",
    LinkType.FF: "PR_FF",
    LinkType.SF: "PR_SF",
}


def _date(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def _hours(minutes: float | None) -> str:
    return "" if minutes is None else f"{minutes / 60:.10g}"


def _lag_minutes(document: PlanDocument, link: LinkSpec, durations: dict[int, int]) -> float:
    """P6 lags are working hours: percent and elapsed lags are converted (approximately)."""
    if link.lag_format == LagFormat.PERCENT:
        return durations.get(link.predecessor_uid, 0) * link.lag / 100
    if link.lag_format == LagFormat.ELAPSED:
        return link.lag * document.spec.options.minutes_per_week / (7 * 1440)
    return link.lag


def _table(name: str, fields: str, rows: list[dict[str, str]]) -> XerTable:
    return XerTable(name, fields.split(), [XerRow(0, r) for r in rows])


def write_xer(document: PlanDocument, exported: dt.date | None = None) -> bytes:
    """The document as XER bytes (UTF-8)."""
    spec = document.spec
    day = (exported or dt.date.today()).isoformat()
    header = (
        f"ERMHDR\t19.12\t{day}\tProject\thitpm\thitpm\tdbxDatabaseNoName\tProject Management\tUSD"
    )
    summaries = _summaries(spec.tasks)
    tables = [
        _table("CURRTYPE", "curr_id curr_short_name", [{"curr_id": "1", "curr_short_name": "$"}]),
        _calendars(document),
        _table(
            "PROJECT",
            "proj_id proj_short_name plan_start_date last_recalc_date clndr_id",
            [
                {
                    "proj_id": PROJECT_ID,
                    "proj_short_name": spec.name[:40],
                    "plan_start_date": _date(spec.start),
                    "last_recalc_date": _date(spec.status_date),
                    "clndr_id": str(spec.calendar_uid),
                }
            ],
        ),
        _wbs(document, summaries),
        _resources(document),
        _tasks(document, summaries),
        _links(document, summaries),
        _assignments(document, summaries),
    ]
    return format_tables(header, tables)


def _summaries(tasks: list[TaskSpec]) -> dict[int, int | None]:
    """Parent uid of every task (None at the top); summaries are those that are parents."""
    parents: dict[int, int | None] = {}
    stack: list[TaskSpec] = []
    for task in tasks:
        del stack[task.outline_level - 1 :]
        parents[task.uid] = stack[-1].uid if stack else None
        stack.append(task)
    return parents


def _calendars(document: PlanDocument) -> XerTable:
    specs = {c.uid: c for c in document.spec.calendars}
    rows = []
    for calendar in document.spec.calendars:
        week = calendar.weekly
        if calendar.base_uid is not None:
            week = dict(enumerate(resolve(calendar.uid, specs).weekly))
        rows.append(
            {
                "clndr_id": str(calendar.uid),
                "default_flag": "Y" if calendar.uid == document.spec.calendar_uid else "N",
                "clndr_name": calendar.name,
                "proj_id": "",
                "base_clndr_id": "" if calendar.base_uid is None else str(calendar.base_uid),
                "clndr_type": "CA_Base",
                "day_hr_cnt": f"{document.spec.options.minutes_per_day / 60:g}",
                "week_hr_cnt": f"{document.spec.options.minutes_per_week / 60:g}",
                "clndr_data": write_calendar_data(week, calendar.exceptions),
            }
        )
    fields = "clndr_id default_flag clndr_name proj_id base_clndr_id clndr_type day_hr_cnt "
    return _table("CALENDAR", fields + "week_hr_cnt clndr_data", rows)


def _wbs(document: PlanDocument, parents: dict[int, int | None]) -> XerTable:
    summary_uids = {p for p in parents.values() if p is not None}
    rows = [
        {
            "wbs_id": str(ROOT_WBS),
            "proj_id": PROJECT_ID,
            "parent_wbs_id": "",
            "seq_num": "0",
            "proj_node_flag": "Y",
            "wbs_short_name": document.spec.name[:20],
            "wbs_name": document.spec.name,
        }
    ]
    for number, task in enumerate(document.spec.tasks, start=1):
        if task.uid in summary_uids:
            parent = parents[task.uid]
            rows.append(
                {
                    "wbs_id": str(_wbs_id(task.uid)),
                    "proj_id": PROJECT_ID,
                    "parent_wbs_id": str(ROOT_WBS if parent is None else _wbs_id(parent)),
                    "seq_num": str(number),
                    "proj_node_flag": "N",
                    "wbs_short_name": (document.wbs.get(task.uid) or str(number))[:20],
                    "wbs_name": task.name,
                }
            )
    fields = "wbs_id proj_id parent_wbs_id seq_num proj_node_flag wbs_short_name wbs_name"
    return _table("PROJWBS", fields, rows)


def _wbs_id(uid: int) -> int:
    return uid + 1  # keeps clear of the root node's id


def _tasks(document: PlanDocument, parents: dict[int, int | None]) -> XerTable:
    summary_uids = {p for p in parents.values() if p is not None}
    rows = []
    for task in document.spec.tasks:
        if task.uid in summary_uids:
            continue
        parent = parents[task.uid]
        status = "TK_NotStart"
        if task.actual_finish is not None:
            status = "TK_Complete"
        elif task.actual_start is not None:
            status = "TK_Active"
        saved = document.saved.get(task.uid)
        rows.append(
            {
                "task_id": str(task.uid),
                "proj_id": PROJECT_ID,
                "wbs_id": str(ROOT_WBS if parent is None else _wbs_id(parent)),
                "clndr_id": str(task.calendar_uid or document.spec.calendar_uid),
                "task_code": document.wbs.get(task.uid) or f"A{task.uid}",
                "task_name": task.name,
                "task_type": "TT_FinMile" if task.milestone else "TT_Task",
                "status_code": status,
                "complete_pct_type": "CP_Drtn",
                "phys_complete_pct": f"{task.percent_complete:g}",
                "target_drtn_hr_cnt": _hours(task.duration_minutes),
                "remain_drtn_hr_cnt": _hours(task.remaining_duration_minutes),
                "cstr_type": _CONSTRAINT_CODES[ConstraintType(task.constraint_type)],
                "cstr_date": _date(task.constraint_date),
                "act_start_date": _date(task.actual_start),
                "act_end_date": _date(task.actual_finish),
                "early_start_date": _date(saved.start if saved else None),
                "early_end_date": _date(saved.finish if saved else None),
            }
        )
    fields = (
        "task_id proj_id wbs_id clndr_id task_code task_name task_type status_code "
        "complete_pct_type phys_complete_pct target_drtn_hr_cnt remain_drtn_hr_cnt cstr_type "
        "cstr_date act_start_date act_end_date early_start_date early_end_date"
    )
    return _table("TASK", fields, rows)


def _links(document: PlanDocument, parents: dict[int, int | None]) -> XerTable:
    summary_uids = {p for p in parents.values() if p is not None}
    durations = {t.uid: t.duration_minutes for t in document.spec.tasks}
    rows = [
        {
            "task_pred_id": str(number),
            "task_id": str(link.successor_uid),
            "pred_task_id": str(link.predecessor_uid),
            "proj_id": PROJECT_ID,
            "pred_proj_id": PROJECT_ID,
            "pred_type": _LINK_CODES[LinkType(link.type)],
            "lag_hr_cnt": _hours(_lag_minutes(document, link, durations)),
        }
        for number, link in enumerate(document.spec.links, start=1)
        if link.successor_uid not in summary_uids and link.predecessor_uid not in summary_uids
    ]
    fields = "task_pred_id task_id pred_task_id proj_id pred_proj_id pred_type lag_hr_cnt"
    return _table("TASKPRED", fields, rows)


def _resources(document: PlanDocument) -> XerTable:
    rows = [
        {
            "rsrc_id": str(r.uid),
            "rsrc_name": r.name,
            "rsrc_short_name": r.name[:20],
            "rsrc_type": "RT_Labor",
            "rsrc_title_name": r.role,
            "clndr_id": "" if r.calendar_uid is None else str(r.calendar_uid),
            "max_qty_per_hr": f"{r.capacity_percent / 100:g}",
        }
        for r in document.resources
    ]
    fields = "rsrc_id rsrc_name rsrc_short_name rsrc_type rsrc_title_name clndr_id max_qty_per_hr"
    return _table("RSRC", fields, rows)


def _assignments(document: PlanDocument, parents: dict[int, int | None]) -> XerTable:
    summary_uids = {p for p in parents.values() if p is not None}
    rows = [
        {
            "taskrsrc_id": str(number),
            "task_id": str(a.task_uid),
            "proj_id": PROJECT_ID,
            "rsrc_id": str(a.resource_uid),
            "target_qty_per_hr": f"{a.units_percent / 100:g}",
        }
        for number, a in enumerate(document.assignments, start=1)
        if a.task_uid not in summary_uids
    ]
    return _table("TASKRSRC", "taskrsrc_id task_id proj_id rsrc_id target_qty_per_hr", rows)
