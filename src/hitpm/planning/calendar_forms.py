"""Forms of the calendar pages: a new calendar, its settings, its working week, an exception.

Each form checks what it can on its own (hours as HH:MM-HH:MM, dates in order) so the error
shows next to the field; the service checks everything again, and :func:`show_errors` puts
its refusals on the matching fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hitpm.planning.calendar_display import WeekDay
from hitpm.planning.hours import WEEKDAYS, format_hours, parse_hours
from hitpm.planning.models import Calendar, CalendarException
from hitpm.portfolio.models import Project

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
HOURS_HELP = "e.g. 08:00-12:00, 13:00-17:00 (use 00:00-24:00 for round the clock)"
WORKING, OFF, INHERIT = "working", "off", "inherit"


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names (``weekly.N`` is weekday N's
    hours), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = f"hours_{key.split('.')[1]}" if key.startswith("weekly.") else key
        form.add_error(field if field in form.fields else None, messages)


def _calendar_choice(project: Project, label: str, help_text: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=project.calendars.order_by("name"),
        required=False,
        label=label,
        help_text=help_text,
        empty_label="—",
    )


class NewCalendarForm(forms.Form):
    """Name, and what the new calendar starts from: a preset, a base, or a copy."""

    name = forms.CharField(max_length=100, help_text="e.g. Part-time (Mon-Thu), Go-live 24x7")
    preset = forms.ChoiceField(
        choices=[
            ("", "— (the base's week, or the standard week without a base)"),
            ("standard", "Standard: Mon-Fri 08:00-12:00, 13:00-17:00"),
            ("24x7", "24 hours, 7 days"),
        ],
        required=False,
        label="Working week",
    )
    is_project_default = forms.BooleanField(required=False, label="Make it the project default")

    def __init__(self, *args: Any, project: Project, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["base_id"] = _calendar_choice(
            project,
            "Base calendar",
            "Weekdays and holidays it does not set itself come from the base, as in MS Project.",
        )
        self.fields["copy_of_id"] = _calendar_choice(
            project, "Copy of", "Start as a copy of this calendar: its week, base and exceptions."
        )
        self.order_fields(["name", "base_id", "preset", "copy_of_id", "is_project_default"])

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "base_id": data["base_id"].pk if data["base_id"] else None,
            "copy_of_id": data["copy_of_id"].pk if data["copy_of_id"] else None,
            "preset": data["preset"] or None,
            "default": data["is_project_default"],
        }


class CalendarForm(forms.Form):
    """A calendar's name, base and whether it is the project default."""

    name = forms.CharField(max_length=100)
    is_project_default = forms.BooleanField(required=False, label="Project default calendar")

    def __init__(self, *args: Any, calendar: Calendar, **kw: Any) -> None:
        kw["initial"] = {
            "name": calendar.name,
            "base_id": calendar.base_id,
            "is_project_default": calendar.is_project_default,
        }
        super().__init__(*args, **kw)
        base = _calendar_choice(
            calendar.project,
            "Base calendar",
            "Without a base the calendar keeps the week it has now.",
        )
        base.queryset = base.queryset.exclude(pk=calendar.pk)  # type: ignore[union-attr]
        self.fields["base_id"] = base
        self.order_fields(["name", "base_id", "is_project_default"])
        if calendar.is_project_default:
            default = self.fields["is_project_default"]
            default.disabled = True
            default.help_text = "To change it, make another calendar the default."

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "base_id": data["base_id"].pk if data["base_id"] else None,
            "is_project_default": data["is_project_default"],
        }


class WeekForm(forms.Form):
    """Per weekday: working hours, non-working, or (with a base) inherited from the base."""

    def __init__(self, *args: Any, calendar: Calendar, week: list[WeekDay], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = [(WORKING, "Working"), (OFF, "Non-working")]
        if calendar.base_id:
            choices.append((INHERIT, f"As {calendar.base}"))
        for day in week:
            mode = (WORKING if day.working else OFF) if day.own else INHERIT
            self.fields[f"day_{day.weekday}"] = forms.ChoiceField(
                choices=choices, initial=mode, widget=forms.RadioSelect, label=day.name
            )
            self.fields[f"hours_{day.weekday}"] = forms.CharField(
                required=False,
                max_length=200,
                initial=format_hours(day.hours),
                label=f"{day.name} hours",
            )
        self.days = week

    def rows(self) -> list[tuple[WeekDay, forms.BoundField, forms.BoundField]]:
        return [(d, self[f"day_{d.weekday}"], self[f"hours_{d.weekday}"]) for d in self.days]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.week: dict[str, Any] = {}
        for day in range(7):
            mode, text = data.get(f"day_{day}"), data.get(f"hours_{day}", "")
            if mode == INHERIT:
                self.week[str(day)] = None
            elif mode == OFF:
                self.week[str(day)] = []
            elif mode == WORKING:
                self.week[str(day)] = self._hours(day, text)
        return data

    def _hours(self, day: int, text: str) -> list[list[int]]:
        if not text.strip():
            self.add_error(
                f"hours_{day}",
                f"{WEEKDAYS[day]}: enter its working hours, or choose non-working.",
            )
            return []
        try:
            return parse_hours(text, WEEKDAYS[day])
        except ValidationError as exc:
            self.add_error(f"hours_{day}", exc)
            return []


class ExceptionForm(forms.Form):
    """A holiday, closure or working day that differs from the week."""

    name = forms.CharField(max_length=100, help_text="e.g. Thanksgiving Day, Go-live freeze")
    start = forms.DateField(widget=DATE_INPUT)
    end = forms.DateField(widget=DATE_INPUT, required=False, help_text="Empty for one day.")
    working = forms.ChoiceField(
        choices=[(OFF, "Non-working"), (WORKING, "Working, these hours:")],
        widget=forms.RadioSelect,
        initial=OFF,
        label="These days are",
    )
    hours = forms.CharField(required=False, max_length=200, help_text=HOURS_HELP)

    def __init__(self, *args: Any, exception: CalendarException | None = None, **kw: Any):
        if exception is not None:
            kw["initial"] = {
                "name": exception.name,
                "start": exception.start,
                "end": exception.end,
                "working": WORKING if exception.intervals else OFF,
                "hours": format_hours(exception.intervals),
            }
        super().__init__(*args, **kw)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", f"The exception ends ({end}) before it starts ({start}).")
        data["intervals"] = []
        if data.get("working") == WORKING:
            if not data.get("hours", "").strip():
                self.add_error("hours", "Enter the working hours, or choose non-working.")
            else:
                try:
                    data["intervals"] = parse_hours(data["hours"], "Hours")
                except ValidationError as exc:
                    self.add_error("hours", exc)
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "start": data["start"],
            "end": data["end"] or data["start"],
            "hours": data["intervals"],
        }
