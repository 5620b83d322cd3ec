"""The audit trail's filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from hitpm.audit.models import AuditEntry
from hitpm.core.templatetags.hitpm_ui import model_label

ANY = [("", "Any")]


class AuditFilterForm(forms.Form):
    """Filters offered from what the project's trail actually contains."""

    # Placeholders that fix the order; __init__ fills in the choices found in the trail.
    model = forms.ChoiceField(required=False)
    actor = forms.ChoiceField(required=False)
    action = forms.ChoiceField(required=False, choices=ANY + list(AuditEntry.Action.choices))

    def __init__(self, *args: Any, entries: QuerySet[AuditEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        models = entries.order_by("model").values_list("model", flat=True).distinct()
        actors = entries.order_by("actor").values_list("actor", flat=True).distinct()
        model_choices = ANY + [(m, model_label(m)) for m in models]
        self.fields["model"] = forms.ChoiceField(
            required=False, label="Record type", choices=model_choices
        )
        actor_choices = ANY + [(a, a) for a in actors]
        self.fields["actor"] = forms.ChoiceField(
            required=False, label="Changed by", choices=actor_choices
        )

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """The entries matching the valid filters; an invalid form filters nothing."""
        if not self.is_valid():
            return entries
        chosen = {name: value for name, value in self.cleaned_data.items() if value}
        return entries.filter(**chosen)
