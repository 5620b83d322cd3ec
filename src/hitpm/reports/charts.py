"""Charts as inline SVG, drawn on the server so the web page, the PDF and a snapshot all carry
the same picture without JavaScript: a Gantt snapshot and a risk heat map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import escape

RAG_FILL = {"green": "#cfe9d8", "amber": "#ffe1a8", "red": "#f6c1bc", "none": "#eef2f6"}
WIDTH = 760
LABEL_W = 250
ROW_H = 20
TOP = 24


@dataclass(frozen=True)
class GanttBar:
    label: str
    start: dt.date
    finish: dt.date
    milestone: bool
    summary: bool
    critical: bool
    percent: float


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    ticks, day = [], first.replace(day=1)
    while day <= last:
        ticks.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return ticks


def gantt_svg(bars: list[GanttBar], as_of: dt.date) -> str:
    """Bars on a month axis; milestones as diamonds, critical work in red."""
    if not bars:
        return ""
    first = min(min(b.start for b in bars), as_of)
    last = max(max(b.finish for b in bars), as_of) + dt.timedelta(days=1)
    span = max((last - first).days, 1)
    plot = WIDTH - LABEL_W - 10
    height = TOP + ROW_H * len(bars) + 6

    def x(day: dt.date) -> float:
        return LABEL_W + plot * (day - first).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="Gantt snapshot" '
        'font-family="sans-serif" font-size="11">'
    ]
    ticks = _months(first, last)
    step = max(1, -(-len(ticks) // 9))
    for tick in ticks[::step]:
        if tick >= first:
            parts.append(
                f'<line x1="{x(tick):.1f}" y1="{TOP - 6}" x2="{x(tick):.1f}" y2="{height}" '
                'stroke="#d5dbe3"/>'
                f'<text x="{x(tick) + 2:.1f}" y="{TOP - 10}" fill="#55606e">{tick:%b %y}</text>'
            )
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_H
        weight = ' font-weight="bold"' if bar.summary else ""
        short = escape(bar.label if len(bar.label) <= 38 else bar.label[:37] + "…")
        parts.append(
            f'<text x="4" y="{y + 14}"{weight}><title>{escape(bar.label)}</title>{short}</text>'
        )
        colour = "#b3261e" if bar.critical else ("#14365c" if bar.summary else "#0b57a4")
        if bar.milestone:
            cx, cy = x(bar.finish), y + 10
            parts.append(
                f'<path d="M{cx:.1f} {cy - 6} L{cx + 6:.1f} {cy} L{cx:.1f} {cy + 6} '
                f'L{cx - 6:.1f} {cy} Z" fill="{colour}"/>'
            )
            continue
        x0, x1 = x(bar.start), max(x(bar.finish), x(bar.start) + 2)
        h = 8 if bar.summary else 12
        top = y + (ROW_H - h) / 2
        done = (x1 - x0) * min(max(bar.percent, 0), 100) / 100
        parts.append(
            f'<rect x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" height="{h}" '
            f'fill="{colour}" fill-opacity="0.35"/>'
            f'<rect x="{x0:.1f}" y="{top:.1f}" width="{done:.1f}" height="{h}" fill="{colour}"/>'
        )
    today = x(as_of)
    parts.append(
        f'<line x1="{today:.1f}" y1="{TOP - 6}" x2="{today:.1f}" y2="{height}" '
        'stroke="#8a4b00" stroke-dasharray="4 3" stroke-width="1.5"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    rating: str
    count: int


def heat_map_svg(rows: list[list[HeatCell]]) -> str:
    """Probability up, impact to the right; each cell shows how many open risks sit there."""
    if not rows:
        return ""
    size = len(rows)
    cell, left, bottom = 54, 70, 40
    width, height = left + cell * size + 10, cell * size + bottom + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Risk heat map" '
        'font-family="sans-serif" font-size="12">'
    ]
    for r, row in enumerate(rows):
        for c, item in enumerate(row):
            x, y = left + c * cell, 5 + r * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="{RAG_FILL.get(item.rating, RAG_FILL["none"])}" stroke="#fff" '
                'stroke-width="2"/>'
            )
            if item.count:
                parts.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 5}" text-anchor="middle" '
                    f'font-weight="bold" font-size="16">{item.count}</text>'
                )
        parts.append(
            f'<text x="{left - 8}" y="{5 + r * cell + cell / 2 + 4}" '
            f'text-anchor="end">{row[0].probability}</text>'
        )
    for c in range(size):
        parts.append(
            f'<text x="{left + c * cell + cell / 2}" y="{5 + size * cell + 16}" '
            f'text-anchor="middle">{rows[0][c].impact}</text>'
        )
    parts.append(
        f'<text x="{left + size * cell / 2}" y="{height - 4}" text-anchor="middle" '
        'fill="#55606e">Impact</text>'
        f'<text x="14" y="{5 + size * cell / 2}" fill="#55606e" '
        f'transform="rotate(-90 14 {5 + size * cell / 2})" text-anchor="middle">'
        "Probability</text></svg>"
    )
    return "".join(parts)
