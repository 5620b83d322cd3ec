"""Shared rules for changing records: optimistic concurrency and validated saves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hitpm.core.models import AuditedModel


class StaleVersion(Exception):
    """The client edited an older version than the one stored; nothing was changed."""

    def __init__(self, current: AuditedModel) -> None:
        super().__init__(
            f"{current._meta.verbose_name} was changed by someone else (now version "
            f"{current.version}); reload it and apply your change again."
        )
        self.current = current


def lock_current[M: AuditedModel](model: type[M], pk: Any, expected_version: int | None) -> M:
    """Load a row for update; raise StaleVersion when the client's version is not current."""
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    return current


def save_validated[M: AuditedModel](instance: M, *, exclude: list[str] | None = None) -> M:
    """full_clean, then save; database integrity errors become validation errors."""
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(f"This change conflicts with existing data: {exc}") from exc
    return instance


def update_fields[M: AuditedModel](
    model: type[M], pk: Any, changes: Mapping[str, Any], expected_version: int | None
) -> M:
    """Apply field changes to the current version of a record, atomically and validated."""
    with transaction.atomic():
        current = lock_current(model, pk, expected_version)
        for name, value in changes.items():
            setattr(current, name, value)
        return save_validated(current)


def delete_current[M: AuditedModel](model: type[M], pk: Any, expected_version: int | None) -> None:
    with transaction.atomic():
        lock_current(model, pk, expected_version).delete()
