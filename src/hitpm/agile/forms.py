"""Forms of the agile pages. Saving goes through agile.services, never form.save()."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from hitpm.accounts.models import User
from hitpm.agile.models import Board, Column, Sprint, Swimlane, WorkItem
from hitpm.planning.models import Task
from hitpm.portfolio.forms import DATE_WIDGET, STALE_FORM
from hitpm.portfolio.models import Project
from hitpm.risk.models import Risk


class VersionedForm(forms.ModelForm):
    """A model form that carries the version the user saw, to refuse stale saves."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=False,
        error_messages={"invalid": STALE_FORM, "min_value": STALE_FORM},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class BoardForm(VersionedForm):
    class Meta:
        model = Board
        fields: tuple[str, ...] = (
            "name",
            "kind",
            "allow_wip_override",
            "points_per_day",
            "sprint_days",
            "history_days",
            "weekdays_only",
        )
        labels = {
            "allow_wip_override": "Allow WIP overrides with a reason",
            "history_days": "Forecast history window (days)",
            "weekdays_only": "Team works Monday to Friday",
        }


class BoardEditForm(BoardForm):
    class Meta(BoardForm.Meta):
        fields = tuple(f for f in BoardForm.Meta.fields if f != "kind")


def _limit(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Offer only these records in a choice field (the project's people, epics, tasks)."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def _members(project: Project) -> Any:
    return User.objects.filter(memberships__project=project, is_active=True).order_by("username")


class ItemForm(VersionedForm):
    """An item's fields; labels as comma-separated text; choices limited to the project."""

    labels = forms.CharField(
        required=False, help_text="Comma-separated, e.g. order-sets, go-live, regulatory."
    )

    class Meta:
        model = WorkItem
        fields: tuple[str, ...] = (
            "kind",
            "title",
            "points",
            "assignee",
            "clinical_area",
            "epic",
            "plan_task",
            "risk",
            "labels",
            "blocked",
            "blocked_reason",
            "patient_safety",
            "description",
            "acceptance_criteria",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "acceptance_criteria": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"plan_task": "Plan task (epics)", "patient_safety": "Patient-safety defect"}
        help_texts = {
            "acceptance_criteria": "Given / when / then, one per line.",
            "plan_task": "An epic's done points set this task's percent complete.",
        }

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = board.project
        _limit(self, "assignee", _members(project))
        epics = project.work_items.filter(kind=WorkItem.Kind.EPIC)
        if self.instance.pk:
            epics = epics.exclude(pk=self.instance.pk)
        _limit(self, "epic", epics.order_by("number"))
        _limit(self, "plan_task", Task.objects.filter(project=project).order_by("position"))
        _limit(self, "risk", Risk.objects.filter(project=project).order_by("number"))
        if self.instance.pk:
            self.initial["labels"] = ", ".join(self.instance.labels)


class SprintForm(VersionedForm):
    class Meta:
        model = Sprint
        fields: tuple[str, ...] = ("name", "goal", "start_date", "end_date")
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "goal": forms.Textarea(attrs={"rows": 2}),
        }


class CapacityForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Person")
    allocation_percent = forms.IntegerField(
        min_value=1, max_value=100, initial=100, label="Allocation %"
    )
    days_off = forms.DecimalField(
        min_value=0, max_digits=4, decimal_places=1, initial=0, label="Days off"
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "user", _members(project))


class CloseSprintForm(forms.Form):
    unfinished_to = forms.ModelChoiceField(
        queryset=Sprint.objects.none(),
        required=False,
        empty_label="Back to the backlog",
        label="Unfinished items go to",
    )

    def __init__(self, *args: Any, sprint: Sprint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        planned = sprint.board.sprints.filter(state=Sprint.State.PLANNED).exclude(pk=sprint.pk)
        _limit(self, "unfinished_to", planned)


class ColumnForm(VersionedForm):
    class Meta:
        model = Column
        fields: tuple[str, ...] = ("name", "category", "wip_limit")
        labels = {"category": "State", "wip_limit": "WIP limit"}


class LaneForm(VersionedForm):
    class Meta:
        model = Swimlane
        fields: tuple[str, ...] = ("name", "wip_limit")
        labels = {"wip_limit": "WIP limit (in progress)"}


class ForecastForm(forms.Form):
    """Either "when will N items (points) be done" or "how many by this date"."""

    items = forms.IntegerField(
        min_value=1, max_value=100_000, required=False, label="Items (or points)"
    )
    by = forms.DateField(required=False, widget=DATE_WIDGET, label="By date")
    sprints = forms.IntegerField(min_value=1, max_value=100, required=False, label="Sprints")
