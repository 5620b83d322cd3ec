"""People, projects and plans for the page tests, made through the models and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.test import Client

from hitpm.accounts.models import User
from hitpm.planning.models import Task
from hitpm.portfolio import services
from hitpm.portfolio.models import Membership, Portfolio, Project

PASSWORD = "Sutures-and-Sockets-42"
PM = Membership.Role.PROJECT_MANAGER
TEAM = Membership.Role.TEAM_MEMBER
VIEWER = Membership.Role.VIEWER


def make_user(username: str, *, pmo_admin: bool = False, password: str | None = None) -> User:
    """A user; without a password none is hashed, which keeps the tests fast."""
    return User.objects.create_user(
        username=username,
        password=password,
        email=f"{username}@example.org",
        is_pmo_admin=pmo_admin,
    )


def make_project(
    code: str,
    members: Mapping[User, str],
    *,
    portfolio: str = "Clinical IT",
    **fields: object,
) -> Project:
    """A project in the named portfolio with the given members and roles."""
    owner, _ = Portfolio.objects.get_or_create(name=portfolio)
    values: dict[str, object] = {
        "name": f"{code} project",
        "start_date": dt.date(2027, 1, 4),
        "target_go_live": dt.date(2027, 10, 1),
    }
    values.update(fields)
    project = services.create_project(owner, None, code=code, **values)
    for user, role in members.items():
        services.set_member(project, user, role)
    return project


def make_task(project: Project, position: int, name: str, **fields: object) -> Task:
    """A task with scheduled dates already filled in, as the engine would leave them."""
    values: dict[str, object] = {"wbs": str(position), "outline_level": 1}
    values.update(fields)
    return Task.objects.create(project=project, position=position, name=name, **values)


def at(day: dt.date, hour: int = 17) -> dt.datetime:
    """An aware UTC datetime on a day, the way scheduled dates are stored."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def signed_in(user: User, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user)
    return client
