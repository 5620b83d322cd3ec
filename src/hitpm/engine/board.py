"""A Kanban/Scrum board, the history of its items' moves, and that history sorted per item.

A board history is four parallel arrays (item id, timestamp, from-state, to-state). It is sorted
once by item and time (``lexsort``); every per-item figure is then a first/last event per group
found with boolean masks (:func:`first_entry_at_or_right_of`, :func:`final_done_entry`). The
metrics built on this are in :mod:`hitpm.engine.flow`, the forecasts in
:mod:`hitpm.engine.forecast`; :class:`FlowError` is the error of both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
DateArray = npt.NDArray[np.datetime64]

_NO_COLUMN = -1


class FlowError(ValueError):
    """The history, board or forecast request cannot give a meaningful answer."""


# --------------------------------------------------------------------------------------------
# Board and history
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    """Ordered columns, the states that map into them, and the started/done boundaries.

    Columns run left to right. Columns before ``started`` are "not started" (backlog, ready),
    columns from ``started`` up to but excluding ``done`` are work in progress, and ``done`` and
    every column after it are finished. ``states`` maps workflow states to columns; a state
    named like a column maps to that column without an entry.
    """

    columns: tuple[str, ...]
    started: str
    done: str
    states: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(set(self.columns)) != len(self.columns) or not self.columns:
            raise FlowError("board columns must be a non-empty list of distinct names")
        for boundary in (self.started, self.done):
            if boundary not in self.columns:
                raise FlowError(f"boundary column {boundary!r} is not one of the board columns")
        if self.started_index > self.done_index:
            raise FlowError(f"the started column {self.started!r} is right of done {self.done!r}")
        unknown = sorted(set(self.states.values()) - set(self.columns))
        if unknown:
            raise FlowError(f"states map to unknown columns: {', '.join(unknown)}")

    @property
    def started_index(self) -> int:
        """Index of the first in-progress column."""
        return self.columns.index(self.started)

    @property
    def done_index(self) -> int:
        """Index of the first finished column."""
        return self.columns.index(self.done)

    def column_indices(self, states: npt.ArrayLike, *, allow_empty: bool = False) -> IntArray:
        """Column index of each state; integers are taken as column indices already.

        Strings are mapped through ``np.unique`` so 100,000 states cost one sort, not 100,000
        dictionary look-ups. With ``allow_empty`` an empty string or ``None`` (a creation event's
        from-state) maps to -1.
        """
        values = np.asarray(states)
        if values.dtype.kind in "iu":
            return self._checked_indices(values.astype(np.int64), allow_empty)
        names, inverse = np.unique(values.astype(str), return_inverse=True)
        lookup = np.array([self._index_of(str(n), allow_empty) for n in names], dtype=np.int64)
        return lookup[inverse.reshape(-1)]

    def _checked_indices(self, values: IntArray, allow_empty: bool) -> IntArray:
        lowest = _NO_COLUMN if allow_empty else 0
        if values.size and (values.min() < lowest or values.max() >= len(self.columns)):
            raise FlowError(f"column indices must lie in {lowest}..{len(self.columns) - 1}")
        return values

    def _index_of(self, state: str, allow_empty: bool) -> int:
        if allow_empty and state in ("", "None"):
            return _NO_COLUMN
        column = self.states.get(state, state)
        if column not in self.columns:
            raise FlowError(f"state {state!r} is on no board column; add it to Board.states")
        return self.columns.index(column)


@dataclass(frozen=True)
class History:
    """State changes as parallel arrays: one row per move of one item.

    ``at`` is anything ``np.asarray(..., dtype="datetime64[s]")`` accepts (datetime64 arrays,
    ISO strings, ``datetime`` objects). ``from_states`` may be ``None``.
    """

    items: npt.ArrayLike
    at: npt.ArrayLike
    to_states: npt.ArrayLike
    from_states: npt.ArrayLike | None = None


# --------------------------------------------------------------------------------------------
# Sorted history
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SortedHistory:
    """The history sorted by item then time, with group boundaries: the shared first step."""

    ids: npt.NDArray[Any]  # each item's id, in group order
    seconds: IntArray
    column: IntArray
    previous: IntArray  # column before this event, -1 on an item's first event
    group: IntArray  # 0..n_items-1
    first: IntArray  # index of each item's first event
    last: IntArray  # index of each item's last event
    from_column: IntArray | None


def sort_history(history: History, board: Board) -> SortedHistory:
    """The history as board column indices, sorted by item then time (ties in input order)."""
    items, labels = _item_keys(history.items)
    seconds = _seconds(history.at)
    column = board.column_indices(history.to_states)
    sizes = {items.size, seconds.size, column.size}
    from_column = None
    if history.from_states is not None:
        from_column = board.column_indices(history.from_states, allow_empty=True)
        sizes.add(from_column.size)
    if len(sizes) != 1:
        raise FlowError("history arrays must all have the same length")
    order = np.lexsort((seconds, items))  # stable: simultaneous events keep their input order
    items, seconds, column = items[order], seconds[order], column[order]
    starts = np.empty(items.size, dtype=bool)
    starts[:1] = True
    np.not_equal(items[1:], items[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    previous = np.empty_like(column)
    previous[1:] = column[:-1]
    previous[first] = _NO_COLUMN
    return SortedHistory(
        ids=items[first] if labels is None else labels[items[first]],
        seconds=seconds,
        column=column,
        previous=previous,
        group=np.cumsum(starts) - 1,
        first=first,
        last=np.append(first[1:] - 1, items.size - 1)[: first.size].astype(np.int64),
        from_column=None if from_column is None else from_column[order],
    )


def _item_keys(items: npt.ArrayLike) -> tuple[IntArray, npt.NDArray[Any] | None]:
    """Integer ids as they are; other ids (``"HIT-12"``) as codes plus their labels."""
    values = np.asarray(items).reshape(-1)
    if values.dtype.kind in "iu":
        return values.astype(np.int64, copy=False), None
    labels, codes = np.unique(values.astype(str), return_inverse=True)
    return codes.reshape(-1).astype(np.int64), labels


def _seconds(at: npt.ArrayLike) -> IntArray:
    try:
        stamps = np.asarray(at, dtype="datetime64[s]").reshape(-1)
    except (ValueError, TypeError) as exc:
        raise FlowError(f"history timestamps must be dates and times: {exc}") from None
    if np.isnat(stamps).any():
        raise FlowError("history timestamps must not be missing (NaT)")
    return stamps.astype(np.int64)


def first_entry_at_or_right_of(rows: SortedHistory, boundary: int) -> IntArray:
    """Seconds of each item's first event into a column >= boundary; -1 where never."""
    hits = np.flatnonzero(rows.column >= boundary)
    return _per_group(rows, hits, _group_edges(rows.group[hits], first=True))


def final_done_entry(rows: SortedHistory, done: int) -> IntArray:
    """Seconds of each item's last entry into the done area, if it is still done; else -1."""
    entries = np.flatnonzero((rows.column >= done) & (rows.previous < done))
    out = _per_group(rows, entries, _group_edges(rows.group[entries], first=False))
    out[rows.column[rows.last] < done] = -1
    return out


def _group_edges(groups: IntArray, *, first: bool) -> BoolArray:
    """Marks the first (or last) element of each run of equal, sorted group numbers."""
    edge = np.ones(groups.size, dtype=bool)
    if first:
        np.not_equal(groups[1:], groups[:-1], out=edge[1:])
    else:
        np.not_equal(groups[:-1], groups[1:], out=edge[:-1])
    return edge


def _per_group(rows: SortedHistory, events: IntArray, pick: BoolArray) -> IntArray:
    """Seconds of the picked event of each group; -1 for groups without one."""
    out = np.full(rows.first.size, -1, dtype=np.int64)
    chosen = events[pick]
    out[rows.group[chosen]] = rows.seconds[chosen]
    return out
