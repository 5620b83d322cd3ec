"""Primavera P6 XER: the native reader on a realistic export, the writer, round trips into
the database and back, and broken files that fail with the line at fault."""

from __future__ import annotations

import pytest

from hitpm.core.tests.web_fixtures import make_project
from hitpm.engine.model import ConstraintType, LinkType
from hitpm.exchange.errors import XerError
from hitpm.exchange.services import export_project, import_into
from hitpm.exchange.tests.helpers import XER_FIXTURE, plan_fields, rich_project
from hitpm.exchange.xer import read_xer
from hitpm.exchange.xer_writer import write_xer
from hitpm.planning.models import Task

FIXTURE = XER_FIXTURE.read_bytes()


def test_reads_project_wbs_activities_links_calendars_and_resources() -> None:
    document = read_xer(FIXTURE)
    spec = document.spec
    assert spec.name == "IFC-LAB"
    assert [t.name for t in spec.tasks if t.outline_level == 1] == [
        "Design",
        "Build and test",
        "Go-live",
    ]
    by_name = {t.name: t for t in spec.tasks}
    assert by_name["Map LIS result codes to LOINC"].duration_minutes == 80 * 60
    assert by_name["Map LIS result codes to LOINC"].percent_complete == 50
    assert by_name["Interface kick-off"].milestone
    assert by_name["Interfaces live"].milestone
    signoff = by_name["HL7 ORU^R01 specification sign-off"]
    assert signoff.constraint_type is ConstraintType.SNET
    assert by_name["Integrated testing with lab"].constraint_type is ConstraintType.FNLT
    assert by_name["Interface kick-off"].actual_finish is not None
    assert by_name["Build ORU inbound channel"].outline_level == 3
    kinds = sorted((k.type, k.lag) for k in spec.links)
    assert (LinkType.SS, 960.0) in kinds
    assert (LinkType.SF, -480.0) in kinds
    assert (LinkType.FF, 240.0) in kinds
    assert (LinkType.FS, -270.0) in kinds
    hospital = next(c for c in spec.calendars if c.name.startswith("Hospital"))
    assert len(hospital.exceptions) == 5
    assert hospital.exceptions[-1].intervals == ((480, 720),)
    engine = next(c for c in spec.calendars if "24x7" in c.name)
    assert engine.weekly[5] == ((0, 1440),)
    assert [r.capacity_percent for r in document.resources] == [100, 50]
    assert [a.units_percent for a in document.assignments] == [100, 50, 75]


def test_writer_and_reader_round_trip_the_fixture() -> None:
    document = read_xer(FIXTURE)
    again = read_xer(write_xer(document))
    fields = (
        "name",
        "outline_level",
        "duration_minutes",
        "milestone",
        "constraint_type",
        "constraint_date",
        "actual_start",
        "actual_finish",
        "percent_complete",
    )
    assert [tuple(getattr(t, f) for f in fields) for t in again.spec.tasks] == [
        tuple(getattr(t, f) for f in fields) for t in document.spec.tasks
    ]
    place = {t.uid: t.name for t in document.spec.tasks}
    place_again = {t.uid: t.name for t in again.spec.tasks}
    assert sorted(
        (place_again[k.predecessor_uid], place_again[k.successor_uid], k.type, k.lag)
        for k in again.spec.links
    ) == sorted(
        (place[k.predecessor_uid], place[k.successor_uid], k.type, k.lag)
        for k in document.spec.links
    )
    assert [(c.name, c.weekly, c.exceptions) for c in again.spec.calendars] == [
        (c.name, c.weekly, c.exceptions) for c in document.spec.calendars
    ]
    assert [r.name for r in again.resources] == [r.name for r in document.resources]


@pytest.mark.django_db
def test_xer_imports_into_a_project_and_exports_again_unchanged() -> None:
    first = make_project("LAB-1", {})
    summary = import_into(first, FIXTURE, "ifc-lab.xer")
    assert summary.tasks == 13
    assert summary.links == 10
    assert summary.assignments == 3
    data, _ = export_project(first, "xer")
    second = make_project("LAB-2", {})
    import_into(second, data, "lab.xer")
    assert plan_fields(second) == plan_fields(first)


@pytest.mark.django_db
def test_hitpm_plan_survives_xer_where_p6_has_a_field() -> None:
    original = rich_project()
    data, _ = export_project(original, "xer")
    copy = make_project("IFC-2", {})
    import_into(copy, data, "ifc.xer")
    names = lambda p: sorted(Task.objects.filter(project=p).values_list("name", "duration_minutes"))  # noqa: E731
    assert names(copy) == names(original)
    assert plan_fields(copy)["exceptions"] != []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace("%E", ""), "truncated"),
        (lambda t: t.replace("PR_SS", "PR_XX"), "TASKPRED line 3"),
        (lambda t: t.replace("2027-02-01 08:00", "2027-02-31 08:00"), "cstr_date"),
        (lambda t: t.replace("2027-04-30 17:00", "1066-10-14 09:00"), "outside 1900..2200"),
        (lambda t: t.replace("CS_MSOA", "CS_WHENEVER"), "not a P6 constraint type"),
        (
            lambda t: t.replace("(0||VIEW(ShowTotal|Y)())", "(0||VIEW(ShowTotal|Y)("),
            "calendar data",
        ),
        (lambda t: t.replace("ERMHDR", "HEADER"), "starts with ERMHDR"),
    ],
)
def test_broken_xer_files_name_the_line(mutate, message: str) -> None:
    text = FIXTURE.decode("cp1252")
    with pytest.raises(XerError, match=message):
        read_xer(mutate(text).encode("utf-8"))


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(XerError, match="neither UTF-8 nor Windows-1252"):
        read_xer(FIXTURE.replace(b"IFC-LAB", b"IFC-\x81\x8dLAB"))
