"""The task table as CSV and XLSX, with the columns the user shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from hitpm.planning.columns import Column, table_rows
from hitpm.portfolio.models import Project

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: Any) -> Any:
    """Cells as spreadsheets read them: datetimes without time zone (UTC), text otherwise."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if value is None:
        return ""
    return value


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # no formula injection when the file is opened in a spreadsheet
    return value


def task_csv(project: Project, columns: Sequence[Column]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in columns])
    for row in table_rows(project, columns):
        writer.writerow([_csv_cell(row.value(c)) for c in columns])
    return out.getvalue()


def task_xlsx(project: Project, columns: Sequence[Column]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tasks"
    sheet.append([c.label for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table_rows(project, columns):
        values = []
        for column in columns:
            value = _plain(row.value(column))
            values.append("'" + value if isinstance(value, str) and value[:1] == "=" else value)
        sheet.append(values)
    for index, column in enumerate(columns, 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.kind == "datetime":
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
