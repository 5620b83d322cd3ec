"""Project and membership use cases shared by the pages, the API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hitpm.accounts.models import User
from hitpm.core.services import delete_current, lock_current, save_validated, update_fields
from hitpm.portfolio.models import Membership, Portfolio, Project

PROJECT_FIELDS = (
    "code",
    "name",
    "description",
    "phase",
    "health",
    "status",
    "sponsor",
    "start_date",
    "status_date",
    "target_go_live",
)


def create_project(portfolio: Portfolio, creator: User | None, **fields: Any) -> Project:
    """Create a project; its creator (when not a PMO administrator) becomes its manager."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown project fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        project = save_validated(Project(portfolio=portfolio, **fields))
        if creator is not None and not creator.sees_everything:
            Membership.objects.create(
                project=project, user=creator, role=Membership.Role.PROJECT_MANAGER
            )
    return project


def update_project(
    project: Project, changes: Mapping[str, Any], expected_version: int | None
) -> Project:
    unknown = set(changes) - set(PROJECT_FIELDS) - {"portfolio_id"}
    if unknown:
        raise ValidationError(f"Unknown project fields: {', '.join(sorted(unknown))}")
    return update_fields(Project, project.pk, changes, expected_version)


def delete_project(project: Project, expected_version: int | None) -> None:
    delete_current(Project, project.pk, expected_version)


def set_member(project: Project, user: User, role: str) -> Membership:
    """Give a user a role on a project, or change the role they have."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(project=project, user=user)
        existing = membership.first()
        if existing is None:
            return save_validated(Membership(project=project, user=user, role=role))
        if existing.role != role:
            _keep_a_manager(project, existing)
            existing.role = role
            save_validated(existing)
        return existing


def remove_member(project: Project, user: User) -> None:
    """Take a user off a project; the last project manager cannot be removed."""
    with transaction.atomic():
        membership = Membership.objects.filter(project=project, user=user).first()
        if membership is None:
            return
        _keep_a_manager(project, membership)
        membership.delete()


def _keep_a_manager(project: Project, leaving: Membership) -> None:
    """Refuse to remove or demote the project's only project manager."""
    managers = project.memberships.filter(role=Membership.Role.PROJECT_MANAGER)
    if leaving.role == Membership.Role.PROJECT_MANAGER and managers.count() == 1:
        raise ValidationError("A project needs at least one project manager.")


def change_role(membership: Membership, role: str, expected_version: int | None) -> Membership:
    """Change a member's role at the version the client saw; the only manager stays one."""
    with transaction.atomic():
        current = lock_current(Membership, membership.pk, expected_version)
        if role != current.role:
            _keep_a_manager(current.project, current)
        current.role = role
        return save_validated(current)


def delete_membership(membership: Membership, expected_version: int | None) -> None:
    """Take a member off the project at the version the client saw, keeping one manager."""
    with transaction.atomic():
        current = lock_current(Membership, membership.pk, expected_version)
        _keep_a_manager(current.project, current)
        current.delete()
