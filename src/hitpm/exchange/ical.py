"""iCalendar (RFC 5545) feed of a project's milestones and key dates.

Each event has a UID that stays the same for the same task across exports (``task-<id>``
plus the feed's domain), so calendar programs update events instead of duplicating them.
Milestones and deadlines are all-day events; other key dates keep their time (UTC).
Lines are folded at 75 octets and text is escaped as the RFC requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODUCT_ID = "-//hitpm//Project milestones//EN"


@dataclass(frozen=True)
class KeyDate:
    """One event: ``key`` makes its UID; ``all_day`` events use the date of ``start``."""

    key: str
    summary: str
    start: dt.datetime
    end: dt.datetime | None = None
    all_day: bool = True
    description: str = ""
    categories: str = ""


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 section 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets with CRLF + space (section 3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y%m%dT%H%M%SZ")


def write_calendar(name: str, domain: str, events: Iterable[KeyDate], stamp: dt.datetime) -> bytes:
    """The VCALENDAR text (CRLF line ends, UTF-8)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.key}@{domain}", f"DTSTAMP:{_utc(stamp)}"]
        if event.all_day:
            day = event.start.date()
            last = (event.end or event.start).date()
            lines.append(f"DTSTART;VALUE=DATE:{day:%Y%m%d}")
            lines.append(f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}")
        else:
            lines.append(f"DTSTART:{_utc(event.start)}")
            lines.append(f"DTEND:{_utc(event.end or event.start)}")
        lines.append(f"SUMMARY:{escape_text(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.categories:
            lines.append(f"CATEGORIES:{escape_text(event.categories)}")
        lines.append("TRANSP:TRANSPARENT")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
