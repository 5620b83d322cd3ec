"""Summary tasks: derived from outline levels, dates rolled up from their children, and
links on summaries applying to everything under them."""

from __future__ import annotations

from hitpm.engine.cpm import schedule
from hitpm.engine.model import ConstraintType, LinkType
from hitpm.engine.tests.helpers import at, dates, days, link, project, run, task


def phase_project(*links) -> dict:
    tasks = [
        task(10, 0, outline_level=1),  # summary: phase
        task(11, 2, outline_level=2),
        task(12, 1, outline_level=2),
        task(20, 1, outline_level=1),
        task(30, 5, outline_level=1),
    ]
    return run(project(tasks, [link(11, 12), *links]))


def test_summary_rolls_up_its_children() -> None:
    result = phase_project()
    assert result[10].is_summary
    assert dates(result[10]) == ("01-05 08:00", "01-07 17:00", "01-07 08:00", "01-09 17:00")
    assert result[10].total_float_minutes == days(2)
    assert not result[10].critical
    assert (result[10].start, result[10].finish) == (at("01-05 08:00"), at("01-07 17:00"))


def test_link_from_a_summary_waits_for_its_last_child() -> None:
    result = phase_project(link(10, 20))
    assert dates(result[20])[:2] == ("01-08 08:00", "01-08 17:00")
    # The summary's successor link bounds its children's late dates: 20 late runs Friday,
    # so everything in the phase must finish by Thursday 17:00.
    assert dates(result[12])[2:] == ("01-08 08:00", "01-08 17:00")
    assert dates(result[20])[2:] == ("01-09 08:00", "01-09 17:00")
    assert result[11].total_float_minutes == days(1)


def test_ss_from_a_summary_starts_from_its_earliest_child() -> None:
    tasks = [
        task(10, 0, outline_level=1),
        task(11, 1, outline_level=2, constraint_type=ConstraintType.SNET,
             constraint_date=at("01-06 08:00")),
        task(12, 1, outline_level=2),
        task(20, 1, outline_level=1),
    ]  # fmt: skip
    result = run(project(tasks, [link(10, 20, LinkType.SS, days(1))]))
    assert dates(result[20])[:2] == ("01-06 08:00", "01-06 17:00")


def test_link_into_a_summary_applies_to_every_child() -> None:
    result = phase_project(link(30, 10))
    assert dates(result[11])[:2] == ("01-12 08:00", "01-13 17:00")
    assert dates(result[12])[:2] == ("01-14 08:00", "01-14 17:00")
    assert dates(result[10])[:2] == ("01-12 08:00", "01-14 17:00")


def test_nested_summaries_and_critical_roll_up() -> None:
    tasks = [
        task(1, 0, outline_level=1),
        task(2, 0, outline_level=2),
        task(3, 4, outline_level=3),
        task(4, 1, outline_level=2),
    ]
    outcome = schedule(project(tasks, [link(3, 4)]))
    result = outcome.by_uid()
    assert result[1].is_summary
    assert result[2].is_summary
    assert dates(result[1]) == ("01-05 08:00", "01-09 17:00", "01-05 08:00", "01-09 17:00")
    assert result[1].critical
    assert result[2].critical
    assert outcome.critical_path == [3, 4]
    assert (outcome.start, outcome.finish) == (at("01-05 08:00"), at("01-09 17:00"))


def test_critical_path_passes_through_a_summary_link() -> None:
    tasks = [
        task(10, 0, outline_level=1),
        task(11, 2, outline_level=2),
        task(12, 1, outline_level=2),
        task(20, 3, outline_level=1),
    ]
    outcome = schedule(project(tasks, [link(10, 20)]))
    assert outcome.critical_path == [11, 20]
