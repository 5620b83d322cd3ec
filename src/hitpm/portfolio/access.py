"""Who may see and change which project. Every page, fragment and API route asks here.

Roles grant actions: viewers read; team members also edit the plan and other records;
project managers also edit the project itself and its members; PMO administrators do all of
it on every project. A user who is not a member gets "not found", never a hint that the
project exists.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from hitpm.accounts.models import User
from hitpm.portfolio.models import Membership, Portfolio, Project

PMO_ADMIN = "pmo_admin"


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE = "manage"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    PMO_ADMIN: frozenset(Action),
    Membership.Role.PROJECT_MANAGER: frozenset(Action),
    Membership.Role.TEAM_MEMBER: frozenset({Action.VIEW, Action.EDIT}),
    Membership.Role.VIEWER: frozenset({Action.VIEW}),
}

ROLE_LABELS = {PMO_ADMIN: "PMO administrator"} | dict(Membership.Role.choices)

AnyUser = User | AnonymousUser


def role_on(user: AnyUser, project: Project) -> str | None:
    """The user's role on the project, PMO_ADMIN for administrators, None for strangers."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.sees_everything:
        return PMO_ADMIN
    membership = Membership.objects.filter(project=project, user=user).only("role").first()
    return membership.role if membership else None


def can(user: AnyUser, project: Project, action: Action) -> bool:
    role = role_on(user, project)
    return role is not None and action in ROLE_ACTIONS[role]


def visible_projects(user: AnyUser) -> QuerySet[Project]:
    """Projects the user may see at all."""
    projects = Project.objects.select_related("portfolio")
    if not user.is_authenticated or not user.is_active:
        return projects.none()
    if user.sees_everything:
        return projects
    return projects.filter(memberships__user=user).distinct()


def visible_portfolios(user: AnyUser) -> QuerySet[Portfolio]:
    if not user.is_authenticated or not user.is_active:
        return Portfolio.objects.none()
    if user.sees_everything:
        return Portfolio.objects.all()
    return Portfolio.objects.filter(projects__memberships__user=user).distinct()


def project_for(user: AnyUser, code: str, action: Action = Action.VIEW) -> tuple[Project, str]:
    """The project with this code and the user's role, or 404 (stranger) / 403 (role too low)."""
    project = Project.objects.select_related("portfolio").filter(code=code).first()
    if project is None:
        raise Http404("No such project.")
    role = role_on(user, project)
    if role is None:
        raise Http404("No such project.")
    if action not in ROLE_ACTIONS[role]:
        raise PermissionDenied(f"Your role ({ROLE_LABELS[role]}) cannot {action} this project.")
    return project, role


def require(user: AnyUser, project: Project, action: Action) -> str:
    """The user's role on a project already loaded, or 404/403 as in :func:`project_for`."""
    role = role_on(user, project)
    if role is None:
        raise Http404("No such project.")
    if action not in ROLE_ACTIONS[role]:
        raise PermissionDenied(f"Your role ({ROLE_LABELS[role]}) cannot {action} this project.")
    return role


def require_pmo_admin(user: AnyUser, doing: str) -> None:
    """PMO administrators govern portfolios and open and close projects; ``doing`` names the
    refused action in the message ("create projects")."""
    if not (user.is_active and getattr(user, "sees_everything", False)):
        raise PermissionDenied(f"Only PMO administrators can {doing}.")
