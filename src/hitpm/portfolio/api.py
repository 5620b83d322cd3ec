"""Portfolios, projects and project members.

Who may do what is decided by :mod:`hitpm.portfolio.access`: everyone sees only the projects
they are a member of (PMO administrators see all); project managers edit their project and its
members; PMO administrators govern portfolios and create and delete projects.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import FilterLookup, PatchDict, Query, Router, Schema, Status

from hitpm.accounts.models import User
from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    Filters,
    InputSchema,
    Page,
    PageQuery,
    RecordId,
    Text,
    caller,
    if_match,
    or_404,
    paginate,
    represent_with,
    tagged,
)
from hitpm.core.services import delete_current, save_validated, update_fields
from hitpm.portfolio.access import (
    Action,
    project_for,
    require_pmo_admin,
    visible_portfolios,
    visible_projects,
)
from hitpm.portfolio.models import Membership, Portfolio, Project
from hitpm.portfolio.services import (
    change_role,
    create_project,
    delete_membership,
    delete_project,
    set_member,
    update_project,
)

portfolios = Router(tags=["portfolios"])
projects = Router(tags=["projects"])
members = Router(tags=["members"])


# --- Portfolios -----------------------------------------------------------------------------


class PortfolioOut(Schema):
    id: int
    version: int
    name: str
    description: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PortfolioIn(InputSchema):
    name: str
    description: str = ""


class PortfolioQuery(Filters):
    q: Annotated[str | None, FilterLookup(["name__icontains", "description__icontains"])] = None


PortfolioOrder = Literal["name", "-name", "created_at", "-created_at"]


def _visible_portfolio(request: HttpRequest, portfolio_id: int) -> Portfolio:
    portfolio = visible_portfolios(caller(request)).filter(pk=portfolio_id).first()
    if portfolio is None:
        raise Http404(f"No portfolio with id {portfolio_id}.")
    return portfolio


def _governed_portfolio(request: HttpRequest, portfolio_id: int, doing: str) -> Portfolio:
    portfolio = _visible_portfolio(request, portfolio_id)
    require_pmo_admin(caller(request), doing)
    return portfolio


@portfolios.get("/portfolios", response={200: Page[PortfolioOut], **ERRORS})
def list_portfolios(
    request: HttpRequest,
    filters: Query[PortfolioQuery],
    paging: Query[PageQuery],
    order: PortfolioOrder = "name",
) -> dict[str, Any]:
    """Portfolios holding at least one project you can see (all of them for PMO admins)."""
    found = filters.filter(visible_portfolios(caller(request))).order_by(order, "pk")
    return paginate(found, paging)


@portfolios.get("/portfolios/{portfolio_id}", response={200: PortfolioOut, **ERRORS})
def get_portfolio(
    request: HttpRequest, portfolio_id: RecordId, response: HttpResponse
) -> Portfolio:
    return tagged(response, _visible_portfolio(request, portfolio_id))


@portfolios.post("/portfolios", response={201: PortfolioOut, **WRITE_ERRORS})
def create_portfolio(
    request: HttpRequest, payload: PortfolioIn, response: HttpResponse
) -> Status[Portfolio]:
    """Create a portfolio (PMO administrators)."""
    require_pmo_admin(caller(request), "create portfolios")
    return Status(201, tagged(response, save_validated(Portfolio(**payload.dict()))))


@portfolios.put("/portfolios/{portfolio_id}", response={200: PortfolioOut, **WRITE_ERRORS})
def replace_portfolio(
    request: HttpRequest, portfolio_id: RecordId, payload: PortfolioIn, response: HttpResponse
) -> Portfolio:
    """Replace a portfolio's fields (PMO administrators; If-Match required)."""
    portfolio = _governed_portfolio(request, portfolio_id, "change portfolios")
    return tagged(
        response, update_fields(Portfolio, portfolio.pk, payload.dict(), if_match(request))
    )


@portfolios.patch("/portfolios/{portfolio_id}", response={200: PortfolioOut, **WRITE_ERRORS})
def update_portfolio(
    request: HttpRequest,
    portfolio_id: RecordId,
    payload: PatchDict[PortfolioIn],
    response: HttpResponse,
) -> Portfolio:
    """Change some of a portfolio's fields (PMO administrators; If-Match required)."""
    portfolio = _governed_portfolio(request, portfolio_id, "change portfolios")
    return tagged(response, update_fields(Portfolio, portfolio.pk, payload, if_match(request)))


