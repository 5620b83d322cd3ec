"""The RACI matrix: rows are deliverables (plan tasks), columns stakeholders, cells letters.

By default the rows are the plan's summary tasks and milestones, plus any task that already
has a letter. A row is valid with exactly one Accountable and at least one Responsible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from hitpm.core.services import save_validated
from hitpm.planning.models import Task
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models import RaciAssignment, Stakeholder

Letter = RaciAssignment.Letter


@dataclass
class RaciRow:
    """A deliverable's row: the letter per stakeholder column and what is wrong with it."""

    task: Task
    columns: list[Stakeholder]
    letters: dict[int, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        return row_problems(list(self.letters.values()))

    @property
    def cells(self) -> list[tuple[Stakeholder, str]]:
        """(stakeholder, letter or "") in column order."""
        return [(s, self.letters.get(s.pk, "")) for s in self.columns]


@dataclass
class Matrix:
    columns: list[Stakeholder]
    rows: list[RaciRow]

    @property
    def problems(self) -> list[tuple[Task, str]]:
        return [(row.task, problem) for row in self.rows for problem in row.problems]


def row_problems(letters: list[str]) -> list[str]:
    """What breaks the RACI rules in one row's letters."""
    accountable = letters.count(Letter.ACCOUNTABLE)
    problems = []
    if accountable == 0:
        problems.append("No one is Accountable; name exactly one.")
    elif accountable > 1:
        problems.append(f"{accountable} people are Accountable; exactly one may be.")
    if Letter.RESPONSIBLE not in letters:
        problems.append("No one is Responsible; name at least one.")
    return problems


def matrix(project: Project) -> Matrix:
    """The project's RACI matrix."""
    assignments = list(RaciAssignment.objects.filter(project=project))
    assigned = {a.task_id for a in assignments}
    tasks = project.tasks.filter(Q(is_summary=True) | Q(milestone=True) | Q(pk__in=assigned))
    columns = list(project.stakeholders.order_by("-influence", "name"))
    rows = {t.pk: RaciRow(t, columns) for t in tasks.order_by("position")}
    for a in assignments:
        if a.task_id in rows:
            rows[a.task_id].letters[a.stakeholder_id] = a.letter
    return Matrix(columns, list(rows.values()))


def set_letter(project: Project, task: Task, stakeholder: Stakeholder, letter: str) -> None:
    """Put a letter in a cell, or clear it with "". Rule breaks are listed, not refused, so a
    matrix can be filled in any order; the letter itself must be R, A, C or I."""
    if letter and letter not in Letter.values:
        raise ValidationError({"letter": "Use R, A, C or I, or leave the cell empty."})
    if task.project_id != project.pk or stakeholder.project_id != project.pk:
        raise ValidationError("The task and the stakeholder must belong to this project.")
    with transaction.atomic():
        current = (
            RaciAssignment.objects.select_for_update()
            .filter(task=task, stakeholder=stakeholder)
            .first()
        )
        if not letter:
            if current is not None:
                current.delete()
            return
        if current is None:
            current = RaciAssignment(project=project, task=task, stakeholder=stakeholder)
        elif current.letter == letter:
            return
        current.letter = letter
        save_validated(current)
