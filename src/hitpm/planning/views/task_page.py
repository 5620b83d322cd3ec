"""One task on its own page: every field, its links (the predecessor picker), its resources."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import add_service_errors
from hitpm.engine.model import LinkType
from hitpm.planning import editing, resources
from hitpm.planning.forms import AssignForm, LinkForm, TaskForm
from hitpm.planning.models import Dependency, Task
from hitpm.planning.predecessors import lag_text, parse_lag, row_ids
from hitpm.planning.views.common import allowed, page_task, plan_project, problem
from hitpm.portfolio.access import Action
from hitpm.portfolio.models import Project


def _links(project: Project, task: Task) -> dict[str, Any]:
    numbers = {pk: i for i, pk in enumerate(row_ids(project), 1)}

    def shown(link: Dependency, other: Task) -> dict[str, Any]:
        return {
            "link": link,
            "task": other,
            "row": numbers[other.pk],
            "type": LinkType(link.type).name,
            "lag": lag_text(link.lag, link.lag_format),
        }

    into = Dependency.objects.filter(successor=task).select_related("predecessor")
    out = Dependency.objects.filter(predecessor=task).select_related("successor")
    return {
        "predecessors": [shown(link, link.predecessor) for link in into],
        "successors": [shown(link, link.successor) for link in out],
        "row_number": numbers[task.pk],
    }


def _page(
    request: HttpRequest, project: Project, role: str, task: Task, **forms: Any
) -> HttpResponse:
    context = {
        "project": project,
        "role": role,
        "task": task,
        "can_edit": allowed(role, Action.EDIT),
        "form": forms.get("form") or TaskForm(project=project, task=task),
        "link_form": forms.get("link_form") or LinkForm(project=project, task=task),
        "assign_form": forms.get("assign_form") or AssignForm(project=project),
        "assignments": task.assignments.select_related("resource"),
        **_links(project, task),
    }
    return render(request, "planning/task.html", context)


@login_required
def task_page(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    """Every field of a task; POST saves them and reschedules."""
    action = Action.EDIT if request.method == "POST" else Action.VIEW
    project, role = plan_project(request, code, action)
    task = page_task(project, task_id)
    if request.method != "POST":
        return _page(request, project, role, task)
    form = TaskForm(request.POST, project=project, task=task)
    if form.is_valid():
        try:
            version = int(request.POST.get("version", task.version))
            result = editing.change_task(project, task.pk, form.changes(), version)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleVersion as exc:
            form.add_error(None, str(exc))
        else:
            moved = len(result.changed) - 1
            messages.success(request, f"Saved. {moved} other task(s) moved or changed float.")
            return redirect("planning:task", project.code, task.pk)
    return _page(request, project, role, task, form=form)


@login_required
@require_POST
def add_link(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    """The predecessor picker: link a chosen task to this one."""
    project, role = plan_project(request, code, Action.EDIT)
    task = page_task(project, task_id)
    form = LinkForm(request.POST, project=project, task=task)
    if form.is_valid():
        try:
            lag, lag_format = parse_lag(form.cleaned_data["lag"])
            editing.link_tasks(
                project,
                form.cleaned_data["predecessor"].pk,
                task.pk,
                LinkType[form.cleaned_data["type"]],
                lag,
                lag_format,
            )
        except ValidationError as exc:
            form.add_error(None, problem(exc))
        else:
            messages.success(request, "Linked; the plan is rescheduled.")
            return redirect("planning:task", project.code, task.pk)
    return _page(request, project, role, task, link_form=form)


@login_required
@require_POST
def remove_link(request: HttpRequest, code: str, task_id: int, link_id: int) -> HttpResponse:
    project, _ = plan_project(request, code, Action.EDIT)
    task = page_task(project, task_id)
    try:
        editing.unlink(project, link_id, None)
        messages.success(request, "Link removed; the plan is rescheduled.")
    except ValidationError as exc:
        messages.error(request, problem(exc))
    return redirect("planning:task", project.code, task.pk)


@login_required
@require_POST
def assign(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    project, role = plan_project(request, code, Action.EDIT)
    task = page_task(project, task_id)
    form = AssignForm(request.POST, project=project)
    if form.is_valid():
        try:
            resources.assign(
                project,
                task.pk,
                form.cleaned_data["resource"].pk,
                form.cleaned_data["units_percent"],
            )
        except ValidationError as exc:
            form.add_error(None, problem(exc))
        else:
            return redirect("planning:task", project.code, task.pk)
    return _page(request, project, role, task, assign_form=form)


@login_required
@require_POST
def unassign(request: HttpRequest, code: str, task_id: int, assignment_id: int) -> HttpResponse:
    project, _ = plan_project(request, code, Action.EDIT)
    task = page_task(project, task_id)
    try:
        resources.unassign(project, assignment_id, None)
    except ValidationError as exc:
        messages.error(request, problem(exc))
    return redirect("planning:task", project.code, task.pk)
