"""Delivery sections: training, workflow changes and interfaces, and defects.

hitpm has no training, workflow or interface area of its own yet, but the work is already in
the project: the plan's tasks, the decision log and the agile boards. These sections find it
by the keyword rules of :mod:`hitpm.reports.keywords` (a task matches when its name or the
name of a summary task above it mentions a keyword) and report it from live data: progress
weighted by duration, slipping work (later than the baseline shown on the Gantt chart, as the
plan's "slipping" page computes it, or open past its finish date), the next milestone, and
for interfaces the state of the board items. Each section costs a fixed number of queries,
however large the plan. Defects come from the agile boards.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from hitpm.planning.baselines import baseline_for_gantt
from hitpm.planning.models import Baseline, Task
from hitpm.planning.progress import slipping_tasks
from hitpm.reports.formatting import EMPTY, day, percent, working_days
from hitpm.reports.keywords import INTERFACES, TRAINING, WORKFLOW, Keywords
from hitpm.reports.providers.plan import is_done, milestone_state
from hitpm.reports.sections import ReportContext, Section, not_tracked, section
from hitpm.stakeholders.models import Decision

SHOWN = 15
RECENT_DECISION_DAYS = 90
"""Decided workflow changes shown: those decided in the 90 days before the report date."""
BOARD_DONE_DAYS = 14
"""Interface items done on the boards are counted over the 14 days up to the report date."""
NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Slip:
    """A matching task that is slipping: later than the baseline, open past its finish, or
    both."""

    task: Task
    baseline_finish: dt.datetime | None
    slip_minutes: int | None
    """Working minutes later than the baseline; None when it is not later than the baseline."""
    late: bool
    """Open, and its finish is before the report date."""

    def why(self) -> str:
        reasons = []
        if self.slip_minutes:
            reasons.append(f"{working_days(self.slip_minutes)} later than the baseline")
        if self.late:
            reasons.append("open past its finish date")
        return "; ".join(reasons)


@dataclass(frozen=True)
class PlanArea:
    """The plan's tasks that match an area's keywords."""

    matched: list[Task]
    """Every matching task, summaries included."""
    work: list[Task]
    """Matching work tasks: no summaries, no milestones."""
    milestones: list[Task]
    slipping: list[Slip]
    baseline: Baseline | None
    """The baseline slippage was measured against (None: none saved, or nothing open)."""

    @property
    def empty(self) -> bool:
        return not self.work and not self.milestones


def plan_area(context: ReportContext, keywords: Keywords) -> PlanArea:
    """The tasks under (or named for) ``keywords``, and which of them are slipping.

    One query for the tasks; when some are open, the Gantt baseline and the planning app's
    :func:`~hitpm.planning.progress.slipping_tasks` (a few more, whatever the plan's size).
    """
    project = context.project
    tasks = list(project.tasks.select_related("owner").order_by("position", "pk"))
    by_id = {t.pk: t for t in tasks}
    hits: dict[int, bool] = {}

    def hit(task: Task) -> bool:  # the task's name or any summary above it
        if task.pk not in hits:
            parent = by_id.get(task.parent_id) if task.parent_id else None
            hits[task.pk] = keywords.found(task.name) or (parent is not None and hit(parent))
        return hits[task.pk]

    matched = [t for t in tasks if hit(t)]
    found = [t for t in matched if not t.is_summary]
    unfinished = [t for t in found if not is_done(t)]
    baseline = baseline_for_gantt(project) if unfinished else None
    later = {}
    if baseline is not None:
        ids = {t.pk for t in unfinished}
        later = {v.task.pk: v for v in slipping_tasks(project, baseline) if v.task.pk in ids}
    slipping = []
    for task in unfinished:
        variance = later.get(task.pk)
        late = milestone_state(task, context.as_of) == "Late"
        if variance is not None or late:
            slipping.append(Slip(task, variance.baseline_finish if variance else None,
                                 variance.finish_variance if variance else None, late))  # fmt: skip
    slipping.sort(key=lambda s: (-(s.slip_minutes or 0), s.task.finish or NEVER, s.task.position))
    return PlanArea(
        matched=matched,
        work=[t for t in found if not t.milestone],
        milestones=[t for t in found if t.milestone],
        slipping=slipping,
        baseline=baseline,
    )


def _started(task: Task) -> bool:
    return task.actual_start is not None or task.percent_complete > 0


def weighted_percent(tasks: list[Task]) -> float | None:
    """Percent complete weighted by duration (a plain average when no task has a duration)."""
    if not tasks:
        return None
    done = [100.0 if is_done(t) else float(t.percent_complete) for t in tasks]
    minutes = sum(t.duration_minutes for t in tasks)
    if minutes == 0:
        return sum(done) / len(done)
    return sum(t.duration_minutes * p for t, p in zip(tasks, done, strict=True)) / minutes


def progress_facts(area: PlanArea, noun: str) -> list[list[str]]:
    """Counts and duration-weighted progress of the area's work tasks, and how many slip."""
    work = area.work
    finished = sum(1 for t in work if is_done(t))
    started = sum(1 for t in work if not is_done(t) and _started(t))
    return [
        [f"{noun} tasks", str(len(work))],
        ["Complete (by duration)", percent(weighted_percent(work))],
        ["Finished", str(finished)],
        ["In progress", str(started)],
        ["Not started", str(len(work) - finished - started)],
        ["Slipping", _slipping_count(area)],
    ]


def _slipping_count(area: PlanArea) -> str:
    milestones = sum(1 for s in area.slipping if s.task.milestone)
    tasks = str(len(area.slipping) - milestones)
    return f"{tasks} (and {milestones} milestone{'' if milestones == 1 else 's'})" if (
        milestones) else tasks  # fmt: skip


def next_milestone(area: PlanArea) -> str:
    """The area's first open milestone: name, forecast date and total float."""
    ahead = sorted((m for m in area.milestones if not is_done(m) and m.finish),
                   key=lambda m: (m.finish, m.position))  # fmt: skip
    if ahead:
        m = ahead[0]
        return f"{m.name}: {day(m.finish)}, total float {working_days(m.total_float_minutes)}"
    if area.milestones:
        return f"None ahead (all {len(area.milestones)} done)"
    return "No milestone in the plan"


def slip_note(area: PlanArea) -> str:
    if area.baseline is not None:
        return (f"Slipping: finishing later than in the baseline “{area.baseline.name}”, or "
                "open past its finish date.")  # fmt: skip
    if any(not is_done(t) for t in area.work + area.milestones):
        return "No baseline is saved, so only open work past its finish date counts as slipping."
    return "Slipping: finishing later than the baseline, or open past its finish date."


def _owner(task: Task) -> str:
    return task.owner.get_full_name() if task.owner else EMPTY


SLIP_COLUMNS = ["WBS", "Task", "Finish", "Baseline finish", "Complete", "Owner", "Why"]


def slip_rows(area: PlanArea) -> list[list[str]]:
    return [
        [s.task.wbs, s.task.name, day(s.task.finish), day(s.baseline_finish),
         percent(float(s.task.percent_complete)), _owner(s.task), s.why()]
        for s in area.slipping[:SHOWN]
    ]  # fmt: skip


@section("training", "Training")
def training(context: ReportContext) -> Section:
    area = plan_area(context, TRAINING)
    if area.empty:
        return {
            "note": "The plan has no training tasks: no task, and no summary task above one, "
            f"mentions {TRAINING.label}. To report training here, put the training work "
            "(curriculum, materials, super-user and end-user training, at-the-elbow support) "
            "under a summary task named “Training …”."
        }
    return {
        "note": f"Plan tasks under, or named for, {TRAINING.label}; progress is weighted "
        f"by duration. {slip_note(area)} Listed: the slipping tasks, worst slip first (at most "
        f"{SHOWN}).",
        "facts": [
            *progress_facts(area, "Training"),
            ["Next training milestone", next_milestone(area)],
        ],
        "table": {
            "columns": SLIP_COLUMNS,
            "rows": slip_rows(area),
            "empty": "No training task is slipping.",
        },
    }


def workflow_decisions(context: ReportContext, area: PlanArea) -> list[Decision]:
    """Decisions whose title or description mentions a workflow keyword, or that concern a
    workflow task (two queries)."""
    project = context.project
    ids = {t.pk for t in area.matched}
    links = Decision.tasks.through.objects.filter(decision__project=project)
    linked = {d for d, t in links.values_list("decision_id", "task_id") if t in ids}
    return [d for d in project.decisions.order_by("pk")
            if d.pk in linked or WORKFLOW.found(f"{d.title}\n{d.description}")]  # fmt: skip


@section("workflow_changes", "Workflow changes")
def workflow_changes(context: ReportContext) -> Section:
    area = plan_area(context, WORKFLOW)
    decisions = workflow_decisions(context, area)
    if area.empty and not decisions:
        return {
            "note": "Neither the decision log nor the plan has workflow changes: no decision "
            f"and no task mentions {WORKFLOW.label}. Record future-state workflow and "
            "design decisions in the decision log, and name the design work in the plan "
            "(for example a summary task “Workflow design …”)."
        }
    since = context.as_of - dt.timedelta(days=RECENT_DECISION_DAYS)
    pending = sorted((d for d in decisions if d.status == Decision.Status.PENDING),
                     key=lambda d: (d.needed_by or dt.date.max, d.pk))  # fmt: skip
    overdue = sum(1 for d in pending if d.needed_by and d.needed_by < context.as_of)
    decided = sorted((d for d in decisions if d.status == Decision.Status.DECIDED
                      and d.decided_on and d.decided_on >= since),
                     key=lambda d: (d.decided_on, d.pk), reverse=True)  # fmt: skip
    facts = [
        ["Workflow decisions pending",
         f"{len(pending)} ({overdue} past their needed-by date)" if overdue else str(len(pending))],
        [f"Workflow decisions in the last {RECENT_DECISION_DAYS} days", str(len(decided))],
    ]  # fmt: skip
    if area.empty:
        facts.append(["Workflow-design tasks", "None in the plan"])
    else:
        facts += progress_facts(area, "Workflow-design")
    rows = [
        [d.title,
         "Decision needed, overdue" if d.needed_by and d.needed_by < context.as_of
         else "Decision needed",
         day(d.needed_by), EMPTY]
        for d in pending[:SHOWN]
    ]  # fmt: skip
    rows += [[f"{s.task.wbs} {s.task.name}".strip(), f"Task slipping: {s.why()}",
              day(s.task.finish), _owner(s.task)] for s in area.slipping[:SHOWN]]  # fmt: skip
    rows += [[d.title, "Decided", day(d.decided_on), d.decided_by or EMPTY]
             for d in decided[:SHOWN]]  # fmt: skip
    return {
        "note": "Pending workflow decisions are for leadership to make (soonest needed first); "
        f"then workflow-design tasks that are slipping, and decisions of the last "
        f"{RECENT_DECISION_DAYS} days. A decision or task counts when it mentions "
        f"{WORKFLOW.label}, or the decision concerns such a task. {slip_note(area)}",
        "facts": facts,
        "table": {
            "columns": ["Item", "Status", "Date", "Who"],
            "rows": rows,
            "empty": "No workflow decision is pending or recent, and no workflow-design task "
            "is slipping.",
        },
    }


@dataclass(frozen=True)
class BoardWork:
    """Interface items on the agile boards (epics left out: their stories are counted)."""

    open_by_column: list[tuple[str, int]]
    blocked: list[list[str]]
    open_count: int
    done_recently: int
    boards: int


def board_work(context: ReportContext) -> BoardWork | None:
    """Open, blocked and recently done interface items; None without agile boards. Two
    queries: the boards, and the open and recently done items."""
    if not apps.is_installed("hitpm.agile"):
        return None
    from hitpm.agile.models import ClinicalArea, WorkItem

    project = context.project
    boards = project.agile_boards.count()
    if boards == 0:
        return None
    since = context.as_of - dt.timedelta(days=BOARD_DONE_DAYS)
    items = (
        WorkItem.objects.filter(project=project)
        .exclude(kind=WorkItem.Kind.EPIC)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=timezone.make_aware(
            dt.datetime.combine(since, dt.time.min))))
        .select_related("board", "column", "assignee")
        .order_by("board__name", "board_id", "column__position", "rank", "pk")
    )  # fmt: skip
    integration = ClinicalArea.INTEGRATION
    found = [i for i in items if i.clinical_area == integration or INTERFACES.found(i.title)]
    open_ = [i for i in found if i.done_at is None]
    columns: Counter[str] = Counter()
    for item in open_:
        columns[f"{item.board.name}: {item.column.name}" if boards > 1 else item.column.name] += 1
    done = sum(1 for i in found if i.done_at is not None
               and since < timezone.localdate(i.done_at) <= context.as_of)  # fmt: skip
    blocked = [
        [f"{project.code}-{i.number}", i.title, f"Board: {i.column.name}", EMPTY,
         i.assignee.get_full_name() if i.assignee else EMPTY, f"Blocked: {i.blocked_reason}"]
        for i in open_ if i.blocked
    ]  # fmt: skip
    return BoardWork(list(columns.items()), blocked, len(open_), done, boards)


