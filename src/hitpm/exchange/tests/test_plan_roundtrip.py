"""MSPDI into the database and back: every task, link, calendar exception, resource,
assignment and baseline survives, field by field; MPXJ opens what hitpm writes."""

from __future__ import annotations

import pytest

from hitpm.core.tests.web_fixtures import make_project
from hitpm.exchange.exporters.plan import plan_document
from hitpm.exchange.mpxj_bridge import unavailable_reason
from hitpm.exchange.mspdi_document import read_mspdi_document
from hitpm.exchange.mspdi_writer import write_mspdi
from hitpm.exchange.services import export_project, import_into
from hitpm.exchange.tests.helpers import SHARED_MSPDI, plan_fields, rich_project
from hitpm.planning.models import CalendarException, Dependency, Task

SHARED_FILES = sorted(SHARED_MSPDI.glob("*.xml")) if SHARED_MSPDI.exists() else []
needs_shared = pytest.mark.skipif(not SHARED_FILES, reason="shared MSPDI data missing")
needs_mpxj = pytest.mark.skipif(unavailable_reason() is not None, reason="MPXJ/Java missing")

TASK_FIELDS = (
    "name",
    "duration_minutes",
    "outline_level",
    "milestone",
    "manual",
    "constraint_type",
    "constraint_date",
    "deadline",
    "actual_start",
    "actual_finish",
    "percent_complete",
    "remaining_duration_minutes",
)


def _task_values(document):
    return [tuple(getattr(t, f) for f in TASK_FIELDS) for t in document.spec.tasks]


def _link_values(document):
    place = {t.uid: n for n, t in enumerate(document.spec.tasks)}
    return sorted(
        (place[k.predecessor_uid], place[k.successor_uid], k.type, k.lag, k.lag_format)
        for k in document.spec.links
    )


def _calendar_values(document):
    return sorted(
        (
            c.name,
            sorted(c.weekly.items()),
            sorted((e.start, e.end, e.intervals) for e in c.exceptions),
        )
        for c in document.spec.calendars
    )


@needs_shared
@pytest.mark.django_db
@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_shared_files_import_with_every_task_link_and_exception(path) -> None:
    source = read_mspdi_document(path)
    project = make_project("MSP-1", {})
    summary = import_into(project, path.read_bytes(), path.name)
    assert summary.tasks == len(source.spec.tasks) == Task.objects.filter(project=project).count()
    assert (
        summary.links
        == len(source.spec.links)
        == Dependency.objects.filter(project=project).count()
    )
    exceptions = sum(len(c.exceptions) for c in source.spec.calendars)
    assert CalendarException.objects.filter(calendar__project=project).count() == exceptions
    assert summary.calendars == len(source.spec.calendars)
    names = list(
        Task.objects.filter(project=project).order_by("position").values_list("name", flat=True)
    )
    assert names == [t.name for t in source.spec.tasks]


@needs_shared
@pytest.mark.django_db
@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_shared_files_round_trip_field_by_field(path) -> None:
    source = read_mspdi_document(path)
    project = make_project("MSP-1", {})
    import_into(project, path.read_bytes(), path.name)
    data, _ = export_project(project, "mspdi")
    again = read_mspdi_document(data)
    assert _task_values(again) == _task_values(source)
    assert _link_values(again) == _link_values(source)
    assert _calendar_values(again) == _calendar_values(source)
    assert again.spec.start == source.spec.start


@pytest.mark.django_db
def test_rich_plan_round_trips_through_mspdi_into_a_new_project() -> None:
    original = rich_project("IFC-1")
    data, _ = export_project(original, "mspdi")
    copy = make_project("IFC-2", {})
    import_into(copy, data, "ifc.xml")
    assert plan_fields(copy) == plan_fields(original)
    fields = plan_fields(original)
    assert len(fields["resources"]) == 2
    assert len(fields["assignments"]) == 2
    assert len(fields["baselines"]) == 2
    assert len(fields["exceptions"]) == 3


@pytest.mark.django_db
def test_writer_and_reader_agree_on_the_whole_document() -> None:
    document = plan_document(rich_project())
    again = read_mspdi_document(write_mspdi(document))
    assert _task_values(again) == _task_values(document)
    assert _link_values(again) == _link_values(document)
    assert again.resources == document.resources
    assert again.assignments == document.assignments
    assert [b.rows for b in again.baselines] == [b.rows for b in document.baselines]
    assert again.notes == dict(document.notes.items())


@needs_mpxj
@pytest.mark.django_db
def test_exported_file_opens_in_mpxj(tmp_path) -> None:
    from hitpm.exchange.mpxj_bridge import start_jvm

    project = rich_project()
    data, _ = export_project(project, "mspdi")
    path = tmp_path / "ifc.xml"
    path.write_bytes(data)
    start_jvm()
    from org.mpxj.reader import UniversalProjectReader

    read = UniversalProjectReader().read(str(path))
    names = [str(t.getName()) for t in read.getTasks() if t.getName() is not None]
    assert names == list(
        Task.objects.filter(project=project).order_by("position").values_list("name", flat=True)
    )
    assert len(read.getResources()) >= 2
    assert read.getResourceAssignments().size() == 2
    relations = sum(t.getPredecessors().size() for t in read.getTasks())
    assert relations == Dependency.objects.filter(project=project).count()
