"""Seeded random schedule networks for property tests, benchmarks and cross-checks.

:func:`random_arrays` builds a network directly as arrays (a million tasks in well under a
second) for :func:`hitpm.engine.cpm.schedule_arrays`; :func:`random_project` builds the same
network as a :class:`~hitpm.engine.model.ProjectSpec` on a 5-day calendar with holidays, for
:func:`hitpm.engine.cpm.schedule` and for writing out to other schedulers.

Predecessors are drawn mostly from the recent past (a geometric distance back), which gives
long, realistic chains rather than the shallow graphs uniform sampling produces. The same seed
always gives the same network.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hitpm.engine.calendar import WorkCalendar, standard_calendar
from hitpm.engine.model import (
    CalendarException,
    CalendarSpec,
    LagFormat,
    LinkSpec,
    LinkType,
    ProjectSpec,
    TaskSpec,
)
from hitpm.engine.network import Links, validate

HOUR = 60
DAY = 480
START = dt.datetime(2026, 1, 5, 8, 0)  # a Monday
LINK_TYPE_SHARES = (0.70, 0.12, 0.12, 0.06)  # FS, SS, FF, SF


@dataclass(frozen=True)
class RandomNetwork:
    """Durations (working minutes) and CSR links of a random network, tasks in topological
    order (every link goes from a lower to a higher index)."""

    durations: npt.NDArray[np.int64]
    links: Links


def random_arrays(
    n: int,
    *,
    seed: int = 0,
    links_per_task: float = 2.0,
    mean_distance: float | None = None,
    milestone_share: float = 0.05,
    negative_lag_share: float = 0.1,
    positive_lag_share: float = 0.2,
) -> RandomNetwork:
    """A random network of ``n`` tasks with about ``links_per_task`` predecessors each.

    Durations are whole hours up to four weeks (``milestone_share`` are zero); link types mix
    FS/SS/FF/SF by :data:`LINK_TYPE_SHARES`; lags are zero, positive (up to five days) or
    negative (down to two days) in whole hours. Predecessors lie on average
    ``mean_distance`` tasks back (default ``max(20, n / 500)``, which keeps a million-task
    project within a lifetime)."""
    distance_scale = mean_distance if mean_distance is not None else max(20.0, n / 500)
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, 20 * 8 + 1, n, dtype=np.int64) * HOUR
    durations[rng.random(n) < milestone_share] = 0
    counts = rng.poisson(links_per_task, n).astype(np.int64)
    counts[0] = 0
    successors = np.repeat(np.arange(n, dtype=np.int64), counts)
    distance = rng.geometric(1.0 / distance_scale, successors.shape[0]).astype(np.int64)
    predecessors = np.maximum(successors - distance, 0)
    keep = _unique_pairs(predecessors, successors, n)
    predecessors, successors = predecessors[keep], successors[keep]
    m = successors.shape[0]
    kinds = rng.choice(4, m, p=LINK_TYPE_SHARES).astype(np.int8)
    lags = _random_lags(rng, m, negative_lag_share, positive_lag_share)
    pred_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(successors, minlength=n), out=pred_ptr[1:])
    links = Links(pred_ptr, predecessors, kinds, lags)
    validate(links)
    return RandomNetwork(durations, links)


def _unique_pairs(
    predecessors: npt.NDArray[np.int64], successors: npt.NDArray[np.int64], n: int
) -> npt.NDArray[np.bool_]:
    """Mask keeping the first edge of each (pred, succ) pair and no self-links; edges are
    already sorted by successor, and stay so."""
    key = successors * n + predecessors
    _, first = np.unique(key, return_index=True)
    keep = np.zeros(key.shape[0], dtype=bool)
    keep[first] = True
    keep &= predecessors != successors
    return keep


def _random_lags(
    rng: np.random.Generator, m: int, negative_share: float, positive_share: float
) -> npt.NDArray[np.int64]:
    draw = rng.random(m)
    lags = np.zeros(m, np.int64)
    negative = draw < negative_share
    positive = (draw >= negative_share) & (draw < negative_share + positive_share)
    lags[negative] = -rng.integers(1, 2 * 8 + 1, int(negative.sum())) * HOUR
    lags[positive] = rng.integers(1, 5 * 8 + 1, int(positive.sum())) * HOUR
    return lags


def holidays(first_year: int, last_year: int) -> list[dt.date]:
    """Fixed-date holidays (New Year, 1 May, Christmas, Boxing Day) for a span of years."""
    fixed = ((1, 1), (5, 1), (12, 25), (12, 26))
    return [dt.date(y, m, d) for y in range(first_year, last_year + 1) for m, d in fixed]


def network_calendar(
    network: RandomNetwork, start: dt.datetime = START, days_before: int = 366
) -> WorkCalendar:
    """The 5-day calendar with holidays over a horizon long enough for the whole network
    (every task and lag in series), from ``days_before`` days before the project start so
    that negative lags have room. Schedule with ``start=calendar.offset_of(...)`` of the
    project start."""
    serial = int(network.durations.sum() + np.abs(network.links.lag).sum())
    first = start.date() - dt.timedelta(days=days_before)
    days = serial // (5 * DAY) * 7 + 400 + days_before
    days = min(days, (dt.date(9999, 1, 1) - first).days)
    last_year = (first + dt.timedelta(days=days)).year
    return standard_calendar(first, days, holidays(first.year, last_year))


FOUR_DAY_WEEK = CalendarSpec(
    uid=2,
    name="Four-day week",
    base_uid=1,
    weekly={0: ((420, 720), (750, 1050)), 4: ()},  # Mondays 07:00-17:30, Fridays off
)


def random_project(n: int, *, seed: int = 0, varied: bool = False, **options: float) -> ProjectSpec:
    """The :func:`random_arrays` network as a project on a 5-day calendar with holidays.

    Task uids are ``index + 1``; every task is auto-scheduled ASAP. With ``varied``, a fifth
    of the links get elapsed lags and a tenth percent lags, and a fifth of the tasks run on
    :data:`FOUR_DAY_WEEK` (derived from the standard calendar), which exercises everything
    the array kernel does not model."""
    network = random_arrays(n, seed=seed, **options)
    rng = np.random.default_rng(seed + 1)
    own_calendar = varied & (rng.random(n) < 0.2)
    tasks = [
        TaskSpec(
            uid=i + 1,
            name=f"Task {i + 1}",
            duration_minutes=int(d),
            milestone=d == 0,
            calendar_uid=2 if own_calendar[i] else None,
        )
        for i, d in enumerate(network.durations.tolist())
    ]
    specs = _link_specs(network.links, rng if varied else None)
    years = int(network.durations.sum() // (5 * DAY) // 52) + 2
    days_off = [CalendarException(day, day, name="holiday")
                for day in holidays(START.year - 1, START.year + years)]  # fmt: skip
    calendar = CalendarSpec(uid=1, name="Standard", exceptions=days_off)
    return ProjectSpec(
        name=f"random-{n}-{seed}", start=START, calendar_uid=1,
        calendars=[calendar, FOUR_DAY_WEEK], tasks=tasks, links=specs,
    )  # fmt: skip


def _link_specs(links: Links, rng: np.random.Generator | None) -> list[LinkSpec]:
    """Links as specs; with ``rng``, some lags become elapsed minutes or percentages."""
    successors = links.edge_successors().tolist()
    columns = (links.pred_idx.tolist(), successors, links.link_type.tolist(), links.lag.tolist())
    draws = rng.random(len(successors)).tolist() if rng is not None else [1.0] * len(successors)
    specs = []
    for (p, s, k, lag), draw in zip(zip(*columns, strict=True), draws, strict=True):
        lag_format, value = LagFormat.WORKING, float(lag)
        if draw < 0.2:
            lag_format, value = LagFormat.ELAPSED, float(lag * 3)
        elif draw < 0.3:
            lag_format, value = LagFormat.PERCENT, float(lag // 60 * 10)
        specs.append(LinkSpec(p + 1, s + 1, LinkType(k), value, lag_format))
    return specs
