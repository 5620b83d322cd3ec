"""Upload, column-mapping and feed forms of the import/export pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from hitpm.exchange.formats import FORMATS
from hitpm.exchange.tabular import FIELD_NAMES
from hitpm.portfolio.models import Portfolio

IMPORT_CHOICES = [("", "Detect from the file")] + [
    (key, FORMATS[key].label) for key in ("mspdi", "xer", "csv", "xlsx", "native")
]


class UploadForm(forms.Form):
    """A plan file to import into a project."""

    file = forms.FileField(help_text="MS Project .xml or .mpp, Primavera .xer, .csv, .xlsx ...")
    format = forms.ChoiceField(choices=IMPORT_CHOICES, required=False)


class NewProjectForm(forms.Form):
    """A file that becomes a new project: a hitpm backup or any plan file."""

    file = forms.FileField(help_text="hitpm .json backup, MS Project, Primavera, .csv, .xlsx ...")
    code = forms.CharField(
        max_length=24,
        required=False,
        help_text="Code of the new project (a backup keeps its own code when left empty).",
    )
    name = forms.CharField(max_length=200, required=False)
    portfolio = forms.ModelChoiceField(queryset=Portfolio.objects.all(), required=False)
    format = forms.ChoiceField(
        choices=[*IMPORT_CHOICES, ("backup", FORMATS["backup"].label)], required=False
    )


class MappingForm(forms.Form):
    """One choice per column of the uploaded table: which task field it fills."""

    def __init__(
        self, header: Sequence[str], initial_map: dict[int, str], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— ignore —"), *FIELD_NAMES.items()]
        for index, name in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name or f"Column {index + 1}",
                choices=choices,
                required=False,
                initial=initial_map.get(index, ""),
            )

    def mapping(self) -> dict[int, str]:
        chosen = {
            int(key.removeprefix("col_")): value
            for key, value in self.cleaned_data.items()
            if value
        }
        return chosen

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        values = [v for v in data.values() if v]
        if "name" not in values:
            raise forms.ValidationError("Map one column to the task name.")
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise forms.ValidationError(
                f"Each field can be filled by one column: {', '.join(twice)}."
            )
        return data


class FeedForm(forms.Form):
    """A new calendar subscription link."""

    label = forms.CharField(
        max_length=100, required=False, help_text="Who it is for, e.g. Outlook."
    )
