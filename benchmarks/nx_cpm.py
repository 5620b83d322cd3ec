"""A straightforward critical path method on networkx: the peer our engine is measured against.

This is how CPM is usually written in Python: a ``DiGraph`` with the link type and lag on each
edge, ``topological_sort``, then plain loops for the forward pass, the backward pass, both
floats and the longest path. It uses the same link arithmetic as ``hitpm.engine.cpm``, in
working minutes on one calendar, so its results must equal ours (the benchmark checks that).
As in ``schedule_arrays``, only tasks without predecessors are held at the project start; a
lead (negative lag) may place a successor earlier.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

FS, SS, FF, SF = 0, 1, 2, 3


@dataclass
class NxSchedule:
    """Early/late starts and finishes, floats and the longest path, per task index."""

    early_start: list[int]
    early_finish: list[int]
    late_start: list[int]
    late_finish: list[int]
    total_float: list[int]
    free_float: list[int]
    critical_path: list[int]
    finish: int


def build_graph(
    durations: np.ndarray, pred: np.ndarray, succ: np.ndarray, kinds, lags
) -> nx.DiGraph:
    """The network as a DiGraph: node attribute ``d`` (duration), edge ``t`` (type), ``lag``."""
    graph = nx.DiGraph()
    graph.add_nodes_from((i, {"d": d}) for i, d in enumerate(durations.tolist()))
    graph.add_edges_from(
        (p, s, {"t": t, "lag": lag})
        for p, s, t, lag in zip(
            pred.tolist(), succ.tolist(), kinds.tolist(), lags.tolist(), strict=True
        )
    )
    return graph


def schedule(graph: nx.DiGraph, start: int = 0) -> NxSchedule:
    """Forward pass, backward pass, total and free float, longest path."""
    order = list(nx.topological_sort(graph))
    n = graph.number_of_nodes()
    dur = [graph.nodes[i]["d"] for i in range(n)]
    es, ef = _forward(graph, order, dur, start)
    finish = max(ef, default=start)
    ls, lf = _backward(graph, order, dur, es, ef, finish)
    total = [min(ls[i] - es[i], lf[i] - ef[i]) for i in range(n)]
    free = [max(min(_free_float(graph, i, es, ef, finish), total[i]), 0) for i in range(n)]
    path = _longest_path(graph, es, ef, total, finish)
    return NxSchedule(es, ef, ls, lf, total, free, path, finish)


def _demand(kind: int, lag: int, es_i: int, ef_i: int, dur_j: int) -> int:
    """Earliest start of the successor that one link allows."""
    if kind == FS:
        return ef_i + lag
    if kind == SS:
        return es_i + lag
    if kind == FF:
        return ef_i + lag - dur_j
    return es_i + lag - dur_j  # SF


def _held(kind: int, demand: int, start: int) -> int:
    """Microsoft Project never lets an FF link pull a start before the project start."""
    return max(demand, start) if kind == FF else demand


def _forward(graph, order, dur, start):
    n = len(dur)
    es, ef = [0] * n, [0] * n
    for j in order:
        predecessors = graph.pred[j]
        if not predecessors:
            es[j], ef[j] = start, start + dur[j]
            continue
        best = max(
            _held(edge["t"], _demand(edge["t"], edge["lag"], es[i], ef[i], dur[j]), start)
            for i, edge in predecessors.items()
        )
        es[j], ef[j] = best, best + dur[j]
    return es, ef


def _backward(graph, order, dur, es, ef, finish):
    n = len(dur)
    ls, lf = [0] * n, [0] * n
    for i in reversed(order):
        best = finish
        for j, edge in graph.succ[i].items():
            kind, lag = edge["t"], edge["lag"]
            if kind == FS:
                bound = ls[j] - lag
            elif kind == SS:
                bound = ls[j] - lag + dur[i]
            elif kind == FF:
                bound = lf[j] - lag
            else:  # SF
                bound = lf[j] - lag + dur[i]
            best = min(best, bound)
        lf[i], ls[i] = best, best - dur[i]
    return ls, lf


def _free_float(graph, i, es, ef, finish):
    """Slack before the first successor moves (to the project finish when there is none)."""
    successors = graph.succ[i]
    if not successors:
        return finish - ef[i]
    return min(
        es[j] - _demand(edge["t"], edge["lag"], es[i], ef[i], ef[j] - es[j])
        for j, edge in successors.items()
    )


def _longest_path(graph, es, ef, total, finish):
    """Walk back from the task ending the project along the edges that set each start."""
    ends = [i for i in range(len(es)) if ef[i] == finish]
    if not ends:
        return []
    j = min(ends, key=lambda i: total[i])
    path = [j]
    while True:
        driving = [
            i
            for i, edge in graph.pred[j].items()
            if _demand(edge["t"], edge["lag"], es[i], ef[i], ef[j] - es[j]) == es[j]
        ]
        if not driving:
            return path[::-1]
        j = min(driving, key=lambda i: total[i])
        path.append(j)
