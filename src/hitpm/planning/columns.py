"""The task table's columns: what each shows, which a user sees, and the rows' values.

The same column definitions drive the web table, its column chooser and the CSV/XLSX
exports, so what a PM sees is what they export. Durations, floats and variances are shown in
working days of the schedule options' 480-minute day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError

from hitpm.accounts.models import User
from hitpm.engine.model import ConstraintType
from hitpm.planning.baselines import Variance, baseline_for_gantt, variances
from hitpm.planning.models import Assignment, Baseline, ColumnChoice, Task
from hitpm.planning.predecessors import predecessors_text
from hitpm.portfolio.models import Project

MINUTES_PER_DAY = 480
Kind = Literal["text", "int", "days", "datetime", "bool", "percent"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "text"
    width: int = 14
    default: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("row", "ID", "int", 6, True),
    Column("wbs", "WBS", "text", 8, True),
    Column("name", "Task name", "text", 40, True),
    Column("duration", "Duration (d)", "days", 12, True),
    Column("start", "Start", "datetime", 17, True),
    Column("finish", "Finish", "datetime", 17, True),
    Column("predecessors", "Predecessors", "text", 16, True),
    Column("owner", "Owner", "text", 18, True),
    Column("resources", "Resources", "text", 24),
    Column("percent_complete", "% complete", "percent", 10, True),
    Column("total_float", "Total float (d)", "days", 12, True),
    Column("free_float", "Free float (d)", "days", 12),
    Column("critical", "Critical", "bool", 8, True),
    Column("early_start", "Early start", "datetime", 17),
    Column("early_finish", "Early finish", "datetime", 17),
    Column("late_start", "Late start", "datetime", 17),
    Column("late_finish", "Late finish", "datetime", 17),
    Column("constraint", "Constraint", "text", 20),
    Column("deadline", "Deadline", "datetime", 17),
    Column("calendar", "Calendar", "text", 14),
    Column("actual_start", "Actual start", "datetime", 17),
    Column("actual_finish", "Actual finish", "datetime", 17),
    Column("remaining", "Remaining (d)", "days", 12),
    Column("baseline_start", "Baseline start", "datetime", 17),
    Column("baseline_finish", "Baseline finish", "datetime", 17),
    Column("baseline_duration", "Baseline duration (d)", "days", 12),
    Column("start_variance", "Start variance (d)", "days", 12),
    Column("finish_variance", "Finish variance (d)", "days", 12),
    Column("duration_variance", "Duration variance (d)", "days", 12),
    Column("notes", "Notes", "text", 30),
)
BY_KEY = {c.key: c for c in COLUMNS}
BASELINE_KEYS = frozenset(k for k in BY_KEY if "baseline" in k or "variance" in k)
DEFAULT_KEYS = tuple(c.key for c in COLUMNS if c.default)


def columns_for(user: User | None) -> list[Column]:
    """The columns ``user`` chose, in the catalogue's order; the defaults until they choose."""
    keys: Iterable[str] = DEFAULT_KEYS
    if user is not None and user.is_authenticated:
        stored = ColumnChoice.objects.filter(user=user).values_list("columns", flat=True).first()
        keys = stored or DEFAULT_KEYS
    chosen = set(keys) | {"name"}
    return [c for c in COLUMNS if c.key in chosen]


def parse_columns(keys: Iterable[str]) -> list[Column]:
    """Columns named by key, e.g. from ``?columns=wbs,name,start``; unknown keys are refused."""
    keys = [k.strip() for k in keys if k.strip()]
    unknown = sorted(set(keys) - set(BY_KEY))
    if unknown:
        raise ValidationError(
            {"columns": f"Unknown column {', '.join(unknown)}; choose from {', '.join(BY_KEY)}."}
        )
    chosen = set(keys) | {"name"}
    return [c for c in COLUMNS if c.key in chosen]


def save_columns(user: User, keys: Iterable[str]) -> list[Column]:
    """Remember the columns ``user`` wants to see (the task name is always shown)."""
    columns = parse_columns(keys)
    ColumnChoice.objects.update_or_create(user=user, defaults={"columns": [c.key for c in columns]})
    return columns


def _days(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / MINUTES_PER_DAY, 2)


@dataclass
class TableRow:
    """A task with what its columns need beyond its own fields."""

    task: Task
    row: int
    predecessors: str = ""
    resources: str = ""
    variance: Variance | None = None

    def value(self, column: Column) -> Any:
        """The column's value for exports and sorting (days as numbers, dates as datetimes)."""
        task, variance = self.task, self.variance
        getters: dict[str, Any] = {
            "row": lambda: self.row,
            "wbs": lambda: task.wbs,
            "name": lambda: task.name,
            "duration": lambda: _days(task.duration_minutes),
            "predecessors": lambda: self.predecessors,
            "owner": lambda: (
                (task.owner.get_full_name() or task.owner.username) if task.owner else ""
            ),
            "resources": lambda: self.resources,
            "percent_complete": lambda: float(task.percent_complete),
            "total_float": lambda: _days(task.total_float_minutes),
            "free_float": lambda: _days(task.free_float_minutes),
            "constraint": lambda: _constraint_text(task),
            "calendar": lambda: task.calendar.name if task.calendar else "",
            "remaining": lambda: _days(task.remaining_minutes),
            "baseline_start": lambda: variance.baseline_start if variance else None,
            "baseline_finish": lambda: variance.baseline_finish if variance else None,
            "baseline_duration": lambda: _days(variance.baseline_duration) if variance else None,
            "start_variance": lambda: _days(variance.start_variance) if variance else None,
            "finish_variance": lambda: _days(variance.finish_variance) if variance else None,
            "duration_variance": lambda: _days(variance.duration_variance) if variance else None,
        }
        getter = getters.get(column.key)
        return getter() if getter else getattr(task, column.key)


def _constraint_text(task: Task) -> str:
    kind = ConstraintType(task.constraint_type)
    if kind in (ConstraintType.ASAP, ConstraintType.ALAP) or task.constraint_date is None:
        return kind.name
    when: dt.datetime = task.constraint_date
    return f"{kind.name} {when:%Y-%m-%d %H:%M}"


def table_rows(
    project: Project,
    columns: Sequence[Column],
    baseline: Baseline | None = None,
    only: Iterable[int] | None = None,
) -> list[TableRow]:
    """Rows of the task table in plan order (``only`` those task ids, when given)."""
    keys = {c.key for c in columns}
    tasks = Task.objects.filter(project=project).select_related("owner", "calendar")
    ordered = list(tasks.order_by("position", "pk"))
    numbers = {t.pk: i for i, t in enumerate(ordered, 1)}
    texts = predecessors_text(project, [t.pk for t in ordered]) if "predecessors" in keys else {}
    staffed: dict[int, list[str]] = {}
    if "resources" in keys:
        fields = ("task_id", "resource__name", "units_percent")
        for task_id, name, units in Assignment.objects.filter(project=project).values_list(*fields):
            staffed.setdefault(task_id, []).append(name if units == 100 else f"{name} [{units}%]")
    by_task: dict[int, Variance] = {}
    if keys & BASELINE_KEYS:
        chosen = baseline or baseline_for_gantt(project)
        if chosen is not None:
            by_task = {v.task.pk: v for v in variances(project, chosen)}
    wanted = set(only) if only is not None else None
    return [
        TableRow(
            task=task,
            row=numbers[task.pk],
            predecessors=texts.get(task.pk, ""),
            resources=", ".join(staffed.get(task.pk, [])),
            variance=by_task.get(task.pk),
        )
        for task in ordered
        if wanted is None or task.pk in wanted
    ]
