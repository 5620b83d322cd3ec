"""Restore a hitpm JSON backup as a new project, with new ids, in one transaction.

Rows are created model by model in foreign-key order (rows that point to rows of their own
model, such as subtasks, in passes from the top), every key is remapped to the new ids, and
the saved version numbers and timestamps are put back, so the copy equals the original field
for field. A bad backup raises :class:`ImportFileError` naming the model and row at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from hitpm.audit.signals import record_bulk_create
from hitpm.core.models import AuditedModel
from hitpm.exchange.backup import FORMAT, VERSION
from hitpm.exchange.backup.codec import decode, natural_key_field
from hitpm.exchange.backup.graph import Owned, owned_models
from hitpm.exchange.errors import ImportFileError
from hitpm.portfolio.models import Portfolio, Project

Progress = Callable[[str, float], None]
IdMap = dict[type[models.Model], dict[Any, Any]]


class _Restorer:
    """Builds rows of a backup with keys remapped to the rows already restored."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.ids: IdMap = {Project: {}}
        self.natural: dict[tuple[type[models.Model], Any], Any] = {}
        self.created: list[models.Model] = []
        self.skipped: list[str] = []

    def outside(self, model: type[models.Model], key: str, value: Any) -> Any:
        """The pk of a user or portfolio named ``value``, or None when there is none."""
        if (model, value) not in self.natural:
            found = model._default_manager.filter(**{key: value}).values_list("pk", flat=True)
            self.natural[(model, value)] = found.first()
        return self.natural[(model, value)]

    def target(self, field: models.ForeignKey[Any, Any], value: Any, where: str) -> Any:
        """The new value of a foreign key, or ``...`` when it cannot be resolved yet."""
        model = field.remote_field.model
        if value is None:
            return None
        if model is Project:
            return self.project.pk
        key = natural_key_field(model)
        if key is not None:
            found = self.outside(model, key, value)
            if found is None and not field.null:
                raise LookupError(f"{where}: {field.name} {value!r} does not exist here")
            return found
        if model in self.ids:
            return self.ids[model].get(value, ...)
        # A model shared by projects (a portfolio's risk categories, say): same server only.
        if (model, value) not in self.natural:
            exists = model._default_manager.filter(pk=value).exists()
            self.natural[(model, value)] = value if exists else None
        found = self.natural[(model, value)]
        if found is None and not field.null:
            raise LookupError(f"{where}: {field.name} {value!r} does not exist here")
        return found

    def build(self, model: type[models.Model], row: Mapping[str, Any], where: str) -> Any:
        """An unsaved instance for ``row``; ``...`` while a key points to a row not made yet."""
        fields = {f.name: f for f in model._meta.concrete_fields}
        m2m = {f.name for f in model._meta.many_to_many}
        unknown = set(row) - set(fields) - m2m
        if unknown:
            raise ImportFileError(
                f"{where}: unknown fields {', '.join(sorted(unknown))} (the backup is from a "
                "newer hitpm, or was edited)"
            )
        values: dict[str, Any] = {}
        for name, value in row.items():
            field = fields.get(name)
            if field is None or field.primary_key:
                continue
            if isinstance(field, models.ForeignKey):
                resolved = self.target(field, value, where)
                if resolved is ...:
                    if field.remote_field.model is model:
                        return ...
                    if not field.null:
                        raise ImportFileError(f"{where}: {name} {value!r} is not in the backup")
                    resolved = None
                values[field.attname] = resolved
            else:
                try:
                    values[field.attname] = decode(field, value)
                except ValidationError as exc:
                    raise ImportFileError(f"{where}: {name}: {' '.join(exc.messages)}") from None
        return model(**values)


def _field(model: type[models.Model], attname: str) -> Any:
    return model._meta.get_field(attname)


