"""The task graph as compact arrays: CSR links, validation, topological order, cycle reports.

Two levels:

* :class:`Links` is the array form the fast scheduler and Monte Carlo use: edges grouped by
  successor (CSR) with link types and lags. :func:`links_from_edges` builds it from plain edge
  lists; :func:`ordered` returns a topological order or raises :class:`CycleError`.
* :class:`Network` is a :class:`~hitpm.engine.model.ProjectSpec` turned into such arrays, with
  summary tasks derived from outline levels. A summary task is a node of its own fed by its
  children through *roll-up* edges (so it is ordered after them). Links *to* a summary apply to
  every task under it and are expanded to them; links *from* a summary stay on the summary
  node, whose start is its earliest child's and whose finish is its latest child's, which is
  how Microsoft Project lets summary logic drive successors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from hitpm.engine import _kernels
from hitpm.engine.model import LagFormat, LinkSpec, ProjectSpec, TaskSpec

IntArray = npt.NDArray[np.int64]
ROLLUP = 4
"""Edge type of the structural edge from a task to its summary (not a dependency)."""
LAG_CODES = {LagFormat.WORKING: 0, LagFormat.ELAPSED: 1, LagFormat.PERCENT: 2}


class NetworkError(ValueError):
    """The task network is invalid; the message names the tasks involved."""


class CycleError(NetworkError):
    """The links form a loop. ``labels`` names the tasks on it, in link order."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        loop = " -> ".join([*labels, labels[0]]) if labels else "?"
        super().__init__(f"the links form a loop: {loop}; remove or reverse one of these links")


@dataclass(frozen=True)
class Links:
    """Links grouped by successor: the predecessors of task ``j`` are
    ``pred_idx[pred_ptr[j]:pred_ptr[j + 1]]``; edge ``e`` has ``link_type[e]`` (0=FS, 1=SS,
    2=FF, 3=SF; 4 marks a roll-up edge in a :class:`Network`) and ``lag[e]``."""

    pred_ptr: IntArray
    pred_idx: IntArray
    link_type: npt.NDArray[np.int8]
    lag: IntArray

    def __post_init__(self) -> None:
        """Coerce to the one dtype set the compiled kernels are built for (no copy when the
        arrays already match), so no call ever pays for compiling another specialisation."""
        for name, dtype in (("pred_ptr", np.int64), ("pred_idx", np.int64),
                            ("link_type", np.int8), ("lag", np.int64)):  # fmt: skip
            object.__setattr__(self, name, np.ascontiguousarray(getattr(self, name), dtype))

    @property
    def size(self) -> int:
        """Number of tasks."""
        return int(self.pred_ptr.shape[0] - 1)

    def edge_successors(self) -> IntArray:
        """Successor task of each edge."""
        counts = np.diff(self.pred_ptr)
        result: IntArray = np.repeat(np.arange(self.size, dtype=np.int64), counts)
        return result


def links_from_edges(
    n: int,
    predecessors: npt.ArrayLike,
    successors: npt.ArrayLike,
    link_types: npt.ArrayLike | None = None,
    lags: npt.ArrayLike | None = None,
) -> Links:
    """CSR links from parallel edge arrays (types default to FS, lags to 0), validated."""
    pred = np.asarray(predecessors, dtype=np.int64)
    succ = np.asarray(successors, dtype=np.int64)
    m = pred.shape[0]
    kinds = np.zeros(m, np.int8) if link_types is None else np.asarray(link_types, np.int8)
    lag = np.zeros(m, np.int64) if lags is None else np.asarray(lags, np.int64)
    if not pred.shape == succ.shape == kinds.shape == lag.shape:
        raise NetworkError("predecessors, successors, types and lags must have the same length")
    by_successor = np.argsort(succ, kind="stable")
    pred_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(succ, minlength=n), out=pred_ptr[1:])
    links = Links(pred_ptr, pred[by_successor], kinds[by_successor], lag[by_successor])
    validate(links)
    return links


def validate(links: Links) -> None:
    """Refuse malformed arrays: bad CSR, indices out of range, unknown types, self-links."""
    n = links.size
    ptr = links.pred_ptr
    m = links.pred_idx.shape[0]
    if n < 0 or ptr[0] != 0 or ptr[-1] != m or np.any(np.diff(ptr) < 0):
        raise NetworkError("pred_ptr must start at 0, never decrease and end at len(pred_idx)")
    if links.link_type.shape[0] != m or links.lag.shape[0] != m:
        raise NetworkError("link_type and lag need one entry per edge")
    if m and (links.pred_idx.min() < 0 or links.pred_idx.max() >= n):
        raise NetworkError("pred_idx holds a task index outside 0..n-1")
    if m and (links.link_type.min() < 0 or links.link_type.max() > ROLLUP):
        raise NetworkError("link_type must be 0=FS, 1=SS, 2=FF or 3=SF")
    selfish = np.flatnonzero(links.pred_idx == links.edge_successors())
    if selfish.size:
        task = int(links.pred_idx[selfish[0]])
        raise NetworkError(f"task index {task} is linked to itself; remove that link")


