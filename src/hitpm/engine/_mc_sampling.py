"""Random inputs of the Monte Carlo engine: uniforms (plain or Latin hypercube), rank
correlation (Iman-Conover), BetaPERT quantile tables and risk event draws.

Everything is drawn from one :class:`numpy.random.Generator` in a fixed order, batch by batch,
so a seed (and the batch size) determines every number of a run. Durations come from uniforms
through each task's inverse CDF (:func:`hitpm.engine._mc_kernels.inverse_cdf`), which is what
lets Latin hypercube strata and Iman-Conover rank orders carry over to the durations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
QUANTILE_GRID = 2048  # BetaPERT quantile function resolution (uniform steps in probability)
_CDF_GRID = 8192  # x-steps for integrating the Beta density before inverting it


def pert_tables(
    low: npt.NDArray[np.int64], likely: npt.NDArray[np.int64], high: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Quantile tables of the BetaPERT shapes the tasks use, and each task's table row.

    The PERT distribution on [a, b] with mode m is a + (b - a) * Beta(1 + 4 (m - a) / (b - a),
    1 + 4 (b - m) / (b - a)). Tasks sharing a shape (an uncertainty template gives every task
    the same one) share a table. The CDF is integrated numerically (no SciPy) and inverted on a
    uniform probability grid; the table's mean is exact to about 1e-6 of the range."""
    span = np.maximum(high - low, 1).astype(np.float64)
    mode = np.round((likely - low) / span, 6)
    shapes, row = np.unique(mode, return_inverse=True)
    x = np.linspace(0.0, 1.0, _CDF_GRID + 1)
    probabilities = np.linspace(0.0, 1.0, QUANTILE_GRID + 1)
    tables = np.empty((shapes.shape[0], QUANTILE_GRID + 1))
    for t, m in enumerate(shapes.tolist()):
        alpha, beta = 1.0 + 4.0 * m, 1.0 + 4.0 * (1.0 - m)
        pdf = np.power(x, alpha - 1) * np.power(1.0 - x, beta - 1)
        cdf = np.concatenate(([0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2)))
        cdf /= cdf[-1]
        tables[t] = np.interp(probabilities, cdf, x)
    return row.astype(np.int64), tables


def uniforms(
    rng: np.random.Generator,
    tasks: int,
    width: int,
    latin_hypercube: bool,
    out: npt.NDArray[np.float32] | None = None,
) -> npt.NDArray[np.float32]:
    """``[task, iteration]`` uniforms in [0, 1), into ``out`` when given (and contiguous).
    With ``latin_hypercube`` each task's ``width`` values fall one into each of ``width``
    equal strata, in random order."""
    if not latin_hypercube:
        if out is not None and out.flags.c_contiguous:
            return rng.random((tasks, width), dtype=np.float32, out=out)
        return rng.random((tasks, width), dtype=np.float32)
    strata = rng.permuted(np.tile(np.arange(width, dtype=np.float32), (tasks, 1)), axis=1)
    jitter = rng.random((tasks, width), dtype=np.float32)
    result: npt.NDArray[np.float32] = np.minimum((strata + jitter) / np.float32(width), 0.9999999)
    return result


@dataclass(frozen=True)
class CorrelatedGroup:
    """Task indices and the rank (Spearman) correlation matrix wanted between them."""

    tasks: npt.NDArray[np.int64]
    target: FloatArray


def pearson_for_spearman(rho: FloatArray) -> FloatArray:
    """Normal-score correlation that yields rank correlation ``rho`` (Pearson's relation
    for the bivariate normal: rho_s = 6 / pi * asin(rho / 2))."""
    result: FloatArray = 2.0 * np.sin(np.pi * rho / 6.0)
    return result


