"""Appending to and verifying the hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from hitpm.audit.context import current_actor
from hitpm.audit.models import AuditEntry, AuditHead
from hitpm.core.bulk import insert_rows

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Change:
    """A change about to be recorded."""

    action: str
    model: str
    object_id: str
    object_repr: str
    project_id: int | None
    changes: dict[str, Any]


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def entry_digest(
    *,
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    model: str,
    object_id: str,
    object_repr: str,
    project_id: int | None,
    changes_json: str,
    prev_hash: str,
) -> str:
    """SHA-256 over every stored field of an entry plus the previous entry's hash."""
    payload = canonical_json(
        [
            seq,
            at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            actor,
            action,
            model,
            object_id,
            object_repr,
            project_id,
            changes_json,
            prev_hash,
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _locked_head() -> AuditHead:
    AuditHead.objects.get_or_create(pk=1)
    return AuditHead.objects.select_for_update().get(pk=1)


def append(changes: Iterable[Change], actor: str | None = None) -> list[AuditEntry]:
    """Append entries in one transaction, holding the head's row lock so chains never fork."""
    who = actor or current_actor()
    with transaction.atomic():
        head = _locked_head()
        now = timezone.now()
        entries: list[AuditEntry] = []
        for change in changes:
            changes_json = canonical_json(change.changes)
            seq = head.seq + 1
            fields: dict[str, Any] = {
                "seq": seq,
                "at": now,
                "actor": who[:150],
                "action": change.action,
                "model": change.model,
                "object_id": change.object_id[:64],
                "object_repr": change.object_repr[:200],
                "project_id": change.project_id,
                "changes_json": changes_json,
                "prev_hash": head.entry_hash,
            }
            digest = entry_digest(**fields)
            entries.append(AuditEntry(**fields, entry_hash=digest))
            head.seq, head.entry_hash = seq, digest
        if entries:
            insert_rows(AuditEntry, entries)  # bulk_create's SQL compiler is the slow part
            head.save(update_fields=["seq", "entry_hash"])
        return entries


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of walking the chain."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def _walk(entries: Iterator[AuditEntry]) -> tuple[int, str, VerifyResult | None]:
    expected_seq, prev = 1, GENESIS_HASH
    for entry in entries:
        checked = expected_seq - 1
        if entry.seq != expected_seq:
            reason = f"entry #{expected_seq} is missing (next stored entry is #{entry.seq})"
            return checked, prev, VerifyResult(False, checked, expected_seq, reason)
        if entry.prev_hash != prev:
            reason = f"entry #{entry.seq} does not link to the entry before it"
            return checked, prev, VerifyResult(False, checked, entry.seq, reason)
        digest = entry_digest(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            model=entry.model,
            object_id=entry.object_id,
            object_repr=entry.object_repr,
            project_id=entry.project_id,
            changes_json=entry.changes_json,
            prev_hash=entry.prev_hash,
        )
        if digest != entry.entry_hash:
            reason = f"entry #{entry.seq} was altered after it was written (hash mismatch)"
            return checked, prev, VerifyResult(False, checked, entry.seq, reason)
        prev = digest
        expected_seq += 1
    return expected_seq - 1, prev, None


def verify() -> VerifyResult:
    """Walk the whole chain and report the first entry that breaks it."""
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    count, last_hash, failure = _walk(entries)
    if failure is not None:
        return failure
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.entry_hash) if head else (0, GENESIS_HASH)
    if head_seq != count or head_hash != last_hash:
        reason = (
            f"the chain ends at #{count} but its head records #{head_seq}: "
            "entries were removed from the end"
        )
        return VerifyResult(False, count, count + 1, reason)
    return VerifyResult(True, count)