@section("interfaces", "Interfaces")
def interfaces(context: ReportContext) -> Section:
    area = plan_area(context, INTERFACES)
    board = board_work(context)
    if area.empty and (board is None or (board.open_count == 0 and board.done_recently == 0)):
        return {
            "note": "Neither the plan nor the agile boards have interface work: no task "
            f"mentions {INTERFACES.label}, and no open board item "
            "is in the Interfaces / integration area. Put the interface work under a summary "
            "task named “Interfaces …”, or set the clinical area of its board items to "
            "Interfaces / integration."
        }
    facts: list[list[str]] = []
    if area.empty:
        facts.append(["Interface tasks", "None in the plan"])
    else:
        facts += progress_facts(area, "Interface")
        facts.append(["Next interface milestone", next_milestone(area)])
    if board is None:
        facts.append(["Interface items on the boards", "No agile board for this project"])
    else:
        by_column = ", ".join(f"{name} {n}" for name, n in board.open_by_column)
        facts += [
            ["Open interface items on the boards",
             f"{board.open_count} ({by_column})" if board.open_count else "0"],
            ["Blocked", str(len(board.blocked))],
            [f"Done in the last {BOARD_DONE_DAYS} days", str(board.done_recently)],
        ]  # fmt: skip
    rows = [
        [s.task.wbs, s.task.name, day(s.task.finish), percent(float(s.task.percent_complete)),
         _owner(s.task), f"Slipping: {s.why()}"]
        for s in area.slipping[:SHOWN]
    ]  # fmt: skip
    rows += board.blocked[:SHOWN] if board else []
    return {
        "note": f"Plan tasks under, or named for, {INTERFACES.label}; board items in the "
        "Interfaces / integration area or whose title names one (epics left out). "
        f"{slip_note(area)} Listed: slipping tasks, worst slip first, and blocked items (at "
        f"most {SHOWN} of each).",
        "facts": facts,
        "table": {
            "columns": ["Ref", "Interface work", "Finish / column", "Complete", "Owner",
                        "Status"],
            "rows": rows,
            "empty": "No interface task is slipping and no interface item is blocked.",
        },
    }  # fmt: skip


