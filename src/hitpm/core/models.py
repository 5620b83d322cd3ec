"""Abstract bases every domain record builds on."""

from __future__ import annotations

from typing import Any

from django.db import models


class AuditedModel(models.Model):
    """A domain record: versioned for optimistic concurrency and recorded in the audit trail.

    The audit app listens to saves and deletes of every subclass; ``version`` grows by one on
    every update so that API clients can send it back as If-Match and never overwrite a newer
    state without knowing.
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Field names left out of audit diffs because they change on every save.
    audit_exclude: tuple[str, ...] = ("updated_at", "created_at")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def audit_project_id(self) -> int | None:
        """The project this record belongs to, for per-project audit views."""
        project_id = getattr(self, "project_id", None)
        return int(project_id) if project_id is not None else None
