"""Response actions of a risk: an owner, a due date, done or not."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import PatchDict, Router, Schema, Status

from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    InputSchema,
    RecordId,
    Text,
    caller,
    if_match,
    or_404,
    represent_with,
    tagged,
)
from hitpm.core.services import delete_current
from hitpm.portfolio.access import Action, project_for
from hitpm.risk.api.register import risk_for, user_named
from hitpm.risk.models import RiskAction
from hitpm.risk.services import register as services

router = Router(tags=["risk register"])


class ActionOut(Schema):
    id: int
    version: int
    risk_id: int
    description: str
    owner: str | None
    due_on: dt.date | None
    status: RiskAction.Status
    completed_on: dt.date | None
    overdue: bool

    @staticmethod
    def resolve_owner(action: RiskAction) -> str | None:
        return action.owner.get_username() if action.owner else None

    @staticmethod
    def resolve_overdue(action: RiskAction) -> bool:
        return action.overdue(timezone.localdate())


class ActionIn(InputSchema):
    description: str
    owner: str | None = None
    due_on: dt.date | None = None
    status: RiskAction.Status = RiskAction.Status.OPEN


@router.get("/projects/{code}/risks/{risk_id}/actions", response={200: list[ActionOut], **ERRORS})
def list_actions(request: HttpRequest, code: Text, risk_id: RecordId) -> Any:
    return list(risk_for(request, code, risk_id, Action.VIEW).actions.select_related("owner"))


@router.post("/projects/{code}/risks/{risk_id}/actions", response={201: ActionOut, **WRITE_ERRORS})
def add_action(
    request: HttpRequest,
    code: Text,
    risk_id: RecordId,
    payload: ActionIn,
    response: HttpResponse,
) -> Status[RiskAction]:
    """Add a response action with an owner and a due date."""
    risk = risk_for(request, code, risk_id, Action.EDIT)
    data = payload.dict()
    data["owner"] = user_named(data["owner"])
    return Status(201, tagged(response, services.save_action(RiskAction(risk=risk, **data))))


def _action(request: HttpRequest, code: str, action_id: int) -> RiskAction:
    project, _ = project_for(caller(request), code, Action.EDIT)
    found = RiskAction.objects.filter(pk=action_id, risk__project=project).first()
    return or_404(found, "risk action", project.code, action_id)


@router.patch(
    "/projects/{code}/risk-actions/{action_id}", response={200: ActionOut, **WRITE_ERRORS}
)
def update_action(
    request: HttpRequest,
    code: Text,
    action_id: RecordId,
    payload: PatchDict[ActionIn],
    response: HttpResponse,
) -> RiskAction:
    """Change an action, e.g. mark it done (If-Match)."""
    action = _action(request, code, action_id)
    data = dict(payload)
    if "owner" in data:
        data["owner"] = user_named(data["owner"])
    return tagged(response, services.update_action(action, data, if_match(request)))


@router.delete("/projects/{code}/risk-actions/{action_id}", response={204: None, **WRITE_ERRORS})
def delete_action(request: HttpRequest, code: Text, action_id: RecordId) -> Status[None]:
    delete_current(RiskAction, _action(request, code, action_id).pk, if_match(request))
    return Status(204, None)


represent_with(RiskAction, ActionOut)
