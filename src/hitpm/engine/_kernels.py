"""Compiled inner loops of the array scheduler (numba, ``cache=True``).

Every function here works on one working-minute axis: durations, lags and dates are int64
working minutes on a single calendar, so each link costs an add and a compare. Graphs are CSR
grouped by successor: the predecessors of task ``j`` are ``pred_idx[pred_ptr[j]:pred_ptr[j+1]]``
and edge ``e`` has type ``link_type[e]`` (0=FS, 1=SS, 2=FF, 3=SF) and lag ``lag[e]``.

The first call in a fresh environment compiles these functions (about 3 s on a 2-core
machine) and writes the machine code next to this file in ``__pycache__`` (or under
``NUMBA_CACHE_DIR``); later processes load it in about 0.25 s. :func:`hitpm.engine.cpm.warm_up`
does this deliberately, so benchmarks time scheduling, not compiling. Inputs are coerced to
one dtype set (int64, int8 for link types; see :class:`hitpm.engine.network.Links`), so no
later call compiles another specialisation behind the caller's back.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int8]

FS, SS, FF, SF = 0, 1, 2, 3
NO_BOUND = np.iinfo(np.int64).max // 4  # "unbounded", far from overflow when lags are added


@njit(cache=True)
def successor_csr(
    n: int, pred_ptr: IntArray, pred_idx: IntArray, link_type: TypeArray, lag: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray, TypeArray, IntArray]:
    """Successor CSR over the same edges, in one O(n + m) sweep.

    ``succ_edge[succ_ptr[i]:succ_ptr[i+1]]`` are the edge ids leaving ``i`` and
    ``edge_succ[e]`` is the successor of edge ``e``. ``succ_task``, ``succ_type`` and
    ``succ_lag`` repeat successor, type and lag in successor-CSR order, so the backward pass
    reads them contiguously instead of chasing edge ids (a third faster on large networks).

    The scatter runs over edges, not tasks within tasks: with no inner loop of varying length
    there is no branch misprediction per task, so the random writes overlap (a quarter faster
    on a million tasks in random id order)."""
    m = pred_idx.shape[0]
    succ_ptr = np.zeros(n + 1, np.int64)
    for e in range(m):
        succ_ptr[pred_idx[e] + 1] += 1
    for i in range(n):
        succ_ptr[i + 1] += succ_ptr[i]
    edge_succ = np.empty(m, np.int64)
    for j in range(n):
        for e in range(pred_ptr[j], pred_ptr[j + 1]):
            edge_succ[e] = j
    fill = succ_ptr[:-1].copy()
    succ_edge = np.empty(m, np.int64)
    succ_task = np.empty(m, np.int64)
    succ_type = np.empty(m, np.int8)
    succ_lag = np.empty(m, np.int64)
    for e in range(m):
        i = pred_idx[e]
        k = fill[i]
        fill[i] = k + 1
        succ_edge[k] = e
        succ_task[k] = edge_succ[e]
        succ_type[k] = link_type[e]
        succ_lag[k] = lag[e]
    return succ_ptr, succ_edge, edge_succ, succ_task, succ_type, succ_lag


@njit(cache=True)
def topological_order(
    n: int,
    pred_ptr: IntArray,
    pred_idx: IntArray,
    succ_ptr: IntArray,
    edge_succ: IntArray,
    succ_task: IntArray,
) -> tuple[IntArray, int]:
    """Kahn's algorithm, stable (ready tasks in index order of discovery).

    Returns ``(order, count)``; ``count < n`` means the tasks not in ``order[:count]`` lie on
    or behind a cycle. When every link already goes from a lower to a higher index (networks
    stored in WBS order usually do) the order is the identity, which also keeps the passes'
    memory accesses sequential.
    """
    forward = True
    for e in range(pred_idx.shape[0]):
        if pred_idx[e] >= edge_succ[e]:
            forward = False
            break
    if forward:
        return np.arange(n), n
    indegree = np.empty(n, np.int64)
    for j in range(n):
        indegree[j] = pred_ptr[j + 1] - pred_ptr[j]
    order = np.empty(n, np.int64)
    count = 0
    for j in range(n):
        if indegree[j] == 0:
            order[count] = j
            count += 1
    head = 0
    while head < count:
        i = order[head]
        head += 1
        for k in range(succ_ptr[i], succ_ptr[i + 1]):
            j = succ_task[k]
            indegree[j] -= 1
            if indegree[j] == 0:
                order[count] = j
                count += 1
    return order, count


@njit(cache=True)
def forward_pass(
    order: IntArray,
    duration: IntArray,
    pred_ptr: IntArray,
    pred_idx: IntArray,
    link_type: TypeArray,
    lag: IntArray,
    earliest_start: IntArray,
    start: int,
) -> tuple[IntArray, IntArray, IntArray]:
    """Early start/finish. A task without predecessors starts at ``start``; every task starts
    no earlier than ``earliest_start``. FF-driven starts never precede ``start`` (MS Project).

    Also returns, per edge, the start it asks of its successor before that clamp
    (``demand``), so the longest path can be traced back along the edges that drive."""
    n = duration.shape[0]
    es = np.empty(n, np.int64)
    ef = np.empty(n, np.int64)
    demand = np.empty(pred_idx.shape[0], np.int64)
    for j in order:
        lo = pred_ptr[j]
        hi = pred_ptr[j + 1]
        best = start if lo == hi else -NO_BOUND
        for e in range(lo, hi):
            i = pred_idx[e]
            kind = link_type[e]
            if kind == FS:
                s = ef[i] + lag[e]
            elif kind == SS:
                s = es[i] + lag[e]
            elif kind == FF:
                s = ef[i] + lag[e] - duration[j]
            else:
                s = es[i] + lag[e] - duration[j]
            demand[e] = s
            best = max(best, s if kind != FF else max(s, start))
        best = max(best, earliest_start[j])
        es[j] = best
        ef[j] = best + duration[j]
    return es, ef, demand


@njit(cache=True)
def backward_pass(
    order: IntArray,
    duration: IntArray,
    es: IntArray,
    ef: IntArray,
    succ_ptr: IntArray,
    succ_task: IntArray,
    succ_type: TypeArray,
    succ_lag: IntArray,
    latest_finish: IntArray,
    finish: int,
    mode: int,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Late start/finish, total float and free float in one sweep over the successor links
    (given in successor-CSR order, see :func:`successor_csr`).

    Every late finish is capped at the project ``finish`` (as MS Project does for each link)
    and at ``latest_finish`` (deadlines, finish-no-later-than). Total float is the start float,
    the finish float or the smaller (``mode`` 0, 1, 2). Free float is the standard rule: the
    least slack any successor link leaves (FS: ES_j - lag - EF_i, SS: ES_j - lag - ES_i,
    FF: EF_j - lag - EF_i, SF: EF_j - lag - ES_i), the project finish for tasks without
    successors, never above total float and never negative."""
    n = duration.shape[0]
    ls = np.empty(n, np.int64)
    lf = np.empty(n, np.int64)
    total = np.empty(n, np.int64)
    free = np.empty(n, np.int64)
    for idx in range(n - 1, -1, -1):
        i = order[idx]
        late = finish
        lo = succ_ptr[i]
        hi = succ_ptr[i + 1]
        slack = finish - ef[i] if lo == hi else NO_BOUND
        for k in range(lo, hi):
            j = succ_task[k]
            kind = succ_type[k]
            lag = succ_lag[k]
            if kind == FS:
                late = min(late, ls[j] - lag)
                slack = min(slack, es[j] - lag - ef[i])
            elif kind == SS:
                late = min(late, ls[j] - lag + duration[i])
                slack = min(slack, es[j] - lag - es[i])
            elif kind == FF:
                late = min(late, lf[j] - lag)
                slack = min(slack, ef[j] - lag - ef[i])
            else:
                late = min(late, lf[j] - lag + duration[i])
                slack = min(slack, ef[j] - lag - es[i])
        late = min(late, latest_finish[i])
        lf[i] = late
        ls[i] = late - duration[i]
        start_float = ls[i] - es[i]
        finish_float = late - ef[i]
        if mode == 0:
            t = start_float
        elif mode == 1:
            t = finish_float
        else:
            t = min(start_float, finish_float)
        total[i] = t
        free[i] = max(min(slack, t), 0)
    return ls, lf, total, free


