"""CSV and XLSX task lists: default and chosen column mappings, predecessors and lags,
exports that import again, and rows that fail with their row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from hitpm.core.tests.web_fixtures import make_project
from hitpm.engine.model import ConstraintType, LagFormat, LinkType
from hitpm.exchange.errors import TableFileError
from hitpm.exchange.services import export_project, import_into
from hitpm.exchange.tabular import default_mapping, read_rows, table_document
from hitpm.exchange.tests.helpers import rich_project
from hitpm.planning.models import Assignment, Dependency, Task

START = dt.date(2027, 1, 4)
CSV = (
    b"Task name;Outline level;Duration;Predecessors;Start;Milestone;% complete;Resources;Notes\n"
    b"Design;1;;;;;;;\n"
    b"Workflow walkthroughs;2;5d;;2027-01-11;no;20;Nurse informaticist;Med-surg first\n"
    b'Order set build;2;3w;2FS+2d;;;0;"Epic analyst, Nurse informaticist";\n'
    b"Sign-off;2;0;3;;yes;;;\n"
    b"Pilot;1;16h;4SS-50%;;;;;\n"
)


def _document(data: bytes = CSV, kind: str = "csv"):
    header, rows = read_rows(data, kind)
    return table_document(header, rows, default_mapping(header), START)


def test_default_mapping_reads_outline_durations_links_and_resources() -> None:
    document = _document()
    tasks = document.spec.tasks
    assert [(t.name, t.outline_level, t.duration_minutes) for t in tasks] == [
        ("Design", 1, 0),
        ("Workflow walkthroughs", 2, 2400),
        ("Order set build", 2, 7200),
        ("Sign-off", 2, 0),
        ("Pilot", 1, 960),
    ]
    assert tasks[1].constraint_type is ConstraintType.SNET
    assert tasks[1].percent_complete == 20
    assert tasks[3].milestone
    links = [
        (k.predecessor_uid, k.successor_uid, k.type, k.lag, k.lag_format)
        for k in document.spec.links
    ]
    assert links == [
        (2, 3, LinkType.FS, 960.0, LagFormat.WORKING),
        (3, 4, LinkType.FS, 0.0, LagFormat.WORKING),
        (4, 5, LinkType.SS, -50.0, LagFormat.PERCENT),
    ]
    assert sorted(r.name for r in document.resources) == ["Epic analyst", "Nurse informaticist"]
    assert len(document.assignments) == 3
    assert document.notes[2] == "Med-surg first"


def test_chosen_mapping_overrides_headers() -> None:
    header, rows = read_rows(b"A,B\nCutover rehearsal,2d\n", "csv")
    document = table_document(header, rows, {0: "name", 1: "duration"}, START)
    assert document.spec.tasks[0].duration_minutes == 960


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Name,Duration\nBuild,five days\n", "row 2, column 'duration'"),
        (b"Name,Predecessors\nBuild,\nTest,7\n", "row 3, column 'predecessors': '7'"),
        (b"Name,Start\nBuild,2027-13-45\n", "row 2, column 'start'"),
        (b"Name,% complete\nBuild,150\n", "between 0 and 100"),
        (b"Name,Milestone\nBuild,perhaps\n", "not yes or no"),
        (b"Duration\n2d\n", "map one column to the task name"),
        (b"Name\n\xe9t\xe9\n", "not UTF-8 text"),
    ],
)
def test_bad_rows_name_row_and_column(data: bytes, message: str) -> None:
    with pytest.raises(TableFileError, match=message):
        _document(data)


def test_damaged_workbook_is_refused() -> None:
    with pytest.raises(TableFileError, match=r"not a readable \.xlsx"):
        read_rows(b"PK\x03\x04 not really a zip", "xlsx")


@pytest.mark.django_db
def test_csv_import_stores_plan_and_assignments() -> None:
    project = make_project("CSV-1", {})
    summary = import_into(project, CSV, "plan.csv")
    assert summary.tasks == 5
    assert summary.links == 3
    assert summary.assignments == 3
    parent = Task.objects.get(project=project, name="Order set build").parent
    assert parent is not None
    assert parent.name == "Design"
    assert Assignment.objects.filter(project=project).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_task_table_imports_again(fmt: str) -> None:
    original = rich_project()
    data, _ = export_project(original, fmt)
    copy = make_project("TAB-2", {})
    import_into(copy, data, f"tasks.{fmt}")
    fields = ("name", "outline_level", "duration_minutes", "milestone", "percent_complete", "notes")
    assert list(
        Task.objects.filter(project=copy).order_by("position").values_list(*fields)
    ) == list(Task.objects.filter(project=original).order_by("position").values_list(*fields))
    link = ("predecessor__name", "successor__name", "type", "lag_format")
    assert sorted(Dependency.objects.filter(project=copy).values_list(*link)) == sorted(
        (p, s, t, f if f != "elapsed" else "working")
        for p, s, t, f in Dependency.objects.filter(project=original).values_list(*link)
    )
    assert Assignment.objects.filter(project=copy).count() == 2


@pytest.mark.django_db
def test_csv_export_defuses_formulas() -> None:
    project = make_project("CSV-2", {})
    import_into(project, b'Name\n=HYPERLINK("http://evil")\n', "x.csv")
    data, _ = export_project(project, "csv")
    assert b"'=HYPERLINK" in data
    copy = make_project("CSV-3", {})
    import_into(copy, data, "x.csv")
    assert Task.objects.get(project=copy).name == '=HYPERLINK("http://evil")'
