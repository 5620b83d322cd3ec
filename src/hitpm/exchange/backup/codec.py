"""How one field's value is written to, and read back from, a backup.

Foreign keys inside the backup are written as the old primary key and remapped on restore;
keys to users and portfolios, which exist outside any project, are written by natural key
(username, portfolio name) so a backup can be restored on another hitpm server.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from hitpm.portfolio.models import Portfolio


def natural_key_field(model: type[models.Model]) -> str | None:
    """The field that names a row of an outside model (users, portfolios), if any."""
    if model is get_user_model():
        return str(model.USERNAME_FIELD)
    if model is Portfolio:
        return "name"
    return None


def encode(field: models.Field[Any, Any], value: Any) -> Any:
    """A field's Python value as JSON."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def decode(field: models.Field[Any, Any], value: Any) -> Any:
    """A JSON value back as the field's Python value (ValidationError when it is not one)."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.DurationField):
        return dt.timedelta(seconds=float(value))
    return field.to_python(value)
