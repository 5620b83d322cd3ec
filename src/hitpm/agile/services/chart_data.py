"""Charts and tables of the metrics and forecast pages, built from the engine's results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString

from hitpm.agile import charts
from hitpm.agile.models import Board
from hitpm.agile.services import forecasts
from hitpm.agile.services.metrics import board_flow, since, weekly
from hitpm.engine.flow import cycle_time_percentiles, cycle_time_scatter
from hitpm.engine.forecast import HowManyForecast, WhenForecast

BAND_LABELS = ("within 50th", "within 85th", "within 95th", "beyond 95th")


def _label(day: Any) -> str:
    return dt.date.fromisoformat(str(day)[:10]).strftime("%d %b")


@dataclass
class FlowPage:
    """Everything the metrics page shows; ``empty`` when the board has no history yet."""

    empty: bool = True
    charts: dict[str, SafeString] = field(default_factory=dict)
    percentiles: dict[int, int] = field(default_factory=dict)
    lead_percentiles: dict[int, int] = field(default_factory=dict)
    aging: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def flow_page(board: Board, window: int) -> FlowPage:
    flow = board_flow(board)
    m = flow.metrics
    if m is None:
        return FlowPage()
    start = since(m, window)
    days = m.days[start:]
    labels = [_label(d) for d in days]
    out = FlowPage(empty=False, percentiles=m.percentiles)
    layers = [
        charts.Series(name, m.cfd[start:, i].tolist())
        for i, name in reversed(list(enumerate(flow.names)))
    ]
    out.charts["cfd"] = charts.stacked_area(
        "Cumulative flow diagram", labels, layers, "Cards in each column at the end of each day."
    )
    scatter = cycle_time_scatter(m)
    first = days[0] if days.size else None
    keep = scatter.done_dates >= first if first is not None else np.ones(0, bool)
    index = {str(d): i for i, d in enumerate(days)}
    dots = [
        (index[str(d)], float(c), f"#{i}: {c} days, done {d}")
        for i, d, c in zip(
            scatter.items[keep], scatter.done_dates[keep], scatter.cycle_days[keep], strict=True
        )
    ]
    guides = percentile_guides(m.percentiles)
    out.charts["scatter"] = charts.scatter(
        "Cycle time of finished items (days)", labels, dots, guides
    )
    weeks, totals = weekly(days, m.throughput[start:])
    out.charts["throughput"] = charts.bar_chart(
        "Throughput: items finished per week",
        [_label(w) for w in weeks],
        [charts.Series("Finished", totals.tolist(), color="#2e8540")],
    )
    out.charts["wip"] = charts.line_chart(
        "Work in progress at the end of each day",
        labels,
        [charts.Series("WIP", m.wip[start:].tolist())],
    )
    done = m.done_mask
    lead = m.lead_time_day_count[done]
    out.lead_percentiles = cycle_time_percentiles(lead)
    out.charts["lead"] = _histogram(lead)
    out.aging = _aging_rows(board, flow.names, m)
    out.charts["aging"] = _aging_chart(flow, m)
    out.summary = {
        "finished": int(done.sum()),
        "in_progress": int(m.aging.items.size),
        "window_throughput": int(m.throughput[start:].sum()),
        "avg_wip": float(np.mean(m.wip[start:])) if days.size else 0.0,
        "inconsistent": m.inconsistent_events,
    }
    return out


def _histogram(lead: np.ndarray) -> SafeString:
    top = int(lead.max()) if lead.size else 1
    counts = np.bincount(lead, minlength=top + 1)[1:] if lead.size else np.zeros(1, int)
    return charts.bar_chart(
        "Lead time: finished items by days from creation to done",
        [str(d) for d in range(1, counts.size + 1)],
        [charts.Series("Items", counts.tolist(), color="#8f3fa8")],
    )


def percentile_guides(percentiles: dict[int, int]) -> dict[str, float]:
    """Guide lines for the percentiles; levels that share a value share one line and label."""
    levels: dict[int, list[int]] = {}
    for level, days in sorted(percentiles.items()):
        levels.setdefault(days, []).append(level)
    return {f"{'/'.join(f'{k}th' for k in ks)} {v}d": float(v) for v, ks in levels.items()}


def _aging_rows(board: Board, names: list[str], m: Any) -> list[dict[str, Any]]:
    ids = [int(i) for i in m.aging.items]
    titles = {
        pk: (f"{board.project.code}-{number}", title)
        for pk, number, title in board.items.filter(pk__in=ids).values_list("pk", "number", "title")
    }
    rows = [
        {
            "item": int(i),
            "key": titles[int(i)][0],
            "title": titles[int(i)][1],
            "column": names[c],
            "age": int(a),
            "band": BAND_LABELS[min(b, 3)],
            "level": int(b),
        }
        for i, c, a, b in zip(
            m.aging.items, m.aging.columns, m.aging.age_days, m.aging.band, strict=True
        )
    ]
    return sorted(rows, key=lambda r: -r["age"])


def _aging_chart(flow: Any, m: Any) -> SafeString:
    in_progress = [
        n for i, n in enumerate(flow.names) if m.board.started_index <= i < m.board.done_index
    ]
    position = {n: k for k, n in enumerate(in_progress)}
    dots = [
        (position[flow.names[c]], float(a), f"#{i}: {a} days in {flow.names[c]}")
        for i, c, a in zip(m.aging.items, m.aging.columns, m.aging.age_days, strict=True)
        if flow.names[c] in position
    ]
    guides = percentile_guides(m.percentiles)
    return charts.scatter(
        "Aging work in progress by column (days)",
        in_progress or ["—"],
        dots,
        guides,
        categories=True,
    )


@dataclass(frozen=True)
class ForecastView:
    """A forecast's question, its table and chart, and what it was based on."""

    question: str
    levels: list[tuple[int, str]]  # (confidence, answer)
    chart: SafeString
    basis: str


