"""Schedule health: the DCMA 14-point assessment of a stored plan.

The plan is scheduled in memory exactly as :func:`~hitpm.planning.services.reschedule` would,
and assessed with :func:`hitpm.engine.dcma.assess`. Check 10 (resources) reads the plan's
assignments; checks 11 and 14 (missed tasks, BEI) read the baseline the Gantt chart shows
(or the one asked for). ``docs/dcma.md`` defines each check.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from hitpm.engine.cpm import schedule
from hitpm.engine.dcma import Baseline as DcmaBaseline
from hitpm.engine.dcma import DcmaReport, assess
from hitpm.planning.baselines import baseline_for_gantt, baseline_of
from hitpm.planning.models import Assignment, Baseline
from hitpm.planning.spec import load_plan, naive
from hitpm.portfolio.models import Project


def _dcma_baseline(baseline: Baseline) -> DcmaBaseline:
    rows = baseline.rows.values_list("task_id", "start", "finish")
    return {pk: (naive(start), naive(finish)) for pk, start, finish in rows}


def assessment(
    project: Project, baseline_id: int | None = None
) -> tuple[DcmaReport, Baseline | None]:
    """The DCMA report of the project's plan, and the baseline it was measured against."""
    plan = load_plan(project)
    try:
        result = schedule(plan.spec)
    except ValueError as exc:
        raise ValidationError(f"The plan of {project.code} cannot be scheduled: {exc}") from exc
    baseline = baseline_of(project, baseline_id) if baseline_id else baseline_for_gantt(project)
    assigned = set(Assignment.objects.filter(project=project).values_list("task_id", flat=True))
    report = assess(
        plan.spec,
        result,
        baseline=_dcma_baseline(baseline) if baseline is not None else None,
        resources={task.uid: task.uid in assigned for task in plan.spec.tasks},
    )
    return report, baseline
