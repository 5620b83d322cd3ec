"""Navigation between projects and role checks for templates; the rules stay in access.py."""

from __future__ import annotations

from typing import Any

from django import template

from hitpm.portfolio.access import ROLE_ACTIONS, ROLE_LABELS, Action, visible_projects

register = template.Library()


@register.inclusion_tag("portfolio/_switcher.html", takes_context=True)
def project_switcher(context: template.Context) -> dict[str, Any]:
    """The projects the signed-in user can open, for the top bar's project menu."""
    request = context.get("request")
    if request is None:
        return {"projects": []}
    projects = visible_projects(request.user).select_related(None).only("code", "name")
    projects = projects.order_by("code")
    return {"projects": list(projects)}


@register.filter
def allows(role: str | None, action: str) -> bool:
    """Whether a role (as returned by access.project_for) grants an action, e.g. "manage"."""
    return role is not None and Action(action) in ROLE_ACTIONS.get(role, frozenset())


@register.filter
def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role, "") if role else ""
