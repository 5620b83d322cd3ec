"""Safe parsing of MSPDI XML into elements that remember their line numbers.

Microsoft Project XML has no DTD and no entities, so anything of the kind is refused outright:
that shuts out entity expansion ("billion laughs") and external entities (XXE) before they can
do harm. Line numbers are kept beside the tree so every later error can say where to look.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from hitpm.exchange.errors import MspdiError

MSPDI_NAMESPACE = "http://schemas.microsoft.com/project"

Source = str | os.PathLike[str] | bytes

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


class _LineTreeBuilder(TreeBuilder):
    """Tree builder that records the source line where each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        self.lines[element] = current_line(self.parser)
        return element


def current_line(parser: DefusedXMLParser | None) -> int:
    """Line expat is reading now; 0 when unknown."""
    expat = getattr(parser, "parser", None)
    return int(getattr(expat, "CurrentLineNumber", 0) or 0)


def read_bytes(source: Source) -> bytes:
    """The raw file content, whether given as bytes or as a path."""
    if isinstance(source, bytes):
        return source
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise MspdiError(f"cannot read {os.fspath(source)!r}: {exc.strerror or exc}") from exc


def parse(data: bytes) -> tuple[Element, dict[Element, int]]:
    """Parse MSPDI bytes with DTDs and entities forbidden; return the root and line map."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        line = current_line(parser)
        raise MspdiError(
            f"refused: the file declares a DTD or entities (<!DOCTYPE>, <!ENTITY>) at line {line}; "
            "MSPDI never uses them, and they can read server files or exhaust memory "
            f"({type(exc).__name__})"
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).rsplit(": line", 1)[0]
        raise MspdiError(f"not well-formed XML at line {line}, column {column}: {reason}") from None
    return root, builder.lines


def local_name(tag: str) -> str:
    """Tag without its ``{namespace}`` prefix."""
    return tag.rsplit("}", 1)[-1]


def check_root(root: Element) -> None:
    """Refuse documents that are XML but not a Microsoft Project file."""
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if local_name(root.tag) != "Project" or namespace not in ("", MSPDI_NAMESPACE):
        raise MspdiError(
            f"root element is <{local_name(root.tag)}> in namespace {namespace!r}; an MSPDI "
            f'file has <Project xmlns="{MSPDI_NAMESPACE}">'
        )


class Fields:
    """Typed access to the child elements of one MSPDI element, with errors that say where."""

    def __init__(self, element: Element, lines: dict[Element, int], where: str) -> None:
        self.element = element
        self.lines = lines
        self.where = where
        self.children: dict[str, Element] = {}
        for child in reversed(element):
            self.children[local_name(child.tag)] = child

    def error(self, name: str, problem: str) -> MspdiError:
        child = self.children.get(name)
        line = self.lines.get(child if child is not None else self.element, 0)
        return MspdiError(f"{self.where}: <{name}> at line {line}: {problem}")

    def child(self, name: str) -> Element | None:
        return self.children.get(name)

    def all(self, name: str) -> list[Element]:
        """Every child called ``name``, in document order."""
        return [c for c in self.element if local_name(c.tag) == name]

    def sub(self, element: Element, where: str | None = None) -> Fields:
        return Fields(element, self.lines, where or self.where)

    def text(self, name: str, default: str | None = None) -> str | None:
        child = self.children.get(name)
        if child is None or child.text is None or not child.text.strip():
            return default
        return child.text.strip()

    def integer(self, name: str, default: int | None = None) -> int | None:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError:
            raise self.error(name, f"{raw!r} is not a whole number") from None

    def number(self, name: str, default: float | None = None) -> float | None:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            return float(raw)
        except ValueError:
            raise self.error(name, f"{raw!r} is not a number") from None

    def flag(self, name: str, default: bool = False) -> bool:
        raw = self.text(name)
        if raw is None:
            return default
        if raw in ("1", "true"):
            return True
        if raw in ("0", "false"):
            return False
        raise self.error(name, f"{raw!r} is not a boolean (0 or 1)")

    def datetime(self, name: str) -> dt.datetime | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            value = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise self.error(name, f"{raw!r} is not a date-time (YYYY-MM-DDThh:mm:ss)") from None
        return value.replace(tzinfo=None)

    def time_minutes(self, name: str) -> int | None:
        """A ``hh:mm:ss`` time of day as minutes from midnight."""
        raw = self.text(name)
        if raw is None:
            return None
        try:
            value = dt.time.fromisoformat(raw)
        except ValueError:
            raise self.error(name, f"{raw!r} is not a time of day (hh:mm:ss)") from None
        return value.hour * 60 + value.minute

    def duration_minutes(self, name: str) -> int | None:
        """An ISO 8601 duration (``PT8H0M0S``) as whole minutes."""
        raw = self.text(name)
        if raw is None:
            return None
        match = _DURATION.match(raw)
        if match is None:
            raise self.error(name, f"{raw!r} is not an ISO 8601 duration such as PT8H0M0S")
        parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
        minutes = (
            parts.get("d", 0.0) * 1440
            + parts.get("h", 0.0) * 60
            + parts.get("m", 0.0)
            + parts.get("s", 0.0) / 60
        )
        return -round(minutes) if match.group("sign") else round(minutes)
