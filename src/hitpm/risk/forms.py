"""Forms of the risk pages; the rules themselves live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from hitpm.accounts.models import User
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project
from hitpm.risk.models import (
    FailureMode,
    FmeaAction,
    FmeaWorksheet,
    Risk,
    RiskAction,
    RiskCategory,
    RiskScale,
    TaskEstimate,
)
from hitpm.risk.models.simulation import DISTRIBUTIONS
from hitpm.risk.scoring import default_bands
from hitpm.risk.services.insights import ORDERS
from hitpm.risk.services.register import categories_for, scale_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MINUTES_PER_DAY = 480


def members_of(project: Project) -> Any:
    return User.objects.filter(memberships__project=project, is_active=True).order_by("username")


class RiskForm(forms.ModelForm):
    """Every field a PM fills in; ratings offer the portfolio's scale with its descriptors."""

    tasks = forms.ModelMultipleChoiceField(
        queryset=Task.objects.none(),
        required=False,
        label="Linked tasks and milestones",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "category",
            "owner",
            "status",
            "identified_on",
            "description",
            "cause",
            "event",
            "effect",
            "probability",
            "impact_safety",
            "impact_schedule",
            "impact_cost",
            "impact_compliance",
            "residual_probability",
            "residual_safety",
            "residual_schedule",
            "residual_cost",
            "residual_compliance",
            "proximity",
            "triggers",
            "strategy",
            "response",
            "contingency",
            "fallback",
            "review_cadence",
            "next_review_on",
            "occurred_on",
            "issue_summary",
            "schedule_probability",
            "delay_min_days",
            "delay_likely_days",
            "delay_max_days",
        ]
        labels = {
            "schedule_probability": "Chance it delays the schedule (%)",
            "delay_min_days": "Delay: minimum (working days)",
            "delay_likely_days": "Delay: most likely (working days)",
            "delay_max_days": "Delay: maximum (working days)",
            "next_review_on": "Next review",
            "occurred_on": "Occurred on",
            "issue_summary": "Issue now being managed",
        }
        widgets = {
            "identified_on": DATE,
            "proximity": DATE,
            "next_review_on": DATE,
            "occurred_on": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in (
                    "description",
                    "cause",
                    "event",
                    "effect",
                    "triggers",
                    "response",
                    "contingency",
                    "fallback",
                    "issue_summary",
                )
            },
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        portfolio = project.portfolio
        self.fields["category"].queryset = RiskCategory.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in categories_for(portfolio)]
        )
        self.fields["owner"].queryset = members_of(project)  # type: ignore[attr-defined]
        self.fields["tasks"].queryset = project.tasks.order_by("position")  # type: ignore[attr-defined]
        scale = scale_for(portfolio)
        levels = scale.levels()
        blank = [("", "— not rated —")]
        probability = blank + [(n, f"{n} {p}") for n, p, _ in levels]
        impact = blank + [(n, f"{n} {i.split(':')[0]}") for n, _, i in levels]
        for name in ("probability", "residual_probability"):
            self.fields[name] = forms.TypedChoiceField(
                choices=probability,
                coerce=int,
                empty_value=None,
                required=False,
                label=self.fields[name].label,
            )
        for name in self.Meta.fields:
            if name.startswith(("impact_", "residual_")) and name != "residual_probability":
                self.fields[name] = forms.TypedChoiceField(
                    choices=impact,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    label=self.fields[name].label,
                )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["tasks"].initial = [link.task_id for link in self.instance.task_links.all()]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def task_ids(self) -> list[int]:
        return [t.pk for t in self.cleaned_data["tasks"]]


class RegisterFilterForm(forms.Form):
    """The register's filter bar (GET)."""

    q = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), ("open", "Open"), *Risk.Status.choices]
    )
    category = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        required=False, choices=[("", "Threats and opportunities"), *Risk.Kind.choices]
    )
    overdue = forms.BooleanField(required=False, label="Review overdue")
    order = forms.ChoiceField(
        required=False, choices=[(k, k) for k in ORDERS], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = categories_for(project.portfolio)
        self.fields["category"].choices = [("", "Any category")] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in categories
        ]
        owners = members_of(project)
        self.fields["owner"].choices = [("", "Any owner")] + [  # type: ignore[attr-defined]
            (u.pk, u.get_full_name() or u.username) for u in owners
        ]


