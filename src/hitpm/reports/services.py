"""Status report use cases: create a draft, edit it, build its document, publish a snapshot.

The document is a JSON-ready dict: project facts, the narrative, and the audience's sections
from live data. A draft builds it afresh each time; publishing stores it (``snapshot``) with
its rendered HTML, and a published report is never rebuilt or changed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.core.services import lock_current, save_validated
from hitpm.portfolio.models import Project
from hitpm.reports.formatting import day
from hitpm.reports.models import DIMENSIONS, Audience, Rating, StatusReport
from hitpm.reports.sections import ReportContext, build_sections

NARRATIVE = ("summary", "accomplishments", "next_steps", "asks")
NARRATIVE_TITLES = {"summary": "Summary", "accomplishments": "Accomplishments",
                    "next_steps": "Next steps", "asks": "Asks and escalations"}  # fmt: skip
EDITABLE = {"title", "as_of", *NARRATIVE, "ratings"}


class AlreadyPublished(ValidationError):
    """A published report is a snapshot; it cannot change."""


def default_title(project: Project, audience: str, as_of: dt.date) -> str:
    return f"{project.code} {Audience(audience).label} status report, {day(as_of)}"


def create_report(
    project: Project, audience: str, as_of: dt.date | None = None, title: str = ""
) -> StatusReport:
    """A new draft for an audience, as of the project's status date (else today)."""
    if audience not in Audience.values:
        raise ValidationError({"audience": "Choose executive, clinical or it."})
    when = as_of or project.status_date or timezone.localdate()
    report = StatusReport(
        project=project, audience=audience, as_of=when,
        title=title or default_title(project, audience, when),
    )  # fmt: skip
    return save_validated(report)


def clean_ratings(ratings: Any) -> dict[str, dict[str, str]]:
    """The RAG overrides, checked: known dimensions, green/amber/red or "" (use the
    suggestion), and a note."""
    if not isinstance(ratings, Mapping):
        raise ValidationError({"ratings": "Send an object keyed by dimension."})
    out: dict[str, dict[str, str]] = {}
    for name, value in ratings.items():
        if name not in DIMENSIONS:
            raise ValidationError({"ratings": f"Unknown dimension {name!r}; use "
                                   f"{', '.join(DIMENSIONS)}."})  # fmt: skip
        if not isinstance(value, Mapping) or set(value) - {"rating", "note"}:
            raise ValidationError({"ratings": f"{name}: give {{'rating', 'note'}}."})
        rating, note = value.get("rating") or "", value.get("note") or ""
        if rating and rating not in Rating.values:
            raise ValidationError({"ratings": f"{name}: rating must be green, amber or red."})
        if not isinstance(note, str) or len(note) > 500:
            raise ValidationError({"ratings": f"{name}: the note is text of 500 characters "
                                   "at most."})  # fmt: skip
        out[name] = {"rating": rating, "note": note}
    return out


def update_report(
    report: StatusReport, changes: Mapping[str, Any], expected_version: int | None
) -> StatusReport:
    """Edit a draft's title, date, narrative or RAG overrides."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = lock_current(StatusReport, report.pk, expected_version)
        _refuse_published(current)
        for name, value in changes.items():
            if name == "ratings":
                value = {**current.ratings, **clean_ratings(value)}
            setattr(current, name, value)
        return save_validated(current)


def _refuse_published(report: StatusReport) -> None:
    if report.is_published:
        raise AlreadyPublished(
            "This report is published and kept as a snapshot; create a new report instead."
        )


def live_document(report: StatusReport) -> dict[str, Any]:
    """The report built from today's data (for drafts)."""
    project = report.project
    context = ReportContext(project, report.as_of, report.ratings or {})
    return {
        "title": report.title,
        "audience": report.audience,
        "audience_label": Audience(report.audience).label,
        "project": {
            "code": project.code, "name": project.name, "phase": project.get_phase_display(),
            "sponsor": project.sponsor, "target_go_live": day(project.target_go_live),
        },
        "as_of": day(report.as_of),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "narrative": [
            {"key": key, "title": NARRATIVE_TITLES[key], "text": getattr(report, key)}
            for key in NARRATIVE
        ],
        "sections": build_sections(report.audience, context),
    }  # fmt: skip


def document(report: StatusReport) -> dict[str, Any]:
    """What the report says: the frozen snapshot once published, else live data."""
    if report.is_published and report.snapshot:
        return dict(report.snapshot)
    return live_document(report)


def publish(report: StatusReport, user: User, expected_version: int | None) -> StatusReport:
    """Freeze the report: keep its document and rendered HTML, stamp who and when."""
    from hitpm.reports.render import render_html

    with transaction.atomic():
        current = lock_current(StatusReport, report.pk, expected_version)
        _refuse_published(current)
        if not current.summary.strip():
            raise ValidationError({"summary": "Write the summary before publishing."})
        snapshot = live_document(current)
        snapshot["published_at"] = timezone.now().isoformat(timespec="seconds")
        snapshot["published_by"] = user.get_full_name() or user.get_username()
        current.snapshot = snapshot
        current.html = render_html(snapshot)
        current.state = StatusReport.State.PUBLISHED
        current.published_at = timezone.now()
        current.published_by = user
        return save_validated(current)


def delete_report(report: StatusReport, expected_version: int | None) -> None:
    """Delete a draft; published reports are kept."""
    with transaction.atomic():
        current = lock_current(StatusReport, report.pk, expected_version)
        _refuse_published(current)
        current.delete()
