"""P6 calendar data (``clndr_data``): a nested ``(0||name(params)(children))`` structure.

``DaysOfWeek`` holds days 1 (Sunday) to 7 (Saturday), each with ``(s|08:00|f|12:00)`` working
periods; ``Exceptions`` holds days as ``(d|45658)``, a serial day number counted from
1899-12-30 (as in spreadsheets), with their working periods (none = a day off).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hitpm.engine.model import CalendarException, Interval
from hitpm.exchange.errors import XerError

EPOCH = dt.date(1899, 12, 30)


@dataclass
class Node:
    name: str
    params: dict[str, str]
    children: list[Node] = field(default_factory=list)

    def child(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)


class _Parser:
    def __init__(self, text: str, where: str) -> None:
        self.text = "".join(ch for ch in text if ch not in " \t\r\n\x7f")
        self.at = 0
        self.where = where

    def fail(self, problem: str) -> XerError:
        return XerError(f"{self.where}: calendar data at character {self.at}: {problem}")

    def expect(self, token: str) -> None:
        if not self.text.startswith(token, self.at):
            raise self.fail(f"expected {token!r}")
        self.at += len(token)

    def until(self, stop: str) -> str:
        end = self.text.find(stop, self.at)
        if end < 0:
            raise self.fail(f"missing {stop!r}")
        value, self.at = self.text[self.at : end], end
        return value

    def node(self, depth: int = 0) -> Node:
        if depth > 20:
            raise self.fail("nested too deeply")
        self.expect("(")
        self.until("||")
        self.expect("||")
        name = self.until("(")
        self.expect("(")
        raw = self.until(")")
        self.expect(")(")
        parts = raw.split("|") if raw else []
        params = dict(zip(parts[::2], parts[1::2], strict=False))
        result = Node(name, params)
        while self.text.startswith("(", self.at):
            result.children.append(self.node(depth + 1))
        self.expect("))")
        return result


def parse_calendar_data(text: str, where: str) -> Node | None:
    """The calendar's tree, or None for an empty field."""
    if not text.strip():
        return None
    return _Parser(text, where).node()


def _minutes(value: str, where: str) -> int:
    try:
        hours, minutes = value.split(":")
        total = int(hours) * 60 + int(minutes)
    except ValueError:
        raise XerError(f"{where}: {value!r} is not a time of day (hh:mm)") from None
    return 1440 if total == 0 else total


def _periods(node: Node, where: str) -> tuple[Interval, ...]:
    intervals = []
    for period in node.children:
        start = _minutes(period.params.get("s", ""), where) % 1440
        finish = _minutes(period.params.get("f", ""), where)
        if finish <= start:
            raise XerError(f"{where}: a working period must end after it starts")
        intervals.append((start, finish))
    return tuple(sorted(intervals))


def read_week(root: Node | None, where: str) -> dict[int, tuple[Interval, ...]]:
    """Working periods by weekday (0 = Monday), as the engine keys them."""
    week: dict[int, tuple[Interval, ...]] = {}
    days = root.child("DaysOfWeek") if root is not None else None
    for day in days.children if days is not None else ():
        try:
            number = int(day.name)
        except ValueError:
            raise XerError(f"{where}: {day.name!r} is not a weekday 1..7") from None
        if not 1 <= number <= 7:
            raise XerError(f"{where}: {number} is not a weekday 1..7")
        week[(number - 2) % 7] = _periods(day, where)
    return week


def read_exceptions(root: Node | None, where: str) -> list[CalendarException]:
    """Exception days merged into ranges of consecutive days with the same periods."""
    container = root.child("Exceptions") if root is not None else None
    days: list[tuple[dt.date, tuple[Interval, ...]]] = []
    for node in container.children if container is not None else ():
        try:
            day = EPOCH + dt.timedelta(days=int(float(node.params.get("d", ""))))
        except (ValueError, OverflowError):
            raise XerError(f"{where}: exception day {node.params.get('d')!r} is invalid") from None
        days.append((day, _periods(node, where)))
    days.sort()
    merged: list[CalendarException] = []
    for day, periods in days:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.end + dt.timedelta(days=1) == day
            and last.intervals == periods
        ):
            merged[-1] = CalendarException(last.start, day, periods)
        elif last is None or day > last.end:
            merged.append(CalendarException(day, day, periods))
    return merged


def _time(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def _period_text(intervals: tuple[Interval, ...]) -> str:
    return "".join(f"(0||{i}(s|{_time(a)}|f|{_time(b)})())" for i, (a, b) in enumerate(intervals))


def write_calendar_data(
    week: dict[int, tuple[Interval, ...]], exceptions: list[CalendarException]
) -> str:
    """``clndr_data`` text for a week (all seven days) and dated exceptions."""
    days = "".join(
        f"(0||{number}()({_period_text(week.get((number - 2) % 7, ()))}))" for number in range(1, 8)
    )
    excepted: list[str] = []
    for exception in exceptions:
        day = exception.start
        while day <= exception.end:
            serial = (day - EPOCH).days
            excepted.append(
                f"(0||{len(excepted)}(d|{serial})({_period_text(exception.intervals)}))"
            )
            day += dt.timedelta(days=1)
    return (
        f"(0||CalendarData()((0||DaysOfWeek()({days}))"
        f"(0||VIEW(ShowTotal|Y)())(0||Exceptions()({''.join(excepted)}))))"
    )