@portfolios.delete("/portfolios/{portfolio_id}", response={204: None, **WRITE_ERRORS})
def delete_portfolio(request: HttpRequest, portfolio_id: RecordId) -> Status[None]:
    """Delete an empty portfolio (PMO administrators; If-Match required; 409 if it has projects)."""
    portfolio = _governed_portfolio(request, portfolio_id, "delete portfolios")
    delete_current(Portfolio, portfolio.pk, if_match(request))
    return Status(204, None)


# --- Projects -------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    version: int
    code: str
    name: str
    description: str
    portfolio_id: int
    portfolio_name: str
    phase: Project.Phase
    health: Project.Health
    status: Project.Status
    sponsor: str
    start_date: dt.date
    status_date: dt.date | None
    target_go_live: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_portfolio_name(project: Project) -> str:
        return project.portfolio.name


class ProjectIn(InputSchema):
    portfolio_id: RecordId
    code: str
    name: str
    description: str = ""
    phase: Project.Phase = Project.Phase.INITIATION
    health: Project.Health = Project.Health.GREEN
    status: Project.Status = Project.Status.ACTIVE
    sponsor: str = ""
    start_date: dt.date
    status_date: dt.date | None = None
    target_go_live: dt.date | None = None


class ProjectQuery(Filters):
    portfolio: Annotated[RecordId | None, FilterLookup("portfolio_id")] = None
    phase: Annotated[Project.Phase | None, FilterLookup("phase")] = None
    health: Annotated[Project.Health | None, FilterLookup("health")] = None
    status: Annotated[Project.Status | None, FilterLookup("status")] = None
    q: Annotated[
        str | None,
        FilterLookup(["code__icontains", "name__icontains", "sponsor__icontains"]),
    ] = None


ProjectOrder = Literal[
    "code", "-code", "name", "-name", "start_date", "-start_date",
    "target_go_live", "-target_go_live", "updated_at", "-updated_at",
]  # fmt: skip


def _portfolio_named_in_input(portfolio_id: int | None) -> Portfolio:
    portfolio = Portfolio.objects.filter(pk=portfolio_id).first() if portfolio_id else None
    if portfolio is None:
        raise ValidationError({"portfolio_id": f"There is no portfolio with id {portfolio_id}."})
    return portfolio


def _change_project(request: HttpRequest, code: str, changes: dict[str, Any]) -> Project:
    """Apply validated changes for a project manager or PMO admin; moving needs a PMO admin."""
    user = caller(request)
    project, _ = project_for(user, code, Action.MANAGE)
    if "portfolio_id" in changes and changes["portfolio_id"] != project.portfolio_id:
        require_pmo_admin(user, "move projects to another portfolio")
        _portfolio_named_in_input(changes["portfolio_id"])
    return update_project(project, changes, if_match(request))


@projects.get("/projects", response={200: Page[ProjectOut], **ERRORS})
def list_projects(
    request: HttpRequest,
    filters: Query[ProjectQuery],
    paging: Query[PageQuery],
    order: ProjectOrder = "code",
) -> dict[str, Any]:
    """Projects you are a member of (every project for PMO administrators)."""
    found = filters.filter(visible_projects(caller(request))).order_by(order, "pk")
    return paginate(found, paging)


@projects.get("/projects/{code}", response={200: ProjectOut, **ERRORS})
def get_project(request: HttpRequest, code: Text, response: HttpResponse) -> Project:
    project, _ = project_for(caller(request), code)
    return tagged(response, project)


@projects.post("/projects", response={201: ProjectOut, **WRITE_ERRORS})
def create(request: HttpRequest, payload: ProjectIn, response: HttpResponse) -> Status[Any]:
    """Open a project (PMO administrators); add its project manager with POST .../members."""
    user = caller(request)
    require_pmo_admin(user, "create projects")
    fields = payload.dict()
    portfolio = _portfolio_named_in_input(fields.pop("portfolio_id"))
    return Status(201, tagged(response, create_project(portfolio, user, **fields)))


