"""The predecessors column: MS Project's text form, parsed, written back, applied."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hitpm.engine.model import LagFormat, LinkType
from hitpm.planning.models import Dependency, Task
from hitpm.planning.predecessors import (
    ParsedLink,
    link_text,
    parse,
    predecessors_text,
    set_predecessors,
)

W, E, P = LagFormat.WORKING, LagFormat.ELAPSED, LagFormat.PERCENT
FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("", []),
        ("12", [ParsedLink(12)]),
        ("12FS+2d, 15SS", [ParsedLink(12, FS, 960, W), ParsedLink(15, SS)]),
        ("15ss-1d", [ParsedLink(15, SS, -480, W)]),
        ("7FF+50%", [ParsedLink(7, FF, 50, P)]),
        ("9SF+3ed", [ParsedLink(9, SF, 3 * 1440, E)]),
        ("3FS+4h; 4SS+30m", [ParsedLink(3, FS, 240, W), ParsedLink(4, SS, 30, W)]),
        ("5FS+1w, 6FS+1mo", [ParsedLink(5, FS, 2400, W), ParsedLink(6, FS, 9600, W)]),
        ("5FS+1ew, 6 FS + 2 eh", [ParsedLink(5, FS, 10080, E), ParsedLink(6, FS, 120, E)]),
        ("8FS+1.5", [ParsedLink(8, FS, 720, W)]),
        ("2+1d", [ParsedLink(2, FS, 480, W)]),
    ],
)
def test_parse(text: str, links: list[ParsedLink]) -> None:
    assert parse(text) == links


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("12XX", "'XX' is not a link type"),
        ("FS12", "is not a predecessor"),
        ("12FS+2y", "is not a predecessor"),
        ("12FS+", "is not a predecessor"),
        ("3, 3SS", "listed twice"),
        ("4, twelve", "Item 2"),
    ],
)
def test_parse_errors_name_the_item(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse(text)


@pytest.mark.parametrize(
    ("row", "kind", "lag", "fmt", "text"),
    [
        (12, FS, 0, W, "12"),
        (12, FS, 960, W, "12FS+2d"),
        (15, SS, -480, W, "15SS-1d"),
        (7, FF, 50, P, "7FF+50%"),
        (9, SF, 4320, E, "9SF+3ed"),
        (3, FS, 240, W, "3FS+4h"),
        (3, FS, 45, W, "3FS+45m"),
    ],
)
def test_link_text_round_trips(row: int, kind: LinkType, lag: float, fmt: str, text: str) -> None:
    assert link_text(row, kind, lag, fmt) == text
    assert parse(text) == [ParsedLink(row, kind, lag, LagFormat(fmt))]


@pytest.mark.django_db
def test_set_predecessors_replaces_the_links_and_moves_the_task(plan: dict[str, Task]) -> None:
    project, training = plan["Training"].project, plan["Training"]
    # Rows: 1 Build, 2 Order sets, 3 Unit testing, 4 Go-live, 5 Training.
    result = set_predecessors(project, training.pk, "2FS+1d, 3SS", training.version)
    training.refresh_from_db()
    assert training.start == dt.datetime(2027, 3, 4, 8, tzinfo=dt.UTC)
    assert predecessors_text(project)[training.pk] == "2FS+1d, 3SS"
    assert "Training" in [t.name for t in result.changed]
    result = set_predecessors(project, training.pk, "3SS", training.version)
    assert len(result.removed_link_ids) == 1
    assert predecessors_text(project)[training.pk] == "3SS"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task", "text", "words"),
    [
        ("Training", "99", "no row 99"),
        ("Training", "5", "itself"),
        ("Order sets", "4", "loop"),
        ("Order sets", "1", "summary"),
        ("Training", "2QQ", "not a link type"),
    ],
)
def test_bad_predecessors_change_nothing(
    plan: dict[str, Task], task: str, text: str, words: str
) -> None:
    project = plan[task].project
    before = list(Dependency.objects.values_list("pk", "predecessor_id", "successor_id", "lag"))
    with pytest.raises(ValidationError, match=words):
        set_predecessors(project, plan[task].pk, text)
    after = list(Dependency.objects.values_list("pk", "predecessor_id", "successor_id", "lag"))
    assert after == before
