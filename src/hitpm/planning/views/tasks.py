"""The task table: chosen columns, inline row editing (HTMX), structure edits, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import confirm_page, is_htmx
from hitpm.planning import outline
from hitpm.planning.baselines import baseline_for_gantt
from hitpm.planning.columns import columns_for, parse_columns, save_columns, table_rows
from hitpm.planning.editing import ChangeResult
from hitpm.planning.export import XLSX_TYPE, task_csv, task_xlsx
from hitpm.planning.forms import ColumnsForm, NewTaskForm, RowForm
from hitpm.planning.predecessors import change_with_links, predecessors_text, row_ids
from hitpm.planning.views.common import allowed, page_task, plan_project, problem
from hitpm.portfolio.access import Action
from hitpm.portfolio.models import Project


def _table_context(request: HttpRequest, project: Project, role: str) -> dict[str, Any]:
    columns = columns_for(request.user)  # type: ignore[arg-type]
    return {
        "project": project,
        "role": role,
        "can_edit": allowed(role, Action.EDIT),
        "columns": columns,
        "rows": table_rows(project, columns),
        "baseline": baseline_for_gantt(project),
        "columns_form": ColumnsForm(initial={"columns": [c.key for c in columns]}),
        "new_form": NewTaskForm(),
    }


@login_required
def task_table(request: HttpRequest, code: str) -> HttpResponse:
    """Every task in outline order with the user's columns; rows edit in place."""
    project, role = plan_project(request, code)
    return render(request, "planning/tasks.html", _table_context(request, project, role))


def _rows_response(request: HttpRequest, project: Project, role: str, note: str) -> HttpResponse:
    """The whole table body again, after a structural edit, with a status line."""
    context = _table_context(request, project, role) | {"note": note}
    return render(request, "planning/_task_body.html", context)


@login_required
def task_row(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    """One row, read-only (what "Cancel" in the row editor shows)."""
    project, role = plan_project(request, code)
    columns = columns_for(request.user)  # type: ignore[arg-type]
    (row,) = table_rows(project, columns, only=[page_task(project, task_id).pk])
    context = {
        "project": project,
        "row": row,
        "columns": columns,
        "can_edit": allowed(role, Action.EDIT),
    }
    return render(request, "planning/_task_row.html", context)


@login_required
def edit_row(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    """The row editor (GET), or save it (POST): the answer swaps in every row that moved."""
    project, role = plan_project(request, code, Action.EDIT)
    task = page_task(project, task_id)
    text = predecessors_text(project).get(task.pk, "")
    form = RowForm(
        request.POST if request.method == "POST" else None,
        project=project,
        task=task,
        predecessors=text,
    )
    columns = columns_for(request.user)  # type: ignore[arg-type]
    error = ""
    if request.method == "POST" and form.is_valid():
        changes, new_text = form.changes()
        try:
            version = int(request.POST.get("version", task.version))
            result = change_with_links(project, task.pk, changes, new_text, version)
        except (ValidationError, StaleVersion) as exc:
            error = problem(exc)
        else:
            return _changed_rows(request, project, role, result, task.pk)
    context = {"project": project, "task": task, "form": form, "columns": columns,
               "error": error, "row_number": row_ids(project).index(task.pk) + 1}  # fmt: skip
    return render(request, "planning/_task_edit_row.html", context)


def _changed_rows(
    request: HttpRequest, project: Project, role: str, result: ChangeResult, edited: int
) -> HttpResponse:
    columns = columns_for(request.user)  # type: ignore[arg-type]
    ids = [t.pk for t in result.changed]
    rows = table_rows(project, columns, only=ids)
    context = {
        "project": project,
        "columns": columns,
        "can_edit": allowed(role, Action.EDIT),
        "row": next(r for r in rows if r.task.pk == edited),
        "others": [r for r in rows if r.task.pk != edited],
        "finish": result.project_finish,
        "moved": len(ids) - 1,
    }
    return render(request, "planning/_task_saved.html", context)


@login_required
@require_POST
def add_task(request: HttpRequest, code: str) -> HttpResponse:
    """Append a task at the end, or above ``before`` (at its level)."""
    project, role = plan_project(request, code, Action.EDIT)
    form = NewTaskForm(request.POST)
    note = ""
    if form.is_valid():
        fields: dict[str, Any] = {"name": form.cleaned_data["name"]}
        days = form.cleaned_data["duration_days"]
        if days is not None:
            fields["duration_minutes"] = round(days * 480)
        before = request.POST.get("before")
        try:
            outline.create_task(project, fields, before_id=int(before) if before else None)
            note = f"Added {fields['name']}."
        except (ValidationError, ValueError) as exc:
            note = problem(exc) if isinstance(exc, ValidationError) else "Bad row."
    else:
        note = " ".join(str(m) for errors in form.errors.values() for m in errors)
    return _after(request, project, role, note)


def _after(request: HttpRequest, project: Project, role: str, note: str) -> HttpResponse:
    if is_htmx(request):
        return _rows_response(request, project, role, note)
    messages.info(request, note)
    return redirect("planning:tasks", project.code)


STRUCTURE: dict[str, Any] = {
    "indent": lambda p, t: outline.indent(p, [t]),
    "outdent": lambda p, t: outline.outdent(p, [t]),
    "up": lambda p, t: outline.reorder(p, t, "up"),
    "down": lambda p, t: outline.reorder(p, t, "down"),
}


@login_required
@require_POST
def restructure(request: HttpRequest, code: str, task_id: int, action: str) -> HttpResponse:
    """Indent, outdent, move up or down one task with its subtasks."""
    project, role = plan_project(request, code, Action.EDIT)
    task = page_task(project, task_id)
    if action not in STRUCTURE:
        raise Http404(f"No such action {action!r}.")
    try:
        STRUCTURE[action](project, task.pk)
        note = ""
    except ValidationError as exc:
        note = problem(exc)
    return _after(request, project, role, note)


@login_required
def delete_task(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    """Ask (without JavaScript), then delete the task with its subtasks and links."""
    project, role = plan_project(request, code, Action.EDIT)
    task = page_task(project, task_id)
    if request.method != "POST":
        return confirm_page(
            request,
            title=f"Delete {task.name}",
            question=f"Delete {task.wbs} {task.name}, its subtasks and their links?",
            confirm_label="Delete",
            cancel_url=reverse("planning:tasks", args=[project.code]),
        )
    result = outline.delete_tasks(project, [task.pk])
    note = f"Deleted {task.name} ({len(result.removed_ids)} tasks)."
    return _after(request, project, role, note)


@login_required
@require_POST
def choose_columns(request: HttpRequest, code: str) -> HttpResponse:
    """Remember which columns this user sees (for every project)."""
    project, _ = plan_project(request, code)
    form = ColumnsForm(request.POST)
    if form.is_valid():
        save_columns(request.user, form.cleaned_data["columns"])  # type: ignore[arg-type]
    return redirect("planning:tasks", project.code)


@login_required
def export_tasks(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The table as CSV or XLSX, with the user's columns (or ``?columns=a,b``)."""
    project, _ = plan_project(request, code)
    chosen = request.GET.get("columns")
    try:
        columns = parse_columns(chosen.split(",")) if chosen else columns_for(request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        return HttpResponse(problem(exc), status=400, content_type="text/plain")
    name = f"{project.code}-tasks.{fmt}"
    if fmt == "csv":
        response = HttpResponse(task_csv(project, columns), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(task_xlsx(project, columns), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
