"""Cells of the task table: each column's value, formatted for people."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

from hitpm.planning.columns import Column, TableRow

register = template.Library()
EMPTY = "—"
CRITICAL = mark_safe('<span class="tag crit">Critical</span>')


def _days(value: float | None, signed: bool = False) -> str:
    if value is None:
        return EMPTY
    text = f"{value:+g}" if signed and value else f"{value:g}"
    return f"{text}d"


@register.simple_tag
def cell(row: TableRow, column: Column) -> str | SafeString:
    """A column's value for one row: days as "2.5d", dates as "Mon 4 Jan 2027"."""
    value = row.value(column)
    if column.kind == "datetime":
        if not isinstance(value, dt.datetime):
            return EMPTY
        return formats.date_format(value.astimezone(dt.UTC), "D j M Y")
    if column.kind == "days":
        if column.key == "duration" and row.task.is_summary:
            return EMPTY  # a summary's span comes from its subtasks
        return _days(value, signed="variance" in column.key)
    if column.kind == "bool":
        return CRITICAL if value else ""
    if column.kind == "percent":
        return f"{value:g}%"
    return str(value) if value not in (None, "") else ""


@register.filter
def variance_class(row: TableRow, column: Column) -> str:
    """ "late" for a positive variance, "early" for a negative one."""
    if "variance" not in column.key:
        return ""
    value = row.value(column)
    if not value:
        return ""
    return "late" if value > 0 else "early"