@dataclass(frozen=True)
class Order:
    """A topological order with the successor CSR built on the way (reused by the passes):
    see :func:`hitpm.engine._kernels.successor_csr` for the fields.

    ``cache`` holds what the array scheduler derives from the order on first use (the
    network renumbered into topological order), so passing the order back, as Monte Carlo
    does once per iteration, skips that work as well as the sort."""

    order: IntArray
    succ_ptr: IntArray
    succ_edge: IntArray
    edge_succ: IntArray
    succ_task: IntArray
    succ_type: npt.NDArray[np.int8]
    succ_lag: IntArray
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


def ordered(links: Links, labels: Sequence[str] | None = None) -> Order:
    """Topological order of the tasks; raises :class:`CycleError` naming a loop's tasks.

    ``labels[i]`` names task ``i`` in the error (default: its index)."""
    n = links.size
    successors = _kernels.successor_csr(
        n, links.pred_ptr, links.pred_idx, links.link_type, links.lag
    )
    succ_ptr, edge_succ, succ_task = successors[0], successors[2], successors[3]
    order, count = _kernels.topological_order(
        n, links.pred_ptr, links.pred_idx, succ_ptr, edge_succ, succ_task
    )
    if count < n:
        placed = np.zeros(n, dtype=bool)
        placed[order[:count]] = True
        loop = find_cycle(links, placed)
        raise CycleError([labels[i] if labels else str(i) for i in loop])
    return Order(order, *successors)


def find_cycle(links: Links, placed: npt.NDArray[np.bool_]) -> list[int]:
    """One loop among the tasks Kahn's algorithm could not place, in link order.

    Every unplaced task has an unplaced predecessor, so walking predecessors from any of them
    must revisit a task; the walk from that task back to itself is the loop. It is reported
    from its lowest index, so the same loop always reads the same."""
    start = int(np.flatnonzero(~placed)[0])
    seen: dict[int, int] = {}
    walk: list[int] = []
    task = start
    while task not in seen:
        seen[task] = len(walk)
        walk.append(task)
        preds = links.pred_idx[links.pred_ptr[task] : links.pred_ptr[task + 1]]
        task = int(next(p for p in preds if not placed[p]))
    loop = list(reversed(walk[seen[task] :]))
    first = loop.index(min(loop))
    return loop[first:] + loop[:first]


@dataclass(frozen=True)
class Network:
    """A project's tasks as arrays. Index ``i`` is ``project.tasks[i]``.

    ``lag`` holds working minutes, elapsed minutes or percent per ``lag_kind`` (0, 1, 2), as
    floats; roll-up edges (type 4) carry no lag. ``children[s]`` are the direct children of
    summary ``s``; ``parent[i]`` is -1 at the top level."""

    tasks: Sequence[TaskSpec]
    index: dict[int, int]
    is_summary: npt.NDArray[np.bool_]
    parent: IntArray
    children: dict[int, list[int]]
    links: Links
    lag_value: npt.NDArray[np.float64]
    lag_kind: npt.NDArray[np.int8]
    order: Order

    def label(self, i: int) -> str:
        """How errors name task ``i``."""
        task = self.tasks[i]
        return f"{task.uid} ({task.name})" if task.name else str(task.uid)


def build_network(project: ProjectSpec) -> Network:
    """Validate a project's tasks and links and lay them out as arrays in topological order.

    Raises :class:`NetworkError` for duplicate uids, links to unknown tasks or to themselves,
    and :class:`CycleError` naming the tasks of a loop."""
    tasks = project.tasks
    index = _uid_index(tasks)
    parent = _parents([t.outline_level for t in tasks])
    is_summary = np.zeros(len(tasks), dtype=bool)
    is_summary[parent[parent >= 0]] = True
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parent.tolist()):
        if p >= 0:
            children.setdefault(p, []).append(i)
    columns = _plain_link_columns(project.links, index, is_summary, parent)
    if columns is None:
        edges = _dependency_edges(project.links, index, is_summary, children, tasks)
        edges += [(i, p, ROLLUP, 0.0, 0) for i, p in enumerate(parent.tolist()) if p >= 0]
        columns = _edge_columns(edges)
    pred, succ, kinds, lags, lag_kinds = columns
    by_successor = np.argsort(succ, kind="stable")
    pred_ptr = np.zeros(len(tasks) + 1, np.int64)
    np.cumsum(np.bincount(succ, minlength=len(tasks)), out=pred_ptr[1:])
    links = Links(pred_ptr, pred[by_successor], kinds[by_successor], np.zeros(len(succ), np.int64))
    return Network(
        tasks=tasks,
        index=index,
        is_summary=is_summary,
        parent=parent,
        children=children,
        links=links,
        lag_value=lags[by_successor],
        lag_kind=lag_kinds[by_successor],
        order=ordered(links, _Labels(tasks)),
    )


class _Labels(Sequence[str]):
    """Task labels for a cycle report, made only for the tasks a report names (making all of
    them up front costs more than ordering a large network)."""

    def __init__(self, tasks: Sequence[TaskSpec]) -> None:
        self.tasks = tasks

    def __len__(self) -> int:
        return len(self.tasks)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        task = self.tasks[i]
        return f"{task.uid} ({task.name})" if task.name else str(task.uid)


