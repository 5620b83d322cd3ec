"""The stakeholders API: register, RACI, communication plan, meetings, decisions, actions.

Members read; team members and above write (as on the pages). See docs/api.md.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

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
    tagged,
)
from hitpm.core.services import save_validated, update_fields
from hitpm.portfolio.access import Action, project_for
from hitpm.stakeholders.api import schemas as s
from hitpm.stakeholders.api.crud import Resource, crud
from hitpm.stakeholders.models import (
    ActionItem,
    Communication,
    CommunicationLog,
    Decision,
    Meeting,
    RaciAssignment,
    Stakeholder,
)
from hitpm.stakeholders.services import communications as comms
from hitpm.stakeholders.services.meetings import create_record, my_actions, update_record
from hitpm.stakeholders.services.raci import matrix, set_letter

router = Router(tags=["stakeholders"])


def _record_resource(
    segment: str, model: type[Any], out: type[Schema], inp: type[InputSchema],
    filters: type[Any], links: dict[str, str], ordering: tuple[str, ...],
) -> Resource:  # fmt: skip
    """Meetings, decisions and actions: saved through the meetings service (notifications)."""
    return Resource(
        segment, model, out, inp, filters,
        create=lambda project, user, fields, many: create_record(
            model(project=project, **fields), user, **many),
        update=lambda record, user, fields, many, version: update_record(
            record, fields, version, user, **many),
        links=links, ordering=ordering,
    )  # fmt: skip


RESOURCES = [
    Resource(
        "stakeholders", Stakeholder, s.StakeholderOut, s.StakeholderIn, s.StakeholderQuery,
        create=lambda project, user, fields, many: save_validated(
            Stakeholder(project=project, **fields)),
        update=lambda record, user, fields, many, version: update_fields(
            Stakeholder, record.pk, fields, version),
        links={}, ordering=("name",),
    ),
    Resource(
        "communications", Communication, s.CommunicationOut, s.CommunicationIn,
        s.CommunicationQuery,
        create=lambda project, user, fields, many: comms.create_communication(
            project, fields, many.get("audience", [])),
        update=lambda record, user, fields, many, version: comms.update_communication(
            record, fields, version, many.get("audience")),
        links={"audience_ids": "audience"}, ordering=("next_due", "title"),
    ),
    _record_resource("meetings", Meeting, s.MeetingOut, s.MeetingIn, s.MeetingQuery,
                     {"attendee_ids": "attendees"}, ("-starts_at",)),
    _record_resource("decisions", Decision, s.DecisionOut, s.DecisionIn, s.DecisionQuery,
                     {"task_ids": "tasks"}, ("-decided_on",)),
    _record_resource("actions", ActionItem, s.ActionOut, s.ActionIn, s.ActionQuery, {},
                     ("due_on",)),
]  # fmt: skip


# --- RACI -----------------------------------------------------------------------------------


class RaciRowOut(Schema):
    task_id: int
    wbs: str
    name: str
    letters: dict[str, str]
    problems: list[str]


class RaciOut(Schema):
    stakeholders: list[s.StakeholderOut]
    rows: list[RaciRowOut]
    valid: bool


class RaciCellIn(InputSchema):
    task_id: RecordId
    stakeholder_id: RecordId
    letter: RaciAssignment.Letter | None = None


def _raci(project: Any) -> dict[str, Any]:
    found = matrix(project)
    rows = [
        {"task_id": r.task.pk, "wbs": r.task.wbs, "name": r.task.name,
         "letters": {str(k): v for k, v in r.letters.items()}, "problems": r.problems}
        for r in found.rows
    ]  # fmt: skip
    return {"stakeholders": found.columns, "rows": rows, "valid": not found.problems}


@router.get("/projects/{code}/raci", response={200: RaciOut, **ERRORS})
def get_raci(request: HttpRequest, code: Text) -> dict[str, Any]:
    """The RACI matrix: letters by stakeholder id per task row, with each row's problems."""
    project, _ = project_for(caller(request), code)
    return _raci(project)


@router.post("/projects/{code}/raci", response={200: RaciOut, **WRITE_ERRORS})
def set_raci_cell(request: HttpRequest, code: Text, payload: RaciCellIn) -> dict[str, Any]:
    """Set one cell (letter R, A, C or I; null clears it) and answer the whole matrix."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    task = project.tasks.filter(pk=payload.task_id).first()
    person = project.stakeholders.filter(pk=payload.stakeholder_id).first()
    if task is None:
        raise ValidationError({"task_id": "No task with this id on this project."})
    if person is None:
        raise ValidationError({"stakeholder_id": "No stakeholder with this id on this project."})
    set_letter(project, task, person, payload.letter or "")
    return _raci(project)


# --- Communication plan extras --------------------------------------------------------------


class DueOut(Schema):
    today: dt.date
    overdue: list[s.CommunicationOut]
    due_soon: list[s.CommunicationOut]


@router.get("/projects/{code}/communications-due", response={200: DueOut, **ERRORS})
def communications_due(request: HttpRequest, code: Text, days: int = 7) -> Any:
    """Overdue communications and those due within ``days`` (0-90, default 7)."""
    project, _ = project_for(caller(request), code)
    if not 0 <= days <= 90:
        raise ValidationError({"days": "Use 0 to 90 days."})
    return comms.due_view(project.communications.all(), timezone.localdate(), days)


@router.post(
    "/projects/{code}/communications/{record_id}/sent",
    response={201: s.SentOut, **WRITE_ERRORS},
)
def log_sent(
    request: HttpRequest, code: Text, record_id: RecordId, payload: s.SentIn,
    response: HttpResponse,
) -> Status[Any]:  # fmt: skip
    """Log that a communication was sent (If-Match: the communication's ETag); next due moves
    past the sending."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    found = project.communications.filter(pk=record_id).first()
    found = or_404(found, "communication", project.code, record_id)
    entry = comms.log_sent(found, caller(request), payload.sent_on, payload.note,
                           if_match(request))  # fmt: skip
    found.refresh_from_db()
    tagged(response, found)
    return Status(201, entry)


@router.get(
    "/projects/{code}/communications/{record_id}/log", response={200: Page[s.SentOut], **ERRORS}
)
def sent_log(
    request: HttpRequest, code: Text, record_id: RecordId, paging: Query[PageQuery]
) -> dict[str, Any]:
    """When a communication went out, newest first."""
    project, _ = project_for(caller(request), code)
    entries = CommunicationLog.objects.filter(
        communication__project=project, communication_id=record_id
    )
    return paginate(entries.order_by("-sent_on", "-pk"), paging)


@router.get("/me/actions", response={200: Page[s.ActionOut], **ERRORS})
def list_my_actions(
    request: HttpRequest, paging: Query[PageQuery], include_closed: bool = False
) -> dict[str, Any]:
    """Action items assigned to you on every project you can see, soonest due first."""
    return paginate(my_actions(caller(request), include_closed), paging)


for _resource in RESOURCES:
    crud(router, _resource)
