"""Our scheduler against MPXJ's MicrosoftScheduler (a Java clone of Microsoft Project's CPM).

Random seeded networks (5-day calendar with holidays, all four link types, positive and
negative lags) must get identical early and late dates from both. Variants that exercise known
differences are marked ``xfail`` with the reason, so they start passing visibly once fixed.
Everything here needs a Java runtime and the ``mpxj`` package; without them it is skipped and
the skip says what to install.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

from hitpm.engine.cpm import schedule
from hitpm.engine.model import (
    CalendarException,
    CalendarSpec,
    Interval,
    LagFormat,
    LinkType,
    ProjectSpec,
)
from hitpm.engine.randomnet import random_project
from hitpm.exchange import mpxj_bridge
from hitpm.exchange.mspdi import read_mspdi, read_saved_schedule

pytestmark = pytest.mark.java

SHARED = sorted(Path("/work/shared/data/mspdi").glob("task-*.xml"))
FOUR_TEN = ((7 * 60, 12 * 60), (12 * 60 + 30, 18 * 60 + 30))


@pytest.fixture(scope="module", autouse=True)
def _jvm() -> None:
    reason = mpxj_bridge.unavailable_reason()
    if reason is not None:
        pytest.skip(f"MPXJ cross-check skipped: {reason}")
    mpxj_bridge.start_jvm()


def _dates_differ(project: ProjectSpec) -> list[str]:
    """One line per task whose early or late dates differ between the two schedulers."""
    ours = schedule(project).by_uid()
    theirs = mpxj_bridge.schedule_with_mpxj(project)
    differences = []
    for uid, mine in ours.items():
        ref = theirs[uid]
        a = (mine.early_start, mine.early_finish, mine.late_start, mine.late_finish)
        b = (ref.early_start, ref.early_finish, ref.late_start, ref.late_finish)
        if a != b:
            differences.append(f"uid {uid}: ours {[str(d) for d in a]} mpxj {[str(d) for d in b]}")
    return differences


def _odd_lags(project: ProjectSpec, seed: int, share: float = 0.2) -> ProjectSpec:
    """Give a share of links lags in odd minutes, so period boundaries are hit mid-hour."""
    rng = random.Random(seed)
    for link in project.links:
        if rng.random() < share:
            link.lag = rng.choice((-1, 1)) * rng.randint(1, 900)
    return project


def _percent_lags(project: ProjectSpec, seed: int, share: float = 0.1) -> ProjectSpec:
    rng = random.Random(seed)
    for link in project.links:
        if rng.random() < share:
            link.lag_format, link.lag = LagFormat.PERCENT, rng.choice((25, 50, 100, 150))
    return project


@pytest.mark.parametrize("seed", range(8))
def test_random_networks_match(seed: int) -> None:
    project = _odd_lags(random_project(300, seed=seed, milestone_share=0.0), seed)
    assert _dates_differ(project) == []


def test_large_random_network_matches() -> None:
    assert _dates_differ(random_project(3000, seed=42, milestone_share=0.0)) == []


@pytest.mark.parametrize("seed", range(3))
def test_percent_lags_match(seed: int) -> None:
    project = _percent_lags(random_project(300, seed=seed, milestone_share=0.0), seed)
    assert _dates_differ(project) == []


@pytest.mark.parametrize("seed", range(3))
def test_milestones_match(seed: int) -> None:
    """Milestones sit at the end of a working period when that is what drives them."""
    assert _dates_differ(random_project(300, seed=seed, milestone_share=0.1)) == []


def _elapsed_lags(project: ProjectSpec, seed: int, kinds: set[LinkType]) -> ProjectSpec:
    rng = random.Random(seed)
    for link in project.links:
        if link.type in kinds and rng.random() < 0.3:
            link.lag_format, link.lag = LagFormat.ELAPSED, rng.randint(-2000, 4000)
    return project


@pytest.mark.parametrize("seed", range(3))
def test_elapsed_lags_on_start_links_match(seed: int) -> None:
    project = random_project(300, seed=seed, milestone_share=0.0)
    assert _dates_differ(_elapsed_lags(project, seed, {LinkType.FS, LinkType.SS})) == []


@pytest.mark.xfail(
    reason="elapsed lags on FF/SF links: MPXJ subtracts the successor's duration from the "
    "predecessor's date first and then adds the elapsed lag; our engine adds the lag to the "
    "predecessor's date (the textbook FF/SF definition). Only a Microsoft Project file with "
    "such links can say which is right",
    strict=False,
)
def test_elapsed_lags_on_finish_links_match() -> None:
    project = random_project(300, seed=1, milestone_share=0.0)
    assert _dates_differ(_elapsed_lags(project, 1, {LinkType.FF, LinkType.SF})) == []


def _two_calendars(seed: int) -> ProjectSpec:
    """30 % of the tasks on a Monday-Thursday 4x10 calendar with a week off in March."""
    project = random_project(600, seed=seed, milestone_share=0.0)
    four_days: dict[int, tuple[Interval, ...]] = dict.fromkeys(range(4), FOUR_TEN)
    four_days.update({4: (), 5: (), 6: ()})
    week_off = CalendarException(dt.date(2026, 3, 2), dt.date(2026, 3, 6))
    project.calendars.append(CalendarSpec(2, "4x10", weekly=four_days, exceptions=[week_off]))
    rng = random.Random(seed)
    for task in project.tasks:
        if rng.random() < 0.3:
            task.calendar_uid = 2
    return project


@pytest.mark.parametrize("seed", range(3))
def test_two_calendars_early_dates_match(seed: int) -> None:
    project = _two_calendars(seed)
    ours = schedule(project).by_uid()
    for uid, ref in mpxj_bridge.schedule_with_mpxj(project).items():
        assert (ours[uid].early_start, ours[uid].early_finish) == (
            ref.early_start,
            ref.early_finish,
        )


@pytest.mark.xfail(
    reason="two calendars, late dates: MPXJ's backward pass converts across calendars "
    "differently (and itself gives late finish before early finish on some tasks of seed 2); "
    "needs a Microsoft Project file with two task calendars to arbitrate",
    strict=False,
)
@pytest.mark.parametrize("seed", range(3))
def test_two_calendars_late_dates_match(seed: int) -> None:
    assert _dates_differ(_two_calendars(seed)) == []


def test_no_negative_float_without_constraints() -> None:
    """Sanity check of the reference itself: MPXJ's late finish is never before early finish."""
    project = _odd_lags(random_project(500, seed=3, milestone_share=0.0), 3)
    for dates in mpxj_bridge.schedule_with_mpxj(project).values():
        assert dates.late_finish >= dates.early_finish


