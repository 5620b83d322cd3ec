"""What every interactive edit of a plan returns, and the step that ends each edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from hitpm.planning.models import COMPUTED_FIELDS, Task
from hitpm.planning.services import reschedule
from hitpm.planning.spec import aware
from hitpm.portfolio.models import Project


@dataclass(frozen=True)
class ChangeResult:
    """What an edit changed: tasks as now stored (in plan order), and the project's
    new finish. ``removed_ids`` are the deleted tasks' ids, or for :func:`unlink` the deleted
    link's id; ``removed_link_ids`` the links deleted along with deleted tasks;
    ``created_id`` the new task's or link's id."""

    changed: list[Task]
    removed_ids: list[int]
    project_finish: dt.datetime | None
    removed_link_ids: list[int] = field(default_factory=list)
    created_id: int | None = None


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
    # The computed fields hold what the engine just gave (written now, or equal to what was
    # stored), so they are set from its result rather than read back and converted again.
    outputs = {out.uid: out for out in done.schedule.tasks}
    changed = list(
        Task.objects.filter(project=project, pk__in=ids)
        .defer(*COMPUTED_FIELDS)
        .order_by("position", "pk")
    )
    stored: dict[dt.datetime, dt.datetime] = {}  # engine datetime -> aware (many repeat)
    for task in changed:
        out = outputs.get(task.pk)
        if out is None:
            task.refresh_from_db(fields=COMPUTED_FIELDS)
            continue
        for name in COMPUTED_FIELDS:
            value = getattr(out, name)
            if isinstance(value, dt.datetime):
                when = stored.get(value)
                if when is None:
                    when = stored[value] = aware(value)
                value = when
            setattr(task, name, value)
    return ChangeResult(
        changed=changed,
        removed_ids=sorted(set(removed_ids)),
        project_finish=done.finish,
        removed_link_ids=sorted(set(removed_link_ids)),
        created_id=created_id,
    )
