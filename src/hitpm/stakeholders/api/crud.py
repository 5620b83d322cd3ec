"""The six routes every project record type of this area shares, built once.

``crud(...)`` adds list, read, create, replace, change and delete routes for one model under
``/projects/{code}/<segment>``, with the foundation's conventions: members read, team members
write, ETag on reads, If-Match on writes, one error format. Related records travel as ids
(``owner_id``, ``attendee_ids``) and must belong to the project.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Schema, Status

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
from hitpm.core.services import delete_current
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project

Links = dict[str, list[Any]]
Create = Callable[[Project, User, dict[str, Any], Links], Any]
Update = Callable[[Any, User, dict[str, Any], Links, int], Any]


@dataclass(frozen=True)
class Resource:
    """One record type of the area as the API offers it."""

    segment: str
    model: type[Model]
    out: type[Schema]
    inp: type[InputSchema]
    filters: type[Filters]
    create: Create
    update: Update
    links: Mapping[str, str]  # input name -> many-to-many field, e.g. attendee_ids -> attendees
    ordering: tuple[str, ...]


def _lookup(project: Project, model: type[Model], name: str, pk: int) -> Model:
    found = model._default_manager.filter(pk=pk)
    if any(f.name == "project" for f in model._meta.fields):
        found = found.filter(project=project)
    elif model is User:
        found = found.filter(is_active=True)
    record = found.first()
    if record is None:
        noun = model._meta.verbose_name
        raise ValidationError({name: f"There is no {noun} with id {pk} on this project."})
    return record


def resolve(
    project: Project, resource: Resource, payload: Mapping[str, Any]
) -> tuple[dict[str, Any], Links]:
    """Input ids as records of this project: (plain fields, many-to-many lists)."""
    fields: dict[str, Any] = {}
    links: Links = {}
    for name, value in payload.items():
        if name in resource.links:
            field = resource.model._meta.get_field(resource.links[name])
            related = field.related_model
            links[field.name] = [_lookup(project, related, name, pk) for pk in value or []]  # type: ignore[arg-type]
        elif name.endswith("_id"):
            field = resource.model._meta.get_field(name[:-3])
            related = field.related_model
            fields[field.name] = _lookup(project, related, name, value) if value else None  # type: ignore[arg-type]
        else:
            fields[name] = value
    return fields, links


def crud(router: Router, resource: Resource) -> None:
    """Add the six routes of ``resource`` to ``router``."""
    seg, noun = resource.segment, resource.model._meta.verbose_name
    one = f"/projects/{{code}}/{seg}/{{record_id}}"

    def record(request: HttpRequest, code: str, record_id: int, action: Action) -> Any:
        project, _ = project_for(caller(request), code, action)
        found = resource.model._default_manager.filter(project=project, pk=record_id).first()
        return or_404(found, str(noun), project.code, record_id)

    def listing(
        request: HttpRequest, code: Text, filters: Any, paging: Query[PageQuery]
    ) -> dict[str, Any]:
        project, _ = project_for(caller(request), code)
        found: QuerySet[Any] = resource.model._default_manager.filter(project=project)
        return paginate(filters.filter(found).order_by(*resource.ordering, "pk"), paging)

    def read(request: HttpRequest, code: Text, record_id: RecordId, response: HttpResponse) -> Any:
        return tagged(response, record(request, code, record_id, Action.VIEW))

    def create(
        request: HttpRequest, code: Text, payload: Any, response: HttpResponse
    ) -> Status[Any]:
        user = caller(request)
        project, _ = project_for(user, code, Action.EDIT)
        fields, links = resolve(project, resource, payload.dict())
        return Status(201, tagged(response, resource.create(project, user, fields, links)))

    def change(request: HttpRequest, code: str, record_id: int, data: Mapping[str, Any]) -> Any:
        current = record(request, code, record_id, Action.EDIT)
        version = if_match(request)
        fields, links = resolve(current.project, resource, data)
        return resource.update(current, caller(request), fields, links, version)

    def replace(
        request: HttpRequest, code: Text, record_id: RecordId, payload: Any,
        response: HttpResponse,
    ) -> Any:  # fmt: skip
        return tagged(response, change(request, code, record_id, payload.dict()))

    def patch(
        request: HttpRequest, code: Text, record_id: RecordId, payload: Any,
        response: HttpResponse,
    ) -> Any:  # fmt: skip
        return tagged(response, change(request, code, record_id, payload))

    def delete(request: HttpRequest, code: Text, record_id: RecordId) -> Status[None]:
        current = record(request, code, record_id, Action.EDIT)
        delete_current(resource.model, current.pk, if_match(request))  # type: ignore[type-var]
        return Status(204, None)

    many = f"/projects/{{code}}/{seg}"
    page: Any = cast(Any, Page)[resource.out]
    routes: list[tuple[Callable[..., Any], str, Callable[..., Any], dict[int, Any], str]] = [
        (router.get, many, listing, {200: page, **ERRORS}, f"List {noun}s."),
        (router.get, one, read, {200: resource.out, **ERRORS}, f"One {noun}, with its ETag."),
        (router.post, many, create, {201: resource.out, **WRITE_ERRORS}, f"Add a {noun}."),
        (router.put, one, replace, {200: resource.out, **WRITE_ERRORS},
         f"Replace every field of a {noun} (If-Match)."),
        (router.patch, one, patch, {200: resource.out, **WRITE_ERRORS},
         f"Change some fields of a {noun} (If-Match)."),
        (router.delete, one, delete, {204: None, **WRITE_ERRORS}, f"Delete a {noun} (If-Match)."),
    ]  # fmt: skip
    # The schemas are this resource's, so they are filled in once the handlers exist.
    listing.__annotations__["filters"] = cast(Any, Query)[resource.filters]
    create.__annotations__["payload"] = resource.inp
    replace.__annotations__["payload"] = resource.inp
    patch.__annotations__["payload"] = cast(Any, PatchDict)[resource.inp]
    for method, path, view, responses, doc in routes:
        view.__name__ = f"{view.__name__}_{seg.replace('-', '_')}"
        view.__doc__ = doc
        method(path, response=responses)(view)
    represent_with(resource.model, resource.out)
