"""Status reports over the API: create a draft, edit its narrative and RAG, publish it, and
download it as PDF, Markdown or HTML. Members read; project managers write."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError

from hitpm.core.api import (
    ERRORS,
    WRITE_ERRORS,
    ErrorOut,
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
from hitpm.portfolio.access import Action, project_for
from hitpm.reports import services
from hitpm.reports.downloads import rendered
from hitpm.reports.models import Audience, Rating, StatusReport
from hitpm.reports.render import PdfUnavailable

router = Router(tags=["status reports"])


class ReportOut(Schema):
    id: int
    version: int
    audience: Audience
    title: str
    as_of: dt.date
    state: StatusReport.State
    summary: str
    accomplishments: str
    next_steps: str
    asks: str
    ratings: dict[str, Any]
    published_at: dt.datetime | None
    published_by: str | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_published_by(report: StatusReport) -> str | None:
        return report.published_by.get_username() if report.published_by else None


class ReportDocumentOut(ReportOut):
    document: dict[str, Any] = Field(
        description="The report's content: live data for a draft, the snapshot once published."
    )

    @staticmethod
    def resolve_document(report: StatusReport) -> dict[str, Any]:
        return services.document(report)


class ReportCreateIn(InputSchema):
    audience: Audience
    as_of: dt.date | None = None
    title: str = ""


class RatingIn(InputSchema):
    rating: Rating | Literal[""] = ""
    note: str = Field("", max_length=500)


class ReportIn(InputSchema):
    title: str
    as_of: dt.date
    summary: str = ""
    accomplishments: str = ""
    next_steps: str = ""
    asks: str = ""
    ratings: dict[Literal["schedule", "scope", "budget", "quality", "risk"], RatingIn] = {}


class ReportQuery(Filters):
    audience: Audience | None = None
    state: StatusReport.State | None = None


def _report(request: HttpRequest, code: str, report_id: int, action: Action) -> StatusReport:
    project, _ = project_for(caller(request), code, action)
    found = project.status_reports.filter(pk=report_id).first()
    return or_404(found, "status report", project.code, report_id)


@router.get("/projects/{code}/reports", response={200: Page[ReportOut], **ERRORS})
def list_reports(
    request: HttpRequest, code: Text, filters: Query[ReportQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The project's status reports, newest first."""
    project, _ = project_for(caller(request), code)
    found = filters.filter(project.status_reports.select_related("published_by"))
    return paginate(found.order_by("-as_of", "-pk"), paging)


@router.post("/projects/{code}/reports", response={201: ReportDocumentOut, **WRITE_ERRORS})
def create_report(
    request: HttpRequest, code: Text, payload: ReportCreateIn, response: HttpResponse
) -> Status[StatusReport]:
    """Generate a draft for an audience from live data (project managers)."""
    project, _ = project_for(caller(request), code, Action.MANAGE)
    report = services.create_report(project, payload.audience, payload.as_of, payload.title)
    return Status(201, tagged(response, report))


@router.get("/projects/{code}/reports/{report_id}", response={200: ReportDocumentOut, **ERRORS})
def get_report(
    request: HttpRequest, code: Text, report_id: RecordId, response: HttpResponse
) -> StatusReport:
    """A report with its document (live for a draft, the snapshot once published)."""
    return tagged(response, _report(request, code, report_id, Action.VIEW))


def _edit(request: HttpRequest, code: str, report_id: int, changes: dict[str, Any]) -> Any:
    report = _report(request, code, report_id, Action.MANAGE)
    return services.update_report(report, changes, if_match(request))


@router.put("/projects/{code}/reports/{report_id}", response={200: ReportOut, **WRITE_ERRORS})
def replace_report(
    request: HttpRequest, code: Text, report_id: RecordId, payload: ReportIn,
    response: HttpResponse,
) -> StatusReport:  # fmt: skip
    """Replace a draft's title, date, narrative and RAG (If-Match; published: 422)."""
    return tagged(response, _edit(request, code, report_id, payload.dict()))


@router.patch("/projects/{code}/reports/{report_id}", response={200: ReportOut, **WRITE_ERRORS})
def update_report(
    request: HttpRequest, code: Text, report_id: RecordId, payload: PatchDict[ReportIn],
    response: HttpResponse,
) -> StatusReport:  # fmt: skip
    """Change some of a draft's fields; ``ratings`` merges per dimension (If-Match)."""
    return tagged(response, _edit(request, code, report_id, payload))


@router.post(
    "/projects/{code}/reports/{report_id}/publish", response={200: ReportOut, **WRITE_ERRORS}
)
def publish_report(
    request: HttpRequest, code: Text, report_id: RecordId, response: HttpResponse
) -> StatusReport:
    """Freeze the report as a snapshot (If-Match; needs a summary)."""
    report = _report(request, code, report_id, Action.MANAGE)
    return tagged(response, services.publish(report, caller(request), if_match(request)))


@router.delete("/projects/{code}/reports/{report_id}", response={204: None, **WRITE_ERRORS})
def delete_report(request: HttpRequest, code: Text, report_id: RecordId) -> Status[None]:
    """Delete a draft (If-Match); published reports are kept (422)."""
    report = _report(request, code, report_id, Action.MANAGE)
    services.delete_report(report, if_match(request))
    return Status(204, None)


@router.get(
    "/projects/{code}/reports/{report_id}/export", response={200: None, 503: ErrorOut, **ERRORS}
)
def export_report(
    request: HttpRequest, code: Text, report_id: RecordId,
    format: Literal["pdf", "md", "html"] = "pdf",
) -> HttpResponse:  # fmt: skip
    """The report as a file: PDF (default), Markdown or standalone HTML; 503 for a PDF where
    the server lacks WeasyPrint's system libraries."""
    report = _report(request, code, report_id, Action.VIEW)
    try:
        out = rendered(report, format)
    except PdfUnavailable as exc:
        raise HttpError(503, str(exc)) from exc
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    return response


represent_with(StatusReport, ReportOut)
