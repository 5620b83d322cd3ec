"""Fast multi-row INSERTs for imports of tens of thousands of rows.

``QuerySet.bulk_create`` spends most of its time in Django's generic SQL compiler (hundreds of
thousands of ``field_as_sql``/``prepare_value`` calls for a large plan). :func:`insert_rows`
writes the same multi-row ``INSERT ... RETURNING id`` itself, converting each value with the
database backend's own adapters, and sets the new primary keys on the instances, as
``bulk_create`` does. Like ``bulk_create`` it sends no signals and does not call ``save``;
callers record the rows in the audit trail themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

Convert = Callable[[Any], Any]


def _converter(field: models.Field[Any, Any], connection: Any) -> Convert:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda v: ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: ops.adapt_datefield_value(v)
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda v: ops.adapt_decimalfield_value(field.to_python(v), digits, places)
    if isinstance(field, models.JSONField | models.BinaryField | models.UUIDField):
        return lambda v: field.get_db_prep_save(v, connection)
    return lambda v: v


def insert_rows(model: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Insert unsaved ``instances`` of ``model`` and set their primary keys."""
    if not instances:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    now = timezone.now()
    for instance in instances:  # keys of related rows saved since they were assigned
        instance._prepare_related_fields_for_save(operation_name="insert_rows")  # type: ignore[attr-defined]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for instance in instances:
                setattr(instance, field.attname, now)
    converters = [(f.attname, _converter(f, connection)) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    pk = model._meta.pk
    assert pk is not None
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
    tail = f" RETURNING {quote(str(pk.column))}"
    arrays = connection.vendor == "postgresql" and not any(
        isinstance(f, models.JSONField | models.BinaryField) for f in fields
    )
    if arrays:  # one array parameter per column: psycopg parses a short statement
        casts = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
        sql, size = f"{head}SELECT * FROM unnest({casts}){tail}", 5000
    else:
        # At most 1,000 rows and 30,000 parameters a statement (SQLite and PostgreSQL limits).
        size = min(connection.ops.bulk_batch_size(fields, instances), 1000, 30000 // len(fields))
        size = max(1, size)
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(instances), size):
            batch = instances[start : start + size]
            if arrays:
                params: list[Any] = [
                    [convert(getattr(i, attname)) for i in batch] for attname, convert in converters
                ]
            else:
                params = [
                    convert(getattr(i, attname)) for i in batch for attname, convert in converters
                ]
                sql = f"{head}VALUES {', '.join([one_row] * len(batch))}{tail}"
            cursor.execute(sql, params)
            for instance, (new_id,) in zip(batch, cursor.fetchall(), strict=True):
                setattr(instance, pk.attname, new_id)
                instance._state.adding = False
                instance._state.db = alias