class ActionForm(forms.ModelForm):
    class Meta:
        model = RiskAction
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(project)  # type: ignore[attr-defined]


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=80, label="New category")


class RenameCategoryForm(forms.Form):
    """Rename one category; the prefix (``cat-<id>``) keeps each row's inputs apart."""

    name = forms.CharField(max_length=80, label="Name")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_category(cls, category: RiskCategory, data: Any = None) -> RenameCategoryForm:
        return cls(
            data,
            prefix=f"cat-{category.pk}",
            initial={"name": category.name, "version": category.version},
        )


def scale_sizes() -> list[int]:
    """The sizes a scale may have: the bounds of ``RiskScale.size``'s validators (3-10)."""
    validators = RiskScale._meta.get_field("size").validators
    low = max(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return list(range(int(low), int(high) + 1))


class ScaleForm(forms.Form):
    """The portfolio's scale: size, band thresholds and one descriptor per level.

    ``levels`` is how many descriptor inputs of each kind the form has (``probability_1``...,
    ``impact_1``...); the hidden ``shown`` field posts it back, so a changed size can be told
    from the inputs on the page. The rules (thresholds within size x size, no rating in use
    above the size) are checked by ``update_scale``.
    """

    size = forms.TypedChoiceField(coerce=int, label="Size (levels of probability and impact)")
    amber_from = forms.IntegerField(label="Amber from score")
    red_from = forms.IntegerField(label="Red from score")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    shown = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, scale: RiskScale, levels: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        self.fields["size"].choices = [(n, f"{n} x {n}") for n in scale_sizes()]  # type: ignore[attr-defined]
        self.fields["shown"].initial = levels
        for n in range(1, levels + 1):
            self.fields[f"probability_{n}"] = forms.CharField(
                max_length=200, label=f"Probability descriptor of level {n}"
            )
            self.fields[f"impact_{n}"] = forms.CharField(
                max_length=200, label=f"Impact descriptor of level {n}"
            )
        if not self.is_bound and not self.initial:
            self.initial = {
                "size": scale.size,
                "amber_from": scale.amber_from,
                "red_from": scale.red_from,
                "version": scale.version,
                **self.descriptors(scale),
            }
        bands = default_bands(levels)
        self.fields["red_from"].help_text = (
            f"Usual for {levels} x {levels}: amber from {bands.amber}, red from {bands.red} "
            f"(highest score {levels * levels})."
        )

    def descriptors(self, scale: RiskScale, posted: Any = None, shown: int = 0) -> dict[str, str]:
        """Initial descriptors of the form's levels: posted ones (of the ``shown`` levels on
        the page), else the scale's, else blank."""
        values = {}
        for n, probability, impact in _levels(scale, self.levels):
            for kind, saved in (("probability", probability), ("impact", impact)):
                name = f"{kind}_{n}"
                given = posted.get(name) if posted is not None and n <= shown else None
                values[name] = given if given is not None else saved
        return values

    @classmethod
    def resized(cls, posted: Any, scale: RiskScale, levels: int, shown: int) -> ScaleForm:
        """An unbound form for ``levels`` levels that keeps what was typed."""
        form = cls(scale=scale, levels=levels, initial={"size": levels})
        form.initial.update(
            {
                "amber_from": posted.get("amber_from", ""),
                "red_from": posted.get("red_from", ""),
                "version": posted.get("version", ""),
                "shown": levels,
                **form.descriptors(scale, posted, shown),
            }
        )
        return form

    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """(level, probability input, impact input) for the template."""
        return [
            (n, self[f"probability_{n}"], self[f"impact_{n}"]) for n in range(1, self.levels + 1)
        ]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "size": data["size"],
            "amber_from": data["amber_from"],
            "red_from": data["red_from"],
            "probability_labels": [data[f"probability_{n}"] for n in range(1, self.levels + 1)],
            "impact_labels": [data[f"impact_{n}"] for n in range(1, self.levels + 1)],
        }


def _levels(scale: RiskScale, levels: int) -> list[tuple[int, str, str]]:
    """The scale's descriptors for levels 1..``levels``; blank beyond the scale's own."""
    saved = {n: (p, i) for n, p, i in scale.levels()}
    blank = ("", "")
    return [(n, *saved.get(n, blank)) for n in range(1, levels + 1)]


