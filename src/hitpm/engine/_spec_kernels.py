"""Compiled passes for :func:`hitpm.engine.cpm.schedule` when all tasks share one calendar.

:class:`hitpm.engine._project.ProjectPasses` is the general scheduler: any calendar per task,
elapsed lags, summaries, progress, ALAP, manual tasks, all in Python, one task at a time. When
every task is on the project calendar and there is no progress, ALAP, manual task or elapsed
lag (the common case: summaries, working or percent lags, date constraints, deadlines and a
status date are all allowed) these kernels compute exactly the same dates, floats and
driving links in compiled loops, which makes :func:`~hitpm.engine.cpm.schedule` five to ten
times faster (more on large projects). They are a line-by-line port of the general passes
restricted to that case, not a re-derivation: where the general path works on instants
(milestones, which may sit at the end of a working day rather than the start of the next)
so do these.

Calendar arithmetic uses a :class:`~hitpm.engine.calendar.WorkCalendar`'s tables (passed as
the tuple ``cal``, see :func:`calendar_tables`). Any instant or offset outside the tabulated
horizon sets ``bad[0]``; the caller then falls back to the general path, which widens the
horizon or reports the date, so the fast path never needs an error path of its own.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from hitpm.engine._kernels import _day_of
from hitpm.engine.calendar import WorkCalendar

IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]
CalTables = tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, int, int, int]

FS, SS, FF, SF, ROLLUP = 0, 1, 2, 3, 4
# Constraint codes as in ConstraintType; NONE also stands for ASAP, ALAP is never seen here.
NONE, MSO, MFO, SNET, SNLT, FNET, FNLT = -1, 2, 3, 4, 5, 6, 7
INFINITE = 1 << 62
MINUTES_PER_DAY = 1440


def calendar_tables(calendar: WorkCalendar) -> CalTables:
    """The tables the kernels read: day_cum, day_type, cum_in_day, start_minute,
    finish_minute, the offset buckets and their shift, the first day number and the days."""
    buckets, shift = calendar._buckets
    return (
        calendar.day_cum, calendar.day_type, calendar.cum_in_day, calendar.start_minute,
        calendar.finish_minute, buckets, shift, calendar._day0, calendar.days,
    )  # fmt: skip


@njit(cache=True)
def offset_of(t: int, cal: CalTables, bad: BoolArray) -> int:
    """:meth:`WorkCalendar.offset_of`."""
    day_cum, day_type, cum_in_day, _, _, _, _, day0, days = cal
    day = t // MINUTES_PER_DAY
    minute = t - day * MINUTES_PER_DAY
    day -= day0
    if day < 0 or day >= days:
        if day == days and minute == 0:
            return day_cum[days]
        bad[0] = True
        return 0
    return day_cum[day] + cum_in_day[day_type[day], minute]


@njit(cache=True)
def start_of(w: int, cal: CalTables, bad: BoolArray) -> int:
    """:meth:`WorkCalendar.start_of`."""
    day_cum, day_type, _, start_minute, _, buckets, shift, day0, days = cal
    if w < 0 or w >= day_cum[days]:
        bad[0] = True
        return 0
    d = _day_of(w, day_cum, buckets, shift)
    return (d + day0) * MINUTES_PER_DAY + start_minute[day_type[d], w - day_cum[d]]


@njit(cache=True)
def finish_of(w: int, cal: CalTables, bad: BoolArray) -> int:
    """:meth:`WorkCalendar.finish_of`."""
    day_cum, day_type, _, _, finish_minute, buckets, shift, day0, days = cal
    if w <= 0:
        return start_of(0, cal, bad)
    if w > day_cum[days]:
        bad[0] = True
        return 0
    d = _day_of(w - 1, day_cum, buckets, shift)
    return (d + day0) * MINUTES_PER_DAY + finish_minute[day_type[d], w - day_cum[d]]


@njit(cache=True)
def _through_start(w: int, total: int, bad: BoolArray) -> int:
    """``offset_of(start_of(w))``, which is ``w`` itself: ``start_of`` gives the instant
    where working minute ``w`` begins, and exactly ``w`` working minutes precede it. Only
    the range check of ``start_of`` is left to do (skipping the two table look-ups per link
    halves the backward pass on large calendars)."""
    if w < 0 or w >= total:
        bad[0] = True
    return w


@njit(cache=True)
def forward(
    order: IntArray,
    duration: IntArray,
    pred_ptr: IntArray,
    pred_idx: IntArray,
    kind: TypeArray,
    lag: IntArray,
    constraint: TypeArray,
    constraint_t: IntArray,
    honor: bool,
    start_t: int,
    floor_t: int,
    summary: BoolArray,
    child_ptr: IntArray,
    child_idx: IntArray,
    cal: CalTables,
    bad: BoolArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray]:
    """Early dates: ``ProjectPasses.forward`` (``roll_up_early``, ``schedule_early``,
    ``link_start``, ``demand``, ``constrain_start``, ``constrain_milestone``,
    ``place_milestone``) on one calendar. ``lag`` is in working minutes (percent lags already
    converted); ``floor_t`` is the status date when work may not start before it, else
    ``-INFINITE``. The children of summary ``s`` are ``child_idx[child_ptr[s]:child_ptr[s+1]]``
    in outline order. Returns working offsets and instants of the early start and finish,
    per edge the start it demands (for the longest path), and per summary its earliest leaf
    (the leaf its start comes from)."""
    n = duration.shape[0]
    es_w = np.zeros(n, np.int64)
    ef_w = np.zeros(n, np.int64)
    es_t = np.zeros(n, np.int64)
    ef_t = np.zeros(n, np.int64)
    earliest_leaf = np.arange(n)
    demand = np.zeros(pred_idx.shape[0], np.int64)
    start_w = offset_of(start_t, cal, bad)
    floor_w = offset_of(floor_t, cal, bad) if floor_t > -INFINITE else -INFINITE
    for j in order:
        if summary[j]:  # roll_up_early: the first child to start (in outline order), the last
            first = child_idx[child_ptr[j]]
            finish = ef_t[first]
            for q in range(child_ptr[j], child_ptr[j + 1]):
                k = child_idx[q]
                if es_t[k] < es_t[first]:
                    first = k
                finish = max(finish, ef_t[k])
            es_t[j] = es_t[first]
            ef_t[j] = finish
            earliest_leaf[j] = earliest_leaf[first]
            es_w[j] = offset_of(es_t[j], cal, bad)
            ef_w[j] = offset_of(finish, cal, bad)
            continue
        dur = duration[j]
        c = constraint[j]
        ct = constraint_t[j]
        lo = pred_ptr[j]
        hi = pred_ptr[j + 1]
        # link_start
        if lo == hi:
            if c in (SNET, FNET):
                at = ct
                es = offset_of(ct, cal, bad) - (dur if c == FNET else 0)
            else:
                es = start_w
                at = start_t
        else:
            es = -INFINITE
            at = -INFINITE
            for e in range(lo, hi):
                i = pred_idx[e]
                k = kind[e]
                finish_link = k in (FS, FF)
                w = (ef_w[i] if finish_link else es_w[i]) + lag[e]
                if dur:
                    w_e = w - (dur if k in (FF, SF) else 0)
                    at_e = 0
                else:
                    w_e = w
                    if lag[e] == 0:
                        at_e = ef_t[i] if finish_link else es_t[i]
                    elif lag[e] > 0:
                        at_e = finish_of(w, cal, bad)
                    else:
                        at_e = start_of(w, cal, bad)
                demand[e] = w_e
                if k == FF and w_e <= start_w:  # FF never pulls before the project start
                    w_e = start_w
                    at_e = start_t
                es = max(es, w_e)
                at = max(at, at_e)
        if floor_t > -INFINITE:
            es = max(es, floor_w)
            at = max(at, floor_t)
        if dur == 0:
            # constrain_milestone, on instants
            if c in (SNET, FNET):
                at = max(at, ct)
            elif c in (SNLT, FNLT):
                if honor:
                    at = min(at, ct)
            elif c in (MSO, MFO):
                at = ct if honor else max(at, ct)
            # place_milestone
            w = offset_of(at, cal, bad)
            es_w[j] = w
            ef_w[j] = w
            t = at if finish_of(w, cal, bad) == at else start_of(w, cal, bad)
            es_t[j] = t
            ef_t[j] = t
            continue
        # constrain_start
        if c != NONE:
            cw = offset_of(ct, cal, bad)
            if c in (SNET, FNET):
                es = max(es, cw - (dur if c == FNET else 0))
            elif c in (SNLT, FNLT):
                if honor:
                    es = min(es, cw - (dur if c == FNLT else 0))
            else:
                target = cw - (dur if c == MFO else 0)
                es = target if honor else max(es, target)
        es_w[j] = es
        ef_w[j] = es + dur
        es_t[j] = start_of(es, cal, bad)
        ef_t[j] = finish_of(es + dur, cal, bad)
    return es_w, ef_w, es_t, ef_t, demand, earliest_leaf


@njit(cache=True)
def backward(
    order: IntArray,
    duration: IntArray,
    es_w: IntArray,
    ef_w: IntArray,
    finish_t: int,
    succ_ptr: IntArray,
    succ_edge: IntArray,
    edge_succ: IntArray,
    kind: TypeArray,
    lag: IntArray,
    constraint: TypeArray,
    constraint_t: IntArray,
    deadline_t: IntArray,
    honor: bool,
    mode: int,
    summary: BoolArray,
    parent: IntArray,
    earliest_leaf: IntArray,
    cal: CalTables,
    bad: BoolArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray]:
    """Late dates and floats: ``ProjectPasses.backward`` (``summary_bounds``,
    ``schedule_late``, ``late_finish_bounds``, ``constrain_finish``) with ``free_float`` and
    the float choice of ``_Report.leaf_floats``. ``deadline_t`` is ``INFINITE`` where a task
    has none. Summaries get no dates here (see :func:`roll_up`), only the bounds their own
    successor links and their parents' put on their tasks' finish and start, as instants.

    A link's bound goes through the calendar in the general path
    (``offset_of(start_of(w - lag))``); see :func:`_through_start` for why that is the
    offset itself here."""
    n = duration.shape[0]
    ls_w = np.zeros(n, np.int64)
    lf_w = np.zeros(n, np.int64)
    ls_t = np.zeros(n, np.int64)
    lf_t = np.zeros(n, np.int64)
    total = np.zeros(n, np.int64)
    free = np.zeros(n, np.int64)
    fin_bound = np.zeros(n, np.int64)
    start_bound = np.zeros(n, np.int64)
    finish_w = offset_of(finish_t, cal, bad)
    total_w = cal[0][cal[8]]
    for idx in range(n - 1, -1, -1):
        i = order[idx]
        p = parent[i]
        if summary[i]:  # summary_bounds
            fin = finish_t
            start = INFINITE
            for q in range(succ_ptr[i], succ_ptr[i + 1]):
                e = succ_edge[q]
                k = kind[e]
                if k == ROLLUP:
                    continue
                j = edge_succ[e]
                late = ls_w[j] if k in (FS, SS) else lf_w[j]
                at = start_of(late - lag[e], cal, bad)
                if k in (FS, FF):
                    fin = min(fin, at)
                else:
                    start = min(start, at)
            if p >= 0:
                fin = min(fin, fin_bound[p])
                if earliest_leaf[i] == earliest_leaf[p]:
                    start = min(start, start_bound[p])
            fin_bound[i] = fin
            start_bound[i] = start
            continue
        dur = duration[i]
        lf = finish_w
        slack = INFINITE
        links = 0
        for q in range(succ_ptr[i], succ_ptr[i + 1]):
            e = succ_edge[q]
            k = kind[e]
            if k == ROLLUP:
                continue
            links += 1
            j = edge_succ[e]
            start_link = k in (FS, SS)
            late = ls_w[j] if start_link else lf_w[j]
            bound = _through_start(late - lag[e], total_w, bad)
            lf = min(lf, bound if k in (FS, FF) else bound + dur)
            early = es_w[j] if start_link else ef_w[j]
            own = ef_w[i] if k in (FS, FF) else es_w[i]
            slack = min(slack, _through_start(early - lag[e], total_w, bad) - own)
        if links == 0:
            slack = finish_w - ef_w[i]
        if p >= 0:
            lf = min(lf, offset_of(fin_bound[p], cal, bad))
            if earliest_leaf[p] == i and start_bound[p] < INFINITE:
                lf = min(lf, offset_of(start_bound[p], cal, bad) + dur)
        # constrain_finish
        c = constraint[i]
        if c != NONE:
            cw = offset_of(constraint_t[i], cal, bad)
            if c in (MSO, MFO):
                fixed = cw + dur if c == MSO else cw
                lf = fixed if honor else min(lf, fixed)
            elif c == SNLT:
                lf = min(lf, cw + dur)
            elif c == FNLT:
                lf = min(lf, cw)
        if deadline_t[i] < INFINITE:
            lf = min(lf, offset_of(deadline_t[i], cal, bad))
        lf_w[i] = lf
        ls_w[i] = lf - dur
        lf_t[i] = finish_of(lf, cal, bad)
        ls_t[i] = lf_t[i] if dur == 0 else start_of(lf - dur, cal, bad)
        total[i] = _pick(ls_w[i] - es_w[i], lf - ef_w[i], mode)
        free[i] = max(min(slack, total[i]), 0)
    return ls_w, lf_w, ls_t, lf_t, total, free


@njit(cache=True)
def _pick(start_float: int, finish_float: int, mode: int) -> int:
    """The total float ``mode`` asks for: start (0), finish (1) or the smaller (2)."""
    if mode == 0:
        return start_float
    if mode == 1:
        return finish_float
    return min(start_float, finish_float)


@njit(cache=True)
def roll_up(
    order: IntArray,
    summary: BoolArray,
    child_ptr: IntArray,
    child_idx: IntArray,
    es_t: IntArray,
    ef_t: IntArray,
    ls_t: IntArray,
    lf_t: IntArray,
    total: IntArray,
    free: IntArray,
    critical: BoolArray,
    mode: int,
    cal: CalTables,
    bad: BoolArray,
) -> None:
    """``_Report.summary_rollups``, in place: a summary spans its children (earliest start,
    latest finish, early and late), takes the float between those dates on the calendar,
    the least free float of its children, and is critical if any child is."""
    for s in order:
        if not summary[s]:
            continue
        lo = child_ptr[s]
        hi = child_ptr[s + 1]
        first = child_idx[lo]
        es, ef, ls, lf = es_t[first], ef_t[first], ls_t[first], lf_t[first]
        least_free = free[first]
        any_critical = False
        for q in range(lo, hi):
            k = child_idx[q]
            es = min(es, es_t[k])
            ef = max(ef, ef_t[k])
            ls = min(ls, ls_t[k])
            lf = max(lf, lf_t[k])
            least_free = min(least_free, free[k])
            any_critical = any_critical or critical[k]
        es_t[s], ef_t[s], ls_t[s], lf_t[s] = es, ef, ls, lf
        total[s] = _pick(
            offset_of(ls, cal, bad) - offset_of(es, cal, bad),
            offset_of(lf, cal, bad) - offset_of(ef, cal, bad),
            mode,
        )
        free[s] = least_free
        critical[s] = any_critical


@njit(cache=True)
def driving_path(
    summary: BoolArray,
    child_ptr: IntArray,
    child_idx: IntArray,
    earliest_leaf: IntArray,
    pred_ptr: IntArray,
    pred_idx: IntArray,
    kind: TypeArray,
    demand: IntArray,
    es_w: IntArray,
    ef_t: IntArray,
    total: IntArray,
    finish_t: int,
) -> IntArray:
    """``_Report.longest_path``: leaf indices from the first task to the last along driving
    links. It starts at the leaf finishing the project with the least total float (lowest
    index among ties) and walks back along edges whose demand is the task's early start,
    preferring the least total float; a summary predecessor drives through its child that
    finishes with it (FS, FF; least float, then lowest index) or its earliest leaf (SS, SF)."""
    n = es_w.shape[0]
    end = -1
    for i in range(n):
        if not summary[i] and ef_t[i] == finish_t and (end < 0 or total[i] < total[end]):
            end = i
    path = np.empty(n, np.int64)
    if end < 0:
        return path[:0]
    seen = np.zeros(n, np.bool_)
    length = 0
    j = end
    while j >= 0 and not seen[j]:
        seen[j] = True
        path[length] = j
        length += 1
        best = -1
        for e in range(pred_ptr[j], pred_ptr[j + 1]):
            k = kind[e]
            if k == ROLLUP or demand[e] != es_w[j]:
                continue
            i = pred_idx[e]
            while summary[i]:  # driving_leaf
                if k in (FS, FF):
                    pick = -1
                    for q in range(child_ptr[i], child_ptr[i + 1]):
                        c = child_idx[q]
                        if ef_t[c] == ef_t[i] and (
                            pick < 0
                            or total[c] < total[pick]
                            or (total[c] == total[pick] and c < pick)
                        ):
                            pick = c
                    i = pick
                else:
                    i = earliest_leaf[i]
            if best < 0 or total[i] < total[best]:
                best = i
        j = best
    return path[:length][::-1].copy()
