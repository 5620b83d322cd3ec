"""Open a project file whatever its format, chosen by content rather than by extension."""

from __future__ import annotations

import os

from hitpm.engine.model import ProjectSpec
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.mspdi import read_mspdi
from hitpm.exchange.projectjson import read_project_json

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def read_project_file(path: str | os.PathLike[str]) -> ProjectSpec:
    """Read an MSPDI (XML) or hitpm JSON project; raises :class:`ImportFileError`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ImportFileError(f"cannot read {os.fspath(path)!r}: {exc.strerror}") from None
    kind = sniff(data)
    if kind == "xml":
        return read_mspdi(data)
    if kind == "json":
        return read_project_json(data)
    raise ImportFileError(
        f"{os.fspath(path)!r} is neither Microsoft Project XML (MSPDI) nor a hitpm JSON project"
    )


def sniff(data: bytes) -> str | None:
    """``"xml"``, ``"json"`` or None, from the first meaningful character of the content."""
    head = data[:64]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head.replace(b"\x00", b"").lstrip()
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"{"):
        return "json"
    return None