def _stamps(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def _restore_model(restorer: _Restorer, owned: Owned, rows: list[Any]) -> None:
    model, label = owned.model, owned.label
    mapping = restorer.ids.setdefault(model, {})
    pending = list(enumerate(rows))
    while pending:
        batch: list[tuple[Any, models.Model, Mapping[str, Any]]] = []
        waiting = []
        for index, row in pending:
            if not isinstance(row, dict) or "id" not in row:
                raise ImportFileError(f"{label} row {index + 1}: a row needs an 'id'")
            try:
                built = restorer.build(model, row, f"{label} id {row['id']}")
            except LookupError as exc:
                restorer.skipped.append(str(exc))
                continue
            if built is ...:
                waiting.append((index, row))
            else:
                batch.append((row["id"], built, row))
        if not batch and waiting:
            raise ImportFileError(f"{label} id {waiting[0][1]['id']}: refers to a missing row")
        model._default_manager.bulk_create([b[1] for b in batch], batch_size=500)
        stamps = _stamps(model)
        for old, instance, row in batch:
            mapping[old] = instance.pk
            for attname in stamps:
                if row.get(attname) is not None:
                    setattr(instance, attname, decode(_field(model, attname), row[attname]))
        if stamps:
            model._default_manager.bulk_update([b[1] for b in batch], stamps, batch_size=500)
        restorer.created.extend(b[1] for b in batch)
        pending = waiting


def _restore_m2m(restorer: _Restorer, owned: Owned, rows: list[Any]) -> None:
    for m2m in owned.model._meta.many_to_many:
        through: Any = m2m.remote_field.through
        if not through._meta.auto_created:
            continue
        other = m2m.remote_field.model
        links = []
        for row in rows:
            mine = restorer.ids[owned.model].get(row["id"])
            for old in row.get(m2m.name, []):
                new = restorer.ids.get(other, {}).get(old)
                if mine is not None and new is not None:
                    links.append(
                        through(
                            **{
                                m2m.m2m_field_name() + "_id": mine,
                                m2m.m2m_reverse_field_name() + "_id": new,
                            }
                        )
                    )
        through.objects.bulk_create(links, batch_size=1000)


def _check_header(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFileError(f'not a hitpm project backup: "format" must be "{FORMAT}"')
    version = data.get("version")
    if not isinstance(version, int) or not 1 <= version <= VERSION:
        raise ImportFileError(f"backup version {version!r} is not supported (1..{VERSION})")
    if not isinstance(data.get("project"), dict) or not isinstance(data.get("models"), dict):
        raise ImportFileError('a backup needs a "project" object and a "models" object')
    known = {o.label for o in owned_models()}
    unknown = set(data["models"]) - known
    if unknown:
        raise ImportFileError(
            f"the backup holds {', '.join(sorted(unknown))}, which this hitpm does not have"
        )


def _new_project(restorer: _Restorer, row: dict[str, Any], code: str | None) -> Project:
    row = dict(row)
    if code:
        row["code"] = code
    portfolio_name = row.get("portfolio") or "Imported"
    Portfolio.objects.get_or_create(name=portfolio_name)
    if Project.objects.filter(code=row.get("code")).exists():
        raise ImportFileError(
            f"a project with code {row.get('code')!r} exists already; choose another code"
        )
    project = restorer.build(Project, row, "project")
    try:
        project.full_clean()
    except ValidationError as exc:
        raise ImportFileError(f"project: {'; '.join(exc.messages)}") from None
    project.save()
    Project.objects.filter(pk=project.pk).update(
        **{a: decode(_field(Project, a), row[a]) for a in _stamps(Project) if row.get(a)},
        version=row.get("version", project.version),
    )
    project.refresh_from_db()
    return project


@dataclass(frozen=True)
class Restored:
    """The new project, the rows left out (a user that does not exist here), and new ids."""

    project: Project
    skipped: list[str]
    ids: IdMap


def restore_backup(
    data: Any, *, code: str | None = None, progress: Progress | None = None
) -> Restored:
    """Create a new project from a backup (see :class:`Restored`)."""
    _check_header(data)
    with transaction.atomic():
        restorer = _Restorer(Project())
        project = _new_project(restorer, data["project"], code)
        restorer.project = project
        owned = owned_models()
        for index, item in enumerate(owned):
            if progress is not None:
                progress(item.label, index / len(owned))
            rows = data["models"].get(item.label, [])
            if not isinstance(rows, list):
                raise ImportFileError(f"{item.label}: rows must be a list")
            try:
                _restore_model(restorer, item, rows)
            except IntegrityError as exc:
                raise ImportFileError(
                    f"{item.label}: rows conflict with existing data ({exc})"
                ) from None
        for item in owned:
            _restore_m2m(restorer, item, data["models"].get(item.label, []))
        record_bulk_create([i for i in restorer.created if isinstance(i, AuditedModel)])
    return Restored(project, restorer.skipped, restorer.ids)
