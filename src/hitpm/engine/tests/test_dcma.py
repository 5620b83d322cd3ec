"""The DCMA 14-point assessment, check by check, on small hand-built schedules.

Most tests build the :class:`ScheduleResult` by hand, so each check is tested against known
floats and dates without the scheduler; the critical path test runs with a fake scheduler and
with the real one. Threshold edges sit exactly on the DCMA marks (1 of 20 = 5%). The
``hitpm check dcma`` command is tested in ``hitpm/exchange/tests/test_cli_check.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest

from hitpm.engine.dcma import (
    CheckResult,
    DcmaReport,
    DcmaThresholds,
    Direction,
    Threshold,
    assess,
    working_minutes_between,
)
from hitpm.engine.model import (
    CalendarSpec,
    ConstraintType,
    LinkSpec,
    LinkType,
    ProjectSpec,
    ScheduleResult,
    TaskResult,
    TaskSpec,
)

START = dt.datetime(2026, 1, 5, 8, 0)  # a Monday; standard calendar, 480 minutes a day
DAY = 480


def at(day: int, hour: int = 17) -> dt.datetime:
    """January 2026 at ``hour``:00."""
    return dt.datetime(2026, 1, day, hour, 0)


def task(uid: int, days: float = 1, **fields: Any) -> TaskSpec:
    return TaskSpec(uid=uid, name=f"T{uid}", duration_minutes=round(days * DAY), **fields)


def row(uid: int, **fields: Any) -> TaskResult:
    values: dict[str, Any] = {
        "start": START,
        "finish": at(5),
        "total_float_minutes": 0,
        "free_float_minutes": 0,
        "critical": False,
    }
    values.update(fields)
    early = {
        "early_start": values["start"],
        "early_finish": values["finish"],
        "late_start": values["start"],
        "late_finish": values["finish"],
    }
    return TaskResult(uid=uid, **(early | values))


def build(
    tasks: Sequence[TaskSpec],
    links: Sequence[LinkSpec] = (),
    rows: dict[int, dict[str, Any]] | None = None,
    *,
    critical_path: Sequence[int] = (),
    finish: dt.datetime | None = None,
    **project_fields: Any,
) -> tuple[ProjectSpec, ScheduleResult]:
    """A project on the standard calendar and a hand-made result (per-uid row overrides)."""
    project = ProjectSpec(
        name="Clinic go-live",
        start=START,
        calendar_uid=1,
        calendars=[CalendarSpec(uid=1)],
        tasks=list(tasks),
        links=list(links),
        **project_fields,
    )
    overrides = rows or {}
    results = [row(t.uid, **overrides.get(t.uid, {})) for t in tasks]
    end = finish or max((r.finish for r in results), default=START)
    return project, ScheduleResult(START, end, results, list(critical_path))


def unmoved(project: ProjectSpec) -> ScheduleResult:
    """A stand-in scheduler for tests that are not about check 12."""
    return ScheduleResult(START, at(5), [], [])


def run(project: ProjectSpec, result: ScheduleResult, number: int, **kwargs: Any) -> CheckResult:
    kwargs.setdefault("reschedule", unmoved)
    return assess(project, result, **kwargs).check(number)


def chain(n: int) -> tuple[list[TaskSpec], list[LinkSpec]]:
    """Milestone 0 -> tasks 1..n -> milestone n+1, fully linked: n tasks, n+1 links."""
    tasks = [task(0, 0, milestone=True), *(task(i) for i in range(1, n + 1))]
    tasks.append(task(n + 1, 0, milestone=True))
    links = [LinkSpec(i, i + 1) for i in range(n + 1)]
    return tasks, links


def edited(project: ProjectSpec, which: Sequence[int], **changes: Any) -> ProjectSpec:
    """The project with ``changes`` applied to the tasks whose uid is in ``which``."""
    tasks = [replace(t, **changes) if t.uid in which else t for t in project.tasks]
    return replace(project, tasks=tasks)


def uids(check: CheckResult) -> list[int]:
    return [o.uid for o in check.offenders]


# --- the report and its types -----------------------------------------------------------


def test_report_lists_fourteen_checks_in_order_and_counts_them() -> None:
    project, result = build(*chain(3))
    report = assess(project, result, reschedule=unmoved)
    assert isinstance(report, DcmaReport)
    assert [c.number for c in report.checks] == list(range(1, 15))
    assert report.passed + report.failed + report.not_assessed == 14
    assert report.check(1).name == "Logic"
    with pytest.raises(KeyError):
        report.check(15)


def test_as_dict_has_the_shape_the_cli_prints() -> None:
    tasks, links = chain(2)
    links[1] = replace(links[1], lag=-DAY)
    project, result = build(tasks, links)
    data = assess(project, result, reschedule=unmoved).as_dict()
    assert set(data) == {"project", "status_date", "checks", "passed", "failed", "not_assessed"}
    leads = data["checks"][1]
    assert leads["number"] == 2
    assert leads["passed"] is False
    assert leads["offending"] == [2]
    assert leads["offenders"][0]["predecessor_uid"] == 1
    assert leads["threshold"] == "<= 0%"
    assert data["checks"][9]["passed"] is None
    assert data["checks"][9]["reason"]


@pytest.mark.parametrize(
    ("threshold", "metric", "passed"),
    [
        (Threshold(5, Direction.AT_MOST), 5.0, True),
        (Threshold(5, Direction.AT_MOST), 5.0001, False),
        (Threshold(90, Direction.AT_LEAST), 90.0, True),
        (Threshold(90, Direction.AT_LEAST), 89.99, False),
        (Threshold(600, Direction.EQUAL, "d"), 600.0, True),
        (Threshold(600, Direction.EQUAL, "d"), 599.0, False),
    ],
)
def test_threshold_edges(threshold: Threshold, metric: float, passed: bool) -> None:
    assert threshold.met_by(metric) is passed


def test_threshold_text() -> None:
    assert str(Threshold(0.95, Direction.AT_LEAST, "")) == ">= 0.95"
    assert str(Threshold(5, Direction.AT_MOST)) == "<= 5%"


# --- 1. logic ------------------------------------------------------------------------------


def test_logic_passes_a_fully_linked_chain() -> None:
    project, result = build(*chain(20))
    check = run(project, result, 1)
    assert (check.passed, check.numerator, check.denominator) == (True, 0, 20)


def test_logic_one_open_end_in_twenty_is_exactly_five_percent() -> None:
    tasks, links = chain(20)
    project, result = build(tasks, links[:-1])  # task 20 loses its successor
    check = run(project, result, 1)
    assert check.metric == pytest.approx(5.0)
    assert check.passed is True
    assert uids(check) == [20]
    assert check.offenders[0].detail == "no successor"


def test_logic_two_open_ends_in_twenty_fail() -> None:
    tasks, links = chain(20)
    project, result = build(tasks, links[1:-1])  # task 1 loses its predecessor, 20 its successor
    check = run(project, result, 1)
    assert check.passed is False
    assert uids(check) == [1, 20]


def test_logic_ignores_summaries_milestones_and_completed_tasks() -> None:
    tasks = [
        task(1, outline_level=1),  # summary of 2 and 3
        task(2, outline_level=2),
        task(3, outline_level=2),
        task(4, 0, milestone=True),
        task(5, percent_complete=100.0),
        task(6, actual_finish=at(5)),
        task(7, 0),  # zero duration: a milestone to the DCMA, flag or not
    ]
    project, result = build(tasks, [LinkSpec(2, 3)])
    check = run(project, result, 1)
    assert check.denominator == 2
    assert uids(check) == [2, 3]
    assert check.offenders[0].detail == "no predecessor"


def test_logic_with_nothing_open_is_not_assessed() -> None:
    project, result = build([task(1, percent_complete=100.0)])
    check = run(project, result, 1)
    assert check.passed is None
    assert "no incomplete tasks" in check.reason


# --- 2-4. relationships --------------------------------------------------------------------


def _twenty_links(**changes: dict[str, Any]) -> tuple[ProjectSpec, ScheduleResult]:
    """Twenty links (chain of 19 tasks between two milestones); ``changes[str(i)]`` edits
    link i (into task i)."""
    tasks, links = chain(19)
    edited = [replace(link, **changes.get(str(link.successor_uid), {})) for link in links]
    return build(tasks, edited)


def test_leads_any_negative_lag_fails() -> None:
    project, result = _twenty_links(**{"5": {"lag": -60}})
    check = run(project, result, 2)
    assert (check.passed, check.numerator, check.denominator) == (False, 1, 20)
    assert check.offenders[0].predecessor_uid == 4
    assert "lag -0.12d" in check.offenders[0].detail


def test_leads_into_completed_tasks_are_not_counted() -> None:
    tasks, links = chain(3)
    tasks[2] = replace(tasks[2], percent_complete=100.0)
    links[1] = replace(links[1], lag=-DAY)
    project, result = build(tasks, links)
    check = run(project, result, 2)
    assert (check.passed, check.denominator) == (True, 3)


def test_lags_one_in_twenty_passes_two_fail() -> None:
    project, result = _twenty_links(**{"3": {"lag": DAY}})
    assert run(project, result, 3).passed is True
    project, result = _twenty_links(**{"3": {"lag": DAY}, "8": {"lag": 2 * DAY}})
    check = run(project, result, 3)
    assert check.metric == pytest.approx(10.0)
    assert check.passed is False
    assert uids(check) == [3, 8]


def test_relationship_types_ninety_percent_fs_is_the_edge() -> None:
    two = {"4": {"type": LinkType.SS}, "9": {"type": LinkType.FF}}
    project, result = _twenty_links(**two)
    check = run(project, result, 4)
    assert (check.metric, check.passed) == (pytest.approx(90.0), True)
    assert (check.numerator, check.denominator) == (18, 20)
    project, result = _twenty_links(**two, **{"12": {"type": LinkType.SF}})
    check = run(project, result, 4)
    assert check.passed is False
    assert uids(check) == [4, 9, 12]
    assert " SF " in check.offenders[2].detail


def test_relationship_checks_without_links_are_not_assessed() -> None:
    project, result = build([task(1), task(2)])
    for number in (2, 3, 4):
        assert run(project, result, number).passed is None


# --- 5. hard constraints -------------------------------------------------------------------


def test_hard_constraints_count_only_mso_mfo_snlt_fnlt() -> None:
    tasks, links = chain(20)
    tasks[1] = replace(tasks[1], constraint_type=ConstraintType.SNET, constraint_date=at(6))
    tasks[2] = replace(tasks[2], constraint_type=ConstraintType.FNLT, constraint_date=at(9))
    project, result = build(tasks, links)
    check = run(project, result, 5)
    assert (check.passed, uids(check)) == (True, [2])
    assert check.offenders[0].detail == "FNLT"
    tasks[3] = replace(tasks[3], constraint_type=ConstraintType.MSO, constraint_date=at(7))
    project, result = build(tasks, links)
    assert run(project, result, 5).passed is False


def test_hard_constraint_on_a_milestone_is_outside_the_population() -> None:
    tasks, links = chain(2)
    tasks[0] = replace(tasks[0], constraint_type=ConstraintType.MSO, constraint_date=START)
    project, result = build(tasks, links)
    assert run(project, result, 5).numerator == 0


# --- 6-7. float ----------------------------------------------------------------------------


def test_high_float_is_strictly_over_44_working_days() -> None:
    tasks, links = chain(20)
    limit = 44 * DAY
    rows = {1: {"total_float_minutes": limit}, 2: {"total_float_minutes": limit + 1}}
    project, result = build(tasks, links, rows)
    check = run(project, result, 6)
    assert uids(check) == [2]
    assert check.passed is True  # 1 of 20
    rows[3] = {"total_float_minutes": 60 * DAY}
    project, result = build(tasks, links, rows)
    assert run(project, result, 6).passed is False


def test_high_float_limit_uses_the_projects_minutes_per_day() -> None:
    tasks, links = chain(1)
    project, result = build(tasks, links, {1: {"total_float_minutes": 45 * 420}})
    project = replace(project, options=replace(project.options, minutes_per_day=420))
    check = run(project, result, 6)
    assert check.offenders[0].detail == "total float 45d"


def test_negative_float_allows_none() -> None:
    tasks, links = chain(20)
    project, result = build(tasks, links, {7: {"total_float_minutes": -1}})
    check = run(project, result, 7)
    assert (check.passed, uids(check), check.metric) == (False, [7], pytest.approx(5.0))
    project, result = build(tasks, links)
    assert run(project, result, 7).passed is True


# --- 8. high duration ----------------------------------------------------------------------


def test_high_duration_looks_at_remaining_duration() -> None:
    tasks = [
        task(1, 44),  # on the limit: fine
        task(2, 45),  # over
        task(3, 100, percent_complete=60.0, actual_start=START),  # 40 days left
        task(4, 100, remaining_duration_minutes=50 * DAY, actual_start=START),  # 50 left
        task(5, 300, percent_complete=100.0),  # complete: outside
    ]
    project, result = build(tasks)
    check = run(project, result, 8)
    assert uids(check) == [2, 4]
    assert check.denominator == 4
    assert check.passed is False
    assert check.offenders[1].detail == "remaining duration 50d"


def test_high_duration_threshold_is_configurable() -> None:
    project, result = build([task(1, 45), *(task(i) for i in range(2, 21))])
    assert run(project, result, 8).passed is True  # 1 of 20
    strict = DcmaThresholds(high_duration_days=10)
    project, result = build([task(1, 45), task(2, 11)])
    check = run(project, result, 8, thresholds=strict)
    assert uids(check) == [1, 2]
    assert "10 working days" in check.description


# --- 9. invalid dates ----------------------------------------------------------------------


def test_invalid_dates_need_a_status_date() -> None:
    project, result = build([task(1)])
    check = run(project, result, 9)
    assert check.passed is None
    assert "status date" in check.reason


def test_invalid_dates_flag_forecasts_in_the_past_and_actuals_in_the_future() -> None:
    status = at(7)
    tasks = [
        task(1),  # unstarted, forecast 5th: invalid start and finish
        task(2, actual_start=at(5, 8)),  # started, forecast finish after status: valid
        task(3, actual_start=at(5, 8), actual_finish=at(8), percent_complete=100.0),
        task(4, 0, milestone=True),  # forecast 6th, not done: invalid
        task(5),  # forecast from the 8th: valid
        task(6, actual_start=at(5, 8)),  # started, forecast finish before status: invalid
    ]
    rows = {
        1: {"start": at(5, 8), "finish": at(5)},
        2: {"start": at(5, 8), "finish": at(9)},
        3: {"start": at(5, 8), "finish": at(8)},
        4: {"start": at(6), "finish": at(6)},
        5: {"start": at(8, 8), "finish": at(8)},
        6: {"start": at(5, 8), "finish": at(6)},
    }
    project, result = build(tasks, rows=rows, status_date=status)
    check = run(project, result, 9)
    assert uids(check) == [1, 3, 4, 6]
    assert check.denominator == 6
    assert check.passed is False
    assert "forecast start" in check.offenders[0].detail
    assert "forecast finish" in check.offenders[0].detail
    assert "actual finish" in check.offenders[1].detail
    assert "forecast start" not in check.offenders[3].detail


def test_status_date_argument_overrides_the_projects() -> None:
    project, result = build([task(1)], rows={1: {"start": at(5, 8), "finish": at(5)}})
    assert run(project, result, 9, status_date=at(5, 8)).passed is True
    report = assess(project, result, status_date=at(9), reschedule=unmoved)
    assert report.status_date == at(9)
    assert report.check(9).passed is False


# --- 10. resources -------------------------------------------------------------------------


def test_resources_without_data_are_not_assessed() -> None:
    project, result = build([task(1)])
    check = run(project, result, 10)
    assert check.passed is None
    assert "resource" in check.reason


def test_resources_count_open_tasks_of_a_day_or_more() -> None:
    tasks = [task(1), task(2, 0.5), task(3), task(4, percent_complete=100.0), task(5, 3)]
    project, result = build(tasks)
    check = run(project, result, 10, resources={1: True, 3: False})
    assert check.denominator == 3
    assert uids(check) == [3, 5]
    assert check.passed is False
    check = run(project, result, 10, resources={1: True, 3: True, 5: True})
    assert check.passed is True


# --- 11 and 14. baseline -------------------------------------------------------------------


def _baselined() -> tuple[ProjectSpec, ScheduleResult, dict[int, tuple[dt.datetime, dt.datetime]]]:
    """Twenty tasks due by the status date (the 20th); task 21 is due later."""
    done: dict[str, Any] = {"actual_start": at(5, 8), "percent_complete": 100.0}
    tasks = [task(i, actual_finish=at(5 + i % 10), **done) for i in range(1, 21)]
    tasks.append(task(21))
    baseline = {i: (at(5, 8), at(6 + i % 10)) for i in range(1, 22)}
    baseline[21] = (at(21, 8), at(23))
    project, result = build(tasks, status_date=at(20))
    return project, result, baseline


def test_missed_and_bei_need_baseline_and_status_date() -> None:
    project, result, baseline = _baselined()
    for number in (11, 14):
        assert "baseline" in run(project, result, number).reason
        no_status = replace(project, status_date=None)
        assert "status date" in run(no_status, result, number, baseline=baseline).reason


def test_missed_tasks_count_late_and_unfinished_tasks() -> None:
    project, result, baseline = _baselined()
    check = run(project, result, 11, baseline=baseline)
    assert (check.passed, check.numerator, check.denominator) == (True, 0, 20)
    late = dict(baseline) | {4: (at(5, 8), at(8))}  # finished on the 9th
    check = run(project, result, 11, baseline=late)
    assert (check.passed, uids(check)) == (True, [4])  # 1 of 20: on the mark
    unfinished = edited(project, [7], actual_finish=None, percent_complete=50.0)
    check = run(unfinished, result, 11, baseline=late)
    assert (check.passed, uids(check)) == (False, [4, 7])
    assert check.offenders[1].detail.startswith("not finished")


def test_bei_is_completed_over_due() -> None:
    project, result, baseline = _baselined()
    check = run(project, result, 14, baseline=baseline)
    assert (check.metric, check.passed) == (pytest.approx(1.0), True)
    one_late = edited(project, [3], actual_finish=None, percent_complete=0.0)
    check = run(one_late, result, 14, baseline=baseline)
    assert (check.numerator, check.denominator) == (19, 20)
    assert (check.metric, check.passed) == (pytest.approx(0.95), True)
    assert uids(check) == [3]
    two_late = edited(project, [3, 4], actual_finish=None, percent_complete=0.0)
    assert run(two_late, result, 14, baseline=baseline).passed is False


def test_bei_counts_early_finishes_and_milestones() -> None:
    project, result, baseline = _baselined()
    tasks = [*project.tasks[:20], task(21, percent_complete=100.0), task(22, 0, milestone=True)]
    baseline = dict(baseline) | {22: (at(9), at(9))}
    check = run(replace(project, tasks=tasks), result, 14, baseline=baseline)
    assert (check.numerator, check.denominator) == (21, 21)
    assert uids(check) == [22]


def test_bei_with_nothing_due_is_not_assessed() -> None:
    project, result, baseline = _baselined()
    early = replace(project, status_date=at(5, 8))
    check = run(early, result, 14, baseline=baseline)
    assert check.passed is None
    assert "no task had a baseline finish" in check.reason


# --- 12. critical path test ----------------------------------------------------------------


def _path_project() -> tuple[ProjectSpec, ScheduleResult]:
    tasks = [task(1, percent_complete=100.0), task(2, 2), task(3, 3), task(4, 1)]
    rows: dict[int, dict[str, Any]] = {
        1: {"critical": True},
        2: {"critical": True, "start": at(6, 8), "finish": at(7)},
        3: {"critical": True, "start": at(8, 8), "finish": at(12)},
        4: {"start": at(6, 8), "finish": at(6), "total_float_minutes": 4 * DAY},
    }
    links = [LinkSpec(1, 2), LinkSpec(2, 3), LinkSpec(1, 4)]
    return build(tasks, links, rows, critical_path=[1, 2, 3])


def _slipping(by_days: float) -> Callable[[ProjectSpec], ScheduleResult]:
    def reschedule(project: ProjectSpec) -> ScheduleResult:
        delayed = {t.uid: t.duration_minutes for t in project.tasks}
        assert delayed[2] == 602 * DAY  # the first incomplete critical task, 600 days more
        assert delayed[3] == 3 * DAY
        finish = dt.datetime(2026, 1, 12, 17) + dt.timedelta(weeks=by_days / 5)
        return ScheduleResult(START, finish, [], [])

    return reschedule


def test_critical_path_test_passes_when_the_finish_moves_by_the_delay() -> None:
    project, result = _path_project()
    check = run(project, result, 12, reschedule=_slipping(600))
    assert (check.passed, check.metric) == (True, pytest.approx(600))
    assert "task 2" in check.note
    assert check.offenders == ()


def test_critical_path_test_fails_when_the_finish_does_not_follow() -> None:
    project, result = _path_project()
    check = run(project, result, 12, reschedule=_slipping(0))
    assert (check.passed, check.metric) == (False, 0)
    assert uids(check) == [2]


def test_critical_path_test_adds_to_the_remaining_duration_of_started_work() -> None:
    project, result = _path_project()
    tasks = [replace(t, percent_complete=50.0) if t.uid == 2 else t for t in project.tasks]
    seen: list[TaskSpec] = []

    def reschedule(delayed: ProjectSpec) -> ScheduleResult:
        seen.extend(t for t in delayed.tasks if t.uid == 2)
        return ScheduleResult(START, result.finish, [], [])

    run(replace(project, tasks=tasks), result, 12, reschedule=reschedule)
    assert seen[0].remaining_duration_minutes == 601 * DAY


def test_critical_path_test_not_assessed_without_critical_work_or_scheduler() -> None:
    project, result = _path_project()
    rows = [replace(r, critical=False) for r in result.tasks]
    no_path = replace(result, critical_path=[], tasks=rows)
    assert "no incomplete critical task" in run(project, no_path, 12).reason

    def broken(_: ProjectSpec) -> ScheduleResult:
        raise ValueError("cycle 2 -> 3 -> 2")

    check = run(project, result, 12, reschedule=broken)
    assert check.passed is None
    assert "cycle" in check.reason


def test_critical_path_falls_back_to_critical_flags_by_early_start() -> None:
    project, result = _path_project()
    check = run(project, replace(result, critical_path=[]), 12, reschedule=_slipping(600))
    assert check.passed is True


# --- 13. CPLI ------------------------------------------------------------------------------


def test_cpli_is_one_when_the_finish_has_no_float() -> None:
    project, result = _path_project()
    check = run(project, result, 13)
    assert (check.metric, check.passed) == (pytest.approx(1.0), True)
    assert "critical path length 6d" in check.note


@pytest.mark.parametrize(("float_days", "passed"), [(-0.3, True), (-0.31, False)])
def test_cpli_threshold_edge(float_days: float, passed: bool) -> None:
    project, result = _path_project()
    minutes = round(float_days * DAY)
    rows = [replace(r, total_float_minutes=minutes) if r.uid == 3 else r for r in result.tasks]
    check = run(project, replace(result, tasks=rows), 13)
    assert check.metric == pytest.approx((6 + float_days) / 6, abs=1e-3)
    assert check.passed is passed


def test_cpli_measures_from_the_status_date() -> None:
    project, result = _path_project()
    rows = [replace(r, total_float_minutes=-DAY) if r.uid == 3 else r for r in result.tasks]
    check = run(replace(project, status_date=at(8)), replace(result, tasks=rows), 13)
    assert check.metric == pytest.approx(0.5)  # Thursday evening: 2 days left, 1 day behind
    assert check.passed is False


def test_cpli_after_the_finish_is_not_assessed() -> None:
    project, result = _path_project()
    check = run(replace(project, status_date=at(20)), result, 13)
    assert check.passed is None


def test_working_minutes_between_skips_weekends() -> None:
    project, _ = _path_project()
    assert working_minutes_between(project, 1, at(9), at(12)) == DAY  # Friday -> Monday
    assert working_minutes_between(project, 1, at(12), at(9)) == -DAY


# --- with the real scheduler ---------------------------------------------------------------


@pytest.fixture
def schedule() -> Callable[[ProjectSpec], ScheduleResult]:
    cpm = pytest.importorskip("hitpm.engine.cpm", reason="the CPM engine is not written yet")
    return cpm.schedule


def test_real_scheduler_chain_passes_the_critical_path_test(
    schedule: Callable[[ProjectSpec], ScheduleResult],
) -> None:
    tasks, links = chain(5)
    project, _ = build(tasks, links)
    report = assess(project, schedule(project))
    check = report.check(12)
    assert check.passed is True, check.note
    assert check.metric == pytest.approx(600)
    assert report.check(1).passed is True
    assert report.check(13).metric == pytest.approx(1.0)


def test_real_scheduler_hard_constraint_breaks_the_critical_path_test(
    schedule: Callable[[ProjectSpec], ScheduleResult],
) -> None:
    tasks, links = chain(3)
    tasks[3] = replace(tasks[3], constraint_type=ConstraintType.MFO, constraint_date=at(7))
    project, _ = build(tasks, links)
    report = assess(project, schedule(project))
    assert report.check(12).passed is False
    assert report.check(12).offenders[0].uid == 1
    assert uids(report.check(5)) == [3]
