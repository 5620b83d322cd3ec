"""Load (or reload) the demo portfolio: a fictional health system's clinical IT projects.

Everything is created through the models and services, inside one transaction and attributed
to ``system:demo`` in the audit trail, and every project is scheduled by the engine, so the
demo exercises the same paths as real use. Plans are dated relative to the day of loading, so
the dashboard always shows work in progress and milestones ahead.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hitpm.accounts.models import User
from hitpm.audit.context import acting_as
from hitpm.core.services import save_validated
from hitpm.planning.builder import build_plan
from hitpm.planning.services import create_calendar, create_default_calendar, reschedule
from hitpm.portfolio.demo import ehr, hipaa, imaging, interfaces
from hitpm.portfolio.demo.holidays import holidays_for
from hitpm.portfolio.demo.outline import CALENDAR_24X7, DemoProject
from hitpm.portfolio.demo.people import EMAIL_DOMAIN, USERS
from hitpm.portfolio.demo.progress import record_progress
from hitpm.portfolio.models import Membership, Portfolio, Project
from hitpm.portfolio.services import create_project, set_member, update_project

PORTFOLIO_NAME = "Riverside Health System — Clinical IT"

# Knowledge areas add their demo records through ``load(projects, users, today)`` in these
# modules, called after the projects and roles exist, in this order.
DEMO_EXTENSIONS: list[str] = [
    "hitpm.agile.demo",
    "hitpm.risk.demo",
    "hitpm.stakeholders.demo",
    "hitpm.planning.demo",
    "hitpm.notifications.demo",  # last: notices of what the others made due
]
PASSWORD = "hitpm-demo-2026"
ACTOR = "system:demo"
ROLE_WORDS = [
    (Membership.Role.PROJECT_MANAGER, "manager"),
    (Membership.Role.TEAM_MEMBER, "team member"),
    (Membership.Role.VIEWER, "viewer"),
]
ROUND_THE_CLOCK = {str(day): [[0, 1440]] for day in range(7)}


@dataclass(frozen=True)
class ProjectLine:
    code: str
    name: str
    tasks: int


@dataclass(frozen=True)
class UserLine:
    username: str
    name: str
    roles: str


@dataclass(frozen=True)
class DemoSummary:
    """What the demo holds, for the CLI to print: projects, sign-ins and their password."""

    loaded_now: bool
    portfolio: str
    projects: list[ProjectLine]
    users: list[UserLine]
    password: str

    @property
    def message(self) -> str:
        if self.loaded_now:
            return f"Loaded the demo portfolio {self.portfolio!r}."
        return (
            f"The demo portfolio {self.portfolio!r} is already loaded; nothing was changed "
            "(hitpm demo --reset reloads it)."
        )

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form, for ``hitpm demo --json``."""
        return {
            "loaded_now": self.loaded_now,
            "message": self.message,
            "portfolio": self.portfolio,
            "projects": [asdict(line) for line in self.projects],
            "users": [asdict(line) for line in self.users],
            "password": self.password,
        }

    def as_text(self, url: str) -> str:
        """What to print for people: where to go, who to sign in as, what is there."""
        name_width = max((len(u.username) for u in self.users), default=0)
        code_width = max((len(p.code) for p in self.projects), default=0)
        lines = [
            self.message,
            "",
            f"Open {url} and sign in with the password {self.password} as:",
            *(f"  {u.username:<{name_width}}  {u.name} - {u.roles}" for u in self.users),
            "",
            "Projects:",
            *(f"  {p.code:<{code_width}}  {p.tasks:>4} tasks  {p.name}" for p in self.projects),
        ]
        return "\n".join(lines)


def demo_projects(today: dt.date) -> list[DemoProject]:
    """The demo's projects, dated for a demo loaded on ``today``."""
    anchor = today - dt.timedelta(days=today.weekday())  # Monday of this week
    return [module.project(anchor) for module in (ehr, interfaces, hipaa, imaging)]


def load_demo(reset: bool = False, today: dt.date | None = None) -> DemoSummary:
    """Load the demo portfolio unless it is there; with ``reset``, remove it and load it anew."""
    with acting_as(ACTOR), transaction.atomic():
        if reset:
            remove_demo()
        elif Portfolio.objects.filter(name=PORTFOLIO_NAME).exists():
            return _summary(loaded_now=False)
        projects = demo_projects(today or timezone.localdate())
        _refuse_clashes(projects)
        portfolio = save_validated(
            Portfolio(
                name=PORTFOLIO_NAME,
                description="Demo data: a fictional health system's clinical IT portfolio.",
            )
        )
        users = _create_users()
        for demo in projects:
            _create_project(portfolio, demo)
        _grant_roles(users)
        _load_extensions(users, today or timezone.localdate())
    return _summary(loaded_now=True)


