"""Empirical quantiles and the Monte Carlo resampling kernel behind the flow forecasts.

Quantiles are read off the inverted empirical distribution, so every level is a value that
really occurred; cycle-time percentile lines (:mod:`hitpm.engine.flow`) and forecast confidence
levels (:mod:`hitpm.engine.forecast`) share them.

**Resampling.** Daily throughput samples (zero days included) are resampled with replacement
into a (trials x horizon) matrix, chunked so memory stays bounded; ``cumsum`` and ``argmax``
give each trial's finishing day, and only unfinished trials draw another chunk. With a constant
throughput of ``k`` every trial needs exactly ``ceil(N / k)`` days. Scrum velocities use the same
kernel with sprints as periods.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from hitpm.engine.board import FloatArray, FlowError, IntArray

_MAX_CHUNK_CELLS = 2_000_000  # draws per chunk: 16 MB of int64, fast and bounded


def within_levels(values: npt.NDArray[Any], levels: Sequence[int]) -> dict[int, float]:
    """Per level c, the smallest v with P(X <= v) >= c %: "done within v" (an upper percentile)."""
    ordered = np.sort(values)
    n = ordered.size
    return {int(c): _ranked(ordered, math.ceil(round(c / 100 * n, 9)) - 1) for c in levels}


def at_least_levels(values: npt.NDArray[Any], levels: Sequence[int]) -> dict[int, float]:
    """Per level c, the largest v with P(X >= v) >= c %: "at least v" (a lower percentile)."""
    ordered = np.sort(values)
    n = ordered.size
    return {int(c): _ranked(ordered, math.floor(round((1 - c / 100) * n, 9))) for c in levels}


def _ranked(ordered: npt.NDArray[Any], rank: int) -> float:
    """The value at ``rank`` of a sorted array, clipped to its ends (a Python number)."""
    return ordered[min(max(rank, 0), ordered.size - 1)].item()


def _samples(history: npt.ArrayLike) -> npt.NDArray[np.int64] | FloatArray:
    """Validated samples: integral values as int64 so constant rates add up exactly."""
    values = np.asarray(history, dtype=np.float64).reshape(-1)
    if values.size == 0:
        raise FlowError("the history is empty: a forecast needs at least one day or sprint")
    if not np.all(np.isfinite(values)) or values.min() < 0:
        raise FlowError("throughput and velocities must be finite and not negative")
    if values.max() == 0:
        raise FlowError("the history has no completions at all (every sample is zero)")
    if np.all(values == np.round(values)):
        return values.astype(np.int64)
    return values


def periods_to_reach(
    history: npt.ArrayLike,
    target: float,
    *,
    trials: int = 10_000,
    rng: np.random.Generator,
    max_periods: int = 36_500,
) -> IntArray:
    """Periods (days or sprints) each trial needs until the resampled total reaches ``target``.

    The first chunk is sized from the mean so most trials finish in it; trials that have not
    finished carry their total into a smaller chunk of their own. Raises :class:`FlowError` when
    the history is too thin to reach the target within ``max_periods``.
    """
    samples = _samples(history)
    _check_trials(trials)
    if target <= 0:
        return np.zeros(trials, dtype=np.int64)
    mean = float(samples.mean())
    if target / mean > max_periods:
        raise FlowError(
            f"at the historical rate of {mean:.3g} per period, {target:g} would take more than "
            f"{max_periods} periods; check the history window"
        )
    return _run_until(samples, target, trials, rng, mean, max_periods)


def _run_until(
    samples: npt.NDArray[np.generic],
    target: float,
    trials: int,
    rng: np.random.Generator,
    mean: float,
    max_periods: int,
) -> IntArray:
    periods = np.zeros(trials, dtype=np.int64)
    totals = np.zeros(trials, dtype=samples.dtype)
    active = np.arange(trials)
    elapsed = 0
    while active.size:
        if elapsed >= max_periods:
            raise FlowError(f"some trials did not reach {target:g} within {max_periods} periods")
        need = float(target - totals[active].min())
        width = max(8, math.ceil(1.25 * need / mean) + 4)
        width = min(width, max(1, _MAX_CHUNK_CELLS // active.size), max_periods - elapsed)
        draws = samples[rng.integers(0, samples.size, size=(active.size, width))]
        running = np.cumsum(draws, axis=1)
        running += totals[active, None]
        reached = running >= target
        hit = reached[:, -1]
        periods[active[hit]] = elapsed + np.argmax(reached[hit], axis=1) + 1
        totals[active[~hit]] = running[~hit, -1]
        active = active[~hit]
        elapsed += width
    return periods


def totals_after(
    history: npt.ArrayLike, periods: int, *, trials: int = 10_000, rng: np.random.Generator
) -> npt.NDArray[np.generic]:
    """Total of ``periods`` resampled periods per trial, drawn in bounded row chunks."""
    samples = _samples(history)
    _check_trials(trials)
    if periods < 0:
        raise FlowError("the forecast date is before the forecast start")
    out = np.zeros(trials, dtype=samples.dtype)
    if periods == 0:
        return out
    rows = max(1, _MAX_CHUNK_CELLS // periods)
    for first in range(0, trials, rows):
        count = min(rows, trials - first)
        draws = samples[rng.integers(0, samples.size, size=(count, periods))]
        out[first : first + count] = draws.sum(axis=1)
    return out


def _check_trials(trials: int) -> None:
    if trials < 1:
        raise FlowError("the number of trials must be at least 1")