@pytest.mark.skipif(not SHARED, reason="shared MSPDI data missing")
@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_bridge_reproduces_microsoft_project(path: Path) -> None:
    """The bridge builds the project faithfully: MPXJ gets MS Project's own saved dates."""
    saved = read_saved_schedule(path)
    for uid, dates in mpxj_bridge.schedule_with_mpxj(read_mspdi(path)).items():
        expected = saved[uid]
        assert dates.early_start == expected.early_start
        assert dates.late_finish == expected.late_finish


def test_scheduler_error_is_reported() -> None:
    project = random_project(10, seed=0)
    project.links.append(type(project.links[0])(predecessor_uid=10, successor_uid=1))
    with pytest.raises(mpxj_bridge.MpxjSchedulingError):
        mpxj_bridge.schedule_with_mpxj(project)


def test_missing_mpxj_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mpxj", None)
    reason = mpxj_bridge.unavailable_reason()
    assert reason is not None
    assert "pip install 'hitpm[mpxj]'" in reason
    assert "default-jre-headless" in reason
    with pytest.raises(mpxj_bridge.MpxjUnavailableError, match="hitpm\\[mpxj\\]"):
        mpxj_bridge.start_jvm()


def test_datetimes_round_trip_through_java() -> None:
    when = dt.datetime(2026, 3, 31, 17, 5)
    assert mpxj_bridge._py_datetime(mpxj_bridge._java_datetime(when)) == when


def test_base_calendars_have_no_parent() -> None:
    """MPXJ gives a new calendar the default one as parent unless told otherwise; a base
    calendar must not inherit the project calendar's holidays."""
    file = mpxj_bridge.build_project_file(_two_calendars(0))
    assert file.getCalendarByUniqueID(mpxj_bridge._jint(2)).getParent() is None
