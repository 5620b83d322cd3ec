"""Every file format hitpm imports or exports, and how to tell them apart.

A format is chosen by name, or detected from the content (XML, JSON, XER header, ZIP for
.xlsx) and, where the content alone is ambiguous, the file's extension. Pure: no Django.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from hitpm.exchange.document import PlanDocument
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.files import sniff
from hitpm.exchange.mspdi_document import read_mspdi_document
from hitpm.exchange.mspdi_writer import write_mspdi
from hitpm.exchange.mspdi_xml import parse
from hitpm.exchange.native import EXTENSIONS as NATIVE_EXTENSIONS
from hitpm.exchange.native import read_native
from hitpm.exchange.tabular import write_csv, write_xlsx
from hitpm.exchange.xer import read_xer
from hitpm.exchange.xer_writer import write_xer


@dataclass(frozen=True)
class Format:
    """A file format: what it is called, its file extension and MIME type."""

    key: str
    label: str
    extension: str
    content_type: str
    writer: Callable[[PlanDocument], bytes] | None = None


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("mspdi", "Microsoft Project XML (.xml)", ".xml", "application/xml", write_mspdi),
        Format("xer", "Primavera P6 XER (.xer)", ".xer", "application/octet-stream", write_xer),
        Format("csv", "CSV task list (.csv)", ".csv", "text/csv; charset=utf-8", write_csv),
        Format(
            "xlsx",
            "Excel task list (.xlsx)",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            write_xlsx,
        ),
        Format(
            "native", "MPP, MPX, PMXML, GanttProject ... (MPXJ)", ".mpp", "application/octet-stream"
        ),
        Format("backup", "hitpm project backup (.json)", ".json", "application/json"),
        Format("ics", "iCalendar milestones (.ics)", ".ics", "text/calendar; charset=utf-8"),
    )
}
PLAN_READERS: dict[str, Callable[[bytes, str], PlanDocument]] = {
    "mspdi": lambda data, _name: read_mspdi_document(data),
    "xer": lambda data, _name: read_xer(data),
    "native": read_native,
}
TABLE_FORMATS = ("csv", "xlsx")


def detect(data: bytes, filename: str) -> str:
    """The format key of an uploaded file; raises :class:`ImportFileError` when unknown."""
    extension = os.path.splitext(filename.lower())[1]
    if not data.strip():
        raise ImportFileError(f"{filename} is empty")
    kind = sniff(data)
    if kind == "json":
        return "backup"
    if data.lstrip(b"\xef\xbb\xbf").startswith(b"ERMHDR"):
        return "xer"
    if kind == "xml":
        if b"schemas.microsoft.com/project" in data[:4096]:
            return "mspdi"
        # PMXML, GanttProject ... (whatever the extension): refuse DTDs and entities before
        # MPXJ sees them.
        parse(data)
        return "native"
    if extension in NATIVE_EXTENSIONS:
        return "native"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx" if extension in ("", ".xlsx", ".xlsm") else "native"
    if extension in (".csv", ".txt", ".tsv"):
        return "csv"
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: MPP and old .xls
        return "native"
    raise ImportFileError(
        f"{filename}: unknown format; hitpm reads MSPDI .xml, .xer, .csv, .xlsx, hitpm .json "
        "backups, and MPP/MPX/PMXML/.gan through MPXJ"
    )


def export_name(project_code: str, key: str) -> str:
    return f"{project_code}{FORMATS[key].extension}"
