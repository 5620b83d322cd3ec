"""FMEA worksheets over the API: worksheets, steps, failure modes (scored), actions, export."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, PatchDict, Query, Router, Schema, Status

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
from hitpm.core.services import delete_current, save_validated
from hitpm.portfolio.access import Action, project_for
from hitpm.risk.api.register import user_named
from hitpm.risk.models import FailureMode, FmeaAction, FmeaStep, FmeaWorksheet
from hitpm.risk.services import export
from hitpm.risk.services import fmea as services

router = Router(tags=["FMEA"])
Score = int | None


class WorksheetOut(Schema):
    id: int
    version: int
    process: str
    scope: str
    team: str
    method: FmeaWorksheet.Method
    action_threshold: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class WorksheetIn(InputSchema):
    process: str
    scope: str = ""
    team: str = ""
    method: FmeaWorksheet.Method = FmeaWorksheet.Method.HFMEA
    action_threshold: int | None = Field(None, ge=1, le=1000)


class StepIn(InputSchema):
    description: str


class StepOut(Schema):
    id: int
    version: int
    number: int
    description: str


class FailureModeIn(InputSchema):
    description: str
    effects: str = ""
    causes: str = ""
    controls: str = ""
    severity: int = Field(ge=1, le=10)
    probability: int = Field(ge=1, le=10)
    detection: Score = None
    single_point_weakness: bool = False
    effective_control: bool = False
    detectable: bool = False
    revised_severity: Score = None
    revised_probability: Score = None
    revised_detection: Score = None


class FmeaActionOut(Schema):
    id: int
    version: int
    kind: FmeaAction.Kind
    description: str
    measure: str
    owner: str | None
    due_on: dt.date | None
    status: FmeaAction.Status

    @staticmethod
    def resolve_owner(action: FmeaAction) -> str | None:
        return action.owner.get_username() if action.owner else None


class FmeaActionIn(InputSchema):
    kind: FmeaAction.Kind = FmeaAction.Kind.CONTROL
    description: str
    measure: str = ""
    owner: str | None = None
    due_on: dt.date | None = None
    status: FmeaAction.Status = FmeaAction.Status.OPEN


class FailureModeOut(Schema):
    id: int
    version: int
    step_id: int
    description: str
    effects: str
    causes: str
    controls: str
    severity: int
    probability: int
    detection: Score
    single_point_weakness: bool
    effective_control: bool
    detectable: bool
    revised_severity: Score
    revised_probability: Score
    revised_detection: Score
    score: Score = Field(description="Hazard score (HFMEA) or RPN.")
    revised_score: Score
    proceed: bool = Field(description="Needs action: HFMEA decision tree or RPN threshold.")
    decision: str
    actions: list[FmeaActionOut]

    @staticmethod
    def resolve_score(mode: FailureMode) -> int | None:
        return services.assess(mode.step.worksheet, mode).score

    @staticmethod
    def resolve_revised_score(mode: FailureMode) -> int | None:
        return services.assess(mode.step.worksheet, mode).revised

    @staticmethod
    def resolve_proceed(mode: FailureMode) -> bool:
        return services.assess(mode.step.worksheet, mode).proceed

    @staticmethod
    def resolve_decision(mode: FailureMode) -> str:
        return services.assess(mode.step.worksheet, mode).reason

    @staticmethod
    def resolve_actions(mode: FailureMode) -> list[FmeaAction]:
        return list(mode.actions.all())


class StepDetailOut(StepOut):
    failure_modes: list[FailureModeOut]

    @staticmethod
    def resolve_failure_modes(step: FmeaStep) -> list[FailureMode]:
        return list(step.failure_modes.all())


class WorksheetDetailOut(WorksheetOut):
    steps: list[StepDetailOut]

    @staticmethod
    def resolve_steps(worksheet: FmeaWorksheet) -> list[FmeaStep]:
        return list(worksheet.steps.prefetch_related("failure_modes__actions__owner"))


def _worksheet(request: HttpRequest, code: str, fmea_id: int, action: Action) -> FmeaWorksheet:
    project, _ = project_for(caller(request), code, action)
    worksheet = project.fmeas.filter(pk=fmea_id).first()
    return or_404(worksheet, "FMEA", project.code, fmea_id)


def _mode(request: HttpRequest, code: str, mode_id: int) -> FailureMode:
    project, _ = project_for(caller(request), code, Action.EDIT)
    mode = (
        FailureMode.objects.select_related("step__worksheet")
        .filter(pk=mode_id, step__worksheet__project=project)
        .first()
    )
    return or_404(mode, "failure mode", project.code, mode_id)


@router.get("/projects/{code}/fmeas", response={200: Page[WorksheetOut], **ERRORS})
def list_worksheets(request: HttpRequest, code: Text, paging: Query[PageQuery]) -> dict[str, Any]:
    project, _ = project_for(caller(request), code)
    return paginate(project.fmeas.order_by("process", "pk"), paging)


@router.post("/projects/{code}/fmeas", response={201: WorksheetOut, **WRITE_ERRORS})
def create_worksheet(
    request: HttpRequest, code: Text, payload: WorksheetIn, response: HttpResponse
) -> Status[FmeaWorksheet]:
    project, _ = project_for(caller(request), code, Action.EDIT)
    worksheet = save_validated(FmeaWorksheet(project=project, **payload.dict()))
    return Status(201, tagged(response, worksheet))


@router.get("/projects/{code}/fmeas/{fmea_id}", response={200: WorksheetDetailOut, **ERRORS})
def get_worksheet(
    request: HttpRequest, code: Text, fmea_id: RecordId, response: HttpResponse
) -> FmeaWorksheet:
    """The worksheet with its steps, failure modes (scored and decided) and actions."""
    return tagged(response, _worksheet(request, code, fmea_id, Action.VIEW))


@router.patch("/projects/{code}/fmeas/{fmea_id}", response={200: WorksheetOut, **WRITE_ERRORS})
def update_worksheet(
    request: HttpRequest,
    code: Text,
    fmea_id: RecordId,
    payload: PatchDict[WorksheetIn],
    response: HttpResponse,
) -> FmeaWorksheet:
    """Change a worksheet (If-Match); the method is fixed once failure modes are scored."""
    worksheet = _worksheet(request, code, fmea_id, Action.EDIT)
    return tagged(response, services.update_worksheet(worksheet, payload, if_match(request)))


@router.delete("/projects/{code}/fmeas/{fmea_id}", response={204: None, **WRITE_ERRORS})
def delete_worksheet(request: HttpRequest, code: Text, fmea_id: RecordId) -> Status[None]:
    """Delete a worksheet with its steps and failure modes (project managers; If-Match)."""
    worksheet = _worksheet(request, code, fmea_id, Action.MANAGE)
    delete_current(FmeaWorksheet, worksheet.pk, if_match(request))
    return Status(204, None)


@router.get("/projects/{code}/fmeas/{fmea_id}/export", response={200: None, **ERRORS})
def export_worksheet(
    request: HttpRequest, code: Text, fmea_id: RecordId, format: Literal["csv", "xlsx"] = "csv"
) -> HttpResponse:
    worksheet = _worksheet(request, code, fmea_id, Action.VIEW)
    return export.as_response(export.fmea_file(worksheet, format))


@router.post("/projects/{code}/fmeas/{fmea_id}/steps", response={201: StepOut, **WRITE_ERRORS})
def add_step(
    request: HttpRequest, code: Text, fmea_id: RecordId, payload: StepIn, response: HttpResponse
) -> Status[FmeaStep]:
    worksheet = _worksheet(request, code, fmea_id, Action.EDIT)
    return Status(201, tagged(response, services.add_step(worksheet, payload.description)))


@router.post(
    "/projects/{code}/fmea-steps/{step_id}/failure-modes",
    response={201: FailureModeOut, **WRITE_ERRORS},
)
def add_failure_mode(
    request: HttpRequest,
    code: Text,
    step_id: RecordId,
    payload: FailureModeIn,
    response: HttpResponse,
) -> Status[FailureMode]:
    project, _ = project_for(caller(request), code, Action.EDIT)
    step = FmeaStep.objects.filter(pk=step_id, worksheet__project=project).first()
    step = or_404(step, "FMEA step", project.code, step_id)
    mode = services.save_failure_mode(FailureMode(step=step, **payload.dict()))
    return Status(201, tagged(response, mode))


@router.patch(
    "/projects/{code}/failure-modes/{mode_id}", response={200: FailureModeOut, **WRITE_ERRORS}
)
def update_failure_mode(
    request: HttpRequest,
    code: Text,
    mode_id: RecordId,
    payload: PatchDict[FailureModeIn],
    response: HttpResponse,
) -> FailureMode:
    """Change or re-score a failure mode (If-Match)."""
    mode = _mode(request, code, mode_id)
    return tagged(response, services.update_failure_mode(mode, payload, if_match(request)))


@router.post(
    "/projects/{code}/failure-modes/{mode_id}/actions",
    response={201: FmeaActionOut, **WRITE_ERRORS},
)
def add_fmea_action(
    request: HttpRequest,
    code: Text,
    mode_id: RecordId,
    payload: FmeaActionIn,
    response: HttpResponse,
) -> Status[FmeaAction]:
    mode = _mode(request, code, mode_id)
    data = payload.dict()
    data["owner"] = user_named(data["owner"])
    return Status(
        201, tagged(response, services.save_action(FmeaAction(failure_mode=mode, **data)))
    )


represent_with(FmeaWorksheet, WorksheetOut)
represent_with(FmeaStep, StepOut)
represent_with(FailureMode, FailureModeOut)
represent_with(FmeaAction, FmeaActionOut)
