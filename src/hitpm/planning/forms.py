"""Forms of the planning pages. Durations are entered in working days (480 minutes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from hitpm.accounts.models import User
from hitpm.engine.model import ConstraintType, ProgressMode
from hitpm.planning.columns import COLUMNS
from hitpm.planning.models import Calendar, Resource, Task
from hitpm.portfolio.models import Project

MINUTES_PER_DAY = 480
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _days(minutes: int | None) -> Decimal | None:
    return None if minutes is None else Decimal(minutes) / MINUTES_PER_DAY


def _minutes(days: Decimal | None) -> int | None:
    return None if days is None else round(days * MINUTES_PER_DAY)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Form datetimes are entered in project time (UTC, see spec.py)."""
    return value.replace(tzinfo=dt.UTC) if value is not None else None


def members(project: Project) -> Any:
    return User.objects.filter(memberships__project=project).order_by("username")


class RowForm(forms.Form):
    """The task table's inline editor: what a PM types into the grid."""

    name = forms.CharField(max_length=255)
    duration_days = forms.DecimalField(
        label="Duration (days)", min_value=0, max_digits=9, decimal_places=2, required=False
    )
    start = forms.DateField(
        required=False, widget=DATE_INPUT, help_text="Typing a start sets Start No Earlier Than."
    )
    predecessors = forms.CharField(
        max_length=2000, required=False, help_text="Row IDs: 12FS+2d, 15SS-1d, 7FF+50%"
    )
    percent_complete = forms.DecimalField(
        label="% complete", min_value=0, max_value=100, decimal_places=2, required=False
    )
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, project: Project, task: Task, predecessors: str, **kw: Any):
        initial = {
            "name": task.name,
            "duration_days": _days(task.duration_minutes),
            "start": task.start.date() if task.start else None,
            "predecessors": predecessors,
            "percent_complete": task.percent_complete,
            "owner": task.owner_id,
        }
        kw["initial"] = initial
        super().__init__(*args, **kw)
        self.task = task
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = members(project)
        if task.is_summary:
            for name in ("duration_days", "start", "percent_complete"):
                self.fields[name].disabled = True

    def changes(self) -> tuple[dict[str, Any], str | None]:
        """Field changes for :func:`change_with_links`, and the new predecessors text."""
        data, task = self.cleaned_data, self.task
        changes: dict[str, Any] = {}
        if data["name"] != task.name:
            changes["name"] = data["name"]
        if "duration_days" in self.changed_data and data["duration_days"] is not None:
            changes["duration_minutes"] = _minutes(data["duration_days"])
        if "start" in self.changed_data and data["start"] is not None:
            changes["start"] = dt.datetime.combine(data["start"], dt.time(8), dt.UTC)
        if "percent_complete" in self.changed_data and data["percent_complete"] is not None:
            changes["percent_complete"] = data["percent_complete"]
        owner = data["owner"].pk if data["owner"] else None
        if owner != task.owner_id:
            changes["owner_id"] = owner
        text = data["predecessors"] if "predecessors" in self.changed_data else None
        return changes, text


class TaskForm(forms.Form):
    """Every field of a task, on its own page."""

    name = forms.CharField(max_length=255)
    duration_days = forms.DecimalField(
        label="Duration (working days)", min_value=0, max_digits=9, decimal_places=2
    )
    milestone = forms.BooleanField(required=False)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    calendar = forms.ModelChoiceField(
        queryset=Calendar.objects.none(), required=False, empty_label="Project calendar"
    )
    constraint_type = forms.ChoiceField(
        choices=[(c.name, c.name) for c in ConstraintType],
        help_text="ASAP/ALAP need no date; the others constrain the task to their date.",
    )
    constraint_date = forms.DateTimeField(required=False, widget=DATETIME_INPUT)
    deadline = forms.DateTimeField(required=False, widget=DATETIME_INPUT)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, project: Project, task: Task, **kw: Any) -> None:
        initial = {
            "name": task.name,
            "duration_days": _days(task.duration_minutes),
            "milestone": task.milestone,
            "owner": task.owner_id,
            "calendar": task.calendar_id,
            "constraint_type": ConstraintType(task.constraint_type).name,
            "constraint_date": _naive_local(task.constraint_date),
            "deadline": _naive_local(task.deadline),
            "notes": task.notes,
        }
        kw["initial"] = initial
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = members(project)  # type: ignore[attr-defined]
        self.fields["calendar"].queryset = project.calendars.all()  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "duration_minutes": _minutes(data["duration_days"]),
            "milestone": data["milestone"],
            "owner_id": data["owner"].pk if data["owner"] else None,
            "calendar_id": data["calendar"].pk if data["calendar"] else None,
            "constraint_type": data["constraint_type"],
            "constraint_date": _utc(data["constraint_date"]),
            "deadline": _utc(data["deadline"]),
            "notes": data["notes"],
        }


def _naive_local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value else None


class NewTaskForm(forms.Form):
    name = forms.CharField(max_length=255, label="New task")
    duration_days = forms.DecimalField(
        label="Days", min_value=0, max_digits=9, decimal_places=2, initial=1, required=False
    )


class LinkForm(forms.Form):
    """The predecessor picker: choose a task, a link type and a lag."""

    predecessor = forms.ModelChoiceField(queryset=Task.objects.none())
    type = forms.ChoiceField(
        choices=[("FS", "Finish-to-start"), ("SS", "Start-to-start"),
                 ("FF", "Finish-to-finish"), ("SF", "Start-to-finish")],
    )  # fmt: skip
    lag = forms.CharField(
        required=False, max_length=20, help_text="e.g. 2d, -1d, 4h, 50%, 3ed", initial=""
    )

    def __init__(self, *args: Any, project: Project, task: Task, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = project.tasks.exclude(pk=task.pk).order_by("position")
        self.fields["predecessor"].queryset = choices  # type: ignore[attr-defined]
        self.fields["predecessor"].label_from_instance = (  # type: ignore[attr-defined]
            lambda t: f"{t.wbs} {t.name}"
        )


class ColumnsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        choices=[(c.key, c.label) for c in COLUMNS], widget=forms.CheckboxSelectMultiple
    )


class BaselineForm(forms.Form):
    name = forms.CharField(max_length=100, initial="Approved plan")
    description = forms.CharField(max_length=500, required=False)


class StatusForm(forms.Form):
    status_date = forms.DateField(widget=DATE_INPUT)
    progress_mode = forms.ChoiceField(
        choices=[(ProgressMode.RETAINED_LOGIC.value, "Retained logic"),
                 (ProgressMode.PROGRESS_OVERRIDE.value, "Progress override")],
        help_text="How work started out of sequence is scheduled.",
    )  # fmt: skip


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["name", "kind", "role", "user", "calendar", "capacity_percent"]
        labels = {"capacity_percent": "Capacity (%)"}
        help_texts = {"capacity_percent": "100 = full time, 50 = half of each working day."}

    def __init__(self, *args: Any, project: Project, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["user"].queryset = members(project)  # type: ignore[attr-defined]
        self.fields["calendar"].queryset = project.calendars.all()  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "role": data["role"],
            "user_id": data["user"].pk if data["user"] else None,
            "calendar_id": data["calendar"].pk if data["calendar"] else None,
            "capacity_percent": data["capacity_percent"],
        }


class AssignForm(forms.Form):
    resource = forms.ModelChoiceField(queryset=Resource.objects.none())
    units_percent = forms.IntegerField(label="Units (%)", min_value=1, max_value=10000, initial=100)

    def __init__(self, *args: Any, project: Project, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["resource"].queryset = project.resources.all()  # type: ignore[attr-defined]
