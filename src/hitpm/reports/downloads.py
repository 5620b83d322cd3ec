"""A report as a downloadable file: PDF, Markdown or standalone HTML (page, API and CLI).

Where WeasyPrint's system libraries are missing, :func:`rendered` raises
:class:`~hitpm.reports.render.PdfUnavailable` for a PDF (one line naming the packages to
install); the page answers it with 503, as the API does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponse

from hitpm.reports.models import StatusReport
from hitpm.reports.render import PdfUnavailable, render_markdown, render_pdf, standalone_html
from hitpm.reports.services import document

FORMATS = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def rendered(report: StatusReport, fmt: str) -> Rendered:
    """The report in ``fmt``; a published report renders its snapshot exactly as published."""
    doc = document(report)
    body = report.html if report.is_published and report.html else None
    if fmt == "pdf":
        content = render_pdf(doc, body)
    elif fmt == "md":
        content = render_markdown(doc).encode()
    elif fmt == "html":
        content = standalone_html(doc, body).encode()
    else:
        raise ValueError(f"Unknown format {fmt!r}; use pdf, md or html.")
    name = f"{report.project.code}-{report.audience}-{report.as_of.isoformat()}"
    return Rendered(content, FORMATS[fmt], f"{name}.{fmt}")


def download(report: StatusReport, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Reports download as pdf, md or html.")
    try:
        out = rendered(report, fmt)
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    return response
