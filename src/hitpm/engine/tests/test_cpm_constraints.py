"""Date constraints, the honor-constraints option and deadlines, worked by hand.

Base network: 1 (1d) -FS-> 2 (1d), and 3 (5d) alone, so the project runs Monday 01-05 08:00
to Friday 01-09 17:00 and task 2 early runs Tuesday with three days of float.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hitpm.engine.calendar import DateRangeError
from hitpm.engine.cpm import schedule
from hitpm.engine.model import ConstraintType, ScheduleOptions, TaskSpec
from hitpm.engine.tests.helpers import at, dates, days, link, project, run, task

CT = ConstraintType


def base(second: TaskSpec, honor: bool = True) -> dict:
    spec = project(
        [task(1), second, task(3, 5)],
        [link(1, 2)],
        options=ScheduleOptions(honor_constraints_over_links=honor),
    )
    return run(spec)


def constrained(kind: ConstraintType, when: str, **fields: Any) -> TaskSpec:
    return task(2, constraint_type=kind, constraint_date=at(when), **fields)


def test_unconstrained_reference() -> None:
    result = base(task(2))
    assert dates(result[2]) == ("01-06 08:00", "01-06 17:00", "01-09 08:00", "01-09 17:00")
    assert result[2].total_float_minutes == days(3)


def test_snet_delays_the_early_dates_only() -> None:
    result = base(constrained(CT.SNET, "01-07 08:00"))
    assert dates(result[2]) == ("01-07 08:00", "01-07 17:00", "01-09 08:00", "01-09 17:00")
    assert result[2].total_float_minutes == days(2)
    assert result[1].free_float_minutes == days(1)


def test_snet_in_non_working_time_rolls_to_the_next_working_minute() -> None:
    result = base(constrained(CT.SNET, "01-06 12:30"))
    assert dates(result[2])[:2] == ("01-06 13:00", "01-07 12:00")


def test_snet_without_predecessors_sets_the_start() -> None:
    result = run(project([task(1, 2), constrained(CT.SNET, "01-06 13:00")]))
    assert dates(result[2])[:2] == ("01-06 13:00", "01-07 12:00")


def test_fnet() -> None:
    result = base(constrained(CT.FNET, "01-08 17:00"))
    assert dates(result[2]) == ("01-08 08:00", "01-08 17:00", "01-09 08:00", "01-09 17:00")


def test_snlt_caps_the_late_start() -> None:
    result = base(constrained(CT.SNLT, "01-07 08:00"))
    assert dates(result[2]) == ("01-06 08:00", "01-06 17:00", "01-07 08:00", "01-07 17:00")
    assert result[2].total_float_minutes == days(1)
    assert result[1].total_float_minutes == days(1)


def test_fnlt_caps_the_late_finish() -> None:
    result = base(constrained(CT.FNLT, "01-07 17:00"))
    assert dates(result[2])[2:] == ("01-07 08:00", "01-07 17:00")
    assert result[2].total_float_minutes == days(1)


def test_snlt_against_the_links_honored_moves_the_task_and_shows_negative_float_upstream() -> None:
    # SNLT Monday 13:00 but task 1 ends Monday 17:00: the constraint wins.
    result = base(constrained(CT.SNLT, "01-05 13:00"))
    assert dates(result[2]) == ("01-05 13:00", "01-06 12:00", "01-05 13:00", "01-06 12:00")
    assert result[2].total_float_minutes == 0
    assert result[1].total_float_minutes == -days(0.5)
    assert result[1].critical


def test_snlt_against_the_links_not_honored_keeps_the_links() -> None:
    result = base(constrained(CT.SNLT, "01-05 13:00"), honor=False)
    assert dates(result[2]) == ("01-06 08:00", "01-06 17:00", "01-05 13:00", "01-06 12:00")
    assert result[2].total_float_minutes == -days(0.5)
    assert result[2].critical


def test_mso_later_than_the_links_fixes_both_early_and_late_dates() -> None:
    result = base(constrained(CT.MSO, "01-08 08:00"))
    assert dates(result[2]) == ("01-08 08:00", "01-08 17:00", "01-08 08:00", "01-08 17:00")
    assert result[2].total_float_minutes == 0
    assert result[1].total_float_minutes == days(2)


def test_mso_earlier_than_the_links_honored_or_not() -> None:
    honored = base(constrained(CT.MSO, "01-05 08:00"))
    assert dates(honored[2])[:2] == ("01-05 08:00", "01-05 17:00")
    assert honored[1].total_float_minutes == -days(1)
    links_win = base(constrained(CT.MSO, "01-05 08:00"), honor=False)
    assert dates(links_win[2]) == ("01-06 08:00", "01-06 17:00", "01-05 08:00", "01-05 17:00")
    assert links_win[2].total_float_minutes == -days(1)


def test_mfo() -> None:
    result = base(constrained(CT.MFO, "01-08 17:00"))
    assert dates(result[2]) == ("01-08 08:00", "01-08 17:00", "01-08 08:00", "01-08 17:00")
    assert result[2].critical


def test_mfo_milestone_sits_at_the_end_of_the_day() -> None:
    result = run(project([task(1, 5), task(2, 0, milestone=True, constraint_type=CT.MFO,
                                              constraint_date=at("01-07 17:00"))]))  # fmt: skip
    assert dates(result[2])[:2] == ("01-07 17:00", "01-07 17:00")


def test_alap_sits_at_its_late_dates_and_pushes_its_successor() -> None:
    # 1 -> 2 (ALAP) -> 4 (1d), 3 (5d) alone: 4 late is Friday, so 2 runs Thursday and 4,
    # driven by where 2 actually is, can only start Friday.
    spec = project(
        [task(1), task(2, constraint_type=CT.ALAP), task(3, 5), task(4)],
        [link(1, 2), link(2, 4)],
    )
    outcome = schedule(spec)
    result = outcome.by_uid()
    assert (result[2].start, result[2].finish) == (at("01-08 08:00"), at("01-08 17:00"))
    assert dates(result[2]) == ("01-06 08:00", "01-06 17:00", "01-08 08:00", "01-08 17:00")
    assert dates(result[4]) == ("01-09 08:00", "01-09 17:00", "01-09 08:00", "01-09 17:00")
    assert result[4].total_float_minutes == 0


def test_deadline_caps_late_dates_without_moving_early_ones() -> None:
    result = base(task(2, deadline=at("01-06 12:00")))
    assert dates(result[2]) == ("01-06 08:00", "01-06 17:00", "01-05 13:00", "01-06 12:00")
    assert result[2].total_float_minutes == -days(0.5)
    assert result[2].critical
    assert result[1].total_float_minutes == -days(0.5)
    assert result[2].free_float_minutes == 0


def test_deadline_later_than_the_project_finish_changes_nothing() -> None:
    assert base(task(2, deadline=at("02-02 17:00")))[2].total_float_minutes == days(3)


@pytest.mark.parametrize("limit", [0, days(3)])
def test_critical_slack_limit(limit: int) -> None:
    spec = project(
        [task(1), task(2), task(3, 5)],
        [link(1, 2)],
        options=ScheduleOptions(critical_slack_limit_minutes=limit),
    )
    assert run(spec)[2].critical == (limit >= days(3))


def test_free_float_runs_up_to_an_alap_successor_where_it_actually_starts() -> None:
    result = base(task(2, constraint_type=CT.ALAP))
    assert (result[2].start, result[2].finish) == (at("01-09 08:00"), at("01-09 17:00"))
    assert result[1].free_float_minutes == days(3)
    assert result[1].total_float_minutes == days(3)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"constraint_type": CT.SNET, "constraint_date": dt.datetime(9999, 6, 1)}, "constraint"),
        ({"deadline": dt.datetime(1500, 6, 1)}, "deadline"),
        ({"actual_start": dt.datetime(9999, 12, 31, 8)}, "actual start"),
    ],
)
def test_a_date_outside_the_supported_range_names_the_task_and_the_date(
    fields: dict[str, Any], words: str
) -> None:
    spec = project([task(1), task(2, **fields)], [link(1, 2)])
    with pytest.raises(DateRangeError) as error:
        schedule(spec)
    message = str(error.value)
    assert message.startswith(f"task 2 (T2): its {words}")
    assert "outside the dates the scheduler supports (1800-01-01 to 9998-12-31)" in message
    assert "correct the date" in message
    assert "horizon" not in message


def test_a_schedule_running_past_the_supported_range_says_what_to_change() -> None:
    late = task(2, constraint_type=CT.SNET, constraint_date=dt.datetime(9998, 12, 1))
    with pytest.raises(DateRangeError, match="the schedule runs outside the dates") as error:
        schedule(project([task(1), late, task(3, 60)], [link(1, 2), link(2, 3)]))
    assert "at task 3 (T3)" in str(error.value)
    assert "closer to the rest of the plan" in str(error.value)
