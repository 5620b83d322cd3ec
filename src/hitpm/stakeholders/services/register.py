"""Reading the register: the power/interest grid and the engagement assessment matrix."""

from __future__ import annotations

from dataclasses import dataclass

from hitpm.portfolio.models import Project
from hitpm.stakeholders.models import Engagement, Stakeholder
from hitpm.stakeholders.models.register import Quadrant

STRATEGY_ADVICE = {
    Quadrant.MANAGE_CLOSELY: "Engage fully: involve in decisions, consult early and often.",
    Quadrant.KEEP_SATISFIED: "Meet their needs; consult on what they care about, avoid overload.",
    Quadrant.KEEP_INFORMED: "Keep them adequately informed; use them as early warning.",
    Quadrant.MONITOR: "Monitor with minimal effort; general communications.",
}


@dataclass(frozen=True)
class GridQuadrant:
    """One quadrant of the power/interest grid with its stakeholders."""

    quadrant: Quadrant
    advice: str
    stakeholders: list[Stakeholder]

    @property
    def label(self) -> str:
        return str(self.quadrant.label)


def power_interest_grid(project: Project) -> list[GridQuadrant]:
    """The four quadrants, top-left (keep satisfied) to bottom-right (keep informed), the way
    the grid is drawn: power upwards, interest to the right."""
    people = list(project.stakeholders.order_by("-influence", "-interest", "name"))
    order = [Quadrant.KEEP_SATISFIED, Quadrant.MANAGE_CLOSELY, Quadrant.MONITOR,
             Quadrant.KEEP_INFORMED]  # fmt: skip
    return [
        GridQuadrant(q, STRATEGY_ADVICE[q], [s for s in people if s.quadrant == q]) for q in order
    ]


@dataclass(frozen=True)
class MatrixRow:
    """A stakeholder's row of the engagement assessment matrix: C marks the current level,
    D the desired one."""

    stakeholder: Stakeholder
    cells: list[str]


def engagement_matrix(project: Project) -> list[MatrixRow]:
    rows = []
    for person in project.stakeholders.order_by("name"):
        cells = []
        for level in Engagement:
            marks = ("C" if person.current_engagement == level else "") + (
                "D" if person.desired_engagement == level else ""
            )
            cells.append(marks)
        rows.append(MatrixRow(person, cells))
    return rows


def engagement_gaps(project: Project) -> list[Stakeholder]:
    """Stakeholders whose engagement is short of the desired level, biggest gap first."""
    people = [s for s in project.stakeholders.all() if s.engagement_gap > 0]
    return sorted(people, key=lambda s: (-s.engagement_gap, -s.influence, s.name))
