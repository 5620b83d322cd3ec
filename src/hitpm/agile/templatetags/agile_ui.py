"""Template helpers of the agile pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """``mapping[key]`` in a template, None when missing."""
    return mapping.get(key)


@register.filter
def percent(value: float | None) -> str:
    """A probability 0..1 as a whole percent."""
    return "—" if value is None else f"{value * 100:.0f}%"


CARD = (
    '<li class="kcard kind-{kind}{blocked}{band}" data-item="{pk}"><a href="{url}{pk}/">'
    '<span class="k-key">{code}-{number}</span> {title}</a><span class="k-meta">'
    '<span class="k-kind">{kind}</span>{points}{who}{age}{flag}{blocked_tag}</span></li>'
)

BLOCKED = '<span class="k-blocked" title="{}">Blocked</span>'


@register.simple_tag
def cards(cell_cards: list[dict[str, Any]], code: str, items_url: str) -> SafeString:
    """A column cell's cards. Formatted directly (every value escaped): a board of 2,000
    cards would spend half a second in per-card template includes."""
    return mark_safe("".join(_card(c, code, items_url) for c in cell_cards))


def _card(card: dict[str, Any], code: str, url: str) -> str:
    points, band, age = card["points"], card["band"], card["age"]
    who = card["assignee__username"]
    full = f"{card['assignee__first_name']} {card['assignee__last_name']}".strip()
    return CARD.format(
        kind=escape(card["kind"]),
        blocked=" blocked" if card["blocked"] else "",
        band=f" age-{band}" if band is not None else "",
        pk=card["pk"],
        url=url,
        code=escape(code),
        number=card["number"],
        title=escape(card["title"]),
        points=f'<span class="k-points" title="Story points">{points.normalize():f} pt</span>'
        if points is not None
        else "",
        who=f'<span class="k-who" title="{escape(full)}">{escape(who)}</span>' if who else "",
        age=f'<span class="k-age" title="Days in progress">{age}d</span>' if age else "",
        flag='<span class="k-flag">Patient safety</span>' if card["patient_safety"] else "",
        blocked_tag=BLOCKED.format(escape(card["blocked_reason"])) if card["blocked"] else "",
    )
