"""Progress as a demo team would have entered it by the status date.

Tasks the schedule finished by the status date get actual dates (some of them late, as the
demo project says); tasks under way get an actual start and the share of work the elapsed time
suggests (less for tasks the demo marks as behind). Summaries show the duration-weighted
progress of their tasks. Every change is recorded in the audit trail, as an edit would be,
but written with one UPDATE per task and one append to the chain, which keeps the demo quick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from hitpm.audit.chain import append
from hitpm.audit.signals import change_for, snapshot
from hitpm.planning.models import Task
from hitpm.portfolio.demo.outline import DemoProject

PROGRESS_FIELDS = ("actual_start", "actual_finish", "percent_complete")


def _status_instant(day: dt.date) -> dt.datetime:
    """The end of the working day on the status date (project-local time is UTC)."""
    return dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC)


def _share_elapsed(start: dt.datetime, finish: dt.datetime, cutoff: dt.datetime) -> float:
    span = (finish - start).total_seconds()
    return (cutoff - start).total_seconds() / span if span > 0 else 0.0


def _weekdays_after(moment: dt.datetime, days: int) -> dt.datetime:
    """``days`` weekdays after ``moment``, so late work still finishes on a working day."""
    while days > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def _progress_leaf(task: Task, key: str, demo: DemoProject, cutoff: dt.datetime) -> bool:
    """Set a task's actuals; True when it has any."""
    if task.start is None or task.finish is None or task.start >= cutoff:
        return False
    task.actual_start = task.start
    finish = _weekdays_after(task.finish, demo.late.get(key, 0))
    if finish <= cutoff:
        task.actual_finish, task.percent_complete = finish, Decimal(100)
        return True
    share = _share_elapsed(task.start, task.finish, cutoff) * demo.behind.get(key, 1.0)
    task.percent_complete = Decimal(min(99, max(1, round(100 * share))))
    return True


def _roll_up(tasks: list[Task]) -> list[Task]:
    """Summaries' percent complete, weighted by the durations of the tasks under them."""
    totals: dict[int, list[float]] = {}  # summary pk -> [done minutes, all minutes]
    by_pk = {t.pk: t for t in tasks}
    for task in tasks:
        if task.is_summary:
            continue
        parent_id = task.parent_id
        while parent_id is not None:
            done_all = totals.setdefault(parent_id, [0.0, 0.0])
            done_all[0] += task.duration_minutes * float(task.percent_complete) / 100
            done_all[1] += task.duration_minutes
            parent_id = by_pk[parent_id].parent_id
    changed = []
    for pk, (done, total) in totals.items():
        percent = round(100 * done / total) if total else 0
        if percent:
            by_pk[pk].percent_complete = Decimal(percent)
            changed.append(by_pk[pk])
    return changed


def _save_audited(tasks: list[Task], before: Mapping[int, dict[str, object]]) -> None:
    """Write the progress fields and a version bump, and audit each task's changes."""
    now = timezone.now()
    for task in tasks:
        task.version += 1
        task.updated_at = now
        Task.objects.filter(pk=task.pk).update(
            **{name: getattr(task, name) for name in [*PROGRESS_FIELDS, "version", "updated_at"]}
        )
    changes = []
    for task in tasks:
        after = snapshot(task)
        old = before[task.pk]
        diff = {
            name: [old.get(name), value] for name, value in after.items() if old.get(name) != value
        }
        changes.append(change_for(task, "update", diff))
    append(changes)


def record_progress(tasks: list[Task], keys: Mapping[int, str], demo: DemoProject) -> int:
    """Enter progress on scheduled tasks (``keys`` maps task pk to its row key)."""
    unknown = (set(demo.behind) | set(demo.late)) - set(keys.values())
    if unknown:
        raise ValueError(f"progress given for tasks the plan lacks: {', '.join(sorted(unknown))}")
    cutoff = _status_instant(demo.status_date)
    before = {task.pk: snapshot(task) for task in tasks}
    changed = [
        task
        for task in tasks
        if not task.is_summary and _progress_leaf(task, keys[task.pk], demo, cutoff)
    ]
    changed += _roll_up(tasks)
    _save_audited(changed, before)
    return len(changed)
