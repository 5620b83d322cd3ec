"""Progress: actual dates, percent complete, remaining duration, status date, and
out-of-sequence progress under retained logic and progress override."""

from __future__ import annotations

from hitpm.engine.model import ProgressMode, ScheduleOptions
from hitpm.engine.tests.helpers import at, dates, days, link, project, run, task


def options(mode: ProgressMode = ProgressMode.RETAINED_LOGIC, after_status: bool = True):
    return ScheduleOptions(progress_mode=mode, remaining_after_status_date=after_status)


def test_completed_task_keeps_its_actual_dates_and_is_not_critical() -> None:
    done = task(1, actual_start=at("01-05 10:00"), actual_finish=at("01-06 12:00"),
                percent_complete=100)  # fmt: skip
    result = run(project([done, task(2)], [link(1, 2)]))
    assert dates(result[1]) == ("01-05 10:00", "01-06 12:00", "01-05 10:00", "01-06 12:00")
    assert not result[1].critical
    assert result[1].total_float_minutes == 0
    assert dates(result[2])[:2] == ("01-06 13:00", "01-07 12:00")


def test_in_progress_on_plan_without_status_date() -> None:
    # 2 days from Monday 08:00, half done: finishes as planned, Tuesday 17:00.
    started = task(1, 2, actual_start=at("01-05 08:00"), percent_complete=50)
    result = run(project([started, task(2)], [link(1, 2)]))
    assert dates(result[1])[:2] == ("01-05 08:00", "01-06 17:00")
    assert result[1].start == at("01-05 08:00")
    assert dates(result[2])[:2] == ("01-07 08:00", "01-07 17:00")


def test_remaining_duration_wins_over_percent_complete() -> None:
    # Duration = actual + remaining: of 3 days, 1 is done and 2 remain (50% would say 1.5).
    started = task(1, 3, actual_start=at("01-05 08:00"), percent_complete=50,
                   remaining_duration_minutes=days(2))  # fmt: skip
    result = run(project([started]))
    assert dates(result[1])[:2] == ("01-05 08:00", "01-07 17:00")


def test_remaining_work_resumes_at_the_status_date() -> None:
    started = task(1, 2, actual_start=at("01-05 08:00"), percent_complete=50)
    spec = project([started, task(2), task(3)], [link(1, 2)],
                   status_date=at("01-07 08:00"), options=options())  # fmt: skip
    result = run(spec)
    assert dates(result[1])[:2] == ("01-05 08:00", "01-07 17:00")
    assert dates(result[2])[:2] == ("01-08 08:00", "01-08 17:00")
    # Unstarted work does not start before the status date either.
    assert dates(result[3])[:2] == ("01-07 08:00", "01-07 17:00")
    # The late start of a started task is its actual start; its float is finish float.
    assert dates(result[1])[2] == "01-05 08:00"
    assert result[1].total_float_minutes == 0


def test_status_date_ignored_when_the_option_is_off() -> None:
    started = task(1, 2, actual_start=at("01-05 08:00"), percent_complete=50)
    spec = project([started, task(3)], status_date=at("01-07 08:00"),
                   options=options(after_status=False))  # fmt: skip
    result = run(spec)
    assert dates(result[1])[:2] == ("01-05 08:00", "01-06 17:00")
    assert dates(result[3])[:2] == ("01-05 08:00", "01-05 17:00")


def out_of_sequence(mode: ProgressMode) -> dict:
    # 1 (3d) has not started; 2 (1d) follows it FS but started Monday and is half done.
    # Status date Tuesday 08:00: task 1 can only start then and ends Thursday 17:00.
    started = task(2, actual_start=at("01-05 08:00"), percent_complete=50)
    spec = project([task(1, 3), started], [link(1, 2)],
                   status_date=at("01-06 08:00"), options=options(mode))  # fmt: skip
    return run(spec)


def test_out_of_sequence_retained_logic_waits_for_the_predecessor() -> None:
    result = out_of_sequence(ProgressMode.RETAINED_LOGIC)
    assert dates(result[1])[:2] == ("01-06 08:00", "01-08 17:00")
    # The remaining half day resumes after task 1: Friday 08:00-12:00.
    assert dates(result[2])[:2] == ("01-05 08:00", "01-09 12:00")
    # Task 1 is bounded by where task 2's remaining work must resume, not by its actual start.
    assert dates(result[1])[2:] == ("01-06 08:00", "01-08 17:00")
    assert result[1].total_float_minutes == 0
    assert dates(result[2])[2] == "01-05 08:00"  # a started task's late start is its actual


def test_out_of_sequence_progress_override_ignores_the_predecessor() -> None:
    result = out_of_sequence(ProgressMode.PROGRESS_OVERRIDE)
    assert dates(result[2])[:2] == ("01-05 08:00", "01-06 12:00")
    assert dates(result[1])[:2] == ("01-06 08:00", "01-08 17:00")


def test_finished_successors_do_not_constrain_late_dates() -> None:
    done = task(2, actual_start=at("01-05 08:00"), actual_finish=at("01-05 17:00"))
    spec = project([task(1), done, task(3, 3)], [link(1, 2)], status_date=at("01-06 08:00"))
    result = run(spec)
    # Task 1's only successor is finished: its late finish is the project finish.
    assert dates(result[1])[3] == "01-07 17:00"
