"""What every interactive edit of a plan returns, and the step that ends each edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import DateTimeField

from hitpm.planning.models import COMPUTED_FIELDS, Task
from hitpm.planning.services import Rescheduled, reschedule
from hitpm.planning.spec import INPUT_NAMES, aware
from hitpm.portfolio.models import Project


@dataclass(frozen=True)
class ChangeResult:
    """What an edit changed: the ids of the tasks it touched or the engine moved (in plan
    order), and the project's new finish. ``removed_ids`` are the deleted tasks' ids, or for
    :func:`unlink` the deleted link's id; ``removed_link_ids`` the links deleted along with
    deleted tasks; ``created_id`` the new task's or link's id."""

    project: Project
    changed_ids: list[int]
    project_finish: dt.datetime | None
    rescheduled: Rescheduled = field(repr=False, compare=False)
    removed_ids: list[int] = field(default_factory=list)
    removed_link_ids: list[int] = field(default_factory=list)
    created_id: int | None = None

    @cached_property
    def changed(self) -> list[Task]:
        """The changed tasks as model instances, read when asked for."""
        tasks = Task.objects.filter(project=self.project, pk__in=self.changed_ids)
        return list(tasks.order_by("position", "pk"))

    @cached_property
    def values(self) -> list[dict[str, Any]]:
        """The changed tasks as plain values (:data:`INPUT_NAMES` and :data:`COMPUTED_FIELDS`,
        datetimes aware), straight from the reschedule without reading the database again:
        the Gantt answers a drag that moves thousands of tasks with these."""
        done = self.rescheduled
        outputs = {out.uid: out for out in done.schedule.tasks}
        ids = set(self.changed_ids)
        aware_of: dict[dt.datetime, dt.datetime] = {}  # many tasks share dates
        rows = []
        for uid, row in done.plan.rows.items():
            if uid not in ids:
                continue
            out = outputs.get(uid)
            values = list(row[:_COMPUTED_AT])
            values.extend(row[_COMPUTED_AT:] if out is None else _OUTPUT_GETTER(out))
            for index in _DATETIME_AT:
                when = values[index]
                if when is not None:
                    stored = aware_of.get(when)
                    if stored is None:
                        stored = aware(when) if when.tzinfo is None else when.astimezone(dt.UTC)
                        aware_of[when] = stored
                    values[index] = stored
            rows.append(dict(zip(_VALUE_NAMES, values, strict=True)))
        return rows


_VALUE_NAMES = (*INPUT_NAMES, *COMPUTED_FIELDS)
_COMPUTED_AT = len(INPUT_NAMES)
_DATETIME_AT = tuple(
    index
    for index, name in enumerate(_VALUE_NAMES)
    if isinstance(Task._meta.get_field(name), DateTimeField)
)
_OUTPUT_GETTER = attrgetter(*COMPUTED_FIELDS)


def task_of(project: Project, task_id: int) -> Task:
    """One of the project's tasks, or a ValidationError naming the id."""
    task = Task.objects.filter(project=project, pk=task_id).first()
    if task is None:
        raise ValidationError(f"{project.code} has no task with id {task_id}.")
    return task


def label(task: Task) -> str:
    return f"{task.wbs} {task.name}".strip()


def finish_change(
    project: Project,
    touched: Iterable[int],
    removed_ids: Iterable[int] = (),
    removed_link_ids: Iterable[int] = (),
    created_id: int | None = None,
) -> ChangeResult:
    """Reschedule and report ``touched`` plus every task the engine moved."""
    done = reschedule(project)
    ids = set(touched) | done.changed_ids
    return ChangeResult(
        project=project,
        changed_ids=[uid for uid in done.plan.rows if uid in ids],
        project_finish=done.finish,
        removed_ids=sorted(set(removed_ids)),
        removed_link_ids=sorted(set(removed_link_ids)),
        created_id=created_id,
        rescheduled=done,
    )
