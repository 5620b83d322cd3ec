"""Audit entries and the head of their hash chain."""

from __future__ import annotations

import json
from typing import Any

from django.db import models


class AuditEntry(models.Model):
    """One change to one record: who, when, what, and the field values before and after.

    Entries form a chain: ``entry_hash`` covers this entry's content and ``prev_hash``, so any
    edit, deletion or reordering of a stored entry breaks verification from that point on.
    ``seq`` is dense (1, 2, 3, ...) so a removed entry shows as a gap.
    """

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, help_text="Username, or system:<what> for jobs.")
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=100, help_text="app_label.model of the record.")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    project_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes_json = models.TextField(help_text="Canonical JSON: {field: [before, after]}.")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.model}:{self.object_id} by {self.actor}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit entries are append-only.")

    @property
    def changes(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.changes_json)
        return result


class AuditHead(models.Model):
    """The chain's last sequence number and hash; its row lock serialises appends."""

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"
