"""Binary and other formats read through MPXJ (optional extra ``hitpm[mpxj]``).

MPXJ's ``UniversalProjectReader`` recognises MPP, MPX, PMXML (Primavera XML), GanttProject
(.gan), Asta, Phoenix, Planner, ProjectLibre and more by content. The file it reads is
written out again with MPXJ's own MSPDI writer and read by hitpm's MSPDI reader, so every
native format gets the same fields, checks and error messages as MSPDI.
"""

from __future__ import annotations

import os
import tempfile

from hitpm.exchange.document import PlanDocument
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.mpxj_bridge import INSTALL_HINT, MpxjUnavailableError, start_jvm
from hitpm.exchange.mspdi_document import read_mspdi_document

EXTENSIONS = (
    ".mpp",
    ".mpx",
    ".mpt",
    ".pmxml",
    ".gan",
    ".pp",
    ".pep",
    ".planner",
    ".pod",
    ".fts",
    ".sdef",
    ".cdpx",
    ".ppx",
    ".prx",
    ".schedule_grid",
)


class NativeFormatUnavailable(ImportFileError):
    """MPXJ or Java is missing; the message says what to install."""


def read_native(data: bytes, filename: str) -> PlanDocument:
    """Read any format MPXJ knows; raises :class:`ImportFileError` with the reason."""
    try:
        start_jvm()
    except MpxjUnavailableError as exc:
        reason = str(exc) if INSTALL_HINT in str(exc) else f"{exc}; {INSTALL_HINT}"
        raise NativeFormatUnavailable(
            f"{os.path.basename(filename)} needs MPXJ to be read: {reason}"
        ) from None
    from java.lang import Exception as JavaException
    from org.mpxj.mspdi import MSPDIWriter
    from org.mpxj.reader import UniversalProjectReader

    suffix = os.path.splitext(filename)[1] or ".bin"
    with tempfile.TemporaryDirectory(prefix="hitpm-mpxj-") as folder:
        source = os.path.join(folder, "input" + suffix)
        target = os.path.join(folder, "output.xml")
        with open(source, "wb") as handle:
            handle.write(data)
        try:
            project = UniversalProjectReader().read(source)
        except JavaException as exc:
            raise ImportFileError(f"MPXJ could not read {filename}: {exc.getMessage()}") from None
        if project is None:
            raise ImportFileError(
                f"{filename} is not a project file MPXJ recognises (MPP, MPX, PMXML, GanttProject "
                "and others)"
            )
        MSPDIWriter().write(project, target)
        with open(target, "rb") as handle:
            converted = handle.read()
    document = read_mspdi_document(converted)
    document.source_format = "native"
    return document


__all__ = ["INSTALL_HINT", "NativeFormatUnavailable", "read_native"]
