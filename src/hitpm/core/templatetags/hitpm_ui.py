"""Small display helpers shared by every page: RAG badges, durations in days, audit values."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.utils.html import format_html
from django.utils.safestring import SafeString

from hitpm.engine.model import ScheduleOptions

register = template.Library()

MINUTES_PER_DAY = ScheduleOptions().minutes_per_day
EMPTY = "—"

RAG_SYMBOLS = {"green": "●", "amber": "▲", "red": "■"}


@register.simple_tag
def rag(health: str, label: str) -> SafeString:
    """A RAG badge that does not rely on colour alone: a shape and the word travel with it."""
    symbol = RAG_SYMBOLS.get(health, "●")
    return format_html(
        '<span class="rag rag-{}"><span aria-hidden="true">{}</span> {}</span>',
        health,
        symbol,
        label,
    )


@register.filter
def days(minutes: int | None) -> str:
    """Working minutes as days of the engine's standard day (480 minutes), e.g. "2.5d"."""
    if minutes is None:
        return EMPTY
    value = round(minutes / MINUTES_PER_DAY, 1)
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text}d"


@register.filter
def model_label(label: str) -> str:
    """The verbose name of an ``app_label.model`` label, or the label for unknown models."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name).capitalize()


@register.filter
def audit_value(value: Any) -> str:
    """A before/after value as a person reads it: blanks and nulls shown as a dash."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
