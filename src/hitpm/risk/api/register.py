"""The risk register over the API: risks, history, actions, categories and the scale.

Members read; team members and above create and change risks and actions; deleting a risk
needs a project manager; categories and the scale belong to the portfolio (PMO admins).
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, PatchDict, Query, Router, Schema, Status

from hitpm.accounts.models import User
from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
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
from hitpm.portfolio.access import Action, project_for
from hitpm.risk.models import Risk
from hitpm.risk.services import register as services
from hitpm.risk.services.insights import RegisterFilter
from hitpm.risk.services.insights import register as find_risks

router = Router(tags=["risk register"])

Rating = int | None
Order = Literal[
    "number",
    "-number",
    "title",
    "-title",
    "score",
    "-score",
    "inherent",
    "-inherent",
    "proximity",
    "-proximity",
    "next_review",
    "-next_review",
    "status",
    "-status",
    "category",
    "-category",
]


class RiskOut(Schema):
    id: int
    version: int
    ref: str
    number: int
    kind: Risk.Kind
    title: str
    description: str
    cause: str
    event: str
    effect: str
    category_id: int
    category: str
    owner: str | None
    status: Risk.Status
    identified_on: dt.date
    probability: Rating
    impact_safety: Rating
    impact_schedule: Rating
    impact_cost: Rating
    impact_compliance: Rating
    inherent_impact: Rating
    inherent_score: Rating
    residual_probability: Rating
    residual_safety: Rating
    residual_schedule: Rating
    residual_cost: Rating
    residual_compliance: Rating
    residual_impact: Rating
    residual_score: Rating
    current_score: Rating
    rating: str = Field(description="green/amber/red band of the current score; none if unrated")
    proximity: dt.date | None
    triggers: str
    strategy: str
    response: str
    contingency: str
    fallback: str
    review_cadence: int
    last_reviewed_on: dt.date | None
    next_review_on: dt.date | None
    review_overdue: bool
    closed_on: dt.date | None
    occurred_on: dt.date | None
    issue_summary: str
    schedule_probability: int | None
    delay_min_days: float | None
    delay_likely_days: float | None
    delay_max_days: float | None
    task_ids: list[int]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_category(risk: Risk) -> str:
        return risk.category.name

    @staticmethod
    def resolve_owner(risk: Risk) -> str | None:
        return risk.owner.get_username() if risk.owner else None

    @staticmethod
    def resolve_rating(risk: Risk) -> str:
        annotated = getattr(risk, "rating", None)  # lists annotate it in one query
        if annotated is not None:
            return str(annotated)
        return services.scale_for(risk.project.portfolio).bands.rating(risk.current_score)

    @staticmethod
    def resolve_review_overdue(risk: Risk) -> bool:
        return risk.review_overdue(timezone.localdate())

    @staticmethod
    def resolve_task_ids(risk: Risk) -> list[int]:
        return sorted(link.task_id for link in risk.task_links.all())


class RiskIn(InputSchema):
    kind: Risk.Kind = Risk.Kind.THREAT
    title: str
    description: str = ""
    cause: str = ""
    event: str = ""
    effect: str = ""
    category_id: RecordId
    owner: str | None = Field(None, description="Username of the risk owner.")
    status: Risk.Status = Risk.Status.IDENTIFIED
    identified_on: dt.date | None = None
    probability: Rating = None
    impact_safety: Rating = None
    impact_schedule: Rating = None
    impact_cost: Rating = None
    impact_compliance: Rating = None
    residual_probability: Rating = None
    residual_safety: Rating = None
    residual_schedule: Rating = None
    residual_cost: Rating = None
    residual_compliance: Rating = None
    proximity: dt.date | None = None
    triggers: str = ""
    strategy: Risk.Strategy | Literal[""] = ""
    response: str = ""
    contingency: str = ""
    fallback: str = ""
    review_cadence: Risk.Cadence = Risk.Cadence.FORTNIGHTLY
    next_review_on: dt.date | None = None
    occurred_on: dt.date | None = None
    issue_summary: str = ""
    schedule_probability: int | None = Field(None, ge=0, le=100)
    delay_min_days: float | None = Field(None, ge=0, le=10000)
    delay_likely_days: float | None = Field(None, ge=0, le=10000)
    delay_max_days: float | None = Field(None, ge=0, le=10000)
    task_ids: list[RecordId] = []


class RiskQuery(Schema):
    status: Risk.Status | None = None
    category: RecordId | None = None
    owner: str | None = Field(None, description="Username.")
    kind: Risk.Kind | None = None
    strategy: Risk.Strategy | None = None
    q: Text | None = None
    open: bool = Field(False, description="Only identified, assessed and responding risks.")
    overdue_review: bool = False
    min_score: int | None = Field(None, ge=0, le=100)


class ReviewIn(InputSchema):
    reviewed_on: dt.date | None = None


class ChangeOut(Schema):
    at: dt.datetime
    by: str
    status: str
    probability: Rating
    impact: Rating
    inherent_score: Rating
    residual_probability: Rating
    residual_impact: Rating
    residual_score: Rating
    note: str


def user_named(username: str | None, field: str = "owner") -> User | None:
    """The active user with this username (None for null); 422 naming ``field`` otherwise."""
    if username is None:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({field: f"There is no active user called {username!r}."})
    return user


def _fields(data: dict[str, Any]) -> tuple[dict[str, Any], list[int] | None]:
    """Model fields from an input dict, and the task ids when given."""
    task_ids = data.pop("task_ids", None)
    if "owner" in data:
        data["owner"] = user_named(data["owner"])
    if data.get("identified_on", 1) is None:
        data.pop("identified_on")
    return data, task_ids


def risk_for(request: HttpRequest, code: str, risk_id: int, action: Action) -> Risk:
    project, _ = project_for(caller(request), code, action)
    risk = (
        project.risks.select_related("category", "owner", "project__portfolio")
        .filter(pk=risk_id)
        .first()
    )
    return or_404(risk, "risk", project.code, risk_id)


@router.get("/projects/{code}/risks", response={200: Page[RiskOut], **ERRORS})
def list_risks(
    request: HttpRequest,
    code: Text,
    query: Query[RiskQuery],
    paging: Query[PageQuery],
    order: Order = "-score",
) -> dict[str, Any]:
    """The register, filtered and sorted (default: highest current score first)."""
    project, _ = project_for(caller(request), code)
    owner = User.objects.filter(username=query.owner).first() if query.owner else None
    filters = RegisterFilter(
        status=query.status or "",
        category=query.category,
        kind=query.kind or "",
        owner=owner.pk if owner else (-1 if query.owner else None),
        strategy=query.strategy or "",
        q=query.q or "",
        open_only=query.open,
        overdue_review=query.overdue_review,
        min_score=query.min_score,
    )
    risks = find_risks(project, filters, order, timezone.localdate())
    return paginate(risks.prefetch_related("task_links"), paging)


@router.post("/projects/{code}/risks", response={201: RiskOut, **WRITE_ERRORS})
def create_risk(
    request: HttpRequest, code: Text, payload: RiskIn, response: HttpResponse
) -> Status[Risk]:
    """Add a risk to the register (team members and above)."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    fields, task_ids = _fields(payload.dict())
    risk = services.create_risk(project, caller(request), fields, task_ids or [])
    return Status(201, tagged(response, risk))


