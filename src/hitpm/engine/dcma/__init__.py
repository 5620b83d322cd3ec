"""The DCMA 14-point schedule assessment of a scheduled project.

The Defense Contract Management Agency's 14-point assessment (DCMA-EA PAM 200.1, section 4) is
the common yardstick for whether a CPM schedule is well built: logic, leads, lags, relationship
types, hard constraints, float, durations, dates, resources, baseline execution and a test that
the critical path really drives the finish. ``docs/dcma.md`` gives each check's definition and
the sources; this package turns a :class:`ProjectSpec` and its :class:`ScheduleResult` into a
:class:`DcmaReport` whose checks name the offending tasks, so a reviewer is one click from the
fix.

Populations follow the DCMA's "total tasks": incomplete tasks that are neither summaries nor
milestones. Relationship checks (2-4) look at the links into incomplete tasks; checks 9 and 14
include milestones and, for 9, completed tasks, because a bad actual date sits on finished work.
A check whose inputs are missing (no status date, no baseline, no resource data, no scheduler)
is *not assessed* with the reason, never passed by default.

:func:`assess` runs the checks of :mod:`.checks` (1-10), :mod:`.baseline` (11, 14) and
:mod:`.critical` (12, 13) over one :class:`~.context.Context`; the result types are in
:mod:`.results`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from hitpm.engine.dcma.baseline import check_bei, check_missed_tasks
from hitpm.engine.dcma.checks import (
    HARD_CONSTRAINTS,
    check_hard_constraints,
    check_high_duration,
    check_high_float,
    check_invalid_dates,
    check_lags,
    check_leads,
    check_logic,
    check_negative_float,
    check_relationship_types,
    check_resources,
)
from hitpm.engine.dcma.context import Baseline, Context, Reschedule, summary_uids
from hitpm.engine.dcma.critical import check_cpli, check_critical_path, working_minutes_between
from hitpm.engine.dcma.results import (
    CheckResult,
    DcmaReport,
    DcmaThresholds,
    Direction,
    Offender,
    Threshold,
)
from hitpm.engine.model import ProjectSpec, ScheduleResult

_DEFAULT_THRESHOLDS = DcmaThresholds()  # the DCMA's published pass marks

__all__ = [
    "HARD_CONSTRAINTS",
    "Baseline",
    "CheckResult",
    "DcmaReport",
    "DcmaThresholds",
    "Direction",
    "Offender",
    "Reschedule",
    "Threshold",
    "assess",
    "working_minutes_between",
]


def assess(
    project: ProjectSpec,
    result: ScheduleResult,
    *,
    status_date: dt.datetime | None = None,
    baseline: Baseline | None = None,
    resources: Mapping[int, bool] | None = None,
    reschedule: Reschedule | None = None,
    thresholds: DcmaThresholds = _DEFAULT_THRESHOLDS,
) -> DcmaReport:
    """Run the fourteen DCMA checks on ``project`` as scheduled in ``result``.

    ``status_date`` overrides the project's. ``baseline`` (uid -> baseline start, finish)
    enables checks 11 and 14; ``resources`` (uid -> has resources or cost) enables check 10.
    ``reschedule`` re-runs the scheduler for the critical path test (check 12); it defaults to
    :func:`hitpm.engine.cpm.schedule` and must be the scheduler that produced ``result``.
    """
    status = status_date or project.status_date
    if status_date is not None and status_date != project.status_date:
        project = replace(project, status_date=status_date)
    ctx = Context(
        project=project,
        results=result.by_uid(),
        schedule=result,
        status_date=status,
        thresholds=thresholds,
        summaries=summary_uids(project, result),
    )
    checks = (
        check_logic(ctx),
        check_leads(ctx),
        check_lags(ctx),
        check_relationship_types(ctx),
        check_hard_constraints(ctx),
        check_high_float(ctx),
        check_negative_float(ctx),
        check_high_duration(ctx),
        check_invalid_dates(ctx),
        check_resources(ctx, resources),
        check_missed_tasks(ctx, baseline),
        check_critical_path(ctx, reschedule),
        check_cpli(ctx),
        check_bei(ctx, baseline),
    )
    return DcmaReport(project=project.name, status_date=status, checks=checks)
