"""``hitpm forecast``: Monte Carlo delivery forecasts from a throughput CSV, without a database.

The CSV has a header row and one of two shapes, told apart by the header:

* ``date,count``: items finished per day. Dates missing between the first and last row count
  as zero days; a date listed twice is added up.
* ``done_date``: one row per finished item (other columns are ignored). The history runs from
  the first to the last done date.

The command resamples the daily throughput (zero days included) and answers "when will N items
be done" and "how many items by date D" at 50/70/85/95 % confidence. Only the engine and numpy
are imported: Django never is, so the command runs in a pipeline or a bare checkout.
"""

from __future__ import annotations

import csv
import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.markup import escape
from rich.table import Table

from hitpm.cli.options import JsonOpt
from hitpm.cli.output import console, emit_json, fail
from hitpm.engine.board import FlowError
from hitpm.engine.forecast import (
    CONFIDENCE_LEVELS,
    HowManyForecast,
    ThroughputHistory,
    WhenForecast,
    WorkDays,
    daily_throughput,
    forecast_items_by,
    forecast_items_when,
)


class ThroughputFileError(ValueError):
    """The throughput CSV cannot be read; the message names the file, line and fix."""


@dataclass(frozen=True)
class ThroughputFile:
    """A parsed CSV: one date per finished item, and the history's first and last day."""

    done_dates: np.ndarray
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Request:
    """The command's options once parsed and checked."""

    items: int | None
    start: dt.date
    by: dt.date | None
    trials: int
    seed: int
    workdays: WorkDays | None


_FileOpt = Annotated[
    Path,
    typer.Option(
        "--throughput", help="CSV with columns date,count (per day) or done_date (per item)."
    ),
]
_ItemsOpt = Annotated[
    int | None, typer.Option("--items", min=1, help="Forecast when this many items are done.")
]
_StartOpt = Annotated[
    str | None,
    typer.Option(
        "--start", help="First forecast day YYYY-MM-DD (default: the day after the history)."
    ),
]
_ByOpt = Annotated[
    str | None, typer.Option("--by", help="Forecast how many items are done by this date.")
]
_TrialsOpt = Annotated[int, typer.Option("--trials", min=1, help="Monte Carlo trials.")]
_SeedOpt = Annotated[
    int | None, typer.Option("--seed", min=0, help="Random seed (default: random, and reported).")
]
_WindowOpt = Annotated[
    int | None,
    typer.Option("--window-days", min=1, help="Resample only the last D calendar days of history."),
]
_WorkOpt = Annotated[
    bool,
    typer.Option("--working-days", help="Count Monday to Friday only (history and projection)."),
]
_HolidayOpt = Annotated[
    list[str] | None,
    typer.Option("--holiday", help="A non-working date YYYY-MM-DD; repeat for more."),
]


def register(app: typer.Typer) -> None:
    """Add the ``forecast`` command to the ``hitpm`` application."""
    app.command("forecast")(forecast_command)