def forecast_view(board: Board, data: dict[str, Any]) -> ForecastView:
    items, by, sprint_count = data.get("items"), data.get("by"), data.get("sprints")
    if board.is_scrum and items:
        return _when(
            forecasts.when_points(board, float(items)),
            f"When will {items} more points be done?",
            "sprints",
        )
    if board.is_scrum and sprint_count:
        return _how_many(
            forecasts.points_in(board, sprint_count),
            f"How many points in the next {sprint_count} sprints?",
            "points",
        )
    if items:
        return _when(
            forecasts.when_items(board, items),
            f"When will {items} more items be done?",
            "working days",
        )
    if by:
        return _how_many(
            forecasts.items_by(board, by), f"How many items will be done by {by:%d %b %Y}?", "items"
        )
    raise ValidationError("Enter a number of items (or points), a date, or a number of sprints.")


def _when(result: WhenForecast, question: str, unit: str) -> ForecastView:
    levels = [
        (
            c,
            f"{result.dates[c]:%a %d %b %Y} ({result.periods[c]} {unit})"
            if result.dates
            else str(result.periods[c]),
        )
        for c in sorted(result.periods)
    ]
    table = result.probability_table()
    chart = charts.line_chart(
        "Chance of being done by each date",
        [f"{d:%d %b}" if d else str(p) for p, d, _ in table],
        [charts.Series("Probability %", [round(p * 100, 1) for _, _, p in table], color="#1f5fa8")],
    )
    return ForecastView(question, levels, chart, f"{result.trials:,} Monte Carlo trials")


def _how_many(result: HowManyForecast, question: str, unit: str) -> ForecastView:
    levels = [(c, f"at least {result.amount[c]:g} {unit}") for c in sorted(result.amount)]
    table = result.probability_table()
    chart = charts.line_chart(
        f"Chance of finishing at least this many {unit}",
        [f"{v:g}" for v, _ in table],
        [charts.Series("Probability %", [round(p * 100, 1) for _, p in table], color="#2e8540")],
    )
    return ForecastView(
        question,
        levels,
        chart,
        f"{result.trials:,} Monte Carlo trials over {result.horizon} periods",
    )
