"""A report document as HTML (page and PDF) and as Markdown."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

MD_SPECIAL = str.maketrans({"|": "\\|", "\n": " "})


def render_html(doc: dict[str, Any]) -> str:
    """The report body, as shown on the page and kept in a published snapshot."""
    return render_to_string("reports/_document.html", {"doc": doc})


def standalone_html(doc: dict[str, Any], body: str | None = None) -> str:
    """A complete HTML file with print styles, for the PDF and for download."""
    return render_to_string(
        "reports/print.html", {"doc": doc, "body": body if body is not None else render_html(doc)}
    )


PDF_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
"""The Debian/Ubuntu packages of the system libraries WeasyPrint loads (Pango and its
FreeType backend, which bring HarfBuzz and fontconfig)."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint could not load its system libraries, so no PDF can be made here; the message
    is one line that names the packages to install."""

    def __init__(self, cause: BaseException) -> None:
        detail = " ".join(str(cause).split())[:200] or type(cause).__name__
        super().__init__(
            "PDF output is unavailable: WeasyPrint could not load its system libraries "
            f"({detail}). Install them (Debian/Ubuntu: apt-get install {PDF_PACKAGES}) and try "
            "again; Markdown and HTML downloads work without them."
        )


def render_pdf(doc: dict[str, Any], body: str | None = None) -> bytes:
    """The report as PDF (A4), charts included as vector graphics.

    Raises :class:`PdfUnavailable` when WeasyPrint's system libraries (Pango) are missing: it
    fails with OSError (or ImportError) on import, or on first use."""
    html = standalone_html(doc, body)
    try:
        from weasyprint import HTML

        return bytes(HTML(string=html).write_pdf())
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(exc) from exc


def _cell(value: Any) -> str:
    return str(value).translate(MD_SPECIAL)


def _md_table(table: dict[str, Any]) -> list[str]:
    if not table["rows"]:
        return [f"_{table.get('empty', 'Nothing to show.')}_", ""]
    lines = ["| " + " | ".join(_cell(c) for c in table["columns"]) + " |",
             "|" + "---|" * len(table["columns"])]  # fmt: skip
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table["rows"]]
    return [*lines, ""]


def _md_section(section: dict[str, Any]) -> list[str]:
    lines = [f"## {section['title']}", ""]
    if section.get("note"):
        lines += [section["note"] if section["tracked"] else f"> {section['note']}", ""]
    for label, value in section.get("facts", []):
        lines.append(f"- **{label}:** {value}")
    if section.get("facts"):
        lines.append("")
    if section.get("rag"):
        lines += _md_table({
            "columns": ["Dimension", "Rating", "Suggested", "Why", "Note"],
            "rows": [[r["label"], r["rating"].upper(), r["suggested"], r["reason"], r["note"]]
                     for r in section["rag"]],
        })  # fmt: skip
    if section.get("table"):
        lines += _md_table(section["table"])
    if section.get("svg"):
        lines += ["_(Chart in the web and PDF versions.)_", ""]
    return lines


def render_markdown(doc: dict[str, Any]) -> str:
    project = doc["project"]
    lines = [
        f"# {doc['title']}", "",
        f"**Project:** {project['code']} {project['name']}  ",
        f"**Audience:** {doc['audience_label']}  ",
        f"**As of:** {doc['as_of']}  ",
        f"**Phase:** {project['phase']}  ",
        f"**Target go-live:** {project['target_go_live']}",
    ]  # fmt: skip
    if doc.get("published_at"):
        lines[-1] += "  "
        lines.append(f"**Published:** {doc['published_at']} by {doc['published_by']}")
    lines.append("")
    for part in doc["narrative"]:
        if part["text"].strip():
            lines += [f"## {part['title']}", "", part["text"].strip(), ""]
    for section in doc["sections"]:
        lines += _md_section(section)
    return "\n".join(lines).rstrip() + "\n"