def forecast_command(
    throughput: _FileOpt,
    items: _ItemsOpt = None,
    start: _StartOpt = None,
    by: _ByOpt = None,
    trials: _TrialsOpt = 10_000,
    seed: _SeedOpt = None,
    window_days: _WindowOpt = None,
    working_days: _WorkOpt = False,
    holiday: _HolidayOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Forecast when N items are done and how many are done by a date, from daily throughput."""
    try:
        parsed = read_throughput_csv(throughput)
        workdays = _workdays(working_days, holiday or [])
        history = daily_throughput(
            parsed.done_dates,
            first=parsed.first,
            last=parsed.last,
            window_days=window_days,
            workdays=workdays,
        )
        request = _request(items, start, by, trials, seed, workdays, history)
        when, how_many = run_forecast(history, request)
    except (ThroughputFileError, FlowError) as exc:
        fail(escape(" ".join(str(exc).split())))
    if json_:
        emit_json(forecast_to_json(history, request, when, how_many))
    else:
        console.print(forecast_table(history, request, when, how_many))


def run_forecast(
    history: ThroughputHistory, request: Request
) -> tuple[WhenForecast | None, HowManyForecast | None]:
    """Both forecasts the request asks for, each seeded with the request's seed."""
    options: dict[str, Any] = {
        "workdays": request.workdays,
        "trials": request.trials,
        "seed": request.seed,
    }
    when = None
    if request.items is not None:
        when = forecast_items_when(history, request.items, request.start, **options)
    how_many = None
    if request.by is not None:
        how_many = forecast_items_by(history, request.start, request.by, **options)
    return when, how_many


# ---- reading the CSV --------------------------------------------------------------------------


def read_throughput_csv(path: Path) -> ThroughputFile:
    """Parse either CSV shape; every problem is a :class:`ThroughputFileError` naming the line."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise ThroughputFileError(f"cannot read {path}: {exc}") from None
    if not rows:
        raise ThroughputFileError(f"{path} is empty; it needs a header and at least one row")
    header = [name.strip().lower() for name in rows[0]]
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(row)]
    if "date" in header and "count" in header:
        dates, counts = _daily_rows(path, body, header.index("date"), header.index("count"))
    elif "done_date" in header:
        dates = list(_dates(path, body, header.index("done_date")))
        counts = [1] * len(dates)
    else:
        raise ThroughputFileError(
            f"{path}: the header must name columns date,count (items per day) "
            f"or done_date (one row per finished item); found {','.join(header)}"
        )
    if not dates:
        raise ThroughputFileError(f"{path} has a header but no data rows")
    done = np.repeat(np.array(dates, dtype="datetime64[D]"), counts)
    return ThroughputFile(done, min(dates), max(dates))


def _daily_rows(
    path: Path, body: list[tuple[int, list[str]]], date_col: int, count_col: int
) -> tuple[list[dt.date], list[int]]:
    dates = list(_dates(path, body, date_col))
    counts = [_count(path, number, _cell(path, number, row, count_col)) for number, row in body]
    return dates, counts


def _dates(path: Path, body: list[tuple[int, list[str]]], column: int) -> Iterator[dt.date]:
    for number, row in body:
        yield _date(path, number, _cell(path, number, row, column))


def _cell(path: Path, number: int, row: list[str], column: int) -> str:
    if column >= len(row):
        raise ThroughputFileError(f"{path} line {number}: the row has too few columns")
    return row[column].strip()


def _date(path: Path, number: int, text: str) -> dt.date:
    """An ISO date, or the date of an ISO date-time (exports of closed tickets carry times)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ThroughputFileError(
            f"{path} line {number}: {text!r} is not a date such as 2026-01-05"
        ) from None


def _count(path: Path, number: int, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ThroughputFileError(
            f"{path} line {number}: count {text!r} is not a whole number"
        ) from None
    if value < 0:
        raise ThroughputFileError(f"{path} line {number}: count {value} is negative")
    return value


# ---- options ----------------------------------------------------------------------------------


def _option_date(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ThroughputFileError(f"{name} {text!r} is not a date such as 2026-01-05") from None


def _workdays(working_days: bool, holidays: list[str]) -> WorkDays | None:
    days = tuple(_option_date("--holiday", text) for text in holidays)
    if working_days:
        return WorkDays.weekdays(days)
    return WorkDays(holidays=days) if days else None


def _request(
    items: int | None,
    start: str | None,
    by: str | None,
    trials: int,
    seed: int | None,
    workdays: WorkDays | None,
    history: ThroughputHistory,
) -> Request:
    if items is None and by is None:
        raise ThroughputFileError("nothing to forecast: give --items N, --by YYYY-MM-DD or both")
    first_day = (
        _option_date("--start", start) if start is not None else history.end + dt.timedelta(days=1)
    )
    return Request(
        items=items,
        start=first_day,
        by=None if by is None else _option_date("--by", by),
        trials=trials,
        seed=secrets.randbits(32) if seed is None else seed,
        workdays=workdays,
    )


# ---- output -----------------------------------------------------------------------------------


def forecast_to_json(
    history: ThroughputHistory,
    request: Request,
    when: WhenForecast | None,
    how_many: HowManyForecast | None,
) -> dict[str, Any]:
    """The ``--json`` document (documented in ``docs/flow.md``)."""
    return {
        "items": request.items,
        "trials": request.trials,
        "seed": request.seed,
        "start": request.start.isoformat(),
        "working_days": request.workdays is not None,
        "history_days": int(history.counts.size),
        "history": {
            "first": history.start.isoformat(),
            "last": history.end.isoformat(),
            "items": history.total,
            "mean_per_day": round(float(history.counts.mean()), 4),
        },
        "when": None if when is None else {str(c): d.isoformat() for c, d in when.dates.items()},
        "when_days": None if when is None else {str(c): p for c, p in when.periods.items()},
        "how_many_by": None if how_many is None else _how_many_json(request, how_many),
    }


def _how_many_json(request: Request, how_many: HowManyForecast) -> dict[str, Any]:
    assert request.by is not None
    amounts = {str(c): int(a) for c, a in how_many.amount.items()}
    return {"date": request.by.isoformat(), "days": how_many.horizon, **amounts}


def forecast_table(
    history: ThroughputHistory,
    request: Request,
    when: WhenForecast | None,
    how_many: HowManyForecast | None,
) -> Table:
    """Confidence levels down the side; "done by" dates and "at least" counts across."""
    table = Table(
        title=f"Forecast from {request.start} ({request.trials:,} trials, seed {request.seed})",
        caption=(
            f"History {history.start} to {history.end}: {history.total} items over "
            f"{history.counts.size} {'working ' if request.workdays else ''}days"
        ),
    )
    table.add_column("Confidence", justify="right")
    if when is not None:
        table.add_column(f"{request.items} items done by", justify="right")
        table.add_column("Days", justify="right")
    if how_many is not None:
        table.add_column(f"Items done by {request.by}", justify="right")
    for level in CONFIDENCE_LEVELS:
        cells = [f"{level} %"]
        if when is not None:
            cells += [when.dates[level].isoformat(), str(when.periods[level])]
        if how_many is not None:
            cells.append(f"at least {int(how_many.amount[level])}")
        table.add_row(*cells)
    return table
