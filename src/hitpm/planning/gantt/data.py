"""What the Gantt chart shows, read from the stored plan in a handful of queries.

Times travel as whole minutes since 1970-01-01 00:00 UTC ("epoch minutes"): compact, exact,
and free of time-zone parsing in the browser. Project-local time is UTC until projects carry a
time zone (see :mod:`hitpm.planning.services`), so the chart labels days in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict, overload

from django.core.exceptions import ValidationError

from hitpm.engine.calendar import CalendarError, WeekPattern, resolve
from hitpm.engine.model import LinkType
from hitpm.planning import spec
from hitpm.planning.models import Baseline, BaselineTask, Dependency, PlanSettings, Task
from hitpm.portfolio.models import Project

TASK_FIELDS = (
    "id",
    "version",
    "parent_id",
    "wbs",
    "name",
    "outline_level",
    "is_summary",
    "milestone",
    "critical",
    "manual",
    "start",
    "finish",
    "duration_minutes",
    "percent_complete",
    "total_float_minutes",
    "deadline",
)


class TaskRow(TypedDict):
    """One task as the chart draws it; ``bs``/``bf`` are the shown baseline's dates."""

    id: int
    v: int
    parent: int | None
    wbs: str
    name: str
    level: int
    summary: bool
    milestone: bool
    critical: bool
    manual: bool
    s: int | None
    f: int | None
    dur: int
    pct: float
    tf: int | None
    deadline: int | None
    bs: int | None
    bf: int | None


class LinkRow(TypedDict):
    """One dependency arrow: predecessor ``p``, successor ``s``, type FS/SS/FF/SF, lag."""

    id: int
    v: int
    p: int
    s: int
    type: str
    lag: float
    lag_format: str


@dataclass(frozen=True)
class GanttData:
    """Everything one chart needs, also the input of the server-side SVG renderer."""

    project: Project
    tasks: list[TaskRow]
    links: list[LinkRow]
    weekly: list[list[list[int]]]  # Monday first: [start, end) working minutes of the day
    exceptions: list[dict[str, Any]]  # in order, later ones win: start, end, name, working
    baseline: Baseline | None = None
    baselines: list[tuple[int, str]] = field(default_factory=list)
    can_edit: bool = False

    def as_json(self) -> dict[str, Any]:
        """The payload of the chart's data endpoint."""
        project = self.project
        return {
            "project": {
                "code": project.code,
                "name": project.name,
                "start": minutes(_midnight(project.start_date)),
                "status_date": status_minute(project),
                "today": minutes(_midnight(dt.datetime.now(dt.UTC).date())),
                "can_edit": self.can_edit,
            },
            "calendar": {"weekly": self.weekly, "exceptions": self.exceptions},
            "baseline": self.baseline.pk if self.baseline else None,
            "baselines": [{"id": pk, "name": name} for pk, name in self.baselines],
            "tasks": self.tasks,
            "links": self.links,
        }


@overload
def minutes(value: dt.datetime) -> int: ...
@overload
def minutes(value: None) -> None: ...
@overload
def minutes(value: dt.datetime | None) -> int | None: ...
def minutes(value: dt.datetime | None) -> int | None:
    """An aware datetime as epoch minutes (UTC), or None."""
    return None if value is None else int(value.timestamp()) // 60


def from_minutes(value: int) -> dt.datetime:
    """Epoch minutes as an aware UTC datetime."""
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=value)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def status_minute(project: Project) -> int | None:
    """Where the status-date line is drawn: the end of that day, as work up to it is done."""
    day = project.status_date
    return None if day is None else minutes(_midnight(day + dt.timedelta(days=1)))


def task_row(task: Task, baseline: Mapping[int, tuple[Any, Any]] | None = None) -> TaskRow:
    """A task as the chart's row; used for the tasks an edit changed."""
    return values_row({name: getattr(task, name) for name in TASK_FIELDS}, baseline or {})


