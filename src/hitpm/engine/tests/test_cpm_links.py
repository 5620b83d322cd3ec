"""Hand-worked link examples on the standard calendar (project start Monday 01-05 08:00).

Each expectation is worked out on paper: a day is 08:00-12:00 and 13:00-17:00, so one day of
work from Monday 08:00 ends Monday 17:00 and the next task starts Tuesday 08:00.
"""

from __future__ import annotations

import pytest

from hitpm.engine.cpm import schedule
from hitpm.engine.model import LagFormat, LinkType
from hitpm.engine.tests.helpers import at, dates, days, link, project, run, task

FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF


@pytest.mark.parametrize(
    ("first_days", "kind", "lag", "second_days", "expected"),
    [
        # FS, no lag: Tuesday.
        (1, FS, 0, 1, ("01-06 08:00", "01-06 17:00")),
        # FS + 1 working day: Tuesday is the lag, Wednesday the work.
        (1, FS, days(1), 1, ("01-07 08:00", "01-07 17:00")),
        # FS - 4h lead from a 2-day task (ends Tue 17:00): starts Tue 13:00, ends Wed 12:00.
        (2, FS, -days(0.5), 1, ("01-06 13:00", "01-07 12:00")),
        # SS + 2h: Monday 10:00 to Tuesday 10:00.
        (1, SS, 120, 1, ("01-05 10:00", "01-06 10:00")),
        # FF + 1 day after a 2-day task (ends Tue 17:00): must end Wed 17:00.
        (2, FF, days(1), 1, ("01-07 08:00", "01-07 17:00")),
        # FF with a longer successor: it cannot start before the project start.
        (1, FF, 0, 3, ("01-05 08:00", "01-07 17:00")),
        # SF + 2 days from Monday 08:00: must end no earlier than Tuesday 17:00.
        (1, SF, days(2), 1, ("01-06 08:00", "01-06 17:00")),
        # SF with no lag: the successor could end at the predecessor's start, i.e. before
        # the project; it runs from the Thursday before (leads can cross the project start).
        (1, SF, 0, 2, ("01-01 08:00", "01-02 17:00")),
    ],
)
def test_link_types_and_working_lags(
    first_days: float, kind: LinkType, lag: int, second_days: float, expected: tuple[str, str]
) -> None:
    result = run(project([task(1, first_days), task(2, second_days)], [link(1, 2, kind, lag)]))
    assert dates(result[2])[:2] == expected


def test_elapsed_lag_runs_through_the_weekend() -> None:
    # Task 1 ends Friday 17:00; one elapsed day later is Saturday 17:00 -> Monday 08:00.
    elapsed = run(project([task(1, 5), task(2)], [link(1, 2, FS, 1440, LagFormat.ELAPSED)]))
    assert dates(elapsed[2])[:2] == ("01-12 08:00", "01-12 17:00")
    # The same day as working time skips Monday.
    working = run(project([task(1, 5), task(2)], [link(1, 2, FS, days(1))]))
    assert dates(working[2])[:2] == ("01-13 08:00", "01-13 17:00")


def test_elapsed_hours_after_the_working_day_move_to_the_next_morning() -> None:
    # 7h from Monday 08:00 ends 16:00; +2 elapsed hours is 18:00, so Tuesday 08:00.
    result = run(project([task(1, 7 / 8), task(2)], [link(1, 2, FS, 120, LagFormat.ELAPSED)]))
    assert dates(result[2])[0] == "01-06 08:00"
    result = run(project([task(1, 7 / 8), task(2)], [link(1, 2, FS, 120)]))
    assert dates(result[2])[0] == "01-06 09:00"  # two working hours: 16-17 and 08-09


def test_elapsed_lag_backward_pass() -> None:
    # 2 -> 3 with a 2-elapsed-day lag: 3 must start Monday 12th at the latest for the finish,
    # so 2 must finish by Saturday 10th 08:00 -> Friday 17:00.
    spec = project(
        [task(1, 6), task(2), task(3)],
        [link(2, 3, FS, 2880, LagFormat.ELAPSED), link(1, 3)],
    )
    result = run(spec)
    assert dates(result[3]) == ("01-13 08:00", "01-13 17:00", "01-13 08:00", "01-13 17:00")
    assert dates(result[2])[2:] == ("01-09 08:00", "01-09 17:00")


def test_percent_lag_is_a_share_of_the_predecessor_duration() -> None:
    result = run(project([task(1, 2), task(2)], [link(1, 2, FS, 50, LagFormat.PERCENT)]))
    # 50% of 2 days = 1 day of lag after Tuesday 17:00: Wednesday is the lag, Thursday the work.
    assert dates(result[2])[0] == "01-08 08:00"


def test_milestone_after_a_task_sits_at_the_end_of_its_day() -> None:
    result = run(project([task(1), task(2, 0, milestone=True)], [link(1, 2)]))
    assert dates(result[2]) == ("01-05 17:00", "01-05 17:00", "01-05 17:00", "01-05 17:00")
    assert result[2].critical


