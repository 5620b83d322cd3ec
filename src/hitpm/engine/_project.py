"""Per-task forward and backward passes for a whole :class:`ProjectSpec`.

This is the general scheduler behind :func:`hitpm.engine.cpm.schedule`: every task may have its
own calendar, lags may be working, elapsed or percent, and constraints, deadlines, progress,
manual tasks and summary logic all apply. It follows Microsoft Project's rules as far as they
are known (MPXJ's ``MicrosoftScheduler`` documents many of them):

* each task's dates live on its own calendar's working-minute axis (``*_w``) and as instants
  (minutes since the epoch, ``*_t``); a link's lag is counted on the successor's calendar;
* a task without predecessors starts at the project start (or at its SNET/FNET date); an
  FF-driven start never precedes the project start; late finishes never exceed the project
  finish;
* MSO/MFO fix the late dates too; deadlines cap the late finish like FNLT;
* ALAP tasks are placed at their late dates and a second forward pass lets them drive their
  successors from there.

Loops run in topological order over Python lists: fast enough for tens of thousands of tasks.
Projects on a single calendar (the common case) run through the compiled port of these passes
in :mod:`hitpm.engine._spec_kernels` instead, which must stay in step with this module; large
array networks go through :func:`hitpm.engine.cpm.schedule_arrays`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hitpm.engine.calendar import HorizonError, WorkCalendar, to_minutes
from hitpm.engine.model import ConstraintType, ProgressMode, ProjectSpec, TaskSpec
from hitpm.engine.network import ROLLUP, Network

FS, SS, FF, SF = 0, 1, 2, 3
FINISH_LINKS = (FS, FF)  # links that start from the predecessor's finish
INFINITE = 1 << 62
CT = ConstraintType


@dataclass
class Dates:
    """Working offsets (on the task's calendar) and instants of every task, by index."""

    es_w: list[int]
    ef_w: list[int]
    ls_w: list[int]
    lf_w: list[int]
    es_t: list[int]
    ef_t: list[int]
    ls_t: list[int]
    lf_t: list[int]
    demand: list[int]  # per edge: the early start it asks of its successor
    remaining: list[int]
    project_finish_t: int = 0
    fin_bound: dict[int, int] = field(default_factory=dict)  # summary -> instant
    start_bound: dict[int, int] = field(default_factory=dict)

    @classmethod
    def empty(cls, n: int, m: int) -> Dates:
        def zeros() -> list[int]:
            return [0] * n

        return cls(
            zeros(), zeros(), zeros(), zeros(), zeros(), zeros(), zeros(), zeros(),
            [0] * m, zeros(),
        )  # fmt: skip


class ProjectPasses:
    """Runs the passes; results are left in :attr:`dates`."""

    def __init__(self, project: ProjectSpec, network: Network, calendars: list[WorkCalendar]):
        self.project = project
        self.net = network
        self.cal = calendars  # per task index
        self.tasks: list[TaskSpec] = list(project.tasks)
        links = network.links
        self.pred_ptr = links.pred_ptr.tolist()
        self.pred_idx = links.pred_idx.tolist()
        self.kind = links.link_type.tolist()
        self.lag_value = network.lag_value.tolist()
        self.lag_kind = network.lag_kind.tolist()
        self.succ_ptr = network.order.succ_ptr.tolist()
        self.succ_edge = network.order.succ_edge.tolist()
        self.edge_succ = network.order.edge_succ.tolist()
        self.order = network.order.order.tolist()
        self.summary = network.is_summary.tolist()
        self.duration = [
            0 if s else t.duration_minutes for t, s in zip(self.tasks, self.summary, strict=True)
        ]
        self.start_t = to_minutes(project.start)
        self.status_t = None if project.status_date is None else to_minutes(project.status_date)
        self.options = project.options
        self.dates = Dates.empty(len(self.tasks), len(self.pred_idx))
        self.earliest_leaf: dict[int, int] = {}
        self.alap_pass = False

    def run(self) -> Dates:
        """Forward, backward, and a second forward pass when ALAP tasks must drive successors."""
        self.forward()
        self.backward()
        if any(t.constraint_type == CT.ALAP for t in self.tasks):
            self.alap_pass = True
            self.forward()
        return self.dates

    # -- helpers ---------------------------------------------------------------------------

    def constraint_w(self, i: int) -> int:
        date = self.tasks[i].constraint_date
        return self.cal[i].offset_of(to_minutes(date)) if date is not None else 0

    def completed(self, i: int) -> bool:
        return not self.summary[i] and self.tasks[i].actual_finish is not None

    def in_progress(self, i: int) -> bool:
        task = self.tasks[i]
        return not self.summary[i] and task.actual_start is not None and task.actual_finish is None

    def lag_minutes(self, e: int, pred: int) -> int:
        """A working or percent lag in working minutes (elapsed lags are handled apart)."""
        value = self.lag_value[e]
        if self.lag_kind[e] == 2:
            d = self.dates
            pred_duration = (
                d.ef_w[pred] - d.es_w[pred] if self.summary[pred] else self.duration[pred]
            )
            return round(value * pred_duration / 100)
        return round(value)

    def pred_date_t(self, e: int, pred: int, succ: int) -> int:
        """The predecessor instant a link starts from (late dates for ALAP in the 2nd pass)."""
        d = self.dates
        late = (
            self.alap_pass
            and self.tasks[pred].constraint_type == CT.ALAP
            and self.tasks[succ].constraint_type != CT.ALAP
        )
        if self.kind[e] in FINISH_LINKS:
            return d.lf_t[pred] if late else d.ef_t[pred]
        return d.ls_t[pred] if late else d.es_t[pred]

    def shifted_w(self, e: int, pred: int, succ: int) -> int:
        """Predecessor instant plus lag, on the successor's working axis."""
        cal = self.cal[succ]
        t = self.pred_date_t(e, pred, succ)
        if self.lag_kind[e] == 1:
            return cal.offset_of(t + round(self.lag_value[e]))
        return cal.offset_of(t) + self.lag_minutes(e, pred)

    # -- forward pass ----------------------------------------------------------------------

    def forward(self) -> None:
        j = -1
        try:
            for j in self.order:
                if self.summary[j]:
                    self.roll_up_early(j)
                else:
                    self.schedule_early(j)
        except HorizonError as exc:
            exc.task = j  # so the final error can name the task
            raise
        d = self.dates
        leaves = [i for i in range(len(self.tasks)) if not self.summary[i]]
        d.project_finish_t = max((d.ef_t[i] for i in leaves), default=self.start_t)

    def roll_up_early(self, s: int) -> None:
        d = self.dates
        kids = self.net.children[s]
        first = min(kids, key=lambda k: d.es_t[k])
        d.es_t[s] = d.es_t[first]
        d.ef_t[s] = max(d.ef_t[k] for k in kids)
        self.earliest_leaf[s] = self.earliest_leaf.get(first, first)
        cal = self.cal[s]
        d.es_w[s] = cal.offset_of(d.es_t[s])
        d.ef_w[s] = cal.offset_of(d.ef_t[s])

    def schedule_early(self, j: int) -> None:
        task = self.tasks[j]
        d = self.dates
        cal = self.cal[j]
        dur = self.duration[j]
        d.remaining[j] = dur
        if task.actual_start is not None:
            self.schedule_progress(j, task.actual_start)
            return
        if task.manual and task.manual_start is not None:
            self.keep_manual_dates(j, task.manual_start, task.manual_finish)
            return
        es, at = self.link_start(j)
        if self.status_t is not None and self.options.remaining_after_status_date:
            es, at = max(es, cal.offset_of(self.status_t)), max(at, self.status_t)
        if dur == 0:
            self.place_milestone(j, self.constrain_milestone(j, at))
            return
        es = self.constrain_start(j, es)
        d.es_w[j], d.ef_w[j] = es, es + dur
        d.es_t[j], d.ef_t[j] = cal.start_of(es), cal.finish_of(es + dur)

    def keep_manual_dates(self, j: int, start: dt.datetime, finish: dt.datetime | None) -> None:
        """A manually scheduled task stays exactly where the user put it."""
        d = self.dates
        cal = self.cal[j]
        d.es_t[j] = to_minutes(start)
        d.es_w[j] = cal.offset_of(d.es_t[j])
        if finish is None:
            d.ef_w[j] = d.es_w[j] + self.duration[j]
            d.ef_t[j] = cal.finish_of(d.ef_w[j]) if self.duration[j] else d.es_t[j]
        else:
            d.ef_t[j] = to_minutes(finish)
            d.ef_w[j] = cal.offset_of(d.ef_t[j])

    def link_start(self, j: int) -> tuple[int, int]:
        """Earliest start the links allow, as a working offset and (for milestones) an instant;
        without links, the project start or the SNET/FNET date."""
        d = self.dates
        task = self.tasks[j]
        cal = self.cal[j]
        start_w = cal.offset_of(self.start_t)
        lo, hi = self.pred_ptr[j], self.pred_ptr[j + 1]
        if lo == hi:
            if task.constraint_date is not None and task.constraint_type in (CT.SNET, CT.FNET):
                at = to_minutes(task.constraint_date)
                end = task.constraint_type == CT.FNET
                return cal.offset_of(at) - (self.duration[j] if end else 0), at
            return start_w, self.start_t
        best_w, best_t = -INFINITE, -INFINITE
        for e in range(lo, hi):
            w, at = self.demand(e, self.pred_idx[e], j)
            d.demand[e] = w
            if self.kind[e] == FF and w <= start_w:  # FF never pulls before the project start
                w, at = start_w, self.start_t
            best_w, best_t = max(best_w, w), max(best_t, at)
        return best_w, best_t

    def demand(self, e: int, pred: int, succ: int) -> tuple[int, int]:
        """The start edge ``e`` asks of its successor: working offset on the successor's
        calendar, and for milestones the instant itself. A positive lag ends at the end of
        working time (17:00), a negative one at its start, no lag keeps the predecessor's
        instant, as Microsoft Project's date arithmetic does."""
        dur = self.duration[succ]
        w = self.shifted_w(e, pred, succ)
        if dur:
            return w - (dur if self.kind[e] in (FF, SF) else 0), 0
        t = self.pred_date_t(e, pred, succ)
        if self.lag_kind[e] == 1:
            return w, t + round(self.lag_value[e])
        lag = self.lag_minutes(e, pred)
        if lag == 0:
            return w, t
        return w, self.cal[succ].finish_of(w) if lag > 0 else self.cal[succ].start_of(w)

    def constrain_start(self, j: int, es: int) -> int:
        """Apply the task's date constraint to its link-driven early start (working offset)."""
        task = self.tasks[j]
        kind = task.constraint_type
        if task.constraint_date is None or kind in (CT.ASAP, CT.ALAP):
            return es
        c = self.constraint_w(j)
        dur = self.duration[j]
        honor = self.options.honor_constraints_over_links
        if kind in (CT.SNET, CT.FNET):
            return max(es, c - (dur if kind == CT.FNET else 0))
        if kind in (CT.SNLT, CT.FNLT):
            limit = c - (dur if kind == CT.FNLT else 0)
            return min(es, limit) if honor else es
        target = c - (dur if kind == CT.MFO else 0)
        return target if honor else max(es, target)

    def constrain_milestone(self, j: int, at: int) -> int:
        """The same for a milestone, on instants (its start and finish coincide)."""
        task = self.tasks[j]
        kind = task.constraint_type
        if task.constraint_date is None or kind in (CT.ASAP, CT.ALAP):
            return at
        c = to_minutes(task.constraint_date)
        honor = self.options.honor_constraints_over_links
        if kind in (CT.SNET, CT.FNET):
            return max(at, c)
        if kind in (CT.SNLT, CT.FNLT):
            return min(at, c) if honor else at
        return c if honor else max(at, c)

    def place_milestone(self, j: int, at: int) -> None:
        """A milestone stays at an instant that ends working time (Friday 17:00, 12:00 before
        lunch); any other non-working instant moves to the next working minute."""
        d = self.dates
        cal = self.cal[j]
        w = cal.offset_of(at)
        d.es_w[j] = d.ef_w[j] = w
        d.es_t[j] = d.ef_t[j] = at if cal.finish_of(w) == at else cal.start_of(w)

    def schedule_progress(self, j: int, actual_start: dt.datetime) -> None:
        """Started tasks: the actual start stays; the remaining work resumes at the status date
        (or where the work done so far ends), and under retained logic not before the
        predecessors allow; progress override ignores the predecessors."""
        task = self.tasks[j]
        d = self.dates
        cal = self.cal[j]
        d.es_t[j] = to_minutes(actual_start)
        d.es_w[j] = cal.offset_of(d.es_t[j])
        if task.actual_finish is not None:
            d.ef_t[j] = to_minutes(task.actual_finish)
            d.ef_w[j] = cal.offset_of(d.ef_t[j])
            d.remaining[j] = 0
            return
        rem = remaining_minutes(task)
        d.remaining[j] = rem
        resume = d.es_w[j] + (self.duration[j] - rem)
        if self.status_t is not None and self.options.remaining_after_status_date:
            resume = max(resume, cal.offset_of(self.status_t))
        if self.options.progress_mode == ProgressMode.RETAINED_LOGIC:
            resume = max(resume, self.retained_logic_resume(j, rem))
        d.ef_w[j] = resume + rem
        d.ef_t[j] = cal.finish_of(d.ef_w[j])

    def retained_logic_resume(self, j: int, rem: int) -> int:
        """Earliest resumption the unfinished predecessors allow (SS links are already met)."""
        best = -INFINITE
        for e in range(self.pred_ptr[j], self.pred_ptr[j + 1]):
            i = self.pred_idx[e]
            kind = self.kind[e]
            if kind == SS or self.completed(i):
                d_e = -INFINITE
            else:
                base = self.shifted_w(e, i, j)
                d_e = base if kind == FS else base - rem
            self.dates.demand[e] = d_e
            best = max(best, d_e)
        return best

    # -- backward pass ---------------------------------------------------------------------

    def backward(self) -> None:
        d = self.dates
        i = -1
        try:
            for i in reversed(self.order):
                if self.summary[i]:
                    self.summary_bounds(i)
                elif self.completed(i):
                    d.ls_w[i], d.lf_w[i] = d.es_w[i], d.ef_w[i]
                    d.ls_t[i], d.lf_t[i] = d.es_t[i], d.ef_t[i]
                else:
                    self.schedule_late(i)
        except HorizonError as exc:
            exc.task = i
            raise

    def bound_t(self, e: int, early: bool) -> int:
        """The latest instant edge ``e`` allows its predecessor's finish (FS, FF) or start
        (SS, SF), from the successor's early or late dates, before any duration is added.

        Of all instants with the same working offset (Friday 17:00 ... Monday 08:00) the
        latest is taken, so that a predecessor on another calendar, or an elapsed lag, gets
        exactly the room the forward pass would give it."""
        d = self.dates
        j = self.edge_succ[e]
        i = self.pred_idx[e]
        kind = self.kind[e]
        cal = self.cal[j]
        early = early and self.tasks[j].constraint_type != CT.ALAP  # ALAP sits at late dates
        if kind in (FS, SS):
            w = d.es_w[j] if early else d.ls_w[j]
        else:
            w = d.ef_w[j] if early else d.lf_w[j]
        if self.lag_kind[e] == 1:
            return cal.start_of(w) - round(self.lag_value[e])
        return cal.start_of(w - self.lag_minutes(e, i))

    def successor_edges(self, i: int) -> list[int]:
        """Dependency edges leaving ``i`` to unfinished tasks."""
        edges = self.succ_edge[self.succ_ptr[i] : self.succ_ptr[i + 1]]
        return [
            e for e in edges if self.kind[e] != ROLLUP and not self.completed(self.edge_succ[e])
        ]

    def summary_bounds(self, s: int) -> None:
        """What a summary's own successor links (and its parents') allow its tasks."""
        d = self.dates
        fin, start = d.project_finish_t, INFINITE
        for e in self.successor_edges(s):
            if self.kind[e] in FINISH_LINKS:
                fin = min(fin, self.bound_t(e, early=False))
            else:
                start = min(start, self.bound_t(e, early=False))
        parent = int(self.net.parent[s])
        if parent >= 0:
            fin = min(fin, d.fin_bound[parent])
            if self.earliest_leaf[s] == self.earliest_leaf[parent]:
                start = min(start, d.start_bound[parent])
        d.fin_bound[s], d.start_bound[s] = fin, start

    def late_finish_bounds(self, i: int) -> list[int]:
        """Per successor link (own, and the summaries' above), the latest finish it allows,
        in working minutes on ``i``'s calendar."""
        cal = self.cal[i]
        dur = self.duration[i]
        bounds = []
        for e in self.successor_edges(i):
            w = cal.offset_of(self.bound_t(e, early=False))
            bounds.append(w if self.kind[e] in FINISH_LINKS else w + dur)
        parent = int(self.net.parent[i])
        if parent >= 0:
            bounds.append(cal.offset_of(self.dates.fin_bound[parent]))
            start = self.dates.start_bound[parent]
            if self.earliest_leaf[parent] == i and start < INFINITE:
                bounds.append(cal.offset_of(start) + dur)
        return bounds

    def schedule_late(self, i: int) -> None:
        d = self.dates
        cal = self.cal[i]
        finish_w = cal.offset_of(d.project_finish_t)
        lf = min([finish_w, *self.late_finish_bounds(i)])
        lf = self.constrain_finish(i, lf)
        d.lf_w[i] = lf
        d.ls_w[i] = lf - (d.remaining[i] if self.in_progress(i) else self.duration[i])
        milestone = self.duration[i] == 0
        # A late finish at the start of a working period moves back to the end of the previous
        # one, milestones included (MS Project's "equivalent previous work finish").
        d.lf_t[i] = cal.finish_of(lf)
        d.ls_t[i] = d.lf_t[i] if milestone else cal.start_of(d.ls_w[i])
        if self.in_progress(i):
            # Reported late start is the actual start; ls_w keeps the latest resumption
            # (late finish less remaining work), which is what predecessors' links need.
            d.ls_t[i] = d.es_t[i]

    def free_float(self, i: int) -> int:
        """Least slack any successor link leaves (project finish when there is none)."""
        d = self.dates
        cal = self.cal[i]
        edges = self.successor_edges(i)
        if not edges:
            return cal.offset_of(d.project_finish_t) - d.ef_w[i]
        slack = INFINITE
        for e in edges:
            own = d.ef_w[i] if self.kind[e] in FINISH_LINKS else d.es_w[i]
            slack = min(slack, cal.offset_of(self.bound_t(e, early=True)) - own)
        return slack

    def constrain_finish(self, i: int, lf: int) -> int:
        """Constraints and the deadline on the late finish."""
        task = self.tasks[i]
        kind = task.constraint_type
        dur = self.duration[i]
        honor = self.options.honor_constraints_over_links
        if task.constraint_date is not None:
            c = self.constraint_w(i)
            if kind in (CT.MSO, CT.MFO):
                fixed = c + dur if kind == CT.MSO else c
                lf = fixed if honor else min(lf, fixed)
            elif kind == CT.SNLT:
                lf = min(lf, c + dur)
            elif kind == CT.FNLT:
                lf = min(lf, c)
        if task.deadline is not None:
            lf = min(lf, self.cal[i].offset_of(to_minutes(task.deadline)))
        return lf


def remaining_minutes(task: TaskSpec) -> int:
    """Remaining working minutes of a started task: given, or from percent complete."""
    if task.remaining_duration_minutes is not None:
        return max(int(task.remaining_duration_minutes), 0)
    done = min(max(task.percent_complete, 0.0), 100.0)
    return round(task.duration_minutes * (100.0 - done) / 100.0)
