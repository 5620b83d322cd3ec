"""Baselines: list, save, read, rename, delete; variance of the schedule against one."""

import datetime as dt
from typing import Any

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
from hitpm.core.services import update_fields
from hitpm.planning import baselines
from hitpm.planning.models import Baseline
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project

router = Router(tags=["planning"])


class BaselineOut(Schema):
    id: int
    version: int
    name: str
    description: str
    saved_by: str | None
    status_date: dt.date | None
    finish: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_saved_by(baseline: Baseline) -> str | None:
        return baseline.saved_by.get_username() if baseline.saved_by else None


class BaselineIn(InputSchema):
    name: str = Field(max_length=100)
    description: str = ""


class VarianceOut(Schema):
    task_id: int
    wbs: str
    name: str
    milestone: bool
    start: dt.datetime | None
    finish: dt.datetime | None
    baseline_start: dt.datetime | None
    baseline_finish: dt.datetime | None
    baseline_duration_minutes: int | None
    start_variance_minutes: int | None = Field(description="Working minutes; > 0 is later.")
    finish_variance_minutes: int | None
    duration_variance_minutes: int | None


class VarianceQuery(Schema):
    slipped: bool = Field(False, description="Only tasks finishing later than the baseline.")
    milestones: bool = Field(False, description="Only milestones.")


def _baseline(project: Project, baseline_id: int) -> Baseline:
    found = project.baselines.filter(pk=baseline_id).first()
    return or_404(found, "baseline", project.code, baseline_id)


@router.get("/projects/{code}/baselines", response={200: Page[BaselineOut], **ERRORS})
def list_baselines(request: HttpRequest, code: Text, paging: Query[PageQuery]) -> dict[str, Any]:
    """The project's saved baselines, newest first."""
    project, _ = project_for(caller(request), code)
    return paginate(project.baselines.select_related("saved_by"), paging)


@router.post("/projects/{code}/baselines", response={201: BaselineOut, **WRITE_ERRORS})
def save_baseline(
    request: HttpRequest, code: Text, payload: BaselineIn, response: HttpResponse
) -> Status[Baseline]:
    """Snapshot every task's start, finish and duration (project managers)."""
    project, _ = project_for(caller(request), code, Action.MANAGE)
    saved = baselines.save_baseline(project, payload.name, caller(request), payload.description)
    return Status(201, tagged(response, saved))


@router.get("/projects/{code}/baselines/{baseline_id}", response={200: BaselineOut, **ERRORS})
def get_baseline(
    request: HttpRequest, code: Text, baseline_id: RecordId, response: HttpResponse
) -> Baseline:
    project, _ = project_for(caller(request), code)
    return tagged(response, _baseline(project, baseline_id))


@router.patch(
    "/projects/{code}/baselines/{baseline_id}", response={200: BaselineOut, **WRITE_ERRORS}
)
def rename_baseline(
    request: HttpRequest,
    code: Text,
    baseline_id: RecordId,
    payload: PatchDict[BaselineIn],
    response: HttpResponse,
) -> Baseline:
    """Rename or describe a baseline (project managers; If-Match). Its dates never change."""
    project, _ = project_for(caller(request), code, Action.MANAGE)
    baseline = _baseline(project, baseline_id)
    return tagged(response, update_fields(Baseline, baseline.pk, payload, if_match(request)))


@router.delete("/projects/{code}/baselines/{baseline_id}", response={204: None, **WRITE_ERRORS})
def delete_baseline(request: HttpRequest, code: Text, baseline_id: RecordId) -> Status[None]:
    """Delete a baseline (project managers; If-Match)."""
    project, _ = project_for(caller(request), code, Action.MANAGE)
    baselines.delete_baseline(project, _baseline(project, baseline_id).pk, if_match(request))
    return Status(204, None)


@router.get(
    "/projects/{code}/baselines/{baseline_id}/variance",
    response={200: Page[VarianceOut], **ERRORS},
)
def variance(
    request: HttpRequest,
    code: Text,
    baseline_id: RecordId,
    query: Query[VarianceQuery],
    paging: Query[PageQuery],
) -> dict[str, Any]:
    """Start, finish and duration variance of every task against the baseline, plan order."""
    project, _ = project_for(caller(request), code)
    rows = baselines.variances(project, _baseline(project, baseline_id))
    if query.slipped:
        rows = [r for r in rows if r.slipped]
    if query.milestones:
        rows = [r for r in rows if r.task.milestone]
    start = (paging.page - 1) * paging.page_size
    items = [
        {
            "task_id": r.task.pk,
            "wbs": r.task.wbs,
            "name": r.task.name,
            "milestone": r.task.milestone,
            "start": r.task.start,
            "finish": r.task.finish,
            "baseline_start": r.baseline_start,
            "baseline_finish": r.baseline_finish,
            "baseline_duration_minutes": r.baseline_duration,
            "start_variance_minutes": r.start_variance,
            "finish_variance_minutes": r.finish_variance,
            "duration_variance_minutes": r.duration_variance,
        }
        for r in rows[start : start + paging.page_size]
    ]
    return {
        "items": items,
        "count": len(rows),
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": max(1, -(-len(rows) // paging.page_size)),
    }


represent_with(Baseline, BaselineOut)