def values_row(values: Mapping[str, Any], baseline: Mapping[int, tuple[Any, Any]]) -> TaskRow:
    """A task's values (at least :data:`TASK_FIELDS`) as the chart's row."""
    planned = baseline.get(values["id"], (None, None))
    return {
        "id": values["id"],
        "v": values["version"],
        "parent": values["parent_id"],
        "wbs": values["wbs"],
        "name": values["name"],
        "level": values["outline_level"],
        "summary": values["is_summary"],
        "milestone": values["milestone"],
        "critical": values["critical"],
        "manual": values["manual"],
        "s": minutes(values["start"]),
        "f": minutes(values["finish"]),
        "dur": values["duration_minutes"],
        "pct": float(values["percent_complete"]),
        "tf": values["total_float_minutes"],
        "deadline": minutes(values["deadline"]),
        "bs": minutes(planned[0]),
        "bf": minutes(planned[1]),
    }


LINK_FIELDS = ("id", "version", "predecessor_id", "successor_id", "type", "lag", "lag_format")
LINK_NAMES = {t.value: t.name for t in LinkType}


def link_row(link: Dependency) -> LinkRow:
    """A dependency as the chart's arrow."""
    return _link(*(getattr(link, name) for name in LINK_FIELDS))


def _link(pk: int, version: int, pred: int, succ: int, kind: int, lag: float, fmt: str) -> LinkRow:
    return {
        "id": pk,
        "v": version,
        "p": pred,
        "s": succ,
        "type": LINK_NAMES[kind],
        "lag": lag,
        "lag_format": fmt,
    }


def project_pattern(project: Project) -> WeekPattern:
    """The project's default calendar with its base chain resolved (standard week if none)."""
    specs, default_uid = spec.project_calendars(project)
    try:
        return resolve(default_uid, specs)
    except CalendarError as exc:
        raise ValidationError(f"The calendars of {project.code} are invalid: {exc}") from exc


def _calendar_payload(pattern: WeekPattern) -> tuple[list[list[list[int]]], list[dict[str, Any]]]:
    weekly = [[list(interval) for interval in day] for day in pattern.weekly]
    exceptions = [
        {
            "start": row.start.isoformat(),
            "end": row.end.isoformat(),
            "name": row.name,
            "working": bool(row.intervals),
        }
        for row in pattern.exceptions
    ]
    return weekly, exceptions


def shown_baseline(project: Project, chosen: int | bool | None = None) -> Baseline | None:
    """The baseline to draw: the one chosen on the page (False: none), else the project's Gantt
    baseline setting, else the most recently saved one (None when the project has none)."""
    baselines = Baseline.objects.filter(project=project)
    if chosen is False:
        return None
    if chosen is not None and chosen is not True:
        found = baselines.filter(pk=chosen).first()
        if found is None:
            raise ValidationError({"baseline": f"{project.code} has no baseline {chosen}."})
        return found
    setting = PlanSettings.objects.filter(project=project).select_related("gantt_baseline").first()
    if setting is not None and setting.gantt_baseline is not None:
        return setting.gantt_baseline
    return baselines.order_by("-created_at", "-pk").first()


def baseline_dates(baseline: Baseline | None) -> dict[int, tuple[Any, Any]]:
    """(start, finish) per task id in the baseline."""
    if baseline is None:
        return {}
    rows = BaselineTask.objects.filter(baseline=baseline).values_list("task_id", "start", "finish")
    return {task_id: (start, finish) for task_id, start, finish in rows}


def build(
    project: Project, *, can_edit: bool = False, baseline: int | bool | None = None
) -> GanttData:
    """The whole plan as the chart shows it: a few queries plus the calendars'."""
    shown = shown_baseline(project, baseline)
    planned = baseline_dates(shown)
    rows = Task.objects.filter(project=project).order_by("position").values(*TASK_FIELDS)
    tasks = [values_row(values, planned) for values in rows]
    pairs = Dependency.objects.filter(project=project).order_by("pk").values_list(*LINK_FIELDS)
    links = [_link(*values) for values in pairs]
    weekly, exceptions = _calendar_payload(project_pattern(project))
    return GanttData(
        project=project,
        tasks=tasks,
        links=links,
        weekly=weekly,
        exceptions=exceptions,
        baseline=shown,
        baselines=list(Baseline.objects.filter(project=project).values_list("pk", "name")),
        can_edit=can_edit,
    )
