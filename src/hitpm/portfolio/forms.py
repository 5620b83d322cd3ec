"""Forms of the portfolio pages. Saving goes through portfolio.services, never form.save()."""

from __future__ import annotations

from typing import Any

from django import forms

from hitpm.accounts.models import User
from hitpm.portfolio.models import Membership, Portfolio, Project

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

STALE_FORM = "This form lost track of the version you edited: reload the page and try again."

EDITABLE_FIELDS = (
    "name",
    "description",
    "phase",
    "health",
    "status",
    "sponsor",
    "start_date",
    "status_date",
    "target_go_live",
)


def _active_user(username: str) -> User:
    user = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if user is None:
        raise forms.ValidationError(
            "No active user has this username. Check the spelling, or ask an administrator "
            "to create the account first."
        )
    return user


class ProjectEditForm(forms.ModelForm):
    """The project's own fields. ``version`` is the one the user saw, to refuse stale saves."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": STALE_FORM,
            "invalid": STALE_FORM,
            "min_value": STALE_FORM,
        },
    )

    class Meta:
        model = Project
        fields: tuple[str, ...] = EDITABLE_FIELDS
        widgets = {
            "start_date": DATE_WIDGET,
            "status_date": DATE_WIDGET,
            "target_go_live": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"target_go_live": "Target go-live", "start_date": "Start"}
        help_texts = {
            "status_date": "When progress was last reported; overdue work is judged against it.",
            "sponsor": "The executive who owns the outcome, e.g. the CMIO.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        """The cleaned values of the project's fields, ready for services.update_project."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ProjectCreateForm(ProjectEditForm):
    """A new project: its portfolio, its code, and optionally its first project manager."""

    portfolio = forms.ModelChoiceField(queryset=Portfolio.objects.all())
    manager = forms.CharField(
        label="Project manager (username)",
        required=False,
        max_length=150,
        help_text="Optional: this person becomes the project's first project manager.",
    )

    class Meta(ProjectEditForm.Meta):
        fields: tuple[str, ...] = ("portfolio", "code", *EDITABLE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]

    def clean_manager(self) -> User | None:
        username = self.cleaned_data["manager"]
        return _active_user(username) if username else None

    def project_fields(self) -> dict[str, Any]:
        """Field values for services.create_project (the portfolio is passed separately)."""
        return {name: self.cleaned_data[name] for name in ("code", *EDITABLE_FIELDS)}


class AddMemberForm(forms.Form):
    """Add a person to a project by username, with a role."""

    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Membership.Role.choices)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_username(self) -> User:
        user = _active_user(self.cleaned_data["username"])
        if Membership.objects.filter(project=self.project, user=user).exists():
            raise forms.ValidationError(
                f"{user.get_username()} is already on this project; change their role in the "
                "list below instead."
            )
        return user


class RoleForm(forms.Form):
    """A member's new role."""

    role = forms.ChoiceField(choices=Membership.Role.choices)
