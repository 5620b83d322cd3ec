"""What a DCMA assessment reports: thresholds, offending tasks, each check's result, the report.

:class:`DcmaThresholds` holds the pass marks; :class:`DcmaReport` is what
:func:`hitpm.engine.dcma.assess` returns and what ``hitpm check dcma --json`` prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Direction(StrEnum):
    """How a metric must compare with its threshold to pass."""

    AT_MOST = "<="
    AT_LEAST = ">="
    EQUAL = "="


@dataclass(frozen=True)
class Threshold:
    """A pass mark: ``metric <direction> value``; ``unit`` is "%", "d" (working days) or ""."""

    value: float
    direction: Direction
    unit: str = "%"

    def met_by(self, metric: float) -> bool:
        """Whether ``metric`` passes; a hair of tolerance absorbs float rounding only."""
        tolerance = 1e-9
        if self.direction is Direction.AT_MOST:
            return metric <= self.value + tolerance
        if self.direction is Direction.AT_LEAST:
            return metric >= self.value - tolerance
        return abs(metric - self.value) <= tolerance

    def __str__(self) -> str:
        return f"{self.direction} {self.value:g}{self.unit}"


@dataclass(frozen=True)
class Offender:
    """A task that fails a check. For link checks ``uid`` is the successor and the link's
    predecessor is in ``predecessor_uid``, so the UI can open the task that owns the link."""

    uid: int
    name: str
    detail: str = ""
    predecessor_uid: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"uid": self.uid, "name": self.name, "detail": self.detail}
        if self.predecessor_uid is not None:
            data["predecessor_uid"] = self.predecessor_uid
        return data


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome. ``passed`` is None when the check could not be assessed; then
    ``reason`` says why. ``metric`` is in the threshold's unit."""

    number: int
    name: str
    description: str
    threshold: Threshold
    metric: float | None = None
    passed: bool | None = None
    numerator: int | None = None
    denominator: int | None = None
    offenders: tuple[Offender, ...] = ()
    reason: str = ""
    note: str = ""

    @property
    def status(self) -> str:
        """``"pass"``, ``"fail"`` or ``"not assessed"``."""
        if self.passed is None:
            return "not assessed"
        return "pass" if self.passed else "fail"

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, as ``hitpm check dcma --json`` and the API print it."""
        return {
            "number": self.number,
            "name": self.name,
            "description": self.description,
            "metric": self.metric,
            "threshold": str(self.threshold),
            "threshold_value": self.threshold.value,
            "threshold_direction": str(self.threshold.direction),
            "unit": self.threshold.unit,
            "passed": self.passed,
            "status": self.status,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "offending": [o.uid for o in self.offenders],
            "offenders": [o.as_dict() for o in self.offenders],
            "reason": self.reason,
            "note": self.note,
        }


@dataclass(frozen=True)
class DcmaReport:
    """All fourteen checks in order, with the counts a dashboard shows."""

    project: str
    status_date: dt.datetime | None
    checks: tuple[CheckResult, ...]

    def check(self, number: int) -> CheckResult:
        """The check with DCMA number ``number`` (1-14)."""
        for item in self.checks:
            if item.number == number:
                return item
        raise KeyError(number)

    @property
    def passed(self) -> int:
        return sum(1 for c in self.checks if c.passed is True)

    @property
    def failed(self) -> int:
        return sum(1 for c in self.checks if c.passed is False)

    @property
    def not_assessed(self) -> int:
        return sum(1 for c in self.checks if c.passed is None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "status_date": self.status_date.isoformat() if self.status_date else None,
            "checks": [c.as_dict() for c in self.checks],
            "passed": self.passed,
            "failed": self.failed,
            "not_assessed": self.not_assessed,
        }


@dataclass(frozen=True)
class DcmaThresholds:
    """The DCMA's published pass marks; change them for a stricter or looser review.

    Percentages are of the check's population; day limits are working days of
    ``ScheduleOptions.minutes_per_day``. The DCMA sets no number for check 10, so 0% (every
    task resource-loaded) is the default here, as the common tools use.
    """

    logic_max_pct: float = 5.0
    leads_max_pct: float = 0.0
    lags_max_pct: float = 5.0
    fs_min_pct: float = 90.0
    hard_constraints_max_pct: float = 5.0
    high_float_days: float = 44.0
    high_float_max_pct: float = 5.0
    negative_float_max_pct: float = 0.0
    high_duration_days: float = 44.0
    high_duration_max_pct: float = 5.0
    invalid_dates_max_pct: float = 0.0
    resources_min_duration_days: float = 1.0
    resources_max_pct: float = 0.0
    missed_tasks_max_pct: float = 5.0
    critical_path_delay_days: float = 600.0
    cpli_min: float = 0.95
    bei_min: float = 0.95
