"""Compiled inner loops of the Monte Carlo engine (numba, ``cache=True``).

A block of iterations is held task-major: ``d[j, k]`` is task ``j``'s sampled working
minutes in iteration ``k`` of the batch, so the passes walk the topological order once per
*block* of iterations and the innermost loop runs over the block's iterations (contiguous
memory the compiler vectorises). Blocks are independent and run in parallel (``prange``).

The link arithmetic is :mod:`hitpm.engine._kernels`' (and so :func:`hitpm.engine.cpm.schedule`'s
on one calendar); on top of it the forward pass applies date constraints with the sampled
duration, keeps completed tasks at their actual dates, resumes in-progress tasks (retained
logic or progress override), pins manually scheduled tasks, and rolls summaries up (earliest
child start, latest child finish), because links *from* a summary drive its successors.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit, prange

IntArray = npt.NDArray[np.int64]
FS, SS, FF, SF, ROLLUP = 0, 1, 2, 3, 4
NORMAL, COMPLETED, IN_PROGRESS, PINNED, SUMMARY = 0, 1, 2, 3, 4
ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET, FNLT = 0, 1, 2, 3, 4, 5, 6, 7
FIXED, UNIFORM, TRIANGULAR, PERT = 0, 1, 2, 3
PERCENT_LAG = 2
INF = np.int64(1) << np.int64(60)
RANK_GROUP = 16  # tasks ranked together by one worker


# -- sampling --------------------------------------------------------------------------------


@njit(parallel=True, cache=True)
def inverse_cdf(
    u: npt.NDArray[np.float32],
    low: IntArray,
    likely: IntArray,
    high: IntArray,
    dist: npt.NDArray[np.int8],
    table: IntArray,
    quantiles: npt.NDArray[np.float64],
    out: npt.NDArray[np.int32],
) -> None:
    """Durations (whole working minutes) from uniforms ``u[j, k]`` by each task's inverse CDF,
    into ``out[k // block, j, k % block]`` (``block = out.shape[2]``): block-major, so that the
    passes read each block of iterations as one contiguous ``[task, iteration]`` array.

    Because every inverse CDF is increasing, ranks (and so Latin hypercube strata and
    Iman-Conover's rank order) carry over from ``u`` to the durations. BetaPERT has no closed
    inverse: ``quantiles[table[j]]`` holds its quantile function on a uniform grid."""
    n, width = u.shape
    block = out.shape[2]
    for j in prange(n):
        row = _inverse_row(u[j], low[j], likely[j], high[j], dist[j], table[j], quantiles)
        for k0 in range(0, width, block):
            for k in range(min(block, width - k0)):
                out[k0 // block, j, k] = row[k0 + k]


@njit(cache=True)
def _inverse_row(
    u: npt.NDArray[np.float32], low: int, likely: int, high: int, kind: int, row: int,
    quantiles: npt.NDArray[np.float64],
) -> npt.NDArray[np.int32]:  # fmt: skip
    width = u.shape[0]
    out = np.empty(width, np.int32)
    a = float(low)
    m = float(likely)
    b = float(high)
    span = b - a
    if kind == FIXED or span <= 0.0:
        out[:] = likely
    elif kind == UNIFORM:
        for k in range(width):
            out[k] = np.int32(np.rint(a + span * u[k]))
    elif kind == TRIANGULAR:
        mode = (m - a) / span
        for k in range(width):
            x = float(u[k])
            v = (
                a + np.sqrt(x * span * (m - a))
                if x < mode
                else b - np.sqrt((1.0 - x) * span * (b - m))
            )
            out[k] = np.int32(np.rint(v))
    else:
        grid = quantiles.shape[1] - 1
        for k in range(width):
            pos = float(u[k]) * grid
            cell = min(int(pos), grid - 1)
            frac = pos - cell
            q = quantiles[row, cell] * (1.0 - frac) + quantiles[row, cell + 1] * frac
            out[k] = np.int32(np.rint(a + span * q))
    return out


# -- the passes ------------------------------------------------------------------------------


@njit(cache=True)
def _lag(
    e: int, i: int, k: int, lag: IntArray, lag_kind: npt.NDArray[np.int8],
    lag_pct: npt.NDArray[np.float64], done: IntArray, d: npt.NDArray[np.int32], es: IntArray,
    ef: IntArray,
    mode: npt.NDArray[np.int8],
) -> int:  # fmt: skip
    """Lag of edge ``e`` (predecessor ``i``) in iteration ``k``: percent lags follow the
    predecessor's whole sampled duration (work ``done`` plus the sampled remainder; a
    summary's span), as the project scheduler rounds them."""
    if lag_kind[e] != PERCENT_LAG:
        return lag[e]
    base = ef[i, k] - es[i, k] if mode[i] == SUMMARY else d[i, k] + done[i]
    return int(np.rint(lag_pct[e] * base / 100.0))


@njit(cache=True)
def _demand(kind: int, lag: int, es_i: int, ef_i: int, dur_j: int, start: int) -> int:
    """The early start a link asks of its successor (FF-driven starts never precede the
    project start, as Microsoft Project has it)."""
    if kind == FS:
        return ef_i + lag
    if kind == SS:
        return es_i + lag
    if kind == FF:
        return max(ef_i + lag - dur_j, start)
    return es_i + lag - dur_j


@njit(cache=True)
def _forward(
    order: IntArray, pred_ptr: IntArray, pred_idx: IntArray, link_type: npt.NDArray[np.int8],
    lag: IntArray, lag_kind: npt.NDArray[np.int8], lag_pct: npt.NDArray[np.float64],
    done: IntArray, mode: npt.NDArray[np.int8], ctype: npt.NDArray[np.int8], coffset: IntArray,
    lower: IntArray, fixed_start: IntArray, fixed_finish: IntArray, start: int, honor: bool,
    retained: bool, d: npt.NDArray[np.int32], es: IntArray, ef: IntArray,
) -> None:  # fmt: skip
    """Early dates of one block (``d``, ``es``, ``ef`` are ``[task, iteration]``)."""
    w = es.shape[1]
    for j in order:
        lo = pred_ptr[j]
        hi = pred_ptr[j + 1]
        mj = mode[j]
        if mj == SUMMARY:
            for k in range(w):
                es[j, k] = INF
                ef[j, k] = -INF
            for e in range(lo, hi):
                if link_type[e] == ROLLUP:
                    i = pred_idx[e]
                    for k in range(w):
                        es[j, k] = min(es[j, k], es[i, k])
                        ef[j, k] = max(ef[j, k], ef[i, k])
            continue
        if mj == COMPLETED:
            for k in range(w):
                es[j, k] = fixed_start[j]
                ef[j, k] = fixed_finish[j]
            continue
        if mj == IN_PROGRESS:
            # fmt: off
            _resume(j, lo, hi, pred_idx, link_type, lag, lag_kind, lag_pct, done, mode,
                    fixed_start, fixed_finish, retained, d, es, ef)
            # fmt: on
            continue
        if mj == PINNED:
            for k in range(w):
                es[j, k] = fixed_start[j]
                ef[j, k] = fixed_start[j] + d[j, k]
            continue
        ct = ctype[j]
        esj = es[j]  # row views: plain 1-D loops the compiler vectorises
        efj = ef[j]
        dj = d[j]
        first = start if ct not in (SNET, FNET) else coffset[j]
        for k in range(w):
            if lo < hi:
                esj[k] = -INF
            else:
                esj[k] = first - dj[k] if ct == FNET else first
        for e in range(lo, hi):
            i = pred_idx[e]
            kind = link_type[e]
            lg = lag[e]
            if lag_kind[e] == PERCENT_LAG:
                for k in range(w):
                    lg = _lag(e, i, k, lag, lag_kind, lag_pct, done, d, es, ef, mode)
                    esj[k] = max(esj[k], _demand(kind, lg, es[i, k], ef[i, k], dj[k], start))
            elif kind == FS:
                efi = ef[i]
                for k in range(w):
                    esj[k] = max(esj[k], efi[k] + lg)
            elif kind == SS:
                esi = es[i]
                for k in range(w):
                    esj[k] = max(esj[k], esi[k] + lg)
            else:
                esi = es[i]
                efi = ef[i]
                for k in range(w):
                    esj[k] = max(esj[k], _demand(kind, lg, esi[k], efi[k], dj[k], start))
        if ct == ASAP and lower[j] == -INF:
            for k in range(w):
                efj[k] = esj[k] + dj[k]
            continue
        c = coffset[j]
        for k in range(w):
            s = max(esj[k], lower[j])
            dur = dj[k]
            if ct == SNET:
                s = max(s, c)
            elif ct == FNET:
                s = max(s, c - dur)
            elif ct == SNLT and honor:
                s = min(s, c)
            elif ct == FNLT and honor:
                s = min(s, c - dur)
            elif ct == MSO:
                s = c if honor else max(s, c)
            elif ct == MFO:
                s = c - dur if honor else max(s, c - dur)
            esj[k] = s
            efj[k] = s + dur


@njit(cache=True)
def _resume(
    j: int, lo: int, hi: int, pred_idx: IntArray, link_type: npt.NDArray[np.int8],
    lag: IntArray, lag_kind: npt.NDArray[np.int8], lag_pct: npt.NDArray[np.float64],
    done: IntArray,
    mode: npt.NDArray[np.int8], fixed_start: IntArray, fixed_finish: IntArray, retained: bool,
    d: npt.NDArray[np.int32], es: IntArray, ef: IntArray,
) -> None:  # fmt: skip
    """A started task keeps its actual start; its remaining work (``d``) resumes at
    ``fixed_finish`` (where the work done ends, or the status date), and under retained logic
    not before its unfinished predecessors' FS/FF/SF links allow."""
    for k in range(es.shape[1]):
        es[j, k] = fixed_start[j]
        resume = fixed_finish[j]
        if retained:
            for e in range(lo, hi):
                i = pred_idx[e]
                kind = link_type[e]
                if kind == SS or mode[i] == COMPLETED:
                    continue
                lg = _lag(e, i, k, lag, lag_kind, lag_pct, done, d, es, ef, mode)
                s = ef[i, k] + lg if kind in (FS, FF) else es[i, k] + lg
                if kind != FS:
                    s -= d[j, k]
                resume = max(resume, s)
        ef[j, k] = resume + d[j, k]


@njit(cache=True)
def _backward(
    order: IntArray, pred_idx: IntArray, link_type: npt.NDArray[np.int8], lag: IntArray,
    lag_kind: npt.NDArray[np.int8], lag_pct: npt.NDArray[np.float64], done: IntArray,
    succ_ptr: IntArray,
    succ_edge: IntArray, edge_succ: IntArray, mode: npt.NDArray[np.int8], parent: IntArray,
    d: npt.NDArray[np.int32], es: IntArray, ef: IntArray, finish: IntArray, slack: int,
    valid: int, ls: IntArray, lf: IntArray, counts: npt.NDArray[np.int32],
) -> None:  # fmt: skip
    """Late dates of one block against each iteration's own finish; counts, per task, the
    iterations where its total float (smaller of start and finish float; finish float for
    started tasks) is at most ``slack``. Deadlines and finish-no-later-than bounds are left
    out so that criticality means "on the longest path", not "late". A summary's late dates
    hold the bounds its own successor links put on the tasks under it: finish-type links bound
    every one of them, start-type links those starting with the summary."""
    n = order.shape[0]
    w = es.shape[1]
    for idx in range(n - 1, -1, -1):
        i = order[idx]
        mi = mode[i]
        if mi == COMPLETED:
            continue
        p = parent[i]
        summary = mi == SUMMARY
        for k in range(w):
            lf[i, k] = INF if summary else finish[k]
            ls[i, k] = INF
        if p >= 0:
            for k in range(w):
                lf[i, k] = min(lf[i, k], lf[p, k])
                ls[i, k] = ls[p, k] if es[i, k] == es[p, k] else INF
        for q in range(succ_ptr[i], succ_ptr[i + 1]):
            e = succ_edge[q]
            j = edge_succ[e]
            kind = link_type[e]
            if kind == ROLLUP or mode[j] == COMPLETED:
                continue
            # FS/FF bound the finish, SS/SF the start; FS/SS from the successor's late start.
            bound = lf if kind in (FS, FF) else ls
            source = ls if kind in (FS, SS) else lf
            if lag_kind[e] == PERCENT_LAG:
                for k in range(w):
                    lg = _lag(e, i, k, lag, lag_kind, lag_pct, done, d, es, ef, mode)
                    bound[i, k] = min(bound[i, k], source[j, k] - lg)
            else:
                for k in range(w):
                    bound[i, k] = min(bound[i, k], source[j, k] - lag[e])
        if summary:
            continue
        started = mi == IN_PROGRESS
        critical = 0
        for k in range(w):
            late = min(lf[i, k], ls[i, k] + d[i, k])  # INF + d cannot overflow
            lf[i, k] = late
            ls[i, k] = late - d[i, k]
            total = late - ef[i, k]
            if not started:
                total = min(total, ls[i, k] - es[i, k])
            critical += (total <= slack) & (k < valid)
        counts[i] += critical


@njit(parallel=True, cache=True)
def run_batch(
    order: IntArray, pred_ptr: IntArray, pred_idx: IntArray, link_type: npt.NDArray[np.int8],
    lag: IntArray, lag_kind: npt.NDArray[np.int8], lag_pct: npt.NDArray[np.float64],
    done: IntArray,
    succ_ptr: IntArray, succ_edge: IntArray, edge_succ: IntArray, mode: npt.NDArray[np.int8],
    parent: IntArray, ctype: npt.NDArray[np.int8], coffset: IntArray, lower: IntArray,
    fixed_start: IntArray, fixed_finish: IntArray, start: int, honor: bool, retained: bool,
    durations: npt.NDArray[np.int32], width: int, block: int, critical: bool, slack: int,
    watch: IntArray, finish_out: IntArray, watch_out: IntArray,
    counts_out: npt.NDArray[np.int32], scratch: IntArray,
) -> None:  # fmt: skip
    """Schedule the first ``width`` iterations of a batch held block-major
    (``durations[b]`` is the ``[task, iteration]`` array of iterations ``b * block ...``): the
    project finish of each into ``finish_out``, the early finish of the ``watch`` tasks
    (milestones) into ``watch_out[t, k]`` and, with ``critical``, critical counts into
    ``counts_out[worker]``.

    Each of ``counts_out.shape[0]`` workers takes every so-many block and works in its own
    scratch arrays (``scratch[worker, 0..3]`` for the four dates), which the caller allocates
    once: fresh arrays per block would cost page faults that outweigh the passes. The padding
    of a short last block is scheduled but neither reported nor counted."""
    n = durations.shape[1]
    blocks = (width + block - 1) // block
    workers = counts_out.shape[0]
    for worker in prange(workers):
        es = scratch[worker, 0]
        ef = scratch[worker, 1]
        ls = scratch[worker, 2]
        lf = scratch[worker, 3]
        fin = np.empty(block, np.int64)
        for b in range(worker, blocks, workers):
            k0 = b * block
            w = min(block, width - k0)
            d = durations[b]
            # fmt: off
            _forward(order, pred_ptr, pred_idx, link_type, lag, lag_kind, lag_pct, done, mode,
                     ctype, coffset, lower, fixed_start, fixed_finish, start, honor, retained, d,
                     es, ef)
            # fmt: on
            fin[:] = -INF
            for j in range(n):
                for k in range(block):
                    fin[k] = max(fin[k], ef[j, k])
            for k in range(w):
                finish_out[k0 + k] = fin[k]
            for t in range(watch.shape[0]):
                for k in range(w):
                    watch_out[t, k0 + k] = ef[watch[t], k]
            if critical:
                # fmt: off
                _backward(order, pred_idx, link_type, lag, lag_kind, lag_pct, done, succ_ptr,
                          succ_edge, edge_succ, mode, parent, d, es, ef, fin, slack, w, ls, lf,
                          counts_out[worker])
                # fmt: on


# -- rank statistics -------------------------------------------------------------------------


@njit(cache=True)
def _midranks(values: npt.NDArray[np.integer], out: npt.NDArray[np.float64]) -> None:
    """1-based ranks, ties sharing their mean rank; counting sort when the values span
    little more than their number (durations in minutes usually do), else a sort."""
    n = values.shape[0]
    lo = values.min()
    span = values.max() - lo + 1
    if span <= 4 * n:
        count = np.zeros(span + 1, np.int64)
        for v in values:
            count[v - lo + 1] += 1
        mid = np.empty(span, np.float64)  # the mean rank of each value
        below = 0.0
        for t in range(span):
            mid[t] = below + (count[t + 1] + 1) / 2.0
            below += count[t + 1]
        for t in range(n):
            out[t] = mid[values[t] - lo]
        return
    idx = np.argsort(values)
    t = 0
    while t < n:
        u = t
        while u + 1 < n and values[idx[u + 1]] == values[idx[t]]:
            u += 1
        rank = (t + u) / 2.0 + 1.0
        for v in range(t, u + 1):
            out[idx[v]] = rank
        t = u + 1


@njit(parallel=True, cache=True)
def spearman_rows(
    store: npt.NDArray[np.int32], width: int, iterations: int, target_rank: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Spearman correlation of each task's sampled durations with ``target_rank`` (the ranks
    of the project finish). ``store[batch, block, task, k]`` holds the durations as
    :func:`inverse_cdf` lays them out, ``width`` iterations per batch; constant rows get 0.

    Tasks are gathered :data:`RANK_GROUP` at a time, which reads the store in contiguous runs
    (a single task's values are scattered one block apart)."""
    n, block = store.shape[2], store.shape[3]
    result = np.zeros(n, np.float64)
    centre = (iterations + 1) / 2.0
    target = target_rank - centre
    target_ss = np.sum(target * target)
    groups = (n + RANK_GROUP - 1) // RANK_GROUP
    for g in prange(groups):
        j0 = g * RANK_GROUP
        size = min(RANK_GROUP, n - j0)
        values = np.empty((size, iterations), np.int64)
        t0 = 0
        while t0 < iterations:  # one block of one batch at a time
            within = t0 % width
            run = min(block, width - within, iterations - t0)
            for jj in range(size):
                for k in range(run):
                    values[jj, t0 + k] = store[t0 // width, within // block, j0 + jj, k]
            t0 += run
        ranks = np.empty(iterations, np.float64)
        for jj in range(size):
            row = values[jj]
            lo = row.min()
            span = row.max() - lo + 1
            if span == 1 or target_ss == 0.0:
                continue
            if span <= 4 * iterations:
                cov, ss = _counted_rank_sums(row, lo, span, target, centre)
            else:
                _midranks(row, ranks)
                ranks -= centre
                cov = np.sum(ranks * target)
                ss = np.sum(ranks * ranks)
            result[j0 + jj] = cov / np.sqrt(ss * target_ss)
    return result


@njit(cache=True)
def _counted_rank_sums(
    row: IntArray, lo: int, span: int, target: npt.NDArray[np.float64], centre: float
) -> tuple[float, float]:
    """Sum of (mid-rank - centre) * target and of (mid-rank - centre)^2 over ``row``, by a
    counting sort: no rank array is written, the squares are summed per distinct value."""
    count = np.zeros(span, np.int64)
    for v in row:
        count[v - lo] += 1
    mid = np.empty(span, np.float64)
    below = 0.0
    ss = 0.0
    for t in range(span):
        mid[t] = below + (count[t] + 1) / 2.0 - centre
        ss += count[t] * mid[t] * mid[t]
        below += count[t]
    cov = 0.0
    for t in range(row.shape[0]):
        cov += mid[row[t] - lo] * target[t]
    return cov, ss


@njit(cache=True)
def midranks(values: IntArray) -> npt.NDArray[np.float64]:
    """Public wrapper of the tie-aware ranking (finish offsets, risk impacts)."""
    out = np.empty(values.shape[0], np.float64)
    if values.shape[0]:
        _midranks(values, out)
    return out
