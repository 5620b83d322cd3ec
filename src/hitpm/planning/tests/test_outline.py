"""WBS structure edits: insert, indent, outdent, move, reorder, delete."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hitpm.planning.models import Dependency, Task
from hitpm.planning.outline import create_task, delete_tasks, indent, move_task, outdent, reorder
from hitpm.planning.tests.conftest import DAY
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db


def outline(project: Project) -> list[tuple[str, str, str | None]]:
    """(WBS, name, parent name) in plan order."""
    rows = project.tasks.order_by("position").values_list("wbs", "name", "parent__name")
    return list(rows)


def test_indent_makes_a_task_a_subtask_of_the_one_above(plan: dict[str, Task]) -> None:
    project = plan["Training"].project
    result = indent(project, [plan["Training"].pk])
    assert outline(project)[4] == ("2.1", "Training", "Go-live")
    assert "Training" in [t.name for t in result.changed]
    assert Task.objects.get(pk=plan["Training"].pk).version == 2  # audited change of parent


def test_indent_under_a_linked_task_is_refused_as_a_loop(plan: dict[str, Task]) -> None:
    project = plan["Go-live"].project
    before = outline(project)
    with pytest.raises(ValidationError, match=r"loop: 1 Build -> 1\.3 Go-live"):
        indent(project, [plan["Go-live"].pk])
    assert outline(project) == before


def test_outdent_adopts_the_following_siblings(plan: dict[str, Task]) -> None:
    project = plan["Order sets"].project
    Dependency.objects.filter(successor=plan["Unit testing"]).delete()
    outdent(project, [plan["Order sets"].pk])
    assert outline(project)[:4] == [
        ("1", "Build", None),
        ("2", "Order sets", None),
        ("2.1", "Unit testing", "Order sets"),
        ("3", "Go-live", None),
    ]


@pytest.mark.parametrize(
    ("action", "task", "words"),
    [(indent, "Build", "cannot be indented"), (indent, "Order sets", "cannot be indented"),
     (outdent, "Training", "top level")],
)  # fmt: skip
def test_impossible_shifts_are_refused(
    plan: dict[str, Task], action: object, task: str, words: str
) -> None:
    project = plan[task].project
    before = outline(project)
    with pytest.raises(ValidationError, match=words):
        action(project, [plan[task].pk])  # type: ignore[operator]
    assert outline(project) == before


def test_move_a_summary_with_its_subtasks(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    move_task(project, plan["Build"].pk, plan["Training"].pk, "after")
    assert [name for _, name, _ in outline(project)] == [
        "Go-live", "Training", "Build", "Order sets", "Unit testing",
    ]  # fmt: skip
    assert outline(project)[3] == ("3.1", "Order sets", "Build")
    with pytest.raises(ValidationError, match="into itself"):
        move_task(project, plan["Build"].pk, plan["Order sets"].pk, "before")


def test_reorder_swaps_siblings(plan: dict[str, Task]) -> None:
    project = plan["Unit testing"].project
    reorder(project, plan["Unit testing"].pk, "up")
    assert [name for _, name, _ in outline(project)][1:3] == ["Unit testing", "Order sets"]
    with pytest.raises(ValidationError, match="first"):
        reorder(project, plan["Build"].pk, "up")


def test_create_task_above_a_row_and_under_a_parent(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    result = create_task(
        project, {"name": "Kick-off", "milestone": True}, before_id=plan["Build"].pk
    )
    assert outline(project)[0] == ("1", "Kick-off", None)
    assert result.changed[0].milestone
    create_task(
        project, {"name": "Smoke test", "duration_minutes": DAY}, parent_id=plan["Build"].pk
    )
    assert outline(project)[4] == ("2.3", "Smoke test", "Build")
    with pytest.raises(ValidationError):
        create_task(project, {"name": " "})
    with pytest.raises(ValidationError):
        create_task(project, {"name": "Bad", "duration_minutes": -1})
    assert not project.tasks.filter(name="Bad").exists()


def test_delete_a_summary_takes_its_subtasks_and_links(plan: dict[str, Task]) -> None:
    project = plan["Build"].project
    links = set(Dependency.objects.values_list("pk", flat=True))
    result = delete_tasks(project, [plan["Build"].pk])
    assert [name for _, name, _ in outline(project)] == ["Go-live", "Training"]
    assert outline(project)[0][0] == "1"
    assert result.removed_ids == sorted(
        t.pk for n, t in plan.items() if n in {"Build", "Order sets", "Unit testing"}
    )
    assert set(result.removed_link_ids) == links