class EstimateForm(forms.Form):
    """A three-point estimate in working days (8 hours)."""

    low = forms.DecimalField(min_value=0, max_digits=8, decimal_places=1, label="Minimum (d)")
    likely = forms.DecimalField(
        min_value=0, max_digits=8, decimal_places=1, label="Most likely (d)"
    )
    high = forms.DecimalField(min_value=0, max_digits=8, decimal_places=1, label="Maximum (d)")
    distribution = forms.ChoiceField(choices=[("", "Run default"), *DISTRIBUTIONS], required=False)
    basis = forms.CharField(max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        minutes = {k: round(float(data[k]) * MINUTES_PER_DAY) for k in ("low", "likely", "high")}
        return {
            "low_minutes": minutes["low"],
            "likely_minutes": minutes["likely"],
            "high_minutes": minutes["high"],
            "distribution": data["distribution"],
            "basis": data["basis"],
        }

    @classmethod
    def for_estimate(cls, task_id: int, estimate: TaskEstimate | None) -> EstimateForm:
        if estimate is None:
            return cls(prefix=str(task_id))
        return cls(
            prefix=str(task_id),
            initial={
                "low": estimate.low_minutes / MINUTES_PER_DAY,
                "likely": estimate.likely_minutes / MINUTES_PER_DAY,
                "high": estimate.high_minutes / MINUTES_PER_DAY,
                "distribution": estimate.distribution,
                "basis": estimate.basis,
                "version": estimate.version,
            },
        )


class RunForm(forms.Form):
    """Options of a new Monte Carlo run."""

    name = forms.CharField(max_length=120, required=False)
    iterations = forms.IntegerField(min_value=100, max_value=200_000, initial=2000)
    seed = forms.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text="Leave blank for a random seed; it is stored either way.",
    )
    distribution = forms.ChoiceField(
        choices=DISTRIBUTIONS,
        initial="triangular",
        help_text="For tasks whose estimate names none.",
    )
    template_low = forms.IntegerField(
        min_value=0, max_value=1000, initial=90, label="Template min %"
    )
    template_likely = forms.IntegerField(
        min_value=0, max_value=1000, initial=100, label="Template most likely %"
    )
    template_high = forms.IntegerField(
        min_value=0, max_value=1000, initial=130, label="Template max %"
    )
    correlation = forms.DecimalField(
        min_value=0,
        max_value=Decimal("0.95"),
        decimal_places=2,
        required=False,
        label="Correlation between estimated tasks",
        help_text="Rank correlation (Iman-Conover) between the durations of tasks with "
        "three-point estimates, e.g. 0.3 when one team or vendor does them all.",
    )
    latin_hypercube = forms.BooleanField(required=False, label="Latin hypercube sampling")
    stop_at_convergence = forms.BooleanField(required=False, label="Stop at convergence (0.5%)")
    include_risks = forms.BooleanField(
        required=False, initial=True, label="Include risk events from the register"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, likely, high = (data.get(f"template_{k}") for k in ("low", "likely", "high"))
        if None not in (low, likely, high) and not low <= likely <= high:  # type: ignore[operator]
            raise forms.ValidationError("The template needs min <= most likely <= max.")
        return data


class WorksheetForm(forms.ModelForm):
    class Meta:
        model = FmeaWorksheet
        fields = ["process", "method", "scope", "team", "action_threshold"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 2}),
            "team": forms.Textarea(attrs={"rows": 2}),
        }


class StepForm(forms.Form):
    description = forms.CharField(max_length=300, label="New process step")


class FailureModeForm(forms.ModelForm):
    class Meta:
        model = FailureMode
        fields = [
            "description",
            "effects",
            "causes",
            "controls",
            "severity",
            "probability",
            "detection",
            "single_point_weakness",
            "effective_control",
            "detectable",
            "revised_severity",
            "revised_probability",
            "revised_detection",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("effects", "causes", "controls")
        }

    def __init__(self, *args: Any, worksheet: FmeaWorksheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if worksheet.is_hfmea:
            for name in ("detection", "revised_detection"):
                del self.fields[name]
            self.fields["probability"].label = "Probability (1-4)"
            self.fields["severity"].label = "Severity (1-4)"
        else:
            for name in ("single_point_weakness", "effective_control", "detectable"):
                del self.fields[name]
            self.fields["probability"].label = "Occurrence (1-10)"


class FmeaActionForm(forms.ModelForm):
    class Meta:
        model = FmeaAction
        fields = ["kind", "description", "measure", "owner", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(project)  # type: ignore[attr-defined]
