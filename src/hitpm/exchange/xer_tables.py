"""The XER container: tab-separated tables of Primavera P6 exports.

An XER file starts with an ``ERMHDR`` line, then for each table a ``%T`` line with its name,
a ``%F`` line with its field names and ``%R`` lines of values, and ends with ``%E``. Files are
written in the Windows code page of the exporting machine (usually cp1252) or UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hitpm.exchange.errors import XerError


@dataclass
class XerRow:
    """One ``%R`` line: values by field name, and the line it came from."""

    line: int
    values: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


@dataclass
class XerTable:
    name: str
    fields: list[str]
    rows: list[XerRow] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; refused when it is neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise XerError(
            f"line {line}: the file is neither UTF-8 nor Windows-1252 text (byte "
            f"0x{data[exc.start]:02x}); export it again from Primavera P6"
        ) from None


def parse_tables(data: bytes) -> dict[str, XerTable]:
    """All tables of an XER file by name; raises :class:`XerError` naming the line."""
    text = decode(data)
    lines = text.split("\n")
    if not lines or not lines[0].startswith("ERMHDR"):
        raise XerError("line 1: an XER file starts with ERMHDR; this is not a Primavera export")
    tables: dict[str, XerTable] = {}
    current: XerTable | None = None
    ended = False
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        kind, _, rest = line.partition("\t")
        if kind == "%T":
            current = tables.setdefault(rest.strip(), XerTable(rest.strip(), []))
        elif kind == "%F":
            if current is None:
                raise XerError(f"line {number}: %F (field names) before any %T table")
            current.fields = rest.split("\t")
        elif kind == "%R":
            if current is None or not current.fields:
                raise XerError(f"line {number}: %R (a row) before the table's %F field names")
            values = rest.split("\t")
            if len(values) > len(current.fields):
                raise XerError(
                    f"line {number}: table {current.name} has {len(current.fields)} fields but "
                    f"the row has {len(values)} values"
                )
            current.rows.append(XerRow(number, dict(zip(current.fields, values, strict=False))))
        elif kind == "%E":
            ended = True
            break
        else:
            raise XerError(f"line {number}: {kind[:20]!r} is not %T, %F, %R or %E")
    if not ended:
        raise XerError("the file ends without %E: it is truncated; export it again")
    return tables


def format_tables(header: str, tables: list[XerTable]) -> bytes:
    """Tables as XER text (CRLF line ends, as Primavera writes them), UTF-8 encoded."""
    out = [header]
    for table in tables:
        out.append(f"%T\t{table.name}")
        out.append("%F\t" + "\t".join(table.fields))
        for row in table.rows:
            out.append("%R\t" + "\t".join(_clean(row.get(f)) for f in table.fields))
    out.append("%E")
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
