"""What a Monte Carlo run is asked to do: :class:`SimulationInput` and its parts.

The input is plain, validated and serialisable (:meth:`SimulationInput.to_dict` /
:meth:`SimulationInput.from_dict`), and every result carries it, so a run can be repeated
exactly from the project and the stored input. :func:`uncertainty_from_dict` reads the
optional ``"uncertainty"`` section of a hitpm JSON project (``docs/montecarlo.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

DEFAULT_TEMPLATE = (0.9, 1.0, 1.3)


class Distribution(StrEnum):
    """Shape of a three-point estimate between its minimum and maximum."""

    TRIANGULAR = "triangular"
    PERT = "pert"  # BetaPERT: mean (a + 4m + b) / 6
    UNIFORM = "uniform"  # the most likely value is ignored
    FIXED = "fixed"  # always the most likely value


DIST_CODES = {Distribution.FIXED: 0, Distribution.UNIFORM: 1, Distribution.TRIANGULAR: 2,
              Distribution.PERT: 3}  # fmt: skip


@dataclass(frozen=True)
class Estimate:
    """Three-point estimate in working minutes; ``distribution`` None uses the run's."""

    low: int
    likely: int
    high: int
    distribution: Distribution | None = None

    def check(self, where: str) -> None:
        if self.low < 0:
            raise ValueError(f"{where}: minimum {self.low} is negative; durations cannot be")
        if not self.low <= self.likely <= self.high:
            raise ValueError(
                f"{where}: need minimum <= most likely <= maximum, got "
                f"{self.low}, {self.likely}, {self.high}"
            )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"min": self.low, "likely": self.likely, "max": self.high}
        if self.distribution is not None:
            out["distribution"] = str(self.distribution)
        return out


@dataclass(frozen=True)
class RiskEvent:
    """A threat that strikes an iteration with ``probability`` and then adds ``impact``
    (one draw per iteration) to the duration of each task in ``tasks`` (ids)."""

    name: str
    probability: float
    impact: Estimate
    tasks: tuple[int, ...]

    def check(self, where: str) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"{where}: probability {self.probability} must lie in [0, 1]")
        if not self.tasks:
            raise ValueError(f"{where}: name at least one task the event delays")
        self.impact.check(f"{where}.impact")


@dataclass(frozen=True)
class Correlation:
    """Tasks whose durations move together: one ``coefficient`` for every pair, or a full
    rank-correlation ``matrix`` in the order of ``tasks``."""

    tasks: tuple[int, ...]
    coefficient: float | None = None
    matrix: tuple[tuple[float, ...], ...] | None = None

    def check(self, where: str) -> None:
        if len(self.tasks) < 2 or len(set(self.tasks)) != len(self.tasks):
            raise ValueError(f"{where}: a correlation needs two or more distinct tasks")
        if (self.coefficient is None) == (self.matrix is None):
            raise ValueError(f"{where}: give either a coefficient or a matrix")


