"""Store many rows' column values in a few statements, outside the ORM.

Derived data (the scheduling engine's outputs, outline numbers) is not audited and bumps no
version, so it skips the ORM. A query per row (or ``bulk_update``'s CASE expressions) takes
tenths of a second for 1,000 rows; here it is one statement:

- PostgreSQL: ``UPDATE ... FROM unnest(%s::int[], %s::timestamptz[], ...)``, one array
  parameter per column, so the driver converts a dozen parameters instead of thousands;
- SQLite (3.33+): ``UPDATE ... FROM (VALUES (...), ...)`` in batches of 500 rows (its
  columns are named ``column1``, ``column2``...).

Naive datetimes are taken as UTC (the engine's datetimes are naive UTC). On SQLite, with the
connection in UTC, they are written as ``str(value)``, the very text Django's
``adapt_datetimefield_value`` stores for the aware UTC value, without the conversion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Field, Model

BATCH = 500


def _column(model: type[Model], name: str) -> tuple[str, str]:
    """The column name and database type of a concrete field ("pk" for the primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a stored column.")
    return field.column, field.db_type(connection) or ""


def update_columns(
    model: type[Model], fields: Sequence[str], rows: Mapping[int, Sequence[Any]]
) -> None:
    """Set ``fields`` of each row ``pk`` to ``rows[pk]`` (values in ``fields`` order)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column, pk_type = _column(model, "pk")
    columns = [_column(model, name) for name in fields]
    if connection.vendor == "postgresql":
        _update_from_arrays(table, (pk_column, pk_type), columns, rows)
        return
    sets = ", ".join(f"{quote(column)} = v.column{i + 2}" for i, (column, _) in enumerate(columns))
    adapt = _sqlite_datetime()
    items = list(rows.items())
    placeholders = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for first in range(0, len(items), BATCH):
            chunk = items[first : first + BATCH]
            params: list[Any] = []
            for pk, values in chunk:
                params.append(pk)
                params.extend(adapt(v) if isinstance(v, dt.datetime) else v for v in values)
            values_sql = ", ".join([placeholders] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {values_sql}) AS v "
                f"WHERE {table}.{quote(pk_column)} = v.column1",
                params,
            )


def _sqlite_datetime() -> Any:
    """How a datetime value becomes SQLite's stored text (naive values are UTC)."""
    adapt = connection.ops.adapt_datetimefield_value
    zone = connection.timezone
    in_utc = settings.USE_TZ and zone is not None and zone.utcoffset(None) == dt.timedelta(0)

    def convert(value: dt.datetime) -> Any:
        if value.tzinfo is None:
            # Django writes an aware UTC value as str() of its naive UTC form.
            return str(value) if in_utc else adapt(value.replace(tzinfo=dt.UTC))
        return adapt(value)

    return convert


def _aware(value: Any) -> Any:
    """A naive (UTC) datetime made aware for PostgreSQL; anything else unchanged."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _update_from_arrays(
    table: str,
    key: tuple[str, str],
    columns: Sequence[tuple[str, str]],
    rows: Mapping[int, Sequence[Any]],
) -> None:
    quote = connection.ops.quote_name
    names = [f"c{i}" for i in range(len(columns))]
    arrays = ", ".join(f"%s::{db_type}[]" for _, db_type in [key, *columns])
    sets = ", ".join(
        f"{quote(column)} = v.{name}" for (column, _), name in zip(columns, names, strict=True)
    )
    params: list[list[Any]] = [list(rows)]
    params.extend(
        [_aware(values[i]) for values in rows.values()]
        if db_type.startswith("timestamp")
        else [values[i] for values in rows.values()]
        for i, (_, db_type) in enumerate(columns)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v(k, {', '.join(names)}) "
            f"WHERE {table}.{quote(key[0])} = v.k",
            params,
        )