def _uid_index(tasks: Sequence[TaskSpec]) -> dict[int, int]:
    """Task index by uid. Built in one go; the task-by-task check that names the offending
    task runs only when something is wrong."""
    index = dict(zip(map(_UID, tasks), range(len(tasks)), strict=True))
    if len(index) == len(tasks) and min(map(_DURATION, tasks), default=0) >= 0:
        return index
    index = {}
    for i, task in enumerate(tasks):
        if task.uid in index:
            raise NetworkError(f"task uid {task.uid} appears twice; uids must be unique")
        if task.duration_minutes < 0:
            raise NetworkError(f"task {task.uid} has a negative duration")
        index[task.uid] = i
    return index


def _parents(levels: Sequence[int]) -> IntArray:
    """Parent index per task from outline levels (tasks in outline order)."""
    if not levels or min(levels) == max(levels):  # a flat list: no summaries
        return np.full(len(levels), -1, np.int64)
    parent = [-1] * len(levels)
    stack: list[tuple[int, int]] = []  # (level, index)
    for i, level in enumerate(levels):
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            parent[i] = stack[-1][1]
        stack.append((level, i))
    return np.array(parent, np.int64)


_UID = attrgetter("uid")
_DURATION = attrgetter("duration_minutes")


def _plain_link_columns(
    links: Sequence[LinkSpec],
    index: dict[int, int],
    is_summary: npt.NDArray[np.bool_],
    parent: IntArray,
) -> EdgeColumns | None:
    """Edge columns straight from the links, then the roll-up edges, when every link is valid
    and none goes into a summary (the common case), converting whole columns at a time
    instead of link by link. None otherwise: :func:`_dependency_edges` then expands links
    into summaries and names the first bad link exactly as before."""
    m = len(links)
    try:
        pred = np.fromiter(map(index.__getitem__, map(_PREDECESSOR, links)), np.int64, m)
        succ = np.fromiter(map(index.__getitem__, map(_SUCCESSOR, links)), np.int64, m)
        kinds = np.fromiter(map(LAG_CODES.__getitem__, map(_LAG_FORMAT, links)), np.int8, m)
    except KeyError:  # an unknown task or lag format
        return None
    if (pred == succ).any() or is_summary[succ].any():
        return None
    child = np.flatnonzero(parent >= 0)
    rollups = child.shape[0]
    return (
        np.concatenate([pred, child]),
        np.concatenate([succ, parent[child]]),
        np.concatenate(
            [np.array(list(map(_TYPE, links)), np.int8), np.full(rollups, ROLLUP, np.int8)]
        ),
        np.concatenate([np.fromiter(map(_LAG, links), np.float64, m), np.zeros(rollups)]),
        np.concatenate([kinds, np.zeros(rollups, np.int8)]),
    )


_PREDECESSOR = attrgetter("predecessor_uid")
_SUCCESSOR = attrgetter("successor_uid")
_LAG_FORMAT = attrgetter("lag_format")
_TYPE = attrgetter("type")
_LAG = attrgetter("lag")


def leaves_under(summary: int, children: dict[int, list[int]]) -> list[int]:
    """All non-summary tasks below a summary, in outline order."""
    found: list[int] = []
    for child in children.get(summary, []):
        found.extend(leaves_under(child, children) if child in children else [child])
    return found


Edge = tuple[int, int, int, float, int]  # pred, succ, type, lag, lag kind


def _dependency_edges(
    links: Sequence[LinkSpec],
    index: dict[int, int],
    is_summary: npt.NDArray[np.bool_],
    children: dict[int, list[int]],
    tasks: Sequence[TaskSpec],
) -> list[Edge]:
    """Links as index edges; a link into a summary becomes one link into each task under it."""
    edges: list[Edge] = []
    for link in links:
        for uid in (link.predecessor_uid, link.successor_uid):
            if uid not in index:
                raise NetworkError(
                    f"link {link.predecessor_uid} -> {link.successor_uid} names task {uid}, "
                    "which is not in the project"
                )
        pred, succ = index[link.predecessor_uid], index[link.successor_uid]
        if pred == succ:
            raise NetworkError(f"task {tasks[pred].uid} is linked to itself; remove that link")
        targets = leaves_under(succ, children) if is_summary[succ] else [succ]
        kind = LAG_CODES[LagFormat(link.lag_format)]
        edges.extend((pred, t, int(link.type), float(link.lag), kind) for t in targets)
    return edges


EdgeColumns = tuple[
    IntArray, IntArray, npt.NDArray[np.int8], npt.NDArray[np.float64], npt.NDArray[np.int8]
]


def _edge_columns(edges: list[Edge]) -> EdgeColumns:
    if not edges:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.int8), np.zeros(0), np.zeros(0, np.int8)
    pred, succ, kinds, lags, lag_kinds = zip(*edges, strict=True)
    return (
        np.array(pred, np.int64),
        np.array(succ, np.int64),
        np.array(kinds, np.int8),
        np.array(lags, np.float64),
        np.array(lag_kinds, np.int8),
    )
