"""Gantt exports: SVG from :mod:`.svg`, and PNG and a printable PDF drawn from it by cairosvg.

In the PDF the time axis is fitted to the paper's width and the rows are tiled over as many
landscape pages as they need, each page with the project's name, its status date, the page
number and the legend. Every page is one SVG drawn by cairosvg onto a shared multi-page cairo
PDF surface (cairosvg itself writes one page per document).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cairocffi
import cairosvg
import cairosvg.parser
import cairosvg.surface
from django.core.exceptions import ValidationError

from hitpm.planning.gantt.data import GanttData, TaskRow, status_minute
from hitpm.planning.gantt.layout import ROW, TimeScale, Zoom, fit_zoom, span, visible
from hitpm.planning.gantt.svg import (
    GRID_WIDTH,
    LEGEND_HEIGHT,
    SCALE_HEIGHT,
    TITLE_HEIGHT,
    Sheet,
    render,
)

PAPERS: dict[str, tuple[float, float]] = {
    "a4": (297, 210),
    "a3": (420, 297),
    "letter": (279.4, 215.9),
    "tabloid": (431.8, 279.4),
}
"""Landscape paper sizes in millimetres."""
MARGIN_MM = 10
PX_PER_MM = 96 / 25.4
PT_PER_PX = 72 / 96
SCREEN_WIDTH = 1400
"""Chart width (pixels) a fitted SVG or PNG aims for."""
MAX_PNG_ROWS = 1400
"""Cairo draws images up to 32,767 pixels high: about this many rows."""
MAX_PDF_PAGES = 60
"""Pages drawn in one request (about 0.4 s each on a busy 2-core server)."""


@dataclass(frozen=True)
class ExportOptions:
    """What the person asked for: a zoom (fitted when None), an outline level, a paper size."""

    zoom: Zoom | None = None
    level: int | None = None
    paper: str = "a3"


def options_from(query: Mapping[str, str]) -> ExportOptions:
    """Options from query parameters, with a clear error for a bad value."""
    errors: dict[str, str] = {}
    zoom = query.get("zoom") or None
    if zoom is not None and zoom not in Zoom.__members__.values():
        errors["zoom"] = f"Zoom must be one of {', '.join(Zoom)}, not {zoom!r}."
    level_text = query.get("level") or None
    level = None
    if level_text is not None:
        level = int(level_text) if level_text.isdigit() else 0
        if not 1 <= level <= 99:
            errors["level"] = (
                f"Outline level must be a whole number from 1 to 99, not {level_text!r}."
            )
    paper = query.get("paper") or "a3"
    if paper not in PAPERS:
        errors["paper"] = f"Paper must be one of {', '.join(PAPERS)}, not {paper!r}."
    if errors:
        raise ValidationError(errors)
    return ExportOptions(Zoom(zoom) if zoom else None, level, paper)


def _days(data: GanttData, rows: list[TaskRow]) -> tuple[int, int]:
    """First midnight and number of days the chart spans (the status date included)."""
    first, last = span(rows, [status_minute(data.project)])
    return first, (last - first) // 1440


def _scale(data: GanttData, rows: list[TaskRow], zoom: Zoom, width: float | None) -> TimeScale:
    first, days = _days(data, rows)
    return TimeScale(first, days, width / days if width is not None else zoom.px_per_day)


def svg(data: GanttData, options: ExportOptions) -> str:
    """The whole plan (down to the chosen outline level) as one SVG, title and legend included."""
    rows = visible(data.tasks, options.level)
    zoom = options.zoom or fit_zoom(_days(data, rows)[1], SCREEN_WIDTH)
    return render(data, Sheet(rows, _scale(data, rows, zoom, None), zoom))


def png(data: GanttData, options: ExportOptions) -> bytes:
    """The SVG export as a PNG image; very long plans must pick an outline level or the PDF."""
    rows = visible(data.tasks, options.level)
    if len(rows) > MAX_PNG_ROWS:
        raise ValidationError(
            {
                "level": f"{len(rows)} rows are too many for one image (at most {MAX_PNG_ROWS}); "
                "choose an outline level or export a PDF, which spreads rows over pages."
            }
        )
    result: bytes = cairosvg.svg2png(bytestring=svg(data, options).encode())
    return result


def pdf(data: GanttData, options: ExportOptions) -> bytes:
    """A printable landscape PDF: the time axis fits the page width, rows tile over pages."""
    rows = visible(data.tasks, options.level)
    paper_w, paper_h = PAPERS[options.paper]
    width = (paper_w - 2 * MARGIN_MM) * PX_PER_MM
    height = (paper_h - 2 * MARGIN_MM) * PX_PER_MM
    per_page = max(int((height - TITLE_HEIGHT - SCALE_HEIGHT - LEGEND_HEIGHT - 4) // ROW), 1)
    chart_width = width - GRID_WIDTH
    zoom = options.zoom or fit_zoom(_days(data, rows)[1], chart_width)
    scale = _scale(data, rows, zoom, chart_width)
    pages = max(math.ceil(len(rows) / per_page), 1)
    if pages > MAX_PDF_PAGES:
        raise ValidationError(
            {
                "level": f"{len(rows)} rows need {pages} {options.paper.upper()} pages, more than "
                f"the {MAX_PDF_PAGES} printed at once; choose an outline level or a larger paper."
            }
        )
    paper = (paper_w * PX_PER_MM, paper_h * PX_PER_MM)
    output = io.BytesIO()
    surface = cairocffi.PDFSurface(output, paper[0] * PT_PER_PX, paper[1] * PT_PER_PX)
    surface.set_metadata(cairocffi.PDF_METADATA_TITLE, f"{data.project.code} Gantt chart")
    for page in range(pages):
        sheet = Sheet(
            rows[page * per_page : (page + 1) * per_page],
            scale,
            zoom,
            page=f"Page {page + 1} of {pages}",
        )
        margin = MARGIN_MM * PX_PER_MM
        drawn = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{paper[0]:.1f}" '
            f'height="{paper[1]:.1f}"><g transform="translate({margin:.1f},{margin:.1f})">'
            f"{render(data, sheet)}</g></svg>"
        )
        _PdfPage(surface, drawn)
        surface.show_page()
    surface.finish()
    return output.getvalue()


class _PdfPage(cairosvg.surface.PDFSurface):
    """One SVG drawn by cairosvg as the next page of a shared cairo PDF surface."""

    def __init__(self, shared: cairocffi.PDFSurface, drawing: str) -> None:
        self._shared = shared
        super().__init__(cairosvg.parser.Tree(bytestring=drawing.encode()), None, 96)

    def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
        return self._shared, width, height