def test_milestone_at_project_start() -> None:
    result = run(project([task(1, 0, milestone=True), task(2)], [link(1, 2)]))
    assert dates(result[1])[:2] == ("01-05 08:00", "01-05 08:00")
    assert dates(result[2])[:2] == ("01-05 08:00", "01-05 17:00")


def test_several_predecessors_the_latest_drives() -> None:
    spec = project([task(1), task(2, 3), task(3)], [link(1, 3), link(2, 3)])
    result = run(spec)
    assert dates(result[3])[:2] == ("01-08 08:00", "01-08 17:00")
    assert result[1].total_float_minutes == days(2)
    assert result[1].free_float_minutes == days(2)
    assert not result[1].critical
    assert result[2].critical
    assert result[3].critical
    assert schedule(spec).critical_path == [2, 3]


def test_floats_with_a_parallel_path() -> None:
    # 1 (1d) -> 2 (1d), and 3 (3d) alone: project ends Wednesday 17:00.
    result = run(project([task(1), task(2), task(3, 3)], [link(1, 2)]))
    assert dates(result[2]) == ("01-06 08:00", "01-06 17:00", "01-07 08:00", "01-07 17:00")
    assert result[1].total_float_minutes == days(1)
    assert result[1].free_float_minutes == 0  # task 2 follows at once
    assert result[2].free_float_minutes == days(1)  # up to the project finish


@pytest.mark.parametrize(
    ("kind", "lag", "expected_free"),
    [
        (FS, 0, days(1)),  # ES2 - EF1 = Wed 08:00 - Mon 17:00
        (SS, days(0.5), days(1.5)),  # ES2 - 4h - ES1 = Wed 08:00 - Mon 12:00
        (FF, 0, days(2)),  # EF2 - EF1 = Wed 17:00 - Mon 17:00
        (SF, days(1), days(2)),  # EF2 - 1d - ES1 = Tue 17:00 - Mon 08:00
    ],
)
def test_free_float_per_link_type(kind: LinkType, lag: int, expected_free: int) -> None:
    # 1 (1d) -kind-> 2 (1d); 3 (2d) -FS-> 2 holds task 2 to Wednesday.
    spec = project([task(1), task(2), task(3, 2)], [link(1, 2, kind, lag), link(3, 2)])
    result = run(spec)
    assert dates(result[2])[:2] == ("01-07 08:00", "01-07 17:00")
    assert result[1].free_float_minutes == expected_free
    assert result[1].total_float_minutes >= result[1].free_float_minutes


def test_late_finish_never_exceeds_the_project_finish() -> None:
    # 1 (2d) -SS-> 2 (1d), 3 (3d) -FS-> 2: 2 runs Thursday, the project ends Thursday 17:00.
    # From the SS link 1 could finish Friday, but late finishes are capped at the project end.
    spec = project([task(1, 2), task(2), task(3, 3)], [link(1, 2, SS), link(3, 2)])
    result = run(spec)
    assert dates(result[1])[2:] == ("01-07 08:00", "01-08 17:00")
    assert result[1].total_float_minutes == days(2)
    assert result[1].free_float_minutes == days(2)


def test_task_on_its_own_calendar_and_lag_on_the_successor_calendar() -> None:
    from hitpm.engine.model import CalendarSpec

    night = CalendarSpec(uid=2, name="Tue-Thu", base_uid=1, weekly={0: (), 4: ()})
    spec = project(
        [task(1), task(2, calendar_uid=2), task(3)],
        [link(1, 2, FS, days(1)), link(2, 3)],
        calendars=[CalendarSpec(uid=1), night],
    )
    result = run(spec)
    # The 1-day lag counts on task 2's calendar (Tue is its first working day), so task 2
    # runs Wednesday; task 3 follows on the standard calendar on Thursday.
    assert dates(result[2])[:2] == ("01-07 08:00", "01-07 17:00")
    assert dates(result[3])[:2] == ("01-08 08:00", "01-08 17:00")


def test_manual_task_keeps_its_dates_and_still_drives_successors() -> None:
    manual = task(
        1, 1, manual=True, manual_start=at("01-07 10:00"), manual_finish=at("01-08 10:00")
    )
    result = run(project([manual, task(2)], [link(1, 2)]))
    assert dates(result[1])[:2] == ("01-07 10:00", "01-08 10:00")
    assert dates(result[2])[:2] == ("01-08 10:00", "01-09 10:00")


def test_calendar_with_a_long_break_gets_a_wider_horizon() -> None:
    from hitpm.engine.model import CalendarException, CalendarSpec

    shutdown = CalendarException(at("01-06 00:00").date(), at("2028-01-01 00:00").date())
    spec = project([task(1, 2)], calendars=[CalendarSpec(uid=1, exceptions=[shutdown])])
    result = run(spec)
    assert dates(result[1])[:2] == ("01-05 08:00", "01-03 17:00")  # Monday, then 2 years off
    assert result[1].early_finish.year == 2028