@projects.put("/projects/{code}", response={200: ProjectOut, **WRITE_ERRORS})
def replace_project(
    request: HttpRequest, code: Text, payload: ProjectIn, response: HttpResponse
) -> Project:
    """Replace every field of a project (project managers, PMO admins; If-Match required)."""
    return tagged(response, _change_project(request, code, payload.dict()))


@projects.patch("/projects/{code}", response={200: ProjectOut, **WRITE_ERRORS})
def update_project_fields(
    request: HttpRequest, code: Text, payload: PatchDict[ProjectIn], response: HttpResponse
) -> Project:
    """Change some fields of a project (project managers, PMO admins; If-Match required)."""
    return tagged(response, _change_project(request, code, payload))


@projects.delete("/projects/{code}", response={204: None, **WRITE_ERRORS})
def delete(request: HttpRequest, code: Text) -> Status[None]:
    """Delete a project and its plan (PMO administrators; If-Match required)."""
    user = caller(request)
    project, _ = project_for(user, code)
    require_pmo_admin(user, "delete projects")
    delete_project(project, if_match(request))
    return Status(204, None)


# --- Members --------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    version: int
    user_id: int
    username: str
    full_name: str
    role: Membership.Role
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_username(membership: Membership) -> str:
        return membership.user.get_username()

    @staticmethod
    def resolve_full_name(membership: Membership) -> str:
        return membership.user.get_full_name()


class MemberIn(InputSchema):
    username: str
    role: Membership.Role


class RoleIn(InputSchema):
    role: Membership.Role


class MemberQuery(Filters):
    role: Annotated[Membership.Role | None, FilterLookup("role")] = None


def _member(request: HttpRequest, code: str, member_id: int, action: Action) -> Membership:
    project, _ = project_for(caller(request), code, action)
    membership = project.memberships.select_related("user").filter(pk=member_id).first()
    return or_404(membership, "member", project.code, member_id)


def _newcomer(project: Project, username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": f"There is no active user called {username!r}."})
    if project.memberships.filter(user=user).exists():
        raise ValidationError(
            {"username": f"{username} is already a member; change their role with PATCH."}
        )
    return user


@members.get("/projects/{code}/members", response={200: Page[MemberOut], **ERRORS})
def list_members(
    request: HttpRequest, code: Text, filters: Query[MemberQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The project's team and their roles (anyone who can see the project)."""
    project, _ = project_for(caller(request), code)
    team = filters.filter(project.memberships.select_related("user"))
    return paginate(team.order_by("role", "user__username", "pk"), paging)


@members.get("/projects/{code}/members/{member_id}", response={200: MemberOut, **ERRORS})
def get_member(
    request: HttpRequest, code: Text, member_id: RecordId, response: HttpResponse
) -> Membership:
    return tagged(response, _member(request, code, member_id, Action.VIEW))


@members.post("/projects/{code}/members", response={201: MemberOut, **WRITE_ERRORS})
def add_member(
    request: HttpRequest, code: Text, payload: MemberIn, response: HttpResponse
) -> Status[Membership]:
    """Give a user a role on the project (project managers, PMO admins)."""
    project, _ = project_for(caller(request), code, Action.MANAGE)
    user = _newcomer(project, payload.username)
    return Status(201, tagged(response, set_member(project, user, payload.role)))


@members.patch("/projects/{code}/members/{member_id}", response={200: MemberOut, **WRITE_ERRORS})
def change_member_role(
    request: HttpRequest, code: Text, member_id: RecordId, payload: RoleIn, response: HttpResponse
) -> Membership:
    """Change a member's role (project managers, PMO admins; If-Match required)."""
    membership = _member(request, code, member_id, Action.MANAGE)
    return tagged(response, change_role(membership, payload.role, if_match(request)))


@members.delete("/projects/{code}/members/{member_id}", response={204: None, **WRITE_ERRORS})
def remove_member(request: HttpRequest, code: Text, member_id: RecordId) -> Status[None]:
    """Take a member off the project (project managers, PMO admins; If-Match required)."""
    membership = _member(request, code, member_id, Action.MANAGE)
    delete_membership(membership, if_match(request))
    return Status(204, None)


represent_with(Portfolio, PortfolioOut)
represent_with(Project, ProjectOut)
represent_with(Membership, MemberOut)

router = Router()
for _part in (portfolios, projects, members):
    router.add_router("", _part)
