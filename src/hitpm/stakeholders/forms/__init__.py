"""Forms of the stakeholder pages; saving goes through the services, never form.save()."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from hitpm.accounts.models import User
from hitpm.planning.models import Task
from hitpm.portfolio.forms import DATE_WIDGET, STALE_FORM
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models import ActionItem, Communication, Decision, Meeting, Stakeholder

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RecordForm(forms.ModelForm):
    """A project record's form: choices limited to the project, and the version the user saw
    (on edits) so a stale save is refused rather than overwriting someone else's change."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, required=False,
        error_messages={"invalid": STALE_FORM, "min_value": STALE_FORM},
    )  # fmt: skip
    many: tuple[str, ...] = ()

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        members = User.objects.filter(memberships__project=project, is_active=True)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if queryset.model is User:
                field.queryset = members.order_by("username")  # type: ignore[attr-defined]
                field.label_from_instance = _person  # type: ignore[attr-defined]
            elif queryset.model in (Stakeholder, Meeting):
                field.queryset = queryset.model.objects.filter(project=project)  # type: ignore[attr-defined]
            elif queryset.model is Task:
                field.queryset = project.tasks.order_by("position")  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        """The plain fields, for the service."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields or ()
            if name not in self.many
        }

    def links(self) -> dict[str, list[Any]]:
        return {name: list(self.cleaned_data[name]) for name in self.many}

    def _post_clean(self) -> None:  # validation happens in the service, on the real record
        return


def _person(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class StakeholderForm(RecordForm):
    class Meta:
        model = Stakeholder
        fields = ("name", "kind", "organisation", "department", "project_role", "email",
                  "phone", "user", "influence", "interest", "attitude", "current_engagement",
                  "desired_engagement", "concerns", "expectations", "notes")  # fmt: skip
        widgets = {"concerns": TEXTAREA, "expectations": TEXTAREA, "notes": TEXTAREA}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        # Anyone active may be linked: stakeholders need not be project members.
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")  # type: ignore[attr-defined]


class CommunicationForm(RecordForm):
    many = ("audience",)

    class Meta:
        model = Communication
        fields = ("title", "purpose", "audience", "channel", "frequency", "owner", "first_due",
                  "active")  # fmt: skip
        widgets = {"purpose": TEXTAREA, "first_due": DATE_WIDGET,
                   "audience": forms.CheckboxSelectMultiple}  # fmt: skip


class MeetingForm(RecordForm):
    many = ("attendees",)

    class Meta:
        model = Meeting
        fields = ("title", "kind", "starts_at", "duration_minutes", "location", "attendees",
                  "agenda", "minutes")  # fmt: skip
        widgets = {
            "agenda": TEXTAREA,
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "starts_at": DATETIME_WIDGET,
            "attendees": forms.CheckboxSelectMultiple,
        }


class DecisionForm(RecordForm):
    many = ("tasks",)

    class Meta:
        model = Decision
        fields = ("title", "status", "description", "rationale", "decided_by", "decided_on",
                  "needed_by", "meeting", "tasks")  # fmt: skip
        widgets = {
            "description": TEXTAREA,
            "rationale": TEXTAREA,
            "decided_on": DATE_WIDGET,
            "needed_by": DATE_WIDGET,
            "tasks": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        tasks = cast(forms.ModelMultipleChoiceField, self.fields["tasks"])
        tasks.queryset = (
            project.tasks.filter(
                Q(is_summary=True) | Q(milestone=True) | Q(decisions__isnull=False)
            )
            .distinct()
            .order_by("position")
        )


class ActionForm(RecordForm):
    class Meta:
        model = ActionItem
        fields = ("description", "owner", "due_on", "status", "meeting", "task", "notes")
        widgets = {"due_on": DATE_WIDGET, "notes": TEXTAREA}


class RaciCellForm(forms.Form):
    """One RACI cell edit."""

    task = forms.IntegerField(min_value=1)
    stakeholder = forms.IntegerField(min_value=1)
    letter = forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in "RACI"]], required=False)


class SentForm(forms.Form):
    """Logging that a communication went out."""

    sent_on = forms.DateField(widget=DATE_WIDGET)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
