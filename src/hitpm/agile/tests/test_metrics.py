"""Flow metrics, forecasts and the plan link, checked against examples worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from hitpm.agile.models import ItemMove, WorkItem
from hitpm.agile.services import forecasts, metrics, plan_view
from hitpm.agile.services.chart_data import percentile_guides
from hitpm.agile.services.items import update_item
from hitpm.agile.tests.factories import board_for, item, move, when
from hitpm.audit.models import AuditEntry
from hitpm.core.tests.web_fixtures import at, make_project, make_task

pytestmark = pytest.mark.django_db


def test_flow_metrics_of_a_small_board_match_the_hand_worked_figures():
    board = board_for(make_project("IFC-2", {}))
    a, b = item(board, "A", when(1)), item(board, "B", when(1))
    c, _ = item(board, "C", when(2)), item(board, "D", when(2))
    move(a, "Build", when(2)), move(a, "Done", when(4))
    move(b, "Build", when(3)), move(b, "Test", when(5)), move(b, "Done", when(9))
    move(c, "Build", when(8))
    flow = metrics.board_flow(board, as_of=when(10, 18))
    m = flow.metrics
    assert m is not None
    by_id = dict(zip(m.items.tolist(), range(m.items.size), strict=True))
    # cycle time = done date - start date + 1: A 4-2+1 = 3, B 9-3+1 = 7; lead: A 4, B 9
    assert m.cycle_time_day_count[by_id[a.pk]] == 3
    assert m.cycle_time_day_count[by_id[b.pk]] == 7
    assert m.lead_time_day_count[by_id[a.pk]] == 4
    assert m.lead_time_day_count[by_id[b.pk]] == 9
    assert m.percentiles == {50: 3, 85: 7, 95: 7}
    day = {str(d): i for i, d in enumerate(m.days)}
    assert m.throughput[day["2027-03-04"]] == 1
    assert m.throughput[day["2027-03-09"]] == 1
    assert int(m.throughput.sum()) == 2
    assert m.wip[day["2027-03-08"]] == 2
    assert m.wip[day["2027-03-09"]] == 1
    names = flow.names
    on_5th = dict(zip(names, m.cfd[day["2027-03-05"]].tolist(), strict=True))
    assert on_5th == {"Backlog": 2, "Ready": 0, "Build": 0, "Test": 1, "Validate": 0, "Done": 1}
    assert m.aging.items.tolist() == [c.pk]
    assert m.aging.age_days.tolist() == [3]
    assert m.aging.band.tolist() == [0]  # 3 days is within the 50th percentile (3)


def test_epics_are_left_out_of_the_flow_and_an_empty_board_has_none():
    board = board_for(make_project("IFC-3", {}))
    assert metrics.board_flow(board).metrics is None
    item(board, "Lab results epic", kind=WorkItem.Kind.EPIC)
    assert metrics.board_flow(board).metrics is None


def _steady_board(code: str, per_day: int, days: int, today: dt.date):
    """A board that finished exactly ``per_day`` items on each of the last ``days`` days."""
    board = board_for(make_project(code, {}), weekdays_only=False, history_days=days)
    done = board.columns.get(name="Done")
    start = board.columns.get(name="Build")
    for back in range(1, days + 1):
        day = dt.datetime.combine(today - dt.timedelta(days=back), dt.time(12), dt.UTC)
        for n in range(per_day):
            story = item(board, f"story {back}-{n}", day - dt.timedelta(hours=2))
            ItemMove.objects.create(
                board=board,
                item=story,
                at=day - dt.timedelta(hours=1),
                from_column=story.column,
                to_column=start,
            )
            ItemMove.objects.create(
                board=board, item=story, at=day, from_column=start, to_column=done
            )
            WorkItem.objects.filter(pk=story.pk).update(column=done, done_at=day)
    return board


def test_constant_throughput_of_k_gives_exactly_n_over_k_days():
    today = dt.date(2027, 3, 20)
    board = _steady_board("IFC-4", per_day=3, days=10, today=today)
    history = forecasts.throughput(board, today)
    assert history.counts.tolist() == [3] * 10
    when_done = forecasts.when_items(board, 12, today)
    assert when_done.periods == {50: 4, 70: 4, 85: 4, 95: 4}  # 12 items / 3 a day
    assert set(when_done.dates.values()) == {today + dt.timedelta(days=3)}
    by = forecasts.items_by(board, today + dt.timedelta(days=4), today)  # 5 days
    assert by.amount == {50: 15.0, 70: 15.0, 85: 15.0, 95: 15.0}


def test_forecast_without_finished_work_explains_itself():
    board = board_for(make_project("IFC-5", {}))
    item(board)
    with pytest.raises(Exception, match="No items were finished"):
        forecasts.when_items(board, 5, dt.date(2027, 3, 20))


def test_epic_done_points_drive_the_plan_task_percent_with_an_audit_entry():
    project = make_project("EHR-3", {})
    task = make_task(project, 1, "Pharmacy build", finish=at(dt.date(2027, 3, 31)))
    board = board_for(project)
    epic = item(board, "Pharmacy order sets", kind=WorkItem.Kind.EPIC, plan_task=task)
    five = item(board, "Antibiotics", epic=epic, points=Decimal("5"))
    item(board, "Insulin sliding scale", epic=epic, points=Decimal("15"))
    move(five, "Done", when(3))
    task.refresh_from_db()
    assert task.percent_complete == Decimal("25.00")
    entry = AuditEntry.objects.filter(model="planning.task", object_id=str(task.pk)).last()
    assert entry is not None
    assert "percent_complete" in entry.changes
    update_item(five, {"epic": None}, None)  # leaving the epic un-does its share
    task.refresh_from_db()
    assert task.percent_complete == Decimal("0.00")


def test_epic_forecast_beside_the_task_finish_warns_when_it_threatens_the_plan():
    today = dt.date(2027, 3, 20)
    board = _steady_board("EHR-4", per_day=1, days=10, today=today)
    task = make_task(board.project, 1, "Lab build", finish=at(today + dt.timedelta(days=5)))
    epic = item(board, "Lab orders", kind=WorkItem.Kind.EPIC, plan_task=task)
    for n in range(8):
        item(board, f"lab story {n}", epic=epic)
    (outlook,) = plan_view.linked_epics(board.project, today)
    assert outlook.safe == today + dt.timedelta(days=7)  # 8 items at 1 a day
    assert outlook.outlook == plan_view.Outlook.THREATENED
    assert outlook.days_late == 2
    np.testing.assert_equal(outlook.progress.remaining_items, 8)


def test_equal_percentiles_share_one_guide_line():
    assert percentile_guides({50: 9, 85: 11, 95: 11}) == {"50th 9d": 9.0, "85th/95th 11d": 11.0}
