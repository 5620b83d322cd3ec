"""Every import is all or nothing: broken, hostile, oversize and wrongly encoded files fail
with a message naming the place, and leave the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from hitpm.audit.models import AuditEntry
from hitpm.core.tests.web_fixtures import make_project
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.services import import_into, import_new_project
from hitpm.planning.models import Calendar, CalendarException, Dependency, Resource, Task
from hitpm.portfolio.models import Project

HERE = Path(__file__).parent
CORPUS = HERE / "malformed_plans"
OLD_CORPUS = HERE / "malformed"
VALID = (HERE / "data" / "rich-mspdi.xml").read_bytes()

CASES = {
    "truncated.xml": "not well-formed XML at line",
    "cyclic_links.xml": "links form a loop: .*Kick-off",
    "unknown_link_type.xml": "<Type> at line .*: 9 is not a link type",
    "date_out_of_range.xml": "constraint_date 1752-09-03 is outside 1900..2200",
    "xxe.xml": "refused: the file declares a DTD",
    "wrong_encoding.xml": "not well-formed XML at line .*invalid token",
    "negative_duration.xml": "the duration is negative",
}
OLD_XML_CASES = sorted(p.name for p in OLD_CORPUS.glob("*.xml"))


def _state() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Project, Task, Dependency, Calendar, CalendarException, Resource, AuditEntry)
    )


def test_corpus_and_cases_match() -> None:
    assert sorted(CASES) == sorted(p.name for p in CORPUS.iterdir())


@pytest.mark.django_db
def test_the_valid_control_file_imports() -> None:
    project = make_project("OK-1", {})
    assert import_into(project, VALID, "rich.xml").tasks == 8


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_plan_changes_nothing(name: str) -> None:
    project = make_project("BAD-1", {})
    before = _state()
    with pytest.raises(ImportFileError, match=CASES[name]):
        import_into(project, (CORPUS / name).read_bytes(), name)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", OLD_XML_CASES)
def test_reader_corpus_fails_cleanly_as_new_project(name: str) -> None:
    before = _state()
    with pytest.raises(ImportFileError):
        import_new_project((OLD_CORPUS / name).read_bytes(), name, creator=None, code="BAD-2")
    assert _state() == before


@pytest.mark.django_db
def test_oversize_files_are_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HITPM_IMPORT_MAX_MB", "0.001")
    project = make_project("BIG-1", {})
    before = _state()
    with pytest.raises(
        ImportFileError, match=r"files over 0.001 MB are refused \(HITPM_IMPORT_MAX_MB\)"
    ):
        import_into(project, VALID, "rich.xml")
    assert _state() == before


@pytest.mark.django_db
def test_a_plan_is_not_imported_over_an_existing_one() -> None:
    project = make_project("FULL-1", {})
    import_into(project, VALID, "rich.xml")
    before = _state()
    with pytest.raises(ImportFileError, match="already has a plan"):
        import_into(project, VALID, "rich.xml")
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.xml", "is empty"),
        (b"\x00\x01binary", "mystery.bin", "unknown format"),
        (b"Name;Duration\nTriage;-3d\n", "list.csv", "row 2, column 'duration'"),
        (b'{"format": "hitpm-project-backup", "version": 1', "cut.json", "not valid JSON"),
    ],
)
def test_other_bad_files_fail_cleanly(data: bytes, name: str, message: str) -> None:
    before = _state()
    with pytest.raises(ImportFileError, match=message):
        import_new_project(data, name, creator=None, code="BAD-3")
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["plan.gan", "plan.pmxml", "plan.mpx"])
def test_hostile_xml_is_refused_whatever_the_extension(name: str) -> None:
    """An XML file sent to MPXJ by its extension is checked for DTDs and entities first."""
    project = make_project("BAD-2", {})
    before = _state()
    hostile = (CORPUS / "xxe.xml").read_bytes()
    with pytest.raises(ImportFileError, match="refused: the file declares a DTD"):
        import_into(project, hostile, name)
    assert _state() == before
