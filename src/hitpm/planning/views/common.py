"""What the planning pages share: the project with the caller's role, errors for people."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from hitpm.core.services import StaleVersion
from hitpm.planning.models import Task
from hitpm.portfolio.access import ROLE_ACTIONS, Action, project_for
from hitpm.portfolio.models import Project


def plan_project(
    request: HttpRequest, code: str, action: Action = Action.VIEW
) -> tuple[Project, str]:
    """The project and the user's role, or 404 (not a member) / 403 (role too low)."""
    return project_for(request.user, code, action)


def allowed(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def problem(error: ValidationError | StaleVersion) -> str:
    """One message for people from a service error."""
    if isinstance(error, StaleVersion):
        return str(error)
    if hasattr(error, "error_dict"):
        return " ".join(
            (m if field == "__all__" else f"{field.replace('_', ' ').capitalize()}: {m}")
            for field, messages in error.message_dict.items()
            for m in messages
        )
    return " ".join(error.messages)


def page_task(project: Project, task_id: int) -> Task:
    """One of the project's tasks, or 404."""
    task = Task.objects.filter(project=project, pk=task_id).first()
    if task is None:
        raise Http404(f"{project.code} has no task {task_id}.")
    return task
