"""What every stakeholder page shares: the project lookup and the create/edit form flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hitpm.core.models import AuditedModel
from hitpm.core.services import StaleVersion, delete_current
from hitpm.core.views import SignedInRequest, add_service_errors, confirm_page, posted
from hitpm.portfolio.models import Project
from hitpm.stakeholders.forms import RecordForm

Save = Callable[[RecordForm], Model]


def record_of[M: Model](model: type[M], project: Project, pk: int) -> M:
    return get_object_or_404(model, project=project, pk=pk)


def form_page(
    request: SignedInRequest,
    project: Project,
    role: str,
    form: RecordForm,
    *,
    save: Save,
    title: str,
    back: str,
    done: Callable[[Model], str] | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST save through ``save`` and go to ``done`` (or back)."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form)
        except StaleVersion as exc:
            form.add_error(None, f"Not saved: {exc}")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{str(record._meta.verbose_name).capitalize()} saved.")
            return redirect(done(record) if done else back)
    context = {"project": project, "role": role, "form": form, "title": title, "back": back}
    return render(request, "stakeholders/form.html", context)


def version_of(form: RecordForm) -> int | None:
    return form.cleaned_data.get("version")


def delete_page(
    request: SignedInRequest, record: AuditedModel, *, back: str, what: str
) -> HttpResponse:
    """Ask (GET), then delete the version the user saw (POST)."""
    if request.method == "GET":
        return confirm_page(
            request, title=f"Delete {what}", question=f"Delete {what} “{record}”?",
            confirm_label="Delete", cancel_url=back,
        )  # fmt: skip
    version = request.POST.get("version")
    try:
        delete_current(type(record), record.pk, int(version) if version else None)
    except StaleVersion as exc:
        messages.error(request, f"Not deleted: {exc}")
    else:
        messages.success(request, f"{what.capitalize()} deleted.")
    return redirect(back)


def area_url(name: str, project: Project, *args: Any) -> str:
    return reverse(f"stakeholders:{name}", args=[project.code, *args])


def posted_form(
    form_class: type[RecordForm], request: SignedInRequest, project: Project, instance: Any
) -> RecordForm:
    return form_class(posted(request), instance=instance, project=project)