@section("defects", "Defects")
def defects(context: ReportContext) -> Section:
    if not apps.is_installed("hitpm.agile"):
        return not_tracked("defects", "Defect tracking", "quality")
    from hitpm.agile.models import WorkItem

    project = context.project
    if not project.agile_boards.exists():
        return not_tracked("defects", "Defect tracking for this project (it has no agile "
                           "board)", "quality")  # fmt: skip
    found = WorkItem.objects.filter(project=project, kind=WorkItem.Kind.DEFECT)
    open_ = found.filter(done_at__isnull=True).select_related("assignee", "column")
    ordered = list(open_.order_by("-patient_safety", "rank", "pk")[:SHOWN])
    return {
        "note": "Defects on the project's agile boards; patient-safety defects first.",
        "facts": [
            ["Open defects", str(open_.count())],
            ["Patient-safety", str(open_.filter(patient_safety=True).count())],
            ["Blocked", str(open_.filter(blocked=True).count())],
            ["Closed", str(found.filter(done_at__isnull=False).count())],
        ],
        "table": {
            "columns": ["Defect", "Title", "State", "Assignee", "Patient safety"],
            "rows": [
                [f"{project.code}-{d.number}", d.title, d.column.name,
                 d.assignee.get_full_name() if d.assignee else "—",
                 "Yes" if d.patient_safety else "No"]
                for d in ordered
            ],
            "empty": "No open defects.",
        },
    }  # fmt: skip