def iman_conover(
    rng: np.random.Generator, u: npt.NDArray[np.float32], group: CorrelatedGroup
) -> None:
    """Reorder, in place, the uniforms of the group's tasks across iterations so their rank
    correlation approaches ``group.target`` (Iman and Conover, 1982).

    Each task keeps exactly its own values (so its marginal, and Latin hypercube strata, are
    untouched); only which iteration gets which value changes. Normal scores are drawn, their
    sample correlation removed (Cholesky) and the target imposed, and each task's values are
    then arranged in the rank order of its score column."""
    width = u.shape[1]
    k = group.tasks.shape[0]
    if width < k + 2:
        return  # too few iterations to impose anything; the batch stays independent
    scores = rng.standard_normal((width, k))
    scores -= scores.mean(axis=0)
    sample = np.corrcoef(scores, rowvar=False).reshape(k, k)
    try:
        whiten = np.linalg.inv(np.linalg.cholesky(sample))
    except np.linalg.LinAlgError:
        return
    wanted = np.linalg.cholesky(pearson_for_spearman(group.target))
    arranged = scores @ whiten.T @ wanted.T
    for column, task in enumerate(group.tasks.tolist()):
        order = np.argsort(np.argsort(arranged[:, column], kind="stable"), kind="stable")
        u[task] = np.sort(u[task])[order]


def check_correlation(matrix: FloatArray, where: str) -> None:
    """Refuse matrices that are not symmetric, unit-diagonal, within [-1, 1] and positive
    definite after the normal-score conversion (Iman-Conover needs its Cholesky factor)."""
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{where}: the correlation matrix must be square")
    if not np.allclose(matrix, matrix.T) or not np.allclose(np.diag(matrix), 1.0):
        raise ValueError(
            f"{where}: the correlation matrix must be symmetric with 1 on the diagonal"
        )
    if np.any(np.abs(matrix) > 1):
        raise ValueError(f"{where}: correlation coefficients must lie between -1 and 1")
    try:
        np.linalg.cholesky(pearson_for_spearman(matrix))
    except np.linalg.LinAlgError:
        raise ValueError(
            f"{where}: the correlation matrix is not positive definite; "
            "lower some coefficients or split the group"
        ) from None


def group_matrix(size: int, coefficient: float) -> FloatArray:
    """The matrix of a "group + coefficient" input: every pair correlated alike."""
    matrix = np.full((size, size), float(coefficient))
    np.fill_diagonal(matrix, 1.0)
    return matrix


@dataclass(frozen=True)
class RiskArrays:
    """Risk events as arrays: occurrence probability, three-point impact (working minutes,
    distribution code) and the tasks each event delays (CSR: ``task_idx[ptr[r]:ptr[r+1]]``)."""

    probability: FloatArray
    low: npt.NDArray[np.int64]
    likely: npt.NDArray[np.int64]
    high: npt.NDArray[np.int64]
    dist: npt.NDArray[np.int8]
    ptr: npt.NDArray[np.int64]
    task_idx: npt.NDArray[np.int64]

    @property
    def size(self) -> int:
        return int(self.probability.shape[0])

    @classmethod
    def empty(cls) -> RiskArrays:
        none = np.zeros(0, np.int64)
        return cls(np.zeros(0), none, none, none, np.zeros(0, np.int8), np.zeros(1, np.int64), none)

    @classmethod
    def build(
        cls,
        probability: Sequence[float],
        impacts: Sequence[tuple[int, int, int, int]],
        tasks: Sequence[Sequence[int]],
    ) -> RiskArrays:
        """From per-event probability, (low, likely, high, distribution code) and task lists."""
        if not probability:
            return cls.empty()
        low, likely, high, dist = (np.array(c, np.int64) for c in zip(*impacts, strict=True))
        ptr = np.zeros(len(tasks) + 1, np.int64)
        np.cumsum([len(t) for t in tasks], out=ptr[1:])
        flat = np.array([i for t in tasks for i in t], np.int64)
        return cls(np.array(probability, np.float64), low, likely, high, dist.astype(np.int8),
                   ptr, flat)  # fmt: skip
