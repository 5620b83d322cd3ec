"""Record every save and delete of audited models, with field-level before/after values."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from hitpm.audit.chain import Change, append
from hitpm.core.models import AuditedModel

# Fields never written to the audit trail, whatever the model.
SECRET_FIELDS = frozenset({"password", "key_hash"})


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes>"
    return value


def _audited_fields(instance: models.Model) -> list[models.Field[Any, Any]]:
    exclude = set(getattr(instance, "audit_exclude", ())) | SECRET_FIELDS
    return [f for f in instance._meta.concrete_fields if f.name not in exclude]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Current field values (foreign keys as ids) of an instance."""
    return {f.attname: _plain(f.value_from_object(instance)) for f in _audited_fields(instance)}


def _stored_snapshot(instance: models.Model) -> dict[str, Any] | None:
    names = [f.attname for f in _audited_fields(instance)]
    row = type(instance)._base_manager.filter(pk=instance.pk).values(*names).first()
    return {k: _plain(v) for k, v in row.items()} if row is not None else None


def is_audited(model: type[models.Model]) -> bool:
    return issubclass(model, AuditedModel) or getattr(model, "audit_enabled", False)


def project_of(instance: models.Model) -> int | None:
    value = getattr(instance, "audit_project_id", None)
    return int(value) if value is not None else None


def change_for(instance: models.Model, action: str, changes: dict[str, Any]) -> Change:
    meta = instance._meta
    return Change(
        action=action,
        model=f"{meta.app_label}.{meta.model_name}",
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        project_id=project_of(instance),
        changes=changes,
    )


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not is_audited(sender) or kwargs.get("raw"):
        return
    adding = instance._state.adding or instance.pk is None
    instance._audit_before = None if adding else _stored_snapshot(instance)  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if not is_audited(sender) or kwargs.get("raw"):
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        append([change_for(instance, "create", {k: [None, v] for k, v in after.items()})])
        return
    diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if diff:
        append([change_for(instance, "update", diff)])


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not is_audited(sender):
        return
    before = snapshot(instance)
    append([change_for(instance, "delete", {k: [v, None] for k, v in before.items()})])


def record_bulk_create(instances: list[models.Model]) -> None:
    """Audit records made with bulk_create, which sends no signals (imports, demo data)."""
    append(
        [change_for(i, "create", {k: [None, v] for k, v in snapshot(i).items()}) for i in instances]
    )


# -- many-to-many fields ---------------------------------------------------------------------
# A many-to-many change (meeting attendees, a decision's tasks) is recorded as an update of the
# record that declares the field, with the sorted ids before and after, whichever side made it.


def _m2m_field(owner: type[models.Model], through: type[models.Model]) -> models.Field[Any, Any]:
    return next(f for f in owner._meta.many_to_many if f.remote_field.through is through)


def _m2m_owners(
    instance: models.Model, reverse: bool, model: type[models.Model], pk_set: set[Any] | None,
    field: models.Field[Any, Any],
) -> list[models.Model]:  # fmt: skip
    if not reverse:
        return [instance]
    owners = model._base_manager.all()
    if pk_set is not None:
        return list(owners.filter(pk__in=pk_set))
    return list(owners.filter(**{field.name: instance}))


def _m2m_ids(owner: models.Model, field: models.Field[Any, Any]) -> list[Any]:
    return sorted(getattr(owner, field.attname).values_list("pk", flat=True))


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    owner_model = model if reverse else type(instance)
    if not is_audited(owner_model):
        return
    field = _m2m_field(owner_model, sender)
    if action.startswith("pre_"):
        owners = _m2m_owners(instance, reverse, model, pk_set, field)
        instance._audit_m2m = [(o, _m2m_ids(o, field)) for o in owners]  # type: ignore[attr-defined]
        return
    before: list[tuple[models.Model, list[Any]]] = getattr(instance, "_audit_m2m", [])
    instance._audit_m2m = []  # type: ignore[attr-defined]
    changes = []
    for owner, ids in before:
        after = _m2m_ids(owner, field)
        if after != ids:
            changes.append(change_for(owner, "update", {field.name: [ids, after]}))
    if changes:
        append(changes)


def connect() -> None:
    m2m_changed.connect(_m2m_changed, dispatch_uid="hitpm-audit-m2m")
    pre_save.connect(_before_save, dispatch_uid="hitpm-audit-pre-save")
    post_save.connect(_after_save, dispatch_uid="hitpm-audit-post-save")
    post_delete.connect(_after_delete, dispatch_uid="hitpm-audit-post-delete")