@njit(cache=True)
def longest_path(
    es: IntArray,
    ef: IntArray,
    total: IntArray,
    pred_ptr: IntArray,
    pred_idx: IntArray,
    demand: IntArray,
    finish: int,
    original: IntArray,
) -> IntArray:
    """Task indices of the longest path, first to last, as ``original`` numbers them.

    Starts from the task finishing at ``finish`` with the least total float (the lowest
    ``original`` number among ties, so a renumbered network picks the same task) and walks
    back along driving edges (those whose demand equals the successor's early start),
    preferring the predecessor with the least total float (the first such edge among ties);
    it stops where no edge drives (project start or a date constraint)."""
    n = es.shape[0]
    end = -1
    for i in range(n):
        if ef[i] == finish and (
            end < 0
            or total[i] < total[end]
            or (total[i] == total[end] and original[i] < original[end])
        ):
            end = i
    path = np.empty(n, np.int64)
    if end < 0:
        return path[:0]
    length = 0
    j = end
    while j >= 0:
        path[length] = j
        length += 1
        best = -1
        for e in range(pred_ptr[j], pred_ptr[j + 1]):
            if demand[e] == es[j]:
                i = pred_idx[e]
                if best < 0 or total[i] < total[best]:
                    best = i
        j = best
    result = np.empty(length, np.int64)
    for k in range(length):
        result[k] = original[path[length - 1 - k]]
    return result


