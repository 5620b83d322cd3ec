"""Network arrays: CSR building, validation, topological order, cycle reports, summaries."""

from __future__ import annotations

import numpy as np
import pytest

from hitpm.engine.model import LinkType
from hitpm.engine.network import (
    ROLLUP,
    CycleError,
    Links,
    NetworkError,
    build_network,
    links_from_edges,
    ordered,
    validate,
)
from hitpm.engine.tests.helpers import link, project, task


def test_links_from_edges_groups_by_successor() -> None:
    links = links_from_edges(4, [2, 0, 1], [3, 1, 3], [0, 1, 2], [10, 20, 30])
    assert links.pred_ptr.tolist() == [0, 0, 1, 1, 3]
    assert links.pred_idx.tolist() == [0, 2, 1]
    assert links.link_type.tolist() == [1, 0, 2]
    assert links.lag.tolist() == [20, 10, 30]
    assert links.edge_successors().tolist() == [1, 3, 3]


def test_topological_order_puts_predecessors_first() -> None:
    links = links_from_edges(4, [3, 2, 1], [2, 1, 0])
    order = ordered(links).order.tolist()
    assert order == [3, 2, 1, 0]


def test_identity_order_when_links_already_go_forward() -> None:
    links = links_from_edges(3, [0, 1], [1, 2])
    assert ordered(links).order.tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("pred", "succ", "kinds", "message"),
    [
        ([0], [0], [0], "linked to itself"),
        ([5], [1], [0], "outside 0..n-1"),
        ([0], [1], [7], "link_type must be"),
    ],
)
def test_malformed_arrays_are_refused(
    pred: list[int], succ: list[int], kinds: list[int], message: str
) -> None:
    with pytest.raises(NetworkError, match=message):
        links_from_edges(3, pred, succ, kinds)


def test_bad_csr_is_refused() -> None:
    bad = Links(np.array([0, 2, 1]), np.array([0, 0]), np.zeros(2, np.int8), np.zeros(2, np.int64))
    with pytest.raises(NetworkError, match="pred_ptr"):
        validate(bad)


def test_array_cycle_names_the_loop() -> None:
    links = links_from_edges(4, [0, 1, 2, 3], [1, 2, 3, 1])
    with pytest.raises(CycleError) as caught:
        ordered(links, labels=["a", "b", "c", "d"])
    assert caught.value.labels == ["b", "c", "d"]
    assert "b -> c -> d -> b" in str(caught.value)


def test_project_cycle_names_tasks_by_uid_and_name() -> None:
    spec = project(
        [task(1), task(2), task(3), task(4)],
        [link(1, 2), link(2, 3), link(3, 4), link(4, 2, LinkType.SS)],
    )
    with pytest.raises(CycleError) as caught:
        build_network(spec)
    assert caught.value.labels == ["2 (T2)", "3 (T3)", "4 (T4)"]
    assert "2 (T2) -> 3 (T3) -> 4 (T4) -> 2 (T2)" in str(caught.value)


@pytest.mark.parametrize(
    ("tasks", "links", "message"),
    [
        ([task(1), task(1)], [], "appears twice"),
        ([task(1)], [link(1, 9)], "names task 9"),
        ([task(1)], [link(1, 1)], "linked to itself"),
        ([task(1, -1)], [], "negative duration"),
    ],
)
def test_invalid_projects_are_refused(tasks: list, links: list, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        build_network(project(tasks, links))


def test_summaries_come_from_outline_levels_and_links_into_them_expand() -> None:
    tasks = [
        task(1, outline_level=1),
        task(10, 0, outline_level=1),  # summary
        task(11, outline_level=2),
        task(12, 0, outline_level=2),  # nested summary
        task(13, outline_level=3),
        task(2, outline_level=1),
    ]
    network = build_network(project(tasks, [link(1, 10), link(10, 2)]))
    assert network.is_summary.tolist() == [False, True, False, True, False, False]
    assert network.parent.tolist() == [-1, -1, 1, 1, 3, -1]
    edges = set(
        zip(
            network.links.pred_idx.tolist(),
            network.links.edge_successors().tolist(),
            network.links.link_type.tolist(),
            strict=True,
        )
    )
    # 1 -> summary 10 becomes 1 -> 11 and 1 -> 13; 10 -> 2 stays on the summary node.
    assert {(0, 2, 0), (0, 4, 0), (1, 5, 0)} <= edges
    assert {(2, 1, ROLLUP), (3, 1, ROLLUP), (4, 3, ROLLUP)} <= edges
    order = network.order.order.tolist()
    assert order.index(4) < order.index(3) < order.index(1) < order.index(5)


def test_linking_a_summary_to_its_own_task_is_a_loop() -> None:
    tasks = [task(10, 0, outline_level=1), task(11, outline_level=2)]
    with pytest.raises(CycleError):
        build_network(project(tasks, [link(10, 11)]))
