"""The Gantt page, its data, the edits it sends, and its exports. Views stay thin: the work is
in :mod:`.data`, :mod:`.changes` and :mod:`.export`; access always goes through ``project_for``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from hitpm.core.services import StaleVersion
from hitpm.planning.gantt import changes, data, export
from hitpm.planning.models import Task
from hitpm.portfolio.access import Action, can, project_for
from hitpm.portfolio.models import Project

JsonEdit = Callable[[Project, dict[str, Any]], dict[str, Any]]
FORMATS = {
    "svg": ("image/svg+xml", lambda d, o: export.svg(d, o).encode()),
    "png": ("image/png", export.png),
    "pdf": ("application/pdf", export.pdf),
}


@login_required
@require_GET
def gantt_page(request: HttpRequest, code: str) -> HttpResponse:
    """The chart's shell; the chart itself loads its rows from :func:`gantt_data`."""
    project, role = project_for(request.user, code, Action.VIEW)
    context = {
        "project": project,
        "role": role,
        "can_edit": can(request.user, project, Action.EDIT),
        "zooms": [z.value for z in export.Zoom],
        "papers": list(export.PAPERS),
    }
    return render(request, "planning/gantt.html", context)


@login_required
@require_GET
@gzip_page
def gantt_data(request: HttpRequest, code: str) -> JsonResponse:
    """Every task, link, the calendar's working week and exceptions, and the shown baseline."""
    project, _ = project_for(request.user, code, Action.VIEW)
    try:
        shown = data.build(
            project,
            can_edit=can(request.user, project, Action.EDIT),
            baseline=_baseline(request),
        )
    except ValidationError as exc:
        return _validation(exc)
    response = JsonResponse(shown.as_json())
    response["Cache-Control"] = "no-store"
    return response


def _baseline(request: HttpRequest) -> int | bool | None:
    """The ``baseline`` query parameter: an id, "none" to hide baselines (False), or the
    project's default (None) when absent."""
    value = request.GET.get("baseline") or None
    if value == "none":
        return False
    if value is not None and not value.isdigit():
        raise ValidationError({"baseline": f"A baseline is chosen by its id, not {value!r}."})
    return int(value) if value is not None else None


def _refused(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> JsonResponse:
    """An error answer; the request's transaction is rolled back so nothing half-done stays."""
    if transaction.get_connection().in_atomic_block:
        transaction.set_rollback(True)
    return JsonResponse({"detail": detail, "errors": errors or []}, status=status)


def _validation(exc: ValidationError) -> JsonResponse:
    errors: list[dict[str, Any]]
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    return _refused(422, " ".join(e["message"] for e in errors), errors)


def json_edit(handler: JsonEdit) -> Callable[..., HttpResponse]:
    """An edit sent by the chart as JSON: editors only, answered with what moved or why not."""

    @login_required
    @require_POST
    @wraps(handler)
    def view(request: HttpRequest, code: str, **ids: int) -> HttpResponse:
        project, _ = project_for(request.user, code, Action.EDIT)
        try:
            body = json.loads(request.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            return _refused(400, "The request body must be a JSON object.")
        began = time.perf_counter()
        try:
            response = JsonResponse(handler(project, {**body, **ids}))
        except ValidationError as exc:
            return _validation(exc)
        except StaleVersion as exc:
            current = exc.current
            fresh = data.task_row(current) if isinstance(current, Task) else None
            return JsonResponse({"detail": str(exc), "errors": [], "task": fresh}, status=409)
        response["Server-Timing"] = f"edit;dur={(time.perf_counter() - began) * 1000:.1f}"
        return response

    return view


def _int(body: dict[str, Any], key: str, *, required: bool = True) -> int | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({key: f"{key} must be a whole number, not {value!r}."})
    return value


@json_edit
def move_task(project: Project, body: dict[str, Any]) -> dict[str, Any]:
    """Drag a bar to a new start: ``{"start": epoch minutes, "version": n}``."""
    version = _int(body, "version", required=False)
    return changes.move(project, _int(body, "task_id") or 0, _int(body, "start") or 0, version)


@json_edit
def resize_task(project: Project, body: dict[str, Any]) -> dict[str, Any]:
    """Drag a bar's end to a new finish: ``{"finish": epoch minutes, "version": n}``."""
    version = _int(body, "version", required=False)
    return changes.resize(project, _int(body, "task_id") or 0, _int(body, "finish") or 0, version)


@json_edit
def add_link(project: Project, body: dict[str, Any]) -> dict[str, Any]:
    """Draw a link: ``{"predecessor": id, "successor": id, "type": "FS"|"SS"|"FF"|"SF"}``."""
    predecessor, successor = _int(body, "predecessor") or 0, _int(body, "successor") or 0
    return changes.link(project, predecessor, successor, str(body.get("type", "FS")))


@json_edit
def remove_link(project: Project, body: dict[str, Any]) -> dict[str, Any]:
    """Remove a link: ``{"version": n}``."""
    version = _int(body, "version", required=False)
    return changes.unlink(project, _int(body, "link_id") or 0, version)


@login_required
@require_GET
def gantt_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The chart as SVG, PNG or a printable PDF; options ``zoom``, ``level`` and ``paper``."""
    project, _ = project_for(request.user, code, Action.VIEW)
    if fmt not in FORMATS:
        raise Http404(f"There is no {fmt!r} export; choose svg, png or pdf.")
    try:
        options = export.options_from(request.GET)
        content_type, make = FORMATS[fmt]
        content = make(data.build(project, baseline=_baseline(request)), options)
    except ValidationError as exc:
        return _validation(exc)
    response = HttpResponse(content, content_type=content_type)
    name = f"{project.code}-gantt-{timezone.now():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
