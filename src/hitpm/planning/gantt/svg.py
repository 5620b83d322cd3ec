"""The Gantt chart as SVG, drawn on the server from the same data the browser gets.

One renderer serves every export: the SVG download, the PNG made from it, and the pages of
the printable PDF. Only presentation attributes are used (no CSS), so cairosvg and
WeasyPrint draw it exactly alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from hitpm.core.templatetags.hitpm_ui import days
from hitpm.planning.gantt.data import GanttData, TaskRow, from_minutes, status_minute
from hitpm.planning.gantt.layout import (
    ROW,
    TIERS,
    TimeScale,
    Zoom,
    arrow_path,
    nonworking_runs,
    ticks,
)

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
INK, MUTED, LINE, GRID_BG = "#1a2330", "#55606e", "#d5dbe3", "#f5f7fa"
BAR, BAR_EDGE, CRIT, CRIT_EDGE = "#4a7fc1", "#2c5b94", "#d64541", "#a32a25"
BASELINE, SHADE, TODAY, STATUS = "#9aa5b1", "#eef1f5", "#f2a900", "#0b57a4"
COLUMNS = (("WBS", 54), ("Task", 250), ("Duration", 64), ("Start", 94), ("Finish", 94))
GRID_WIDTH = sum(width for _, width in COLUMNS)
TITLE_HEIGHT, SCALE_HEIGHT, LEGEND_HEIGHT = 54, 36, 40
LEGEND = (
    ("bar", "Task"),
    ("crit", "Critical task"),
    ("progress", "Progress"),
    ("summary", "Summary"),
    ("milestone", "Milestone"),
    ("baseline", "Baseline"),
    ("status", "Status date"),
    ("today", "Today"),
    ("shade", "Non-working time"),
)


@dataclass(frozen=True)
class Sheet:
    """One drawing: which rows, on which time scale, with or without title and legend."""

    rows: Sequence[TaskRow]
    scale: TimeScale
    zoom: Zoom
    title: bool = True
    legend: bool = True
    page: str = ""


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text(x: float, y: float, value: str, size: float = 11, fill: str = INK, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}"{extra}>'
        f"{escape(value)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, stroke: str = "none") -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}" '
        f'fill="{fill}" stroke="{stroke}"/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}"{extra}/>'
    )


def _diamond(cx: float, cy: float, r: float, fill: str) -> str:
    points = (
        f"{_n(cx)},{_n(cy - r)} {_n(cx + r)},{_n(cy)} {_n(cx)},{_n(cy + r)} {_n(cx - r)},{_n(cy)}"
    )
    return f'<polygon points="{points}" fill="{fill}"/>'


def _fit(value: str, width: float) -> str:
    limit = max(int(width / 6.3), 1)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _date(value: int | None) -> str:
    return "—" if value is None else f"{from_minutes(value):%a %d %b %y}"


def _title(data: GanttData, width: float, page: str) -> list[str]:
    project = data.project
    status = f"{project.status_date:%d %b %Y}" if project.status_date else "not set"
    facts = f"Status date {status} · printed {dt.datetime.now(dt.UTC):%d %b %Y %H:%M} UTC"
    if data.baseline:
        facts += f" · baseline {data.baseline.name}"
    parts = [
        _text(0, 20, f"{project.code} · {project.name}", 17, font_weight="bold"),
        _text(0, 40, facts, 11.5),
    ]
    if page:
        parts.append(_text(width, 40, page, 11.5, text_anchor="end"))
    return parts


def _scale_header(sheet: Sheet, top: float) -> list[str]:
    parts = [_rect(0, top, GRID_WIDTH + sheet.scale.width, SCALE_HEIGHT, GRID_BG, LINE)]
    x = 0.0
    for label, width in COLUMNS:
        parts.append(_text(x + 4, top + 24, label, 11, font_weight="bold"))
        x += width
    for tier, unit in enumerate(TIERS[sheet.zoom]):
        y = top + tier * SCALE_HEIGHT / 2
        for x0, x1, label in ticks(sheet.scale, unit):
            parts.append(_line(GRID_WIDTH + x0, y, GRID_WIDTH + x0, y + SCALE_HEIGHT / 2, LINE))
            if x1 - x0 >= len(label) * 6.5:
                parts.append(_text(GRID_WIDTH + x0 + 3, y + 13, label, 10, fill=MUTED))
    return parts


def _grid_row(task: TaskRow, y: float) -> list[str]:
    bold = {"font_weight": "bold"} if task["summary"] else {}
    cells = (
        task["wbs"],
        ("◆ " if task["milestone"] else "") + task["name"],
        "" if task["summary"] else days(task["dur"]),
        _date(task["s"]),
        _date(task["f"]),
    )
    parts, x = [], 0.0
    for index, ((_, width), value) in enumerate(zip(COLUMNS, cells, strict=True)):
        indent = (task["level"] - 1) * 10 if index == 1 else 0
        text = _fit(value, width - 8 - indent)
        parts.append(_text(x + 4 + indent, y + 15, text, 10.5, **bold))
        x += width
    return parts


def _bar(task: TaskRow, scale: TimeScale, y: float, with_baseline: bool) -> list[str]:
    parts: list[str] = []
    if with_baseline and task["bs"] is not None and task["bf"] is not None:
        x0, x1 = scale.x(task["bs"]), scale.x(task["bf"])
        if task["milestone"] or x1 - x0 < 1:
            parts.append(_diamond(x0, y + 17, 4, BASELINE))
        else:
            parts.append(_rect(x0, y + 15, x1 - x0, 4, BASELINE))
    if task["s"] is None or task["f"] is None:
        return parts
    x0, x1 = scale.x(task["s"]), scale.x(task["f"])
    top, height = (y + 4, 9) if with_baseline else (y + 6, 10)
    if task["milestone"]:
        parts.append(_diamond(x0, top + height / 2, 6, CRIT if task["critical"] else INK))
    elif task["summary"]:
        parts.append(_rect(x0, top + 1, x1 - x0, 5, INK))
        for x in (x0, x1):
            parts.append(_diamond(x, top + 6, 3.5, INK))
    else:
        fill, edge = (CRIT, CRIT_EDGE) if task["critical"] else (BAR, BAR_EDGE)
        parts.append(_rect(x0, top, max(x1 - x0, 2), height, fill, edge))
        if task["pct"] > 0:
            done = (x1 - x0) * task["pct"] / 100
            parts.append(_rect(x0, top + height / 2 - 1.5, done, 3, INK))
    return parts


def _ends(task: TaskRow, scale: TimeScale) -> tuple[float, float]:
    if task["milestone"]:
        x = scale.x(task["s"] or 0)
        return x - 6, x + 6
    return scale.x(task["s"] or 0), scale.x(task["f"] or 0)


def _arrows(data: GanttData, sheet: Sheet, top: float) -> list[str]:
    index = {task["id"]: i for i, task in enumerate(sheet.rows)}
    parts = []
    for link in data.links:
        p, s = index.get(link["p"]), index.get(link["s"])
        if p is None or s is None:
            continue
        pred, succ = sheet.rows[p], sheet.rows[s]
        if pred["s"] is None or succ["s"] is None:
            continue
        leaves_finish, enters_finish = link["type"][0] == "F", link["type"][1] == "F"
        x1 = _ends(pred, sheet.scale)[1 if leaves_finish else 0]
        x2 = _ends(succ, sheet.scale)[1 if enters_finish else 0]
        y1, y2 = top + p * ROW + ROW / 2, top + s * ROW + ROW / 2
        points = arrow_path((x1, y1), leaves_finish, (x2, y2), enters_finish)
        colour = CRIT if pred["critical"] and succ["critical"] else MUTED
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1"/>')
        head = -4 if enters_finish else 4
        parts.append(
            f'<polygon points="{_n(x2)},{_n(y2)} {_n(x2 - head)},{_n(y2 - 3)} '
            f'{_n(x2 - head)},{_n(y2 + 3)}" fill="{colour}"/>'
        )
    return parts


def _legend(width: float, top: float) -> list[str]:
    parts, x = [_line(0, top, width, top, LINE)], 0.0
    samples = {
        "bar": _rect(0, -5, 22, 10, BAR, BAR_EDGE),
        "crit": _rect(0, -5, 22, 10, CRIT, CRIT_EDGE),
        "progress": _rect(0, -5, 22, 10, BAR, BAR_EDGE) + _rect(0, -1.5, 12, 3, INK),
        "summary": _rect(0, -3, 22, 5, INK),
        "milestone": _diamond(11, 0, 6, INK),
        "baseline": _rect(0, -2, 22, 4, BASELINE),
        "status": _line(11, -8, 11, 8, STATUS, ' stroke-dasharray="4 3" stroke-width="1.5"'),
        "today": _line(11, -8, 11, 8, TODAY, ' stroke-width="2"'),
        "shade": _rect(0, -8, 22, 16, SHADE, LINE),
    }
    for key, label in LEGEND:
        parts.append(f'<g transform="translate({_n(x)},{_n(top + 20)})">{samples[key]}</g>')
        parts.append(_text(x + 28, top + 24, label, 10.5))
        x += 36 + len(label) * 6.4
    return parts


def _lines(data: GanttData, scale: TimeScale, top: float, height: float) -> list[str]:
    project = data.project
    parts = []
    today = int(dt.datetime.now(dt.UTC).timestamp()) // 60
    if 0 <= scale.x(today) <= scale.width:
        x = scale.x(today)
        parts.append(_line(x, top, x, top + height, TODAY, ' stroke-width="2"'))
    status = status_minute(project)
    if status is not None:
        x = scale.x(status)
        parts.append(
            _line(x, top, x, top + height, STATUS, ' stroke-dasharray="4 3" stroke-width="1.5"')
        )
    return parts


def render(data: GanttData, sheet: Sheet) -> str:
    """The sheet as a standalone SVG document."""
    width = GRID_WIDTH + sheet.scale.width
    top = TITLE_HEIGHT if sheet.title else 0
    body_top = top + SCALE_HEIGHT
    body_height = len(sheet.rows) * ROW
    height = body_top + body_height + (LEGEND_HEIGHT if sheet.legend else 0) + 2
    parts = _title(data, width, sheet.page) if sheet.title else []
    parts += _scale_header(sheet, top)
    chart = [_rect(0, 0, sheet.scale.width, body_height, "#ffffff")]
    if sheet.scale.px_per_day >= 3:
        for first, last in nonworking_runs(data.weekly, data.exceptions, sheet.scale):
            x = first * sheet.scale.px_per_day
            chart.append(_rect(x, 0, (last - first) * sheet.scale.px_per_day, body_height, SHADE))
    with_baseline = any(t["bs"] is not None for t in sheet.rows)
    grid: list[str] = []
    for i, task in enumerate(sheet.rows):
        y = i * ROW
        grid += _grid_row(task, y)
        grid.append(_line(0, y + ROW, GRID_WIDTH, y + ROW, LINE))
        chart += _bar(task, sheet.scale, y, with_baseline)
    chart += _arrows(data, sheet, 0)
    chart += _lines(data, sheet.scale, 0, body_height)
    parts.append(f'<g transform="translate(0,{_n(body_top)})">{"".join(grid)}</g>')
    parts.append(
        f'<svg x="{GRID_WIDTH}" y="{_n(body_top)}" width="{_n(sheet.scale.width)}" '
        f'height="{body_height}" overflow="hidden">{"".join(chart)}</svg>'
    )
    parts.append(_line(GRID_WIDTH, top, GRID_WIDTH, body_top + body_height, INK))
    parts.append(_rect(0, top, width, SCALE_HEIGHT + body_height, "none", LINE))
    if sheet.legend:
        parts += _legend(width, body_top + body_height + 2)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{FONT}">'
        f"<title>{escape(data.project.name)} Gantt chart</title>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(parts)}</svg>'
    )
