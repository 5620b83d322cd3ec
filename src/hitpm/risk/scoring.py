"""Risk and FMEA arithmetic, free of the database so the rules are easy to read and test.

* Register: a risk's impact is the worst of its impact dimensions (safety, schedule, cost,
  compliance); its score is probability x impact on the portfolio's scale (default 5 x 5).
* VA healthcare FMEA (HFMEA, DeRosier et al. 2002, VA National Center for Patient Safety):
  hazard score = severity (1-4) x probability (1-4); the decision tree sends a failure mode on
  to action when it scores 8 or more or is a single-point weakness, unless an effective control
  exists or the hazard is so obvious that no control is needed.
* Classic FMEA (AIAG/IHI): risk priority number RPN = severity x occurrence x detection,
  each 1-10.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HFMEA_THRESHOLD = 8
HFMEA_MAX = 4
RPN_MAX = 10

DEFAULT_PROBABILITY_LABELS = (
    "Rare (<10%)",
    "Unlikely (10-30%)",
    "Possible (30-50%)",
    "Likely (50-80%)",
    "Almost certain (>80%)",
)
DEFAULT_IMPACT_LABELS = (
    "Negligible: no patient harm, <1 week slip, <$10k, no finding",
    "Minor: near miss, 1-2 weeks, $10-50k, internal finding",
    "Moderate: temporary harm, 2-4 weeks, $50-250k, reportable event",
    "Major: serious harm, 1-3 months, $250k-1M, regulator citation",
    "Catastrophic: death or permanent harm, >3 months, >$1M, sanction or breach notice",
)

HFMEA_SEVERITY = {4: "Catastrophic", 3: "Major", 2: "Moderate", 1: "Minor"}
HFMEA_PROBABILITY = {4: "Frequent", 3: "Occasional", 2: "Uncommon", 1: "Remote"}


def worst_impact(impacts: Iterable[int | None]) -> int | None:
    """The highest rated dimension; None when no dimension is rated."""
    rated = [i for i in impacts if i]
    return max(rated) if rated else None


def risk_score(probability: int | None, impacts: Iterable[int | None]) -> int | None:
    """Probability x worst impact, or None until both are rated."""
    impact = worst_impact(impacts)
    if not probability or impact is None:
        return None
    return probability * impact


@dataclass(frozen=True)
class Bands:
    """Score thresholds of a scale: scores from ``amber`` are amber, from ``red`` red."""

    amber: int
    red: int

    def rating(self, score: int | None) -> str:
        if score is None:
            return "none"
        if score >= self.red:
            return "red"
        return "amber" if score >= self.amber else "green"


def default_bands(size: int) -> Bands:
    """Bands of an N x N scale like the common 5 x 5 (green 1-4, amber 5-12, red 15-25)."""
    top = size * size
    return Bands(amber=max(2, round(top * 0.2)), red=max(3, round(top * 0.6)))


def hazard_score(severity: int, probability: int) -> int:
    """HFMEA hazard score, 1-16."""
    _check_range("severity", severity, HFMEA_MAX)
    _check_range("probability", probability, HFMEA_MAX)
    return severity * probability


@dataclass(frozen=True)
class Decision:
    """Outcome of the HFMEA decision tree and the question that settled it."""

    proceed: bool
    reason: str


def hfmea_decision(
    score: int, single_point_weakness: bool, effective_control: bool, detectable: bool
) -> Decision:
    """Walk the VA HFMEA decision tree for one failure mode (or cause)."""
    if score < HFMEA_THRESHOLD and not single_point_weakness:
        return Decision(
            False,
            f"Hazard score {score} is below {HFMEA_THRESHOLD} and it is not "
            "a single-point weakness: stop.",
        )
    if effective_control:
        return Decision(False, "An effective control measure exists: stop.")
    if detectable:
        return Decision(False, "The hazard is so obvious that a control is not needed: stop.")
    trigger = f"hazard score {score}" if score >= HFMEA_THRESHOLD else "single-point weakness"
    return Decision(True, f"Proceed to actions ({trigger}, no effective control, not obvious).")


def rpn(severity: int, occurrence: int, detection: int) -> int:
    """Risk priority number, 1-1000."""
    for name, value in (
        ("severity", severity),
        ("occurrence", occurrence),
        ("detection", detection),
    ):
        _check_range(name, value, RPN_MAX)
    return severity * occurrence * detection


def _check_range(name: str, value: int, top: int) -> None:
    if not 1 <= value <= top:
        raise ValueError(f"{name} must be between 1 and {top}, got {value}")
