"""The schedule, plan settings, progress updates and the DCMA schedule health report."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from ninja import Field, PatchDict, Router, Schema

from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    InputSchema,
    RecordId,
    Text,
    caller,
    if_match,
    tagged,
)
from hitpm.core.services import lock_current
from hitpm.planning import progress
from hitpm.planning.api.schemas import ChangeOut, change_out
from hitpm.planning.baselines import set_gantt_baseline, settings_of, stored_settings_of
from hitpm.planning.health import assessment
from hitpm.planning.models import PlanSettings
from hitpm.planning.services import reschedule
from hitpm.portfolio.access import Action, project_for
from hitpm.portfolio.models import Project

router = Router(tags=["planning"])
Minutes = Annotated[int, Field(ge=0, le=2**31 - 1)]


class ScheduleOut(Schema):
    start: dt.datetime | None
    finish: dt.datetime | None
    status_date: dt.date | None
    progress_mode: str
    tasks: int
    critical_path: list[int] = Field(description="Ids of the critical tasks in plan order.")


class SettingsOut(Schema):
    version: int
    progress_mode: str
    gantt_baseline_id: int | None


class SettingsIn(InputSchema):
    progress_mode: Literal["retained_logic", "progress_override"]
    gantt_baseline_id: RecordId | None = None


class ProgressRow(InputSchema):
    task_id: RecordId
    version: int | None = Field(None, description="The task's version you read (ETag).")
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    percent_complete: float | None = Field(None, ge=0, le=100)
    remaining_minutes: Minutes | None = None


class ProgressIn(InputSchema):
    status_date: dt.date | None = Field(None, description="Move the status date first.")
    updates: list[ProgressRow] = Field(default_factory=list, max_length=5000)


def _schedule(project: Project) -> dict[str, Any]:
    tasks = project.tasks.all()
    span = tasks.aggregate(start=Min("start"), finish=Max("finish"))
    critical = tasks.filter(critical=True, is_summary=False).order_by("position")
    return {
        **span,
        "status_date": project.status_date,
        "progress_mode": settings_of(project).progress_mode,
        "tasks": tasks.count(),
        "critical_path": list(critical.values_list("pk", flat=True)),
    }


@router.get("/projects/{code}/schedule", response={200: ScheduleOut, **ERRORS})
def get_schedule(request: HttpRequest, code: Text) -> dict[str, Any]:
    """The scheduled plan in brief: start, finish, status date and critical tasks."""
    project, _ = project_for(caller(request), code)
    return _schedule(project)


@router.post("/projects/{code}/schedule", response={200: ScheduleOut, **WRITE_ERRORS})
def run_schedule(request: HttpRequest, code: Text) -> dict[str, Any]:
    """Reschedule the plan now (team members), e.g. after a calendar change."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    reschedule(project)
    return _schedule(project)


@router.get("/projects/{code}/plan-settings", response={200: SettingsOut, **ERRORS})
def get_settings(request: HttpRequest, code: Text, response: HttpResponse) -> PlanSettings:
    project, _ = project_for(caller(request), code)
    return tagged(response, settings_of(project))


@router.patch("/projects/{code}/plan-settings", response={200: SettingsOut, **WRITE_ERRORS})
def change_settings(
    request: HttpRequest, code: Text, payload: PatchDict[SettingsIn], response: HttpResponse
) -> PlanSettings:
    """Out-of-sequence progress mode and the Gantt baseline (project managers; If-Match)."""
    project, _ = project_for(caller(request), code, Action.MANAGE)
    current = lock_current(PlanSettings, stored_settings_of(project).pk, if_match(request))
    if "gantt_baseline_id" in payload:
        current = set_gantt_baseline(project, payload["gantt_baseline_id"])
    if "progress_mode" in payload:
        current = progress.set_progress_mode(project, payload["progress_mode"])
    return tagged(response, current)


@router.post("/projects/{code}/progress", response={200: ChangeOut, **WRITE_ERRORS})
def record_progress(request: HttpRequest, code: Text, payload: ProgressIn) -> dict[str, Any]:
    """Move the status date and record progress of many tasks at once (team members).

    A bad row refuses the whole update and names the task; the plan is rescheduled once."""
    project, _ = project_for(caller(request), code, Action.EDIT)
    if "status_date" in payload.model_fields_set:
        progress.set_status_date(project, payload.status_date, None)
    rows = [row.dict(exclude_unset=True) for row in payload.updates]
    return change_out(progress.update_progress(project, rows))


@router.get("/projects/{code}/dcma", response={200: dict[str, Any], **ERRORS})
def dcma_report(
    request: HttpRequest, code: Text, baseline_id: RecordId | None = None
) -> dict[str, Any]:
    """The DCMA 14-point assessment: each check's threshold, metric, result and offenders.

    Checks 11 and 14 use ``baseline_id``, else the baseline the Gantt chart shows."""
    project, _ = project_for(caller(request), code)
    report, baseline = assessment(project, baseline_id)
    return {**report.as_dict(), "baseline": baseline.name if baseline else None}
