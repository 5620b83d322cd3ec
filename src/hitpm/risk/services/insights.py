"""Reading the register: filtered lists, heat maps, the weekly trend, what is overdue, the top
risks for status reports and open-risk counts for the portfolio dashboard."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from hitpm.portfolio.models import Project
from hitpm.risk.models import Risk, RiskAction, RiskScale, RiskScoreChange
from hitpm.risk.scoring import Bands
from hitpm.risk.services.register import scale_for

OPEN_STATUSES = (
    Risk.Status.IDENTIFIED,
    Risk.Status.ASSESSED,
    Risk.Status.RESPONDING,
)
Which = Literal["inherent", "residual"]
ORDERS = {
    "number": "number",
    "-number": "-number",
    "title": "title",
    "-title": "-title",
    "score": "score",
    "-score": "-score",
    "inherent": "inherent_score",
    "-inherent": "-inherent_score",
    "proximity": "proximity",
    "-proximity": "-proximity",
    "next_review": "next_review_on",
    "-next_review": "-next_review_on",
    "status": "status",
    "-status": "-status",
    "category": "category__position",
    "-category": "-category__position",
}


def with_score(risks: QuerySet[Risk]) -> QuerySet[Risk]:
    """Annotate ``score``: residual once assessed, else inherent."""
    return risks.annotate(score=Coalesce("residual_score", "inherent_score"))


def with_rating(risks: QuerySet[Risk], bands: Bands) -> QuerySet[Risk]:
    """Annotate ``score`` and its band ``rating`` (green/amber/red, "none" when unrated)."""
    return with_score(risks).annotate(
        rating=Case(
            When(score__gte=bands.red, then=Value("red")),
            When(score__gte=bands.amber, then=Value("amber")),
            When(score__isnull=False, then=Value("green")),
            default=Value("none"),
        )
    )


@dataclass(frozen=True)
class RegisterFilter:
    """What the register page and the API filter on; None or "" means any."""

    status: str = ""
    category: int | None = None
    owner: int | None = None
    kind: str = ""
    strategy: str = ""
    q: str = ""
    open_only: bool = False
    overdue_review: bool = False
    min_score: int | None = None


def register(
    project: Project, filters: RegisterFilter, order: str = "-score", today: dt.date | None = None
) -> QuerySet[Risk]:
    """The project's risks, filtered and sorted (ties by number)."""
    bands = scale_for(project.portfolio).bands
    risks = with_rating(project.risks.select_related("category", "owner"), bands)
    conditions = {
        "status": filters.status,
        "category_id": filters.category,
        "owner_id": filters.owner,
        "kind": filters.kind,
        "strategy": filters.strategy,
    }
    risks = risks.filter(**{k: v for k, v in conditions.items() if v not in (None, "")})
    if filters.q:
        q = filters.q
        risks = risks.filter(
            Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(cause__icontains=q)
            | Q(event__icontains=q)
            | Q(effect__icontains=q)
        )
    if filters.open_only:
        risks = risks.filter(status__in=OPEN_STATUSES)
    if filters.overdue_review:
        risks = risks.filter(status__in=OPEN_STATUSES, next_review_on__lt=today or dt.date.today())
    if filters.min_score is not None:
        floor = filters.min_score
        risks = risks.filter(
            Q(residual_score__gte=floor) | Q(residual_score__isnull=True, inherent_score__gte=floor)
        )
    key = ORDERS.get(order, "-score")
    name = key.lstrip("-")
    by = F(name).desc(nulls_last=True) if key.startswith("-") else F(name).asc(nulls_last=True)
    return risks.order_by(by, "number")


@dataclass
class Cell:
    probability: int
    impact: int
    score: int
    rating: str
    risks: list[Risk] = field(default_factory=list)


@dataclass
class HeatMap:
    """Rows from the highest probability down, columns from the lowest impact up."""

    which: Which
    scale: RiskScale
    rows: list[list[Cell]]
    unrated: list[Risk]

    @property
    def total(self) -> int:
        return sum(len(c.risks) for row in self.rows for c in row)