def _load_extensions(users: dict[str, User], today: dt.date) -> None:
    projects = {p.code: p for p in Project.objects.filter(portfolio__name=PORTFOLIO_NAME)}
    for path in DEMO_EXTENSIONS:
        importlib.import_module(path).load(projects, users, today)


def remove_demo() -> None:
    """Delete the demo projects, portfolio and users (audited as deletions)."""
    with acting_as(ACTOR), transaction.atomic():
        for project in Project.objects.filter(portfolio__name=PORTFOLIO_NAME):
            project.delete()
        Portfolio.objects.filter(name=PORTFOLIO_NAME).delete()
        for user in _demo_users():
            user.delete()


def _demo_users() -> list[User]:
    names = [u.username for u in USERS]
    return list(User.objects.filter(username__in=names, email__endswith=f"@{EMAIL_DOMAIN}"))


def _refuse_clashes(projects: list[DemoProject]) -> None:
    """Never take over real records that happen to share a demo code or username."""
    codes = [str(p.fields["code"]) for p in projects]
    taken = list(Project.objects.filter(code__in=codes).values_list("code", flat=True))
    taken += User.objects.filter(username__in=[u.username for u in USERS]).values_list(
        "username", flat=True
    )
    if taken:
        raise ValidationError(
            "Cannot load the demo: these projects or users exist and are not demo data: "
            f"{', '.join(sorted(taken))}. Rename them, or load the demo into an empty database."
        )


def _create_users() -> dict[str, User]:
    """The demo sign-ins; one Argon2 hash serves them all, as they share the password."""
    password = make_password(PASSWORD)
    users = {}
    for person in USERS:
        user = User(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            job_title=person.job_title,
            is_pmo_admin=person.pmo_admin,
        )
        user.password = password
        user.save()
        users[person.username] = user
    return users


def _grant_roles(users: dict[str, User]) -> None:
    projects = {p.code: p for p in Project.objects.filter(portfolio__name=PORTFOLIO_NAME)}
    for person in USERS:
        for code, role in person.roles.items():
            set_member(projects[code], users[person.username], role)


def _create_project(portfolio: Portfolio, demo: DemoProject) -> Project:
    """The project, its calendars and plan, scheduled; then statused, as its team would.

    The plan is first scheduled without a status date, as a new plan is; progress is then
    entered against those dates, the status date set, and the project scheduled again.
    """
    project = create_project(portfolio, None, **demo.fields)
    last = project.target_go_live or project.start_date
    create_default_calendar(project, holidays_for(range(project.start_date.year, last.year + 2)))
    if demo.around_the_clock:
        create_calendar(project, CALENDAR_24X7, weekly=ROUND_THE_CLOCK)
    tasks = build_plan(project, demo.rows)
    reschedule(project)
    keys = {task.pk: key for key, task in tasks.items()}
    record_progress(list(project.tasks.all()), keys, demo)
    project = update_project(project, {"status_date": demo.status_date}, project.version)
    reschedule(project)
    return project


def _role_text(user: User, memberships: list[Membership]) -> str:
    """Roles in a line: "manager: EHR-GOLIVE; viewer: IFC-HL7FHIR"."""
    codes: dict[str, list[str]] = {}
    for membership in memberships:
        codes.setdefault(membership.role, []).append(membership.project.code)
    parts = [f"{label}: {', '.join(codes[role])}" for role, label in ROLE_WORDS if role in codes]
    if user.is_pmo_admin:
        parts.insert(0, "PMO administrator (every project)")
    return "; ".join(parts) or "no project roles"


def _summary(loaded_now: bool) -> DemoSummary:
    projects = (
        Project.objects.filter(portfolio__name=PORTFOLIO_NAME)
        .annotate(task_count=Count("tasks"))
        .order_by("code")
    )
    users = sorted(_demo_users(), key=lambda u: [p.username for p in USERS].index(u.username))
    memberships = Membership.objects.filter(user__in=users).select_related("project")
    by_user: dict[int, list[Membership]] = {}
    for membership in memberships.order_by("project__code"):
        by_user.setdefault(membership.user_id, []).append(membership)
    return DemoSummary(
        loaded_now=loaded_now,
        portfolio=PORTFOLIO_NAME,
        projects=[ProjectLine(p.code, p.name, p.task_count) for p in projects],
        users=[
            UserLine(u.username, u.get_full_name(), _role_text(u, by_user.get(u.pk, [])))
            for u in users
        ],
        password=PASSWORD,
    )