@router.get("/projects/{code}/risks/{risk_id}", response={200: RiskOut, **ERRORS})
def get_risk(request: HttpRequest, code: Text, risk_id: RecordId, response: HttpResponse) -> Risk:
    return tagged(response, risk_for(request, code, risk_id, Action.VIEW))


@router.patch("/projects/{code}/risks/{risk_id}", response={200: RiskOut, **WRITE_ERRORS})
def update_risk(
    request: HttpRequest,
    code: Text,
    risk_id: RecordId,
    payload: PatchDict[RiskIn],
    response: HttpResponse,
) -> Risk:
    """Change some fields (If-Match); score and status changes are kept as history."""
    risk = risk_for(request, code, risk_id, Action.EDIT)
    fields, task_ids = _fields(dict(payload))
    updated = services.update_risk(risk, fields, if_match(request), caller(request), task_ids)
    return tagged(response, updated)


@router.delete("/projects/{code}/risks/{risk_id}", response={204: None, **WRITE_ERRORS})
def delete_risk(request: HttpRequest, code: Text, risk_id: RecordId) -> Status[None]:
    """Remove a risk entered in error (project managers; If-Match). Close risks instead."""
    risk = risk_for(request, code, risk_id, Action.MANAGE)
    services.delete_risk(risk, if_match(request))
    return Status(204, None)


@router.post("/projects/{code}/risks/{risk_id}/review", response={200: RiskOut, **WRITE_ERRORS})
def review_risk(
    request: HttpRequest,
    code: Text,
    risk_id: RecordId,
    payload: ReviewIn,
    response: HttpResponse,
) -> Risk:
    """Record a review (today by default) and set the next review date by the cadence."""
    risk = risk_for(request, code, risk_id, Action.EDIT)
    on = payload.reviewed_on or timezone.localdate()
    return tagged(response, services.mark_reviewed(risk, caller(request), on, if_match(request)))


@router.get("/projects/{code}/risks/{risk_id}/history", response={200: list[ChangeOut], **ERRORS})
def risk_history(request: HttpRequest, code: Text, risk_id: RecordId) -> Any:
    """Every score and status the risk has had, oldest first."""
    return list(risk_for(request, code, risk_id, Action.VIEW).history.all())


represent_with(Risk, RiskOut)
