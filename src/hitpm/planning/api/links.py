"""Task links: list, read, create, change type or lag, remove; each reschedules."""

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, FilterLookup, PatchDict, Query, Router, Status

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
    tagged,
)
from hitpm.engine.model import LagFormat, LinkType
from hitpm.planning import editing
from hitpm.planning.api.schemas import DependencyOut, LinkChangeOut, change_out
from hitpm.planning.models import Dependency
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project

router = Router(tags=["planning"])
Lag = Annotated[float, Field(ge=-(10**9), le=10**9, allow_inf_nan=False)]


class DependencyQuery(Filters):
    task: Annotated[RecordId | None, FilterLookup(["predecessor_id", "successor_id"])] = None
    predecessor: Annotated[RecordId | None, FilterLookup("predecessor_id")] = None
    successor: Annotated[RecordId | None, FilterLookup("successor_id")] = None


class LinkFields(InputSchema):
    type: Literal["FS", "SS", "FF", "SF"] = "FS"
    lag: Lag = Field(0, description="Minutes, or percent of the predecessor with 'percent'.")
    lag_format: Literal["working", "elapsed", "percent"] = "working"


class LinkIn(LinkFields):
    predecessor_id: RecordId
    successor_id: RecordId


def _link(project: Project, link_id: int) -> Dependency:
    link = project.dependencies.filter(pk=link_id).first()
    return or_404(link, "link", project.code, link_id)


def _answer(response: HttpResponse, result: editing.ChangeResult, link_id: int) -> dict[str, Any]:
    link = Dependency.objects.get(pk=link_id)
    tagged(response, link)
    return {**change_out(result), "link": link}


@router.get("/projects/{code}/dependencies", response={200: Page[DependencyOut], **ERRORS})
def list_dependencies(
    request: HttpRequest, code: Text, filters: Query[DependencyQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The project's task links (type FS/SS/FF/SF, lag in minutes or percent)."""
    project, _ = project_for(caller(request), code)
    links = filters.filter(project.dependencies.all()).order_by("successor_id", "predecessor_id")
    return paginate(links, paging)


@router.get("/projects/{code}/dependencies/{link_id}", response={200: DependencyOut, **ERRORS})
def get_dependency(
    request: HttpRequest, code: Text, link_id: RecordId, response: HttpResponse
) -> Dependency:
    project, _ = project_for(caller(request), code)
    return tagged(response, _link(project, link_id))


@router.post("/projects/{code}/dependencies", response={201: LinkChangeOut, **WRITE_ERRORS})
def create_dependency(
    request: HttpRequest, code: Text, payload: LinkIn, response: HttpResponse
) -> Status[Any]:
    """Link two tasks (team members). Loops, self-links and duplicates are refused (422)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    result = editing.link_tasks(
        project,
        payload.predecessor_id,
        payload.successor_id,
        LinkType[payload.type],
        payload.lag,
        LagFormat(payload.lag_format),
    )
    assert result.created_id is not None
    return Status(201, _answer(response, result, result.created_id))


@router.patch(
    "/projects/{code}/dependencies/{link_id}", response={200: LinkChangeOut, **WRITE_ERRORS}
)
def change_dependency(
    request: HttpRequest,
    code: Text,
    link_id: RecordId,
    payload: PatchDict[LinkFields],
    response: HttpResponse,
) -> dict[str, Any]:
    """Change a link's type or lag (team members; If-Match)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    link = _link(project, link_id)
    result = editing.change_link(project, link.pk, dict(payload), if_match(request))
    return _answer(response, result, link.pk)


@router.delete("/projects/{code}/dependencies/{link_id}", response={204: None, **WRITE_ERRORS})
def delete_dependency(request: HttpRequest, code: Text, link_id: RecordId) -> Status[None]:
    """Remove a link (team members; If-Match); the plan is rescheduled."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    editing.unlink(project, _link(project, link_id).pk, if_match(request))
    return Status(204, None)
