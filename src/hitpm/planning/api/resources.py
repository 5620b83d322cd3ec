"""Resources, assignments and the resource usage histogram."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, FilterLookup, PatchDict, Query, Router, Schema, Status

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
from hitpm.planning import resources
from hitpm.planning.models import Assignment, Resource
from hitpm.portfolio.access import Action, project_for

router = Router(tags=["planning"])
Units = Annotated[int, Field(ge=1, le=10000, description="Percent: 100 = full time.")]


class ResourceOut(Schema):
    id: int
    version: int
    name: str
    kind: str
    role: str
    user_id: int | None
    calendar_id: int | None
    capacity_percent: int


class ResourceIn(InputSchema):
    name: str = Field(max_length=120)
    kind: Literal["person", "role"] = "person"
    role: str = Field("", max_length=120)
    user_id: RecordId | None = None
    calendar_id: RecordId | None = None
    capacity_percent: Units = 100


class AssignmentOut(Schema):
    id: int
    version: int
    task_id: int
    resource_id: int
    units_percent: int


class AssignmentIn(InputSchema):
    task_id: RecordId
    resource_id: RecordId
    units_percent: Units = 100


class UnitsIn(InputSchema):
    units_percent: Units


class AssignmentQuery(Filters):
    task: Annotated[RecordId | None, FilterLookup("task_id")] = None
    resource: Annotated[RecordId | None, FilterLookup("resource_id")] = None


class UsageRow(Schema):
    resource_id: int
    name: str
    work_minutes: list[int]
    available_minutes: list[int]
    overallocated: list[bool]


class UsageOut(Schema):
    period: str
    periods: list[dt.date]
    resources: list[UsageRow]


@router.get("/projects/{code}/resources", response={200: Page[ResourceOut], **ERRORS})
def list_resources(request: HttpRequest, code: Text, paging: Query[PageQuery]) -> dict[str, Any]:
    """People and roles of the project, with their capacity (Max. Units)."""
    project, _ = project_for(caller(request), code)
    return paginate(project.resources.order_by("name", "pk"), paging)


@router.post("/projects/{code}/resources", response={201: ResourceOut, **WRITE_ERRORS})
def create_resource(
    request: HttpRequest, code: Text, payload: ResourceIn, response: HttpResponse
) -> Status[Resource]:
    project, _ = project_for(caller(request), code, Action.EDIT)
    return Status(201, tagged(response, resources.create_resource(project, payload.dict())))


@router.get("/projects/{code}/resources/{resource_id}", response={200: ResourceOut, **ERRORS})
def get_resource(
    request: HttpRequest, code: Text, resource_id: RecordId, response: HttpResponse
) -> Resource:
    project, _ = project_for(caller(request), code)
    found = project.resources.filter(pk=resource_id).first()
    return tagged(response, or_404(found, "resource", project.code, resource_id))


@router.patch(
    "/projects/{code}/resources/{resource_id}", response={200: ResourceOut, **WRITE_ERRORS}
)
def change_resource(
    request: HttpRequest,
    code: Text,
    resource_id: RecordId,
    payload: PatchDict[ResourceIn],
    response: HttpResponse,
) -> Resource:
    project, _ = project_for(caller(request), code, Action.EDIT)
    or_404(project.resources.filter(pk=resource_id).first(), "resource", code, resource_id)
    changed = resources.update_resource(project, resource_id, dict(payload), if_match(request))
    return tagged(response, changed)


@router.delete("/projects/{code}/resources/{resource_id}", response={204: None, **WRITE_ERRORS})
def delete_resource(request: HttpRequest, code: Text, resource_id: RecordId) -> Status[None]:
    """Delete a resource and its assignments (team members; If-Match)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    or_404(project.resources.filter(pk=resource_id).first(), "resource", code, resource_id)
    resources.delete_resource(project, resource_id, if_match(request))
    return Status(204, None)


@router.get("/projects/{code}/assignments", response={200: Page[AssignmentOut], **ERRORS})
def list_assignments(
    request: HttpRequest, code: Text, filters: Query[AssignmentQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    project, _ = project_for(caller(request), code)
    found = filters.filter(project.assignments.all()).order_by("task_id", "resource_id")
    return paginate(found, paging)


@router.post("/projects/{code}/assignments", response={201: AssignmentOut, **WRITE_ERRORS})
def create_assignment(
    request: HttpRequest, code: Text, payload: AssignmentIn, response: HttpResponse
) -> Status[Assignment]:
    """Assign a resource to a work task at some units (team members)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    made = resources.assign(project, payload.task_id, payload.resource_id, payload.units_percent)
    return Status(201, tagged(response, made))


@router.get("/projects/{code}/assignments/{assignment_id}", response={200: AssignmentOut, **ERRORS})
def get_assignment(
    request: HttpRequest, code: Text, assignment_id: RecordId, response: HttpResponse
) -> Assignment:
    project, _ = project_for(caller(request), code)
    found = project.assignments.filter(pk=assignment_id).first()
    return tagged(response, or_404(found, "assignment", code, assignment_id))


@router.patch(
    "/projects/{code}/assignments/{assignment_id}", response={200: AssignmentOut, **WRITE_ERRORS}
)
def change_assignment(
    request: HttpRequest,
    code: Text,
    assignment_id: RecordId,
    payload: UnitsIn,
    response: HttpResponse,
) -> Assignment:
    """Change an assignment's units (team members; If-Match)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    found = project.assignments.filter(pk=assignment_id).first()
    or_404(found, "assignment", code, assignment_id)
    changed = resources.change_units(
        project, assignment_id, payload.units_percent, if_match(request)
    )
    return tagged(response, changed)


@router.delete("/projects/{code}/assignments/{assignment_id}", response={204: None, **WRITE_ERRORS})
def delete_assignment(request: HttpRequest, code: Text, assignment_id: RecordId) -> Status[None]:
    project, _ = project_for(caller(request), code, Action.EDIT)
    found = project.assignments.filter(pk=assignment_id).first()
    or_404(found, "assignment", code, assignment_id)
    resources.unassign(project, assignment_id, if_match(request))
    return Status(204, None)


@router.get("/projects/{code}/resource-usage", response={200: UsageOut, **ERRORS})
def resource_usage(
    request: HttpRequest,
    code: Text,
    period: Literal["day", "week", "month"] = "week",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, Any]:
    """Work against availability per resource and period; over-allocation flagged."""
    project, _ = project_for(caller(request), code)
    usage = resources.histogram(project, period, start, end)
    return {
        "period": usage.period,
        "periods": usage.starts,
        "resources": [
            {
                "resource_id": row.resource.pk,
                "name": row.resource.name,
                "work_minutes": row.work,
                "available_minutes": row.available,
                "overallocated": row.over,
            }
            for row in usage.rows
        ],
    }


represent_with(Resource, ResourceOut)
represent_with(Assignment, AssignmentOut)
