"""Schedule risk analysis over the API: three-point estimates and Monte Carlo runs.

Start a run with POST (answered 201 at once, status ``queued``), poll GET until ``status`` is
``done`` (``progress`` goes from 0 to 1), then read ``results``.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

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
from hitpm.core.services import delete_current
from hitpm.engine.montecarlo import Distribution
from hitpm.planning.models import Task
from hitpm.portfolio.access import Action, project_for
from hitpm.risk.models import SimulationRun, TaskEstimate
from hitpm.risk.services import simulation

router = Router(tags=["schedule risk analysis"])


class EstimateOut(Schema):
    id: int
    version: int
    task_id: int
    task: str
    low_minutes: int
    likely_minutes: int
    high_minutes: int
    distribution: str
    basis: str

    @staticmethod
    def resolve_task(estimate: TaskEstimate) -> str:
        return str(estimate.task)


class EstimateIn(InputSchema):
    low_minutes: int = Field(ge=0, le=2**31 - 1)
    likely_minutes: int = Field(ge=0, le=2**31 - 1)
    high_minutes: int = Field(ge=0, le=2**31 - 1)
    distribution: Distribution | None = None
    basis: str = ""


class RunIn(InputSchema):
    name: str = Field("", max_length=120)
    iterations: int = Field(2000, ge=100, le=200_000)
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="Random when left out.")
    distribution: Distribution = Distribution.TRIANGULAR
    template: tuple[float, float, float] = Field(
        (90, 100, 130), description="Min, most likely, max in percent of planned duration."
    )
    latin_hypercube: bool = False
    convergence_tolerance: float | None = Field(None, gt=0, le=0.5)
    include_risks: bool = True
    correlation: float | None = Field(
        None, ge=0, le=0.95, description="Rank correlation between all tasks with estimates."
    )


class RunOut(Schema):
    id: int
    version: int
    name: str
    created_by: str | None
    created_at: dt.datetime
    iterations: int
    seed: int
    status: SimulationRun.Status
    progress: float
    error: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    repeat_of_id: int | None
    inputs: dict[str, Any]
    results: dict[str, Any] | None

    @staticmethod
    def resolve_created_by(run: SimulationRun) -> str | None:
        return run.created_by.get_username() if run.created_by else None


class RunSummaryOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    iterations: int
    seed: int
    status: SimulationRun.Status
    progress: float


def _task(request: HttpRequest, code: str, task_id: int, action: Action) -> Task:
    project, _ = project_for(caller(request), code, action)
    task = project.tasks.filter(pk=task_id).first()
    return or_404(task, "task", project.code, task_id)


@router.get("/projects/{code}/estimates", response={200: Page[EstimateOut], **ERRORS})
def list_estimates(request: HttpRequest, code: Text, paging: Query[PageQuery]) -> dict[str, Any]:
    """Three-point estimates of the project's tasks, in plan order."""
    project, _ = project_for(caller(request), code)
    found = project.task_estimates.select_related("task").order_by("task__position", "pk")
    return paginate(found, paging)


@router.get("/projects/{code}/tasks/{task_id}/estimate", response={200: EstimateOut, **ERRORS})
def get_estimate(
    request: HttpRequest, code: Text, task_id: RecordId, response: HttpResponse
) -> TaskEstimate:
    task = _task(request, code, task_id, Action.VIEW)
    estimate = TaskEstimate.objects.filter(task=task).first()
    if estimate is None:
        raise Http404(f"Task {task_id} has no three-point estimate; it uses the template.")
    return tagged(response, estimate)


@router.put(
    "/projects/{code}/tasks/{task_id}/estimate", response={200: EstimateOut, **WRITE_ERRORS}
)
def put_estimate(
    request: HttpRequest,
    code: Text,
    task_id: RecordId,
    payload: EstimateIn,
    response: HttpResponse,
) -> TaskEstimate:
    """Set a task's estimate (team members and above); If-Match when replacing one."""
    task = _task(request, code, task_id, Action.EDIT)
    exists = TaskEstimate.objects.filter(task=task).exists()
    version = if_match(request) if exists else None
    values = payload.dict()
    values["distribution"] = values["distribution"] or ""
    return tagged(response, simulation.save_estimate(task, values, version))


@router.delete("/projects/{code}/tasks/{task_id}/estimate", response={204: None, **WRITE_ERRORS})
def delete_estimate(request: HttpRequest, code: Text, task_id: RecordId) -> Status[None]:
    task = _task(request, code, task_id, Action.EDIT)
    estimate = TaskEstimate.objects.filter(task=task).first()
    if estimate is None:
        raise Http404(f"Task {task_id} has no three-point estimate.")
    delete_current(TaskEstimate, estimate.pk, if_match(request))
    return Status(204, None)


@router.get("/projects/{code}/simulations", response={200: Page[RunSummaryOut], **ERRORS})
def list_runs(request: HttpRequest, code: Text, paging: Query[PageQuery]) -> dict[str, Any]:
    """The project's runs, newest first."""
    project, _ = project_for(caller(request), code)
    return paginate(project.simulations.order_by("-created_at", "-pk"), paging)


@router.post("/projects/{code}/simulations", response={201: RunOut, **WRITE_ERRORS})
def start_run(
    request: HttpRequest, code: Text, payload: RunIn, response: HttpResponse
) -> Status[SimulationRun]:
    """Queue a run (team members and above); poll its URL until status is done."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    template = payload.template
    if not 0 <= template[0] <= template[1] <= template[2] <= 1000:
        raise ValidationError({"template": "Need 0 <= min <= most likely <= max (percent)."})
    options = simulation.RunOptions(
        iterations=payload.iterations,
        seed=payload.seed,
        distribution=payload.distribution,
        template=(template[0] / 100, template[1] / 100, template[2] / 100),
        latin_hypercube=payload.latin_hypercube,
        convergence_tolerance=payload.convergence_tolerance,
        include_risks=payload.include_risks,
        correlation=payload.correlation,
        name=payload.name,
    )
    run = simulation.start_run(project, caller(request), options)
    response["Location"] = f"/api/v1/projects/{project.code}/simulations/{run.pk}"
    return Status(201, tagged(response, run))


def _run(request: HttpRequest, code: str, run_id: int, action: Action) -> SimulationRun:
    project, _ = project_for(caller(request), code, action)
    run = project.simulations.select_related("created_by").filter(pk=run_id).first()
    return or_404(run, "simulation run", project.code, run_id)


@router.get("/projects/{code}/simulations/{run_id}", response={200: RunOut, **ERRORS})
def get_run(
    request: HttpRequest, code: Text, run_id: RecordId, response: HttpResponse
) -> SimulationRun:
    """Status, progress and, once done, the results."""
    run = _run(request, code, run_id, Action.VIEW)
    run.refresh_from_db()
    return tagged(response, run)


@router.post("/projects/{code}/simulations/{run_id}/repeat", response={201: RunOut, **WRITE_ERRORS})
def repeat_run(
    request: HttpRequest, code: Text, run_id: RecordId, response: HttpResponse
) -> Status[SimulationRun]:
    """Queue an exact repeat: the stored plan, inputs and seed give identical results."""
    run = simulation.repeat_run(_run(request, code, run_id, Action.EDIT), caller(request))
    return Status(201, tagged(response, run))


represent_with(TaskEstimate, EstimateOut)
represent_with(SimulationRun, RunOut)
