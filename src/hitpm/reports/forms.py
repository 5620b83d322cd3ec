"""Forms of the report pages: a new report, and the narrative and RAG of a draft."""

from __future__ import annotations

from typing import Any

from django import forms

from hitpm.portfolio.forms import DATE_WIDGET
from hitpm.reports.models import DIMENSIONS, Audience, Rating, StatusReport
from hitpm.reports.rag import LABELS

TEXT = forms.Textarea(attrs={"rows": 4})


class NewReportForm(forms.Form):
    audience = forms.ChoiceField(choices=Audience.choices)
    as_of = forms.DateField(label="As of", widget=DATE_WIDGET, required=False,
                            help_text="Leave empty for the project's status date.")  # fmt: skip


class NarrativeForm(forms.ModelForm):
    """Title, date and narrative, plus a rating and note per RAG dimension."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = StatusReport
        fields = ("title", "as_of", "summary", "accomplishments", "next_steps", "asks")
        widgets = {"as_of": DATE_WIDGET, "summary": TEXT, "accomplishments": TEXT,
                   "next_steps": TEXT, "asks": TEXT}  # fmt: skip

    def __init__(self, *args: Any, with_ratings: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.rating_names: list[tuple[str, str]] = []
        if not with_ratings:
            return
        saved = self.instance.ratings or {}
        for name in DIMENSIONS:
            current = saved.get(name, {})
            self.fields[f"rating_{name}"] = forms.ChoiceField(
                label=f"{LABELS[name]} rating", required=False, initial=current.get("rating", ""),
                choices=[("", "Use the suggestion"), *Rating.choices],
            )  # fmt: skip
            self.fields[f"note_{name}"] = forms.CharField(
                label=f"{LABELS[name]} note", required=False, max_length=500,
                initial=current.get("note", ""),
            )  # fmt: skip
            self.rating_names.append((f"rating_{name}", f"note_{name}"))

    def _post_clean(self) -> None:  # the service validates the stored report
        return

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {name: data[name] for name in self._meta.fields or ()}
        if self.rating_names:
            out["ratings"] = {
                name: {"rating": data[f"rating_{name}"], "note": data[f"note_{name}"]}
                for name in DIMENSIONS
            }
        return out
