"""Template helpers of the risk pages: sortable column links, percentages, short dates."""

from __future__ import annotations

import datetime as dt

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def sort_query(query: QueryDict, key: str, current: str) -> str:
    """The query string that sorts by ``key``; clicking the sorted column reverses it."""
    changed = query.copy()
    changed["order"] = f"-{key}" if current == key else key
    return changed.urlencode()


@register.filter
def percent(value: float | str | None, digits: int = 0) -> str:
    if value is None or value == "":  # "" is what a missing key renders as
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


@register.filter
def isodate(value: str | None) -> str:
    """An ISO timestamp from stored results as "Mon 7 Jun 2027"."""
    if not value:
        return "—"
    return dt.datetime.fromisoformat(value).strftime("%a %-d %b %Y")
