"""The portfolio's risk categories and probability x impact scale (PMO administrators write)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    InputSchema,
    RecordId,
    Text,
    caller,
    if_match,
    represent_with,
    tagged,
)
from hitpm.portfolio.access import project_for, require_pmo_admin
from hitpm.portfolio.models import Project
from hitpm.risk.models import RiskCategory, RiskScale
from hitpm.risk.services import register as services

router = Router(tags=["risk register"])


class CategoryOut(Schema):
    id: int
    version: int
    name: str
    position: int


class CategoryIn(InputSchema):
    name: str


class ScaleOut(Schema):
    id: int
    version: int
    size: int
    probability_labels: list[str]
    impact_labels: list[str]
    amber_from: int
    red_from: int


class ScaleIn(InputSchema):
    size: int = Field(ge=3, le=10)
    probability_labels: list[str]
    impact_labels: list[str]
    amber_from: int = Field(ge=2, le=100)
    red_from: int = Field(ge=3, le=100)


@router.get("/projects/{code}/risk-categories", response={200: list[CategoryOut], **ERRORS})
def list_categories(request: HttpRequest, code: Text) -> Any:
    """The categories of the project's portfolio."""
    project, _ = project_for(caller(request), code)
    return services.categories_for(project.portfolio)


@router.post("/projects/{code}/risk-categories", response={201: CategoryOut, **WRITE_ERRORS})
def add_category(
    request: HttpRequest, code: Text, payload: CategoryIn, response: HttpResponse
) -> Status[RiskCategory]:
    """Add a category to the project's portfolio (PMO administrators)."""
    project = _governed(request, code, "change risk categories")
    return Status(201, tagged(response, services.add_category(project.portfolio, payload.name)))


def _category(request: HttpRequest, code: str, category_id: int) -> RiskCategory:
    project = _governed(request, code, "change risk categories")
    category = RiskCategory.objects.filter(pk=category_id, portfolio=project.portfolio).first()
    if category is None:
        raise Http404(f"The portfolio of {project.code} has no risk category {category_id}.")
    return category


@router.patch(
    "/projects/{code}/risk-categories/{category_id}", response={200: CategoryOut, **WRITE_ERRORS}
)
def rename_category(
    request: HttpRequest,
    code: Text,
    category_id: RecordId,
    payload: CategoryIn,
    response: HttpResponse,
) -> RiskCategory:
    """Rename a category of the portfolio (PMO administrators; If-Match)."""
    category = _category(request, code, category_id)
    renamed = services.rename_category(category, payload.name, if_match(request))
    return tagged(response, renamed)


@router.delete(
    "/projects/{code}/risk-categories/{category_id}", response={204: None, **WRITE_ERRORS}
)
def delete_category(request: HttpRequest, code: Text, category_id: RecordId) -> Status[None]:
    """Delete an unused category (PMO administrators; If-Match; 409 while risks use it)."""
    services.delete_category(_category(request, code, category_id), if_match(request))
    return Status(204, None)


@router.get("/projects/{code}/risk-scale", response={200: ScaleOut, **ERRORS})
def get_scale(request: HttpRequest, code: Text, response: HttpResponse) -> RiskScale:
    project, _ = project_for(caller(request), code)
    return tagged(response, services.scale_for(project.portfolio))


@router.put("/projects/{code}/risk-scale", response={200: ScaleOut, **WRITE_ERRORS})
def replace_scale(
    request: HttpRequest, code: Text, payload: ScaleIn, response: HttpResponse
) -> RiskScale:
    """Replace the portfolio's probability x impact scale (PMO administrators; If-Match)."""
    project = _governed(request, code, "change the risk scale")
    scale = services.update_scale(project.portfolio, payload.dict(), if_match(request))
    return tagged(response, scale)


def _governed(request: HttpRequest, code: str, doing: str) -> Project:
    project, _ = project_for(caller(request), code)
    require_pmo_admin(caller(request), doing)
    return project


represent_with(RiskCategory, CategoryOut)
represent_with(RiskScale, ScaleOut)