def heat_map(project: Project, which: Which, risks: Iterable[Risk] | None = None) -> HeatMap:
    """Open risks placed by probability and worst impact (inherent, or residual)."""
    scale = scale_for(project.portfolio)
    bands = scale.bands
    size = scale.size
    grid = {
        (p, i): Cell(p, i, p * i, bands.rating(p * i))
        for p in range(1, size + 1)
        for i in range(1, size + 1)
    }
    unrated: list[Risk] = []
    chosen = risks if risks is not None else open_risks(project)
    for risk in chosen:
        p, i = _position(risk, which)
        if p and i and (p, i) in grid:
            grid[(p, i)].risks.append(risk)
        else:
            unrated.append(risk)
    rows = [[grid[(p, i)] for i in range(1, size + 1)] for p in range(size, 0, -1)]
    return HeatMap(which, scale, rows, unrated)


def _position(risk: Risk, which: Which) -> tuple[int | None, int | None]:
    if which == "residual":
        return risk.residual_probability, risk.residual_impact
    return risk.probability, risk.inherent_impact


def open_risks(project: Project) -> QuerySet[Risk]:
    return project.risks.filter(status__in=OPEN_STATUSES).select_related("category", "owner")


def cell_risks(project: Project, which: Which, probability: int, impact: int) -> list[Risk]:
    """The open risks in one heat-map cell, highest score first."""
    cells = heat_map(project, which).rows
    for row in cells:
        for cell in row:
            if cell.probability == probability and cell.impact == impact:
                return sorted(cell.risks, key=lambda r: (-(r.current_score or 0), r.number))
    return []


@dataclass(frozen=True)
class Week:
    ending: dt.date
    exposure: int
    open_count: int
    red: int


def trend(project: Project, today: dt.date, weeks: int = 12) -> list[Week]:
    """Open exposure (sum of current scores of open risks) at the end of each past week,
    replayed from the score history."""
    ends = [today - dt.timedelta(days=7 * k) for k in range(weeks - 1, -1, -1)]
    bands = scale_for(project.portfolio).bands
    history: dict[int, list[RiskScoreChange]] = defaultdict(list)
    for change in RiskScoreChange.objects.filter(risk__project=project).order_by("at", "pk"):
        history[change.risk_id].append(change)
    out = []
    for end in ends:
        exposure = count = red = 0
        for changes in history.values():
            state = _state_on(changes, end)
            if state is None or state.status not in OPEN_STATUSES:
                continue
            score = state.current_score or 0
            exposure += score
            count += 1
            red += bands.rating(score) == "red"
        out.append(Week(end, exposure, count, red))
    return out


def _state_on(changes: list[RiskScoreChange], day: dt.date) -> RiskScoreChange | None:
    state = None
    for change in changes:
        if change.at.date() > day:
            break
        state = change
    return state


@dataclass(frozen=True)
class Overdue:
    reviews: list[Risk]
    actions: list[RiskAction]


def overdue(project: Project, today: dt.date) -> Overdue:
    """Open risks past their next review, and open actions past their due date."""
    reviews = list(
        open_risks(project).filter(next_review_on__lt=today).order_by("next_review_on", "number")
    )
    actions = list(
        RiskAction.objects.filter(
            risk__project=project, status=RiskAction.Status.OPEN, due_on__lt=today
        )
        .select_related("risk", "owner")
        .order_by("due_on", "pk")
    )
    return Overdue(reviews, actions)


def top_risks(project: Project, limit: int = 5) -> list[Risk]:
    """The open risks a status report leads with: highest current score, then nearest."""
    rated = Q(residual_score__isnull=False) | Q(inherent_score__isnull=False)
    risks = with_rating(open_risks(project), scale_for(project.portfolio).bands).filter(rated)
    ordered = risks.order_by(F("score").desc(), F("proximity").asc(nulls_last=True), "number")
    return list(ordered[:limit])


def open_risk_counts(project_ids: Iterable[int]) -> dict[int, int]:
    """Open risks per project, for the portfolio dashboard (0 for projects without any)."""
    ids = list(project_ids)
    rows = (
        Risk.objects.filter(project_id__in=ids, status__in=OPEN_STATUSES)
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({row["project_id"]: row["n"] for row in rows})
    return counts
