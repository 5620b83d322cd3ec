"""The registry of report sections and which audience gets which.

A section provider takes the report's context and returns a JSON-ready dict, so a published
report can keep it as a snapshot. The shape every renderer understands:

``{"key", "title", "tracked": bool, "note": str, "facts": [[label, value], ...],
"table": {"columns": [...], "rows": [[...], ...], "empty": str}, "svg": str,
"rag": [{"dimension", "label", "rating", "suggested", "reason", "note"}, ...]}``

Only ``key``, ``title`` and ``tracked`` are required. A provider whose data area does not
exist yet returns :func:`not_tracked`, which says so plainly instead of inventing data; a
future area registers its own provider under the same key to replace it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hitpm.portfolio.models import Project
from hitpm.reports.models import Audience

Section = dict[str, Any]


@dataclass(frozen=True)
class ReportContext:
    """What a provider may look at: the project, the as-of date and the PM's RAG choices."""

    project: Project
    as_of: dt.date
    ratings: dict[str, Any]


Provider = Callable[[ReportContext], Section]


@dataclass(frozen=True)
class Registered:
    key: str
    title: str
    provider: Provider


_REGISTRY: dict[str, Registered] = {}

AUDIENCE_SECTIONS: dict[str, tuple[str, ...]] = {
    Audience.EXECUTIVE: ("rag", "milestones", "gantt", "top_risks", "heat_map",
                         "decisions_needed"),
    Audience.CLINICAL: ("go_live_readiness", "training", "workflow_changes",
                        "patient_safety_risks", "milestones", "decisions_needed"),
    Audience.IT: ("schedule_detail", "critical_path", "gantt", "interfaces", "defects",
                  "open_actions"),
}  # fmt: skip


def section(key: str, title: str) -> Callable[[Provider], Provider]:
    """Register ``provider`` as the source of a section; a later registration replaces it."""

    def register(provider: Provider) -> Provider:
        _REGISTRY[key] = Registered(key, title, provider)
        return provider

    return register


def title_of(key: str) -> str:
    return _REGISTRY[key].title


def not_tracked(key: str, what: str, area: str) -> Section:
    """A section whose data hitpm does not hold yet."""
    return {
        "key": key,
        "title": title_of(key),
        "tracked": False,
        "note": (
            f"{what} is not yet tracked in hitpm: there is no {area} area yet, so this "
            "section has no data. Report it in the narrative until the area exists."
        ),
    }


def build_sections(audience: str, context: ReportContext) -> list[Section]:
    """The audience's sections, in order, from live data."""
    from hitpm.reports import providers  # noqa: F401  (registers the built-in providers)

    out = []
    for key in AUDIENCE_SECTIONS[audience]:
        found = _REGISTRY[key]
        data = found.provider(context)
        out.append({"key": key, "title": found.title, "tracked": True, **data})
    return out
