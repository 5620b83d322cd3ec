"""Resources, assignments, the usage histogram, schedule health and the table exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from hitpm.core.tests.web_fixtures import make_user
from hitpm.planning.baselines import save_baseline
from hitpm.planning.columns import COLUMNS, columns_for, parse_columns, save_columns
from hitpm.planning.export import task_csv, task_xlsx
from hitpm.planning.health import assessment
from hitpm.planning.models import Task
from hitpm.planning.resources import assign, create_resource, histogram, update_resource

pytestmark = pytest.mark.django_db


def test_histogram_shows_over_allocation_per_period(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    sme = create_resource(project, {"name": "Clinical SME", "capacity_percent": 50})
    trainer = create_resource(project, {"name": "Trainer", "kind": "role"})
    assign(project, plan["Order sets"].pk, sme.pk, 50)  # 2 days at 50%: within capacity
    assign(project, plan["Training"].pk, sme.pk, 50)  # overlaps Order sets: 100% of a 50% SME
    assign(project, plan["Training"].pk, trainer.pk)
    daily = histogram(project, "day", dt.date(2027, 3, 1), dt.date(2027, 3, 7))
    rows = {r.resource.name: r for r in daily.rows}
    assert daily.starts[0] == dt.date(2027, 3, 1)
    assert rows["Clinical SME"].available[:2] == [240, 240]
    assert rows["Clinical SME"].work[:3] == [480, 480, 240]
    assert rows["Clinical SME"].over[:3] == [True, True, False]
    assert rows["Clinical SME"].available[5:] == [0, 0]  # the weekend
    assert not rows["Trainer"].overallocated
    weekly = histogram(project, "week")
    assert weekly.starts == [dt.date(2027, 3, 1)]
    assert {r.resource.name: r.overallocated for r in weekly.rows} == {
        "Clinical SME": True,
        "Trainer": False,
    }
    monthly = histogram(project, "month")
    assert monthly.starts == [dt.date(2027, 3, 1)]


def test_bad_resources_and_assignments_are_refused(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    sme = create_resource(project, {"name": "Clinical SME"})
    with pytest.raises(ValidationError):
        create_resource(project, {"name": "Clinical SME"})
    with pytest.raises(ValidationError):
        create_resource(project, {"name": "Ghost", "capacity_percent": 0})
    with pytest.raises(ValidationError):
        update_resource(project, sme.pk, {"calendar_id": 999999}, None)
    with pytest.raises(ValidationError, match="summaries"):
        assign(project, plan["Build"].pk, sme.pk)
    assign(project, plan["Training"].pk, sme.pk)
    with pytest.raises(ValidationError, match="already assigned"):
        assign(project, plan["Training"].pk, sme.pk)
    with pytest.raises(ValidationError):
        histogram(project, "day", dt.date(2027, 3, 5), dt.date(2027, 3, 1))


def test_dcma_uses_assignments_and_the_gantt_baseline(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    report, baseline = assessment(project)
    assert baseline is None
    assert report.check(11).passed is None  # no baseline: not assessed
    resources = report.check(10)
    assert resources.passed is False
    assert {o.name for o in resources.offenders} >= {"Order sets", "Training"}
    sme = create_resource(project, {"name": "Clinical SME"})
    for name in ("Order sets", "Unit testing", "Training"):
        assign(project, plan[name].pk, sme.pk)
    save_baseline(project, "Approved plan")
    report, baseline = assessment(project)
    assert baseline is not None
    assert baseline.name == "Approved plan"
    assert report.check(10).passed is True
    logic = report.check(1)
    assert "Training" in {o.name for o in logic.offenders}


def test_columns_are_saved_per_user_and_exported(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    user = make_user("pm")
    assert [c.key for c in columns_for(user)][:3] == ["row", "wbs", "name"]
    save_columns(user, ["wbs", "start", "predecessors", "finish_variance"])
    assert [c.key for c in columns_for(user)] == ["wbs", "name", "start", "predecessors",
                                                  "finish_variance"]  # fmt: skip
    with pytest.raises(ValidationError, match="Unknown column"):
        parse_columns(["wbs", "colour"])
    columns = columns_for(user)
    text = task_csv(project, columns)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["WBS", "Task name", "Start", "Predecessors", "Finish variance (d)"]
    assert rows[3] == ["1.2", "Unit testing", "2027-03-03 08:00", "2", ""]
    book = load_workbook(io.BytesIO(task_xlsx(project, COLUMNS)))
    sheet = book["Tasks"]
    assert sheet.cell(1, 3).value == "Task name"
    assert sheet.cell(3, 3).value == "Order sets"
    assert sheet.cell(3, 4).value == 2
    assert sheet.max_row == 6
