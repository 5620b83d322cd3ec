"""Portfolio pages: dashboard, project home, project create/edit and the members page.

Every project page resolves its project through access.project_for, so strangers get 404 and
too-low roles 403; changes go through portfolio.services.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.views import (
    SignedInRequest,
    add_service_errors,
    confirm_page,
    is_htmx,
    posted,
    save_form,
)
from hitpm.portfolio import services
from hitpm.portfolio.access import Action, project_for, require_pmo_admin
from hitpm.portfolio.forms import AddMemberForm, ProjectCreateForm, ProjectEditForm, RoleForm
from hitpm.portfolio.models import Membership, Project
from hitpm.portfolio.overview import dashboard_rows, key_milestones

KEY_MILESTONES_SHOWN = 12


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    context = {"rows": dashboard_rows(request.user), "can_create": request.user.sees_everything}
    return render(request, "portfolio/dashboard.html", context)


@login_required
def project_home(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    milestones = key_milestones(project)[:KEY_MILESTONES_SHOWN]
    context = {"project": project, "role": role, "milestones": milestones}
    return render(request, "portfolio/project.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: SignedInRequest) -> HttpResponse:
    require_pmo_admin(request.user, "create projects")
    form = ProjectCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            project = _create_project(request, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Project {project.code} created.")
            return redirect("portfolio:project", code=project.code)
    return render(request, "portfolio/project_form.html", {"form": form, "creating": True})


def _create_project(request: SignedInRequest, form: ProjectCreateForm) -> Project:
    """The new project and, when the form names one, its first project manager."""
    with transaction.atomic():
        project = services.create_project(
            form.cleaned_data["portfolio"], request.user, **form.project_fields()
        )
        manager = form.cleaned_data["manager"]
        if manager is not None:
            services.set_member(project, manager, Membership.Role.PROJECT_MANAGER)
    return project


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.MANAGE)
    # The form validates a copy, so the page header keeps showing the stored values.
    form = ProjectEditForm(posted(request), instance=copy.copy(project))
    stale = False
    if request.method == "POST" and form.is_valid():
        saved, stale = save_form(
            form,
            lambda: services.update_project(project, form.changes(), form.cleaned_data["version"]),
        )
        if saved:
            messages.success(request, f"Project {project.code} saved.")
            return redirect("portfolio:project", code=project.code)
    context = {"form": form, "project": project, "role": role, "stale": stale}
    return render(request, "portfolio/project_form.html", context)


@login_required
def members(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    return _members_page(request, project, role, AddMemberForm(project=project))


def _members_page(
    request: SignedInRequest, project: Project, role: str, add_form: AddMemberForm
) -> HttpResponse:
    memberships = project.memberships.select_related("user").order_by("role", "user__username")
    context = {"project": project, "role": role, "memberships": memberships, "form": add_form}
    return render(request, "portfolio/members.html", context)


@login_required
@require_POST
def member_add(request: SignedInRequest, code: str) -> HttpResponse:
    project, role = project_for(request.user, code, Action.MANAGE)
    form = AddMemberForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.set_member(project, form.cleaned_data["username"], form.cleaned_data["role"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['username']} added to {project.code}.")
            return redirect("portfolio:members", code=project.code)
    return _members_page(request, project, role, form)


@login_required
@require_POST
def member_role(request: SignedInRequest, code: str, user_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.MANAGE)
    membership = _membership(project, user_id)
    form = RoleForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "Choose one of the listed roles."
    else:
        try:
            membership = services.set_member(project, membership.user, form.cleaned_data["role"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _member_changed(request, project, role, membership, error, "Role changed.")


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: SignedInRequest, code: str, user_id: int) -> HttpResponse:
    """Take a member off the project (GET asks first, for browsers without JavaScript)."""
    project, role = project_for(request.user, code, Action.MANAGE)
    membership = _membership(project, user_id)
    if request.method == "GET":
        return confirm_page(
            request,
            title="Remove member",
            question=f"Remove {membership.user.get_username()} from {project.code}?",
            confirm_label="Remove member",
            cancel_url=reverse("portfolio:members", args=[project.code]),
        )
    try:
        services.remove_member(project, membership.user)
    except ValidationError as exc:
        return _member_changed(request, project, role, membership, " ".join(exc.messages), "")
    if is_htmx(request):
        return HttpResponse("")
    messages.success(request, f"{membership.user.get_username()} removed from {project.code}.")
    return redirect("portfolio:members", code=project.code)


def _membership(project: Project, user_id: int) -> Membership:
    memberships = Membership.objects.select_related("user")
    return get_object_or_404(memberships, project=project, user_id=user_id)


def _member_changed(
    request: SignedInRequest,
    project: Project,
    role: str,
    membership: Membership,
    error: str,
    success: str,
) -> HttpResponse:
    """The member's row for HTMX, else the members page with a message."""
    if is_htmx(request):
        membership.refresh_from_db()
        context = {"project": project, "role": role, "m": membership, "error": error}
        return render(request, "portfolio/_member_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect("portfolio:members", code=project.code)
