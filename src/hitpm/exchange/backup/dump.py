"""Write a project and everything it owns as a hitpm JSON backup."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.db import models

from hitpm import __version__
from hitpm.exchange.backup import FORMAT, VERSION
from hitpm.exchange.backup.codec import encode, natural_key_field
from hitpm.exchange.backup.graph import owned_models, rows_of
from hitpm.portfolio.models import Project

Progress = Callable[[str, float], None]


def _row(
    instance: models.Model, natural: dict[type[models.Model], dict[int, Any]]
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, models.ForeignKey) and value is not None:
            target = field.remote_field.model
            key = natural_key_field(target)
            if key is not None:
                if value not in natural.setdefault(target, {}):
                    natural[target][value] = getattr(target._default_manager.get(pk=value), key)
                value = natural[target][value]
        row[field.name] = encode(field, value)
    for m2m in instance._meta.many_to_many:
        through: Any = m2m.remote_field.through
        if through._meta.auto_created:
            row[m2m.name] = sorted(instance.__dict__["_m2m_" + m2m.name])
    return row


def project_backup(project: Project, progress: Progress | None = None) -> dict[str, Any]:
    """The project and all rows it owns, as a JSON-ready dict (see docs/exchange.md)."""
    natural: dict[type[models.Model], dict[int, Any]] = {}
    data: dict[str, list[dict[str, Any]]] = {}
    owned = owned_models()
    for index, item in enumerate(owned):
        if progress is not None:
            progress(item.label, index / len(owned))
        queryset = rows_of(item, project)
        rows = list(queryset)
        for m2m in item.model._meta.many_to_many:
            through: Any = m2m.remote_field.through
            if not through._meta.auto_created:
                continue
            links: dict[int, list[int]] = {row.pk: [] for row in rows}
            source = m2m.m2m_field_name() + "_id"
            target = m2m.m2m_reverse_field_name() + "_id"
            for owner, other in through.objects.filter(
                **{f"{source}__in": list(links)}
            ).values_list(source, target):
                links[owner].append(other)
            for row in rows:
                row.__dict__["_m2m_" + m2m.name] = links[row.pk]
        data[item.label] = [_row(row, natural) for row in rows]
    return {
        "format": FORMAT,
        "version": VERSION,
        "hitpm": __version__,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "project": _row(project, natural),
        "models": data,
    }


def dumps_backup(project: Project, progress: Progress | None = None) -> bytes:
    """The backup as indented UTF-8 JSON bytes."""
    backup = project_backup(project, progress)
    return json.dumps(backup, indent=1, ensure_ascii=False).encode("utf-8")
