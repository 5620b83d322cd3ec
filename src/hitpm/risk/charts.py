"""Small server-rendered SVG charts: no JavaScript, no CDN, readable by screen readers.

Each chart has a <title> and a text alternative; the pages also show the numbers in a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36
INK, BAR, LINE, MARK, TARGET = "#1a2330", "#5b84b1", "#14365c", "#b3261e", "#1e6b3a"


def _frame(title: str, body: list[str], height: int = HEIGHT, kind: str = "") -> SafeString:
    parts = [
        f'<svg class="chart {kind}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # every value above is escaped or numeric


def _text(x: float, y: float, label: str, anchor: str = "middle", size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{INK}">{escape(label)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, title: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}">'
        f"<title>{escape(title)}</title></rect>"
    )


def _line(x1: float, x2: float, y1: float, y2: float, colour: str, extra: str = "") -> str:
    return (
        f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="{colour}"{extra}/>'
    )


def _short(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%-d %b %y")


def finish_marks(results: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """The deterministic date and P80 of a run's project finish, as histogram marks."""
    return [
        ("Plan", results.get("deterministic_finish"), MARK),
        ("P80", results.get("finish", {}).get("p80"), LINE),
    ]


def milestone_marks(milestone: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """A milestone's deterministic date, P80 and deadline / target go-live as marks."""
    marks = [("Plan", milestone.get("deterministic"), MARK), ("P80", milestone.get("p80"), LINE)]
    for target in milestone.get("targets", []):
        label = "Target" if target["label"] == "Target go-live" else str(target["label"])
        marks.append((label, target["date"], TARGET))
    return marks


def histogram(
    results: dict[str, Any],
    marks: Sequence[tuple[str, str | None, str]] | None = None,
    title: str = "Histogram of simulated project finish dates",
) -> SafeString:
    """Iterations per finish-date bin of ``results["histogram"]`` (a run's project finish or
    one milestone's entry), with ``marks`` (label, ISO date, colour; by default the
    deterministic date and P80 of the project finish) drawn as dashed lines. A mark outside
    the bins is drawn at the edge, its label pointing beyond it."""
    bins = results.get("histogram", [])
    if not bins:
        return SafeString("")
    top = max(b["count"] for b in bins) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    width = inner_w / len(bins)
    left: float = LEFT
    if len(bins) == 1:  # one date: a bar as wide as one of thirty, in the middle
        width = inner_w / 30
        left = LEFT + (inner_w - width) / 2
    body = []
    for i, b in enumerate(bins):
        h = inner_h * b["count"] / top
        tip = f"{_short(b['from'])} to {_short(b['to'])}: {b['count']} iterations"
        body.append(_rect(left + i * width + 1, TOP + inner_h - h, max(width - 2, 1), h, BAR, tip))
    if len(bins) == 1:  # every iteration on one date
        body.append(_text(LEFT + inner_w / 2, HEIGHT - 18, _short(bins[0]["from"])))
    else:
        body.append(_text(LEFT, HEIGHT - 18, _short(bins[0]["from"]), "start"))
        body.append(_text(LEFT + inner_w / 2, HEIGHT - 18, _short(bins[len(bins) // 2]["from"])))
        body.append(_text(WIDTH - RIGHT, HEIGHT - 18, _short(bins[-1]["to"]), "end"))
    first = dt.datetime.fromisoformat(bins[0]["from"]).timestamp()
    last = dt.datetime.fromisoformat(bins[-1]["to"]).timestamp()
    dashed = ' stroke-width="2" stroke-dasharray="4 3"'
    for row, (label, iso, colour) in enumerate(finish_marks(results) if marks is None else marks):
        if not iso:
            continue
        at = dt.datetime.fromisoformat(iso).timestamp()
        if last > first:
            x = LEFT + inner_w * (at - first) / (last - first)
        else:  # one bin, in the middle: a mark on another date is beyond an edge
            x = LEFT + inner_w / 2 if at == first else LEFT - 1 if at < first else WIDTH
        shown = f"← {label}" if x < LEFT else f"{label} →" if x > WIDTH - RIGHT else label
        x = min(max(x, LEFT), WIDTH - RIGHT)
        body.append(_line(x, x, TOP, TOP + inner_h, colour, dashed))
        right = x > WIDTH - RIGHT - 60  # keep the label inside the frame
        body.append(_text(x - 3 if right else x + 3, TOP + 10 + 12 * row, shown,
                          "end" if right else "start"))  # fmt: skip
    body.append(_text(LEFT - 6, TOP + 10, str(top), "end"))
    body.append(_text(LEFT - 6, TOP + inner_h, "0", "end"))
    return _frame(title, body)


def s_curve(
    results: dict[str, Any],
    title: str = "S-curve: probability of finishing on or before each date",
) -> SafeString:
    """Cumulative probability of finishing by each date (``results["s_curve"]``: a run's
    project finish or one milestone's entry)."""
    points = results.get("s_curve", [])
    if not points:
        return SafeString("")
    first = dt.datetime.fromisoformat(points[0][0]).timestamp()
    last = dt.datetime.fromisoformat(points[-1][0]).timestamp()
    span = (last - first) or 1.0
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    coords = [
        (
            LEFT + inner_w * (dt.datetime.fromisoformat(d).timestamp() - first) / span,
            TOP + inner_h * (1 - f),
        )
        for d, f in points
    ]
    if len(points) == 1:  # every iteration on one date: a step from 0 to 100 % there
        middle = LEFT + inner_w / 2
        coords = [(LEFT, TOP + inner_h), (middle, TOP + inner_h), *coords, (WIDTH - RIGHT, TOP)]
        coords[2] = (middle, coords[2][1])
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    body = [
        f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2.5"/>',
        *(
            _text(LEFT - 6, TOP + inner_h * (1 - f) + 4, f"{int(f * 100)}%", "end")
            for f in (0.0, 0.5, 0.8, 1.0)
        ),
        *(
            _line(LEFT, WIDTH - RIGHT, TOP + inner_h * (1 - f), TOP + inner_h * (1 - f), "#d5dbe3")
            for f in (0.5, 0.8)
        ),
        *(
            [_text(LEFT + inner_w / 2, HEIGHT - 18, _short(points[0][0]))]
            if len(points) == 1
            else [
                _text(LEFT, HEIGHT - 18, _short(points[0][0]), "start"),
                _text(WIDTH - RIGHT, HEIGHT - 18, _short(points[-1][0]), "end"),
            ]
        ),
    ]
    return _frame(title, body)


def tornado(bars: Sequence[dict[str, Any]], key: str = "sensitivity") -> SafeString:
    """Horizontal bars of rank correlation with the finish, strongest first."""
    if not bars:
        return SafeString("")
    row, label_w = 22, 260
    height = TOP + row * len(bars) + 8
    mid = label_w + (WIDTH - label_w - RIGHT) / 2
    half = (WIDTH - label_w - RIGHT) / 2 - 36  # room for the value beside the bar
    body = [_line(mid, mid, TOP, height - 4, INK)]
    for i, bar in enumerate(bars):
        value = float(bar[key])
        y = TOP + i * row
        w = half * min(abs(value), 1.0)
        x = mid if value >= 0 else mid - w
        name = str(bar["name"])
        body.append(_text(label_w - 6, y + 15, name[:38] + ("…" if len(name) > 38 else ""), "end"))
        colour = BAR if value >= 0 else MARK
        body.append(_rect(x, y + 3, w, row - 6, colour, f"{name}: {value:.2f}"))
        body.append(
            _text(
                mid + (w + 4 if value >= 0 else -w - 4),
                y + 15,
                f"{value:.2f}",
                "start" if value >= 0 else "end",
                10,
            )
        )
    title = "Tornado chart: rank correlation of task durations with the finish"
    return _frame(title, body, height, "tornado")


def trend(weeks: Sequence[Any]) -> SafeString:
    """Open exposure per week as bars, red risks counted in the tooltip."""
    if not weeks:
        return SafeString("")
    top = max(w.exposure for w in weeks) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    width = inner_w / len(weeks)
    body = []
    for i, w in enumerate(weeks):
        h = inner_h * w.exposure / top
        title = (
            f"Week ending {w.ending:%-d %b}: exposure {w.exposure}, {w.open_count} open, "
            f"{w.red} red"
        )
        body.append(
            _rect(LEFT + i * width + 2, TOP + inner_h - h, max(width - 4, 1), h, BAR, title)
        )
        if i % 2 == len(weeks) % 2 or len(weeks) < 8:
            body.append(_text(LEFT + (i + 0.5) * width, HEIGHT - 18, w.ending.strftime("%-d %b")))
    body.append(_text(LEFT - 6, TOP + 10, str(top), "end"))
    body.append(_text(LEFT - 6, TOP + inner_h, "0", "end"))
    return _frame("Open risk exposure by week", body)
