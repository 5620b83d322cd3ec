"""The register and FMEA worksheets as CSV or XLSX (one header row, one row per record)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hitpm.portfolio.models import Project
from hitpm.risk.models import FmeaWorksheet, Risk
from hitpm.risk.services.fmea import worksheet_rows
from hitpm.risk.services.insights import RegisterFilter, register

REGISTER_HEADER = (
    "Ref",
    "Kind",
    "Title",
    "Category",
    "Status",
    "Owner",
    "Cause",
    "Event",
    "Effect",
    "Probability",
    "Safety",
    "Schedule",
    "Cost",
    "Compliance",
    "Inherent score",
    "Residual probability",
    "Residual impact",
    "Residual score",
    "Proximity",
    "Triggers",
    "Strategy",
    "Response",
    "Contingency",
    "Fallback",
    "Linked tasks",
    "Open actions",
    "Next review",
    "Identified",
    "Closed",
    "Occurred",
    "Issue",
)
FMEA_HEADER = (
    "Step",
    "Failure mode",
    "Effects",
    "Causes",
    "Current controls",
    "Severity",
    "Probability / occurrence",
    "Detection",
    "Single-point weakness",
    "Effective control",
    "Detectable",
    "Score",
    "Proceed",
    "Decision",
    "Actions",
    "Revised score",
)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_rows(risks: Iterable[Risk]) -> list[list[Any]]:
    rows = []
    for r in risks:
        tasks = "; ".join(str(link.task) for link in r.task_links.all())
        open_actions = "; ".join(
            f"{a.description} ({a.owner or 'no owner'}, due {a.due_on or '-'})"
            for a in r.actions.all()
            if a.status == a.Status.OPEN
        )
        rows.append(
            [
                r.ref,
                r.get_kind_display(),
                r.title,
                r.category.name,
                r.get_status_display(),
                r.owner.get_username() if r.owner else "",
                r.cause,
                r.event,
                r.effect,
                r.probability,
                r.impact_safety,
                r.impact_schedule,
                r.impact_cost,
                r.impact_compliance,
                r.inherent_score,
                r.residual_probability,
                r.residual_impact,
                r.residual_score,
                r.proximity,
                r.triggers,
                r.get_strategy_display(),
                r.response,
                r.contingency,
                r.fallback,
                tasks,
                open_actions,
                r.next_review_on,
                r.identified_on,
                r.closed_on,
                r.occurred_on,
                r.issue_summary,
            ]
        )
    return rows


def fmea_rows(worksheet: FmeaWorksheet) -> list[list[Any]]:
    rows = []
    for group in worksheet_rows(worksheet):
        for a in group.modes:
            m = a.mode
            actions = "; ".join(
                f"{x.get_kind_display()}: {x.description} ({x.owner or 'no owner'}, "
                f"due {x.due_on or '-'}, {x.get_status_display()})"
                for x in m.actions.all()
            )
            rows.append(
                [
                    str(group.step),
                    m.description,
                    m.effects,
                    m.causes,
                    m.controls,
                    m.severity,
                    m.probability,
                    m.detection,
                    _yes(m.single_point_weakness),
                    _yes(m.effective_control),
                    _yes(m.detectable),
                    a.score,
                    _yes(a.proceed),
                    a.reason,
                    actions,
                    a.revised,
                ]
            )
    return rows


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _safe(value: Any) -> Any:
    """Defuse spreadsheet formulas in text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(name) + 2, 12), 40)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Download:
    body: bytes
    content_type: str
    filename: str


def _download(
    stem: str, title: str, header: Sequence[str], rows: list[list[Any]], format: str
) -> Download:
    if format == "xlsx":
        return Download(to_xlsx(title, header, rows), XLSX_TYPE, f"{stem}.xlsx")
    return Download(to_csv(header, rows), CSV_TYPE, f"{stem}.csv")


def register_file(project: Project, format: str) -> Download:
    """The whole register of a project, in register order."""
    risks = register(project, RegisterFilter(), "number").prefetch_related(
        "task_links__task", "actions__owner"
    )
    rows = register_rows(risks)
    return _download(
        f"{project.code}-risk-register", "Risk register", REGISTER_HEADER, rows, format
    )


def fmea_file(worksheet: FmeaWorksheet, format: str) -> Download:
    stem = f"{worksheet.project.code}-fmea-{worksheet.pk}"
    return _download(stem, "FMEA", FMEA_HEADER, fmea_rows(worksheet), format)


def as_response(download: Download) -> HttpResponse:
    response = HttpResponse(download.body, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
