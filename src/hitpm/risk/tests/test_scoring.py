"""The arithmetic of the register and of both FMEA methods."""

from __future__ import annotations

import pytest

from hitpm.risk import scoring


def test_score_is_probability_times_the_worst_dimension() -> None:
    assert scoring.worst_impact([2, None, 4, 1]) == 4
    assert scoring.risk_score(3, [2, None, 4, 1]) == 12
    assert scoring.risk_score(3, [None, None]) is None
    assert scoring.risk_score(None, [5]) is None


def test_default_bands_of_a_five_by_five() -> None:
    bands = scoring.default_bands(5)
    assert (bands.amber, bands.red) == (5, 15)
    assert [bands.rating(s) for s in (4, 5, 12, 15, 25, None)] == [
        "green",
        "amber",
        "amber",
        "red",
        "red",
        "none",
    ]


@pytest.mark.parametrize(
    ("score", "spw", "control", "obvious", "proceed"),
    [
        (12, False, False, False, True),  # high hazard, nothing guards it
        (12, False, True, False, False),  # effective control: stop
        (12, False, False, True, False),  # so obvious no control is needed: stop
        (6, False, False, False, False),  # low score, not a single-point weakness: stop
        (6, True, False, False, True),  # low score but a single-point weakness: proceed
        (4, True, True, False, False),
        (8, False, False, False, True),  # 8 is the threshold
    ],
)
def test_hfmea_decision_tree(
    score: int, spw: bool, control: bool, obvious: bool, proceed: bool
) -> None:
    decision = scoring.hfmea_decision(score, spw, control, obvious)
    assert decision.proceed is proceed
    assert decision.reason


def test_hazard_score_and_rpn_ranges() -> None:
    assert scoring.hazard_score(4, 3) == 12
    assert scoring.rpn(9, 4, 7) == 252
    with pytest.raises(ValueError, match="severity must be between 1 and 4"):
        scoring.hazard_score(5, 1)
    with pytest.raises(ValueError, match="detection must be between 1 and 10"):
        scoring.rpn(1, 1, 11)