@njit(cache=True)
def is_identity(order: IntArray) -> bool:
    """Whether ``order`` is ``0, 1, ..., n-1`` (the network is already topologically numbered)."""
    n = order.shape[0]
    k = 0
    while k < n and order[k] == k:
        k += 1
    return k == n


@njit(cache=True)
def unpermute(
    order: IntArray,
    es: IntArray,
    ef: IntArray,
    ls: IntArray,
    lf: IntArray,
    total: IntArray,
    free: IntArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray]:
    """Per-task results of a renumbered run back in the caller's numbering (``order[k]`` is
    the caller's task ``k``), all six in one sweep."""
    n = order.shape[0]
    es_o = np.empty(n, np.int64)
    ef_o = np.empty(n, np.int64)
    ls_o = np.empty(n, np.int64)
    lf_o = np.empty(n, np.int64)
    total_o = np.empty(n, np.int64)
    free_o = np.empty(n, np.int64)
    for k in range(n):
        i = order[k]
        es_o[i] = es[k]
        ef_o[i] = ef[k]
        ls_o[i] = ls[k]
        lf_o[i] = lf[k]
        total_o[i] = total[k]
        free_o[i] = free[k]
    return es_o, ef_o, ls_o, lf_o, total_o, free_o


# -- calendar conversions (see hitpm.engine.calendar.WorkCalendar) -------------------------


@njit(cache=True)
def _day_of(w: int, day_cum: IntArray, buckets: IntArray, shift: int) -> int:
    """The last day ``d`` with ``day_cum[d] <= w`` (``0 <= w < day_cum[-1]``): the bucket
    table gives a day at or before it, and a few steps forward (over at most a bucket's
    days) reach it."""
    d = buckets[w >> shift]
    while day_cum[d + 1] <= w:
        d += 1
    return d


@njit(cache=True)
def start_instants(
    offsets: IntArray,
    day_cum: IntArray,
    day_type: IntArray,
    start_minute: IntArray,
    buckets: IntArray,
    shift: int,
    day0: int,
) -> IntArray:
    """Instants where working minutes ``offsets`` begin (offsets checked by the caller to lie
    in ``0..total``; the total itself maps like its last minute)."""
    total = day_cum[day_cum.shape[0] - 1]
    out = np.empty(offsets.shape[0], np.int64)
    for k in range(offsets.shape[0]):
        w = min(offsets[k], total - 1)
        d = _day_of(w, day_cum, buckets, shift)
        out[k] = (d + day0) * 1440 + start_minute[day_type[d], w - day_cum[d]]
    return out


@njit(cache=True)
def finish_instants(
    offsets: IntArray,
    day_cum: IntArray,
    day_type: IntArray,
    start_minute: IntArray,
    finish_minute: IntArray,
    buckets: IntArray,
    shift: int,
    day0: int,
) -> IntArray:
    """Instants where working minutes ``offsets`` end, on the earlier day; offset 0 (or
    below) has no minute before it and maps to the first working start."""
    out = np.empty(offsets.shape[0], np.int64)
    first = -1
    for k in range(offsets.shape[0]):
        w = offsets[k]
        if w <= 0:
            if first < 0:
                d = _day_of(0, day_cum, buckets, shift)
                first = (d + day0) * 1440 + start_minute[day_type[d], 0 - day_cum[d]]
            out[k] = first
            continue
        d = _day_of(w - 1, day_cum, buckets, shift)
        out[k] = (d + day0) * 1440 + finish_minute[day_type[d], w - day_cum[d]]
    return out


@njit(cache=True)
def day_buckets(day_cum: IntArray, shift: int) -> IntArray:
    """``buckets[b]``: the last day ``d`` with ``day_cum[d] <= b << shift``, for every bucket
    up to the horizon's last working minute, in one merge of two ascending sequences."""
    total = day_cum[day_cum.shape[0] - 1]
    count = ((total - 1) >> shift) + 1
    buckets = np.empty(count, np.int64)
    d = 0
    for b in range(count):
        w = b << shift
        while day_cum[d + 1] <= w:
            d += 1
        buckets[b] = d
    return buckets
