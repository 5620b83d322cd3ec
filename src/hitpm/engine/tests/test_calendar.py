"""Working-time calendars: conversions, Microsoft Project's start/finish rules, exceptions,
base calendars, and the vectorised paths against the scalar ones."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hitpm.engine.calendar import (
    CalendarError,
    WorkCalendar,
    build_calendar,
    datetimes_to_minutes,
    elapsed_minutes,
    from_minutes,
    minutes_to_datetimes,
    resolve,
    standard_calendar,
    to_minutes,
)
from hitpm.engine.model import CalendarException, CalendarSpec

MONDAY = dt.date(2026, 1, 5)
STANDARD = ((480, 720), (780, 1020))


def m(text: str) -> int:
    """``"01-05 08:00"`` in 2026 as epoch minutes."""
    return to_minutes(dt.datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M"))


def show(minutes: int | np.integer | np.ndarray) -> str:
    return from_minutes(int(minutes)).strftime("%m-%d %H:%M")


@pytest.fixture(scope="module")
def standard() -> WorkCalendar:
    return standard_calendar(MONDAY - dt.timedelta(days=7), 120, holidays=[dt.date(2026, 1, 7)])


def test_offsets_count_working_minutes(standard: WorkCalendar) -> None:
    monday = standard.offset_of(m("01-05 08:00"))
    assert standard.offset_of(m("01-05 12:00")) - monday == 240
    assert standard.offset_of(m("01-05 12:30")) - monday == 240  # lunch is not working
    assert standard.offset_of(m("01-05 17:00")) - monday == 480
    assert standard.offset_of(m("01-06 08:00")) - monday == 480  # same offset as Mon 17:00


def test_a_finish_stays_on_its_day_and_a_start_rolls_forward(standard: WorkCalendar) -> None:
    friday_end = standard.offset_of(m("01-09 17:00"))
    assert show(standard.finish_of(friday_end)) == "01-09 17:00"
    assert show(standard.start_of(friday_end)) == "01-12 08:00"
    noon = standard.offset_of(m("01-05 12:00"))
    assert show(standard.finish_of(noon)) == "01-05 12:00"
    assert show(standard.start_of(noon)) == "01-05 13:00"


def test_holiday_is_skipped(standard: WorkCalendar) -> None:
    tuesday_end = standard.offset_of(m("01-06 17:00"))
    assert show(standard.start_of(tuesday_end)) == "01-08 08:00"  # Wednesday 7th is off
    assert not standard.is_working(m("01-07 10:00"))
    assert standard.is_working(m("01-08 10:00"))


def test_add_working_and_working_between(standard: WorkCalendar) -> None:
    start = m("01-05 08:00")
    assert show(standard.add_working(start, 480 * 3)) == "01-08 17:00"  # Mon, Tue, (Wed off), Thu
    assert show(standard.add_working(m("01-08 08:00"), -480)) == "01-06 08:00"
    assert int(standard.working_between(start, m("01-12 08:00"))) == 4 * 480


def test_next_work_start_and_previous_work_finish(standard: WorkCalendar) -> None:
    assert show(standard.next_work_start(m("01-10 03:00"))) == "01-12 08:00"  # Saturday
    assert show(standard.next_work_start(m("01-05 12:15"))) == "01-05 13:00"
    assert show(standard.previous_work_finish(m("01-12 08:00"))) == "01-09 17:00"
    assert show(standard.previous_work_finish(m("01-05 10:00"))) == "01-05 10:00"


def test_working_exception_with_its_own_hours() -> None:
    saturday = dt.date(2026, 1, 10)
    spec = CalendarSpec(
        uid=1, exceptions=[CalendarException(saturday, saturday, ((9 * 60, 13 * 60),), "catch-up")]
    )
    calendar = build_calendar(1, {1: spec}, MONDAY, 30)
    friday_end = calendar.offset_of(m("01-09 17:00"))
    assert show(calendar.start_of(friday_end)) == "01-10 09:00"
    assert show(calendar.finish_of(friday_end + 240)) == "01-10 13:00"


def test_derived_calendar_inherits_missing_weekdays_and_base_exceptions() -> None:
    holiday = dt.date(2026, 1, 7)
    base = CalendarSpec(uid=1, exceptions=[CalendarException(holiday, holiday)])
    part_time = CalendarSpec(uid=2, name="No Mondays", base_uid=1, weekly={0: ()}, exceptions=[])
    pattern = resolve(2, {1: base, 2: part_time})
    assert pattern.weekly[0] == ()
    assert pattern.weekly[1] == ((480, 720), (780, 1020))  # Tuesday from the base
    calendar = WorkCalendar(pattern, MONDAY, 30)
    assert not calendar.is_working(m("01-05 09:00"))  # Monday off
    assert not calendar.is_working(m("01-07 09:00"))  # base holiday
    assert calendar.is_working(m("01-06 09:00"))


def test_own_exception_wins_over_the_base_exception() -> None:
    day = dt.date(2026, 1, 7)
    base = CalendarSpec(uid=1, exceptions=[CalendarException(day, day)])
    shift = CalendarSpec(
        uid=2, base_uid=1, weekly={}, exceptions=[CalendarException(day, day, ((600, 660),))]
    )
    calendar = build_calendar(2, {1: base, 2: shift}, MONDAY, 30)
    assert calendar.is_working(m("01-07 10:30"))
    assert not calendar.is_working(m("01-07 09:00"))


def test_intervals_given_as_lists_are_accepted() -> None:
    day = dt.date(2026, 1, 10)
    spec = CalendarSpec(
        uid=1,
        weekly={0: [[780, 1020], [480, 720]]},  # type: ignore[dict-item]
        exceptions=[CalendarException(day, day, [[540, 600]])],  # type: ignore[arg-type]
    )
    calendar = build_calendar(1, {1: spec}, MONDAY, 14)
    assert calendar.is_working(m("01-10 09:30"))
    assert calendar.is_working(m("01-05 13:30"))


def test_elapsed_minutes() -> None:
    assert int(elapsed_minutes(m("01-09 17:00"), m("01-12 08:00"))) == 2 * 1440 + 15 * 60


def test_round_the_clock_calendar() -> None:
    spec = CalendarSpec(uid=1, weekly=dict.fromkeys(range(7), ((0, 1440),)))
    calendar = build_calendar(1, {1: spec}, MONDAY, 10)
    start = m("01-05 00:00")
    assert show(calendar.add_working(start, 1440 * 2)) == "01-07 00:00"


@pytest.mark.parametrize(
    ("calendars", "message"),
    [
        ({1: CalendarSpec(uid=1, base_uid=2), 2: CalendarSpec(uid=2, base_uid=1)}, "loops"),
        ({1: CalendarSpec(uid=1, base_uid=9)}, "calendar 9 is not defined"),
        ({1: CalendarSpec(uid=1, weekly={0: ((600, 500),)})}, "must lie in"),
        ({1: CalendarSpec(uid=1, weekly={0: ((480, 720), (700, 800))})}, "not overlap"),
        ({1: CalendarSpec(uid=1, weekly=dict.fromkeys(range(7), ()))}, "no working time"),
    ],
)
def test_bad_calendars_are_refused(calendars: dict[int, CalendarSpec], message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        build_calendar(1, calendars, MONDAY, 30)


def test_instants_outside_the_horizon_are_refused(standard: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match="outside the calendar horizon"):
        standard.offset_of(m("12-01 08:00"))
    with pytest.raises(CalendarError, match="outside the calendar horizon"):
        standard.start_at(np.array([standard.total_minutes + 10]))


def test_datetime64_round_trip() -> None:
    values = np.array(["2026-01-05T08:00", "1999-12-31T23:59"], dtype="datetime64[m]")
    minutes = datetimes_to_minutes(values)
    assert minutes[0] == m("01-05 08:00")
    assert (minutes_to_datetimes(minutes) == values).all()


def test_datetime64_in_and_out(standard: WorkCalendar) -> None:
    instants = np.array(["2026-01-05T12:30", "2026-01-09T17:00:00"], dtype="datetime64[s]")
    offsets = standard.offset(instants)
    assert offsets.tolist() == [
        standard.offset_of(m("01-05 13:00")),
        standard.offset_of(m("01-12 08:00")),
    ]
    assert str(standard.start_datetimes(offsets)[1]) == "2026-01-12T08:00"
    assert str(standard.finish_datetimes(offsets)[1]) == "2026-01-09T17:00"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 120 * 1440 - 1), min_size=1, max_size=200))
def test_vectorised_conversions_match_scalar_ones(instants: list[int]) -> None:
    calendar = standard_calendar(MONDAY, 120, holidays=[dt.date(2026, 2, 2)])
    t = np.array(instants, np.int64) + calendar.first_minute
    offsets = calendar.offset(t)
    assert offsets.tolist() == [calendar.offset_of(int(x)) for x in t]
    inner = np.clip(offsets, 1, calendar.total_minutes - 1)
    assert calendar.start_at(inner).tolist() == [calendar.start_of(int(w)) for w in inner]
    assert calendar.finish_at(inner).tolist() == [calendar.finish_of(int(w)) for w in inner]
    # Going back and forth is exact, and converted instants are never in non-working time.
    assert (calendar.offset(calendar.start_at(inner)) == inner).all()
    assert (calendar.offset(calendar.finish_at(inner)) == inner).all()
    assert calendar.is_working(calendar.start_at(inner)).all()
    assert calendar.is_working(calendar.finish_at(inner) - 1).all()


def test_million_conversions_are_fast() -> None:
    calendar = standard_calendar(MONDAY, 4000, holidays=[dt.date(2027, 1, 1)])
    t = np.random.default_rng(0).integers(calendar.first_minute, calendar.last_minute, 1_000_000)
    offsets = calendar.offset(t)
    starts = calendar.start_at(np.minimum(offsets, calendar.total_minutes - 1))
    assert starts.shape == (1_000_000,)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([(), ((0, 1),), ((480, 540),), ((0, 1440),), STANDARD]),
        min_size=7,
        max_size=7,
    ),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 90)), max_size=4),
    st.integers(1, 300),
)
def test_offsets_convert_back_like_the_scalar_look_ups_on_any_calendar(
    week: list[tuple[tuple[int, int], ...]], breaks: list[tuple[int, int]], days: int
) -> None:
    # Conversions back to instants find the day through buckets about a working day wide and
    # step over days without work; short days, long breaks and full days all exercise that.
    if not any(week):
        week[0] = STANDARD
    shutdowns = [
        CalendarException(MONDAY + dt.timedelta(days=a), MONDAY + dt.timedelta(days=a + b))
        for a, b in breaks
    ]
    spec = CalendarSpec(uid=1, weekly=dict(enumerate(week)), exceptions=shutdowns)
    try:
        calendar = build_calendar(1, {1: spec}, MONDAY, days)
    except CalendarError:
        return  # no working time in the horizon
    offsets = np.arange(calendar.total_minutes + 1)
    last = calendar.total_minutes - 1
    assert calendar.start_at(offsets).tolist() == [
        calendar.start_of(min(w, last)) for w in offsets.tolist()
    ]
    assert calendar.finish_at(offsets).tolist() == [calendar.finish_of(w) for w in offsets.tolist()]
    grid = offsets[: offsets.size // 2 * 2].reshape(2, -1)
    assert calendar.finish_at(grid).shape == grid.shape
    assert calendar.start_at(np.int64(0)) == calendar.start_of(0)
