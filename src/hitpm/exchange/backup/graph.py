"""Which models belong to a project, found from Django's model graph.

A model belongs to a project when it has a foreign key to :class:`Project`, or to a model that
belongs to one (a calendar exception through its calendar, a baseline row through its
baseline). Models added by later apps are therefore included without any change here. Models
that must not travel (the audit trail, feed secrets, import jobs) set ``exchange_skip = True``
on the class or are listed in :data:`SKIPPED_APPS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from hitpm.portfolio.models import Project

SKIPPED_APPS = frozenset({"audit", "notifications"})
"""The audit trail stays with the server it records; notifications are people's own inboxes."""


@dataclass(frozen=True)
class Owned:
    """A model owned by a project, and the lookup from it to its project (``task__project``)."""

    model: type[models.Model]
    path: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def _candidates() -> list[type[models.Model]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("hitpm.") or config.label in SKIPPED_APPS:
            continue
        for model in config.get_models():
            if model is Project or getattr(model, "exchange_skip", False):
                continue
            found.append(model)
    return found


def _forward_keys(model: type[models.Model]) -> list[models.ForeignKey[models.Model, models.Model]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.remote_field.model is not model
    ]


@cache
def owned_models() -> tuple[Owned, ...]:
    """Every owned model in an order where a model comes after those its keys point to."""
    candidates = _candidates()
    paths: dict[type[models.Model], str] = {}
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in paths:
                continue
            for key in _forward_keys(model):
                target = key.remote_field.model
                if target is Project:
                    paths[model] = key.name
                elif target in paths:
                    paths[model] = f"{key.name}__{paths[target]}"
                else:
                    continue
                changed = True
                break
    ordered: list[type[models.Model]] = []
    pending = [m for m in candidates if m in paths]
    while pending:
        ready = [
            m
            for m in pending
            if all(
                k.remote_field.model not in pending or k.remote_field.model is m
                for k in _forward_keys(m)
            )
        ]
        if not ready:  # a cycle between two models: keep the remaining ones in app order
            ready = pending[:1]
        ordered.extend(ready)
        pending = [m for m in pending if m not in ready]
    return tuple(Owned(model, paths[model]) for model in ordered)


def rows_of(owned: Owned, project: Project) -> models.QuerySet[models.Model]:
    """The rows of ``owned`` that belong to ``project``, oldest first."""
    return owned.model._default_manager.filter(**{owned.path: project}).order_by("pk")