@dataclass(frozen=True)
class SimulationInput:
    """Everything besides the project that determines a run.

    ``template`` is (min, most likely, max) as fractions of a task's planned duration, used
    for tasks without an entry in ``estimates`` (keyed by task id). Iterations are drawn in
    batches of ``batch_size``; with ``latin_hypercube`` each batch is one Latin hypercube. With
    ``convergence_tolerance`` the run stops after the first batch where the mean and P80 of
    the finish moved less than that fraction of the mean project duration."""

    iterations: int = 1000
    seed: int = 0
    distribution: Distribution = Distribution.TRIANGULAR
    template: tuple[float, float, float] = DEFAULT_TEMPLATE
    estimates: Mapping[int, Estimate] = field(default_factory=dict)
    risks: tuple[RiskEvent, ...] = ()
    correlations: tuple[Correlation, ...] = ()
    latin_hypercube: bool = False
    convergence_tolerance: float | None = None
    batch_size: int = 1000
    criticality: bool = True
    sensitivity: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "distribution", _distribution(self.distribution, "input"))
        if self.iterations < 1 or self.batch_size < 1:
            raise ValueError("iterations and batch size must be at least 1")
        low, likely, high = self.template
        if not 0 <= low <= likely <= high:
            raise ValueError(
                f"template {low}, {likely}, {high}: need 0 <= minimum <= most likely <= maximum"
            )
        if self.convergence_tolerance is not None and self.convergence_tolerance <= 0:
            raise ValueError("convergence tolerance must be positive")
        for uid, estimate in self.estimates.items():
            estimate.check(f"estimate of task {uid}")
        for r, risk in enumerate(self.risks):
            risk.check(f"risk {r} ({risk.name})")
        for c, correlation in enumerate(self.correlations):
            correlation.check(f"correlation {c}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form; :meth:`from_dict` reads it back to an equal input."""
        return {
            "iterations": self.iterations, "seed": self.seed,
            "distribution": str(self.distribution), "template": list(self.template),
            "estimates": [{"task": uid, **e.to_dict()} for uid, e in self.estimates.items()],
            "risks": [
                {"name": r.name, "probability": r.probability, "tasks": list(r.tasks),
                 "impact": r.impact.to_dict()}
                for r in self.risks
            ],
            "correlations": [
                {"tasks": list(c.tasks), "coefficient": c.coefficient,
                 "matrix": [list(row) for row in c.matrix] if c.matrix else None}
                for c in self.correlations
            ],
            "latin_hypercube": self.latin_hypercube,
            "convergence_tolerance": self.convergence_tolerance, "batch_size": self.batch_size,
            "criticality": self.criticality, "sensitivity": self.sensitivity,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulationInput:
        base = uncertainty_from_dict(data)
        keys = ("iterations", "seed", "latin_hypercube", "convergence_tolerance", "batch_size",
                "criticality", "sensitivity")  # fmt: skip
        return replace(base, **{k: data[k] for k in keys if k in data})


Minutes = Callable[[Any, str], int]


def _plain_minutes(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: expected working minutes, got {value!r}")
    return round(value)


def _estimate(obj: Any, where: str, minutes: Minutes) -> Estimate:
    if not isinstance(obj, Mapping):
        raise ValueError(f"{where}: expected an object with min, likely and max")
    try:
        low, likely, high = (minutes(obj[k], f"{where}.{k}") for k in ("min", "likely", "max"))
    except KeyError as exc:
        raise ValueError(f"{where}: missing {exc.args[0]!r}") from None
    dist = obj.get("distribution")
    return Estimate(low, likely, high, _distribution(dist, where) if dist else None)


def _distribution(value: Any, where: str) -> Distribution:
    try:
        return Distribution(value)
    except ValueError:
        names = ", ".join(d.value for d in Distribution)
        raise ValueError(f"{where}: distribution {value!r} is not one of {names}") from None


def _ids(value: Any, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise ValueError(f"{where}: expected a list of task uids")
    return tuple(value)


def uncertainty_from_dict(
    data: Mapping[str, Any], minutes: Minutes | None = None
) -> SimulationInput:
    """A :class:`SimulationInput` from an ``"uncertainty"`` section (or a stored input).

    ``minutes`` parses durations (default: numbers of working minutes; the CLI passes a parser
    that also takes ``"5d"``-style text). ``template`` is in percent when any value exceeds
    10 (``[90, 100, 130]``), else in fractions."""
    parse = minutes or _plain_minutes
    if not isinstance(data, Mapping):
        raise ValueError("uncertainty: expected an object")
    template = tuple(float(v) for v in data.get("template", DEFAULT_TEMPLATE))
    if len(template) != 3:
        raise ValueError("uncertainty.template: expected [min, most likely, max]")
    if max(template) > 10:
        template = tuple(v / 100 for v in template)
    estimates = {}
    for i, item in enumerate(data.get("estimates", [])):
        where = f"uncertainty.estimates[{i}]"
        uid = item.get("task") if isinstance(item, Mapping) else None
        if not isinstance(uid, int):
            raise ValueError(f"{where}.task: expected a task uid")
        estimates[uid] = _estimate(item, where, parse)
    risks = []
    for i, item in enumerate(data.get("risks", [])):
        where = f"uncertainty.risks[{i}]"
        if not isinstance(item, Mapping) or "impact" not in item:
            raise ValueError(f"{where}: expected an object with probability, impact and tasks")
        risks.append(RiskEvent(str(item.get("name", f"risk {i + 1}")),
                               float(item.get("probability", -1)),
                               _estimate(item["impact"], f"{where}.impact", parse),
                               _ids(item.get("tasks"), f"{where}.tasks")))  # fmt: skip
    correlations = []
    for i, item in enumerate(data.get("correlations", [])):
        where = f"uncertainty.correlations[{i}]"
        if not isinstance(item, Mapping):
            raise ValueError(f"{where}: expected an object with tasks and a coefficient")
        matrix = item.get("matrix")
        correlations.append(Correlation(
            _ids(item.get("tasks"), f"{where}.tasks"),
            None if item.get("coefficient") is None else float(item["coefficient"]),
            tuple(tuple(float(v) for v in row) for row in matrix) if matrix else None,
        ))  # fmt: skip
    return SimulationInput(
        distribution=_distribution(data.get("distribution", "triangular"), "uncertainty"),
        template=(template[0], template[1], template[2]), estimates=estimates,
        risks=tuple(risks), correlations=tuple(correlations),
    )  # fmt: skip
