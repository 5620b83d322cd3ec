"""Server-side SVG charts: lines, stacked areas, grouped bars and scatter with guide lines.

Every chart is plain SVG with a <title> and <desc> for screen readers and a visible legend; the
numbers are also on the page as tables. No JavaScript and no chart library is needed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 34
PALETTE = ("#1f5fa8", "#d9822b", "#2e8540", "#8f3fa8", "#c0392b", "#5b6b7a", "#0f8b8d", "#b08d12")


@dataclass(frozen=True)
class Series:
    """One named line, area, bar set or dot set; ``None`` values leave a gap."""

    name: str
    values: Sequence[float | None]
    dashed: bool = False
    color: str = ""


@dataclass
class Frame:
    """Plot area and scales shared by every chart type."""

    n: int
    top: float
    labels: Sequence[str]
    parts: list[str] = field(default_factory=list)

    def x(self, index: float) -> float:
        span = max(self.n - 1, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * index / span

    def y(self, value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / self.top)


def nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _axes(frame: Frame) -> None:
    for k in range(5):
        value = frame.top * k / 4
        y = frame.y(value)
        text = f"{value:g}"
        frame.parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{text}</text>'
        )
    step = max(1, math.ceil(frame.n / 8))
    for i in range(0, min(frame.n, len(frame.labels)), step):
        x = frame.x(i)
        anchor = "end" if x > WIDTH - RIGHT - 24 else "middle"
        frame.parts.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
            f"{escape(frame.labels[i])}</text>"
        )


def _svg(frame: Frame, title: str, desc: str, series: Sequence[Series]) -> SafeString:
    legend = "".join(
        format_html(
            '<li><span class="swatch{}" style="--c:{}"></span>{}</li>',
            " dashed" if s.dashed else "",
            _color(s, i),
            s.name,
        )
        for i, s in enumerate(series)
    )
    body = "".join(frame.parts)
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        f"<desc>{escape(desc)}</desc>{body}</svg>"
    )
    return mark_safe(
        f'<figure class="chart-box">{svg}<ul class="chart-legend">{legend}</ul></figure>'
    )


def _color(series: Series, index: int) -> str:
    return series.color or PALETTE[index % len(PALETTE)]


def _top(series: Sequence[Series], extra: Sequence[float] = ()) -> float:
    values = [v for s in series for v in s.values if v is not None]
    return nice_top(max([*values, *extra, 0]))


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], desc: str = ""
) -> SafeString:
    """Lines over shared x labels (burndown, burnup, WIP over time)."""
    frame = Frame(len(labels), _top(series), labels)
    _axes(frame)
    for index, s in enumerate(series):
        for run in _runs(s.values):
            points = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in run)
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            frame.parts.append(
                f'<polyline class="line" points="{points}" stroke="{_color(s, index)}"{dash}/>'
            )
    return _svg(frame, title, desc, series)


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    runs: list[list[tuple[int, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((i, v))
    return [r for r in runs if r]


def stacked_area(
    title: str, labels: Sequence[str], layers: Sequence[Series], desc: str = ""
) -> SafeString:
    """Cumulative flow: layers stacked bottom-up in the order given (done first)."""
    n = len(labels)
    totals = [sum(float(layer.values[i] or 0) for layer in layers) for i in range(n)]
    frame = Frame(n, nice_top(max(totals, default=0)), labels)
    _axes(frame)
    base = [0.0] * n
    for index, layer in enumerate(layers):
        upper = [base[i] + float(layer.values[i] or 0) for i in range(n)]
        top = " ".join(f"{frame.x(i):.1f},{frame.y(upper[i]):.1f}" for i in range(n))
        bottom = " ".join(f"{frame.x(i):.1f},{frame.y(base[i]):.1f}" for i in reversed(range(n)))
        frame.parts.append(
            f'<polygon class="area" points="{top} {bottom}" fill="{_color(layer, index)}"/>'
        )
        base = upper
    return _svg(frame, title, desc, layers)


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], desc: str = ""
) -> SafeString:
    """Grouped bars per label (throughput per week, committed vs completed per sprint)."""
    n = max(len(labels), 1)
    frame = Frame(n, _top(series), labels)
    slot = _slots(frame)
    _axes(frame)
    width = slot * 0.8 / max(len(series), 1)
    for index, s in enumerate(series):
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x = LEFT + slot * i + slot * 0.1 + width * index
            y = frame.y(value)
            frame.parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{frame.y(0) - y:.1f}" fill="{_color(s, index)}">'
                f"<title>{escape(labels[i])}: {value:g}</title></rect>"
            )
    return _svg(frame, title, desc, series)


def _slots(frame: Frame) -> float:
    """Give each label a slot of equal width and put its x at the slot's centre."""
    slot = (WIDTH - LEFT - RIGHT) / frame.n
    frame.x = lambda index: LEFT + slot * (index + 0.5)  # type: ignore[method-assign]
    return slot


def scatter(
    title: str,
    labels: Sequence[str],
    dots: Sequence[tuple[int, float, str]],
    guides: dict[str, float],
    desc: str = "",
    *,
    categories: bool = False,
) -> SafeString:
    """Dots at (label index, value) with a tooltip each, and horizontal guide lines; with
    ``categories`` the labels are columns with a slot each rather than points on a time axis."""
    n = max(len(labels), 1)
    frame = Frame(n, nice_top(max([*(v for _, v, _ in dots), *guides.values(), 0])), labels)
    if categories:
        _slots(frame)
    _axes(frame)
    for name, value in guides.items():
        y = frame.y(value)
        frame.parts.append(
            f'<line class="guide" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="guide-label" x="{WIDTH - RIGHT - 4}" y="{y - 4:.1f}" '
            f'text-anchor="end">{escape(name)}</text>'
        )
    for x, value, tip in dots:
        frame.parts.append(
            f'<circle class="dot" cx="{frame.x(x):.1f}" cy="{frame.y(value):.1f}" r="3.5">'
            f"<title>{escape(tip)}</title></circle>"
        )
    legend = [Series("Finished item", [], color=PALETTE[0])]
    legend += [Series(f"{k} line", [], dashed=True, color="#c0392b") for k in guides]
    return _svg(frame, title, desc, legend)
