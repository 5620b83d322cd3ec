"""Hostile and broken files fail with one clear ImportFileError, never a crash or a leak."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hitpm.exchange.errors import ImportFileError, MspdiError, ProjectJsonError
from hitpm.exchange.files import read_project_file
from hitpm.exchange.mspdi import read_mspdi

MALFORMED = Path(__file__).parent / "malformed"

CASES = {
    "truncated.xml": (MspdiError, "not well-formed XML at line"),
    "xxe.xml": (MspdiError, "refused: the file declares a DTD"),
    "billion_laughs.xml": (MspdiError, "refused: the file declares a DTD"),
    "external_dtd.xml": (MspdiError, "refused: the file declares a DTD"),
    "wrong_root.xml": (MspdiError, "root element is <Workbook>"),
    "unknown_link_type.xml": (MspdiError, "Task UID 5 <PredecessorLink>: <Type> at line"),
    "bad_date.xml": (MspdiError, "Task UID 5: <ConstraintDate> at line"),
    "bad_duration.xml": (MspdiError, "Task UID 3: <Duration> at line"),
    "bad_lag_format.xml": (MspdiError, "<LagFormat> at line"),
    "unknown_predecessor.xml": (MspdiError, "task 66 is not in <Tasks>"),
    "unknown_calendar.xml": (MspdiError, "calendar 9 is not in <Calendars>"),
    "truncated.json": (ProjectJsonError, "not valid JSON at line 1"),
    "bad_task_field.json": (ProjectJsonError, "tasks[1] (uid 2).duration_minutes"),
    "wrong_format.json": (ProjectJsonError, 'format: expected "hitpm-project"'),
    "not_a_project.csv": (ImportFileError, "neither Microsoft Project XML"),
}


def test_corpus_and_cases_match() -> None:
    assert sorted(CASES) == sorted(p.name for p in MALFORMED.iterdir())


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_fails_cleanly(name: str) -> None:
    error, fragment = CASES[name]
    with pytest.raises(error) as raised:
        read_project_file(MALFORMED / name)
    message = str(raised.value)
    assert fragment in message
    assert "\n" not in message
    assert isinstance(raised.value, ValueError)


def test_xxe_does_not_read_the_file() -> None:
    with pytest.raises(MspdiError) as raised:
        read_mspdi(MALFORMED / "xxe.xml")
    assert "root:" not in str(raised.value)


def test_billion_laughs_is_refused_fast() -> None:
    began = time.perf_counter()
    with pytest.raises(MspdiError):
        read_mspdi(MALFORMED / "billion_laughs.xml")
    assert time.perf_counter() - began < 1.0


def test_internal_entity_without_doctype_keyword_is_refused() -> None:
    payload = (
        b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">&x;</Project>'
    )
    with pytest.raises(MspdiError, match="not well-formed XML"):
        read_mspdi(payload)


def test_missing_file() -> None:
    with pytest.raises(ImportFileError, match="cannot read"):
        read_project_file(MALFORMED / "does-not-exist.xml")


_HEAD = (
    b"<Project><StartDate>2026-01-05T08:00:00</StartDate><CalendarUID>1</CalendarUID>"
    b"<Calendars><Calendar><UID>1</UID></Calendar></Calendars>"
)


@pytest.mark.parametrize(
    ("xml", "fragment"),
    [
        (b"<Project/>", "the project has no <StartDate>"),
        (b"<Project><StartDate>2026-01-05T08:00:00</StartDate></Project>", "project calendar"),
        (_HEAD + b"<Tasks><Task><UID>x</UID></Task></Tasks></Project>", "'x' is not a whole"),
        (_HEAD + b"<Tasks><Task><Name>a</Name></Task></Tasks></Project>", "needs a <UID>"),
        (
            _HEAD + b"<Tasks><Task><UID>1</UID><ConstraintType>12</ConstraintType></Task></Tasks>"
            b"</Project>",
            "12 is not a constraint type",
        ),
    ],
)
def test_incomplete_projects(xml: bytes, fragment: str) -> None:
    with pytest.raises(MspdiError) as raised:
        read_mspdi(xml)
    assert fragment in str(raised.value)
