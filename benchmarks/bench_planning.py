"""Planning service benchmark: one edit that moves 1,000 successors in a 5,000-task plan.

Builds a plan of 5,000 tasks (50 summaries of 99 work tasks) with 10,000 links in five
independent streams of ~980 tasks, schedules it, then times :func:`change_task` lengthening
the first task of one stream by a day (and back), which moves every task of that stream:
validated, saved, audited, rescheduled with the engine, the changed outputs written back
and the changed tasks read back for the response. The breakdown times the parts of the
reschedule: reading the plan (``load_plan``), ``cpm.schedule`` and the write-back.

    .venv/bin/python benchmarks/bench_planning.py                  # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitpm_bench \\
        .venv/bin/python benchmarks/bench_planning.py              # PostgreSQL (db created)

Target (issue 4): under 300 ms server time on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from typing import Any

TASKS, PHASES, STREAMS, LINKS = 5000, 50, 5, 10_000
TARGET_MS = 300


def _setup() -> None:
    os.environ.setdefault("HITPM_DATA_DIR", tempfile.mkdtemp(prefix="hitpm-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitpm.site.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _create_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _create_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database afresh (it must not be a real one)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    if not name.startswith("hitpm_bench"):
        sys.exit("Use a database named hitpm_bench*: this benchmark drops and recreates it.")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _rows() -> list[Any]:
    from hitpm.planning.builder import PlanLink, PlanRow

    rng = random.Random(7)
    per_phase = TASKS // PHASES - 1
    leaves = [f"t{i}" for i in range(PHASES * per_phase)]
    streams = [leaves[s::STREAMS] for s in range(STREAMS)]
    preds: dict[str, list[str]] = {key: [] for key in leaves}
    budget = LINKS
    for stream in streams:
        for i in range(1, len(stream)):
            preds[stream[i]].append(stream[i - 1])
            budget -= 1
    while budget > 0:
        stream = rng.choice(streams)
        i = rng.randrange(2, len(stream))
        pred = stream[rng.randrange(max(0, i - 30), i - 1)]
        if pred not in preds[stream[i]]:
            preds[stream[i]].append(pred)
            budget -= 1
    # Stream 0 is half-day work: it has float, so lengthening its first task moves its own
    # ~1,000 tasks (and the summaries) without moving the project finish.
    short = set(streams[0])
    rows = []
    for phase in range(PHASES):
        rows.append(PlanRow(f"p{phase}", f"Phase {phase + 1}", level=1))
        for key in leaves[phase * per_phase : (phase + 1) * per_phase]:
            links = tuple(PlanLink(p) for p in preds[key])
            duration = 240 if key in short else 480
            rows.append(PlanRow(key, f"Task {key}", 2, duration, predecessors=links))
    return rows


def _timed(fn: Any, *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn(*args)
    return value, (time.perf_counter() - start) * 1000


def _cpu_timed(fn: Any, *args: Any) -> tuple[Any, float, float]:
    """Wall and this process's CPU milliseconds (CPU time is steadier on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    return value, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def run(repeats: int) -> dict[str, Any]:
    _setup()
    from django.db import connection, transaction

    from hitpm.engine.cpm import schedule, warm_up
    from hitpm.planning import services
    from hitpm.planning.builder import build_plan
    from hitpm.planning.editing import change_task
    from hitpm.planning.models import Task
    from hitpm.planning.spec import load_plan
    from hitpm.portfolio.models import Portfolio, Project

    warm_up()
    portfolio = Portfolio.objects.create(name="Benchmarks")
    project = Project.objects.create(
        portfolio=portfolio, code="BENCH", name="Benchmark", start_date=dt.date(2027, 1, 4)
    )
    services.create_default_calendar(project)
    tasks = build_plan(project, _rows())
    services.reschedule(project)
    driver = tasks["t0"]
    links = project.dependencies.count()
    totals, cpus, loads, schedules, moved = [], [], [], [], []
    for run_number in range(repeats):
        current = Task.objects.get(pk=driver.pk)
        duration = 720 if run_number % 2 == 0 else 240
        changes = {"duration_minutes": duration}

        def edit(version: int = current.version, changes: dict[str, int] = changes) -> Any:
            result = change_task(project, driver.pk, changes, version)
            _ = result.changed  # read back as model instances, as the plan's HTMX views do
            return result

        with transaction.atomic():
            result, total, cpu = _cpu_timed(edit)
        totals.append(total)
        cpus.append(cpu)
        moved.append(len(result.changed))
        plan, load_ms = _timed(load_plan, project)
        _, schedule_ms = _timed(schedule, plan.spec)
        loads.append(load_ms)
        schedules.append(schedule_ms)

    return {
        "database": connection.vendor,
        "tasks": project.tasks.count(),
        "links": links,
        "changed_tasks": statistics.median(moved),
        "change_ms_median": round(statistics.median(totals), 1),
        "change_ms_best": round(min(totals), 1),
        "change_cpu_ms_median": round(statistics.median(cpus), 1),
        "load_plan_ms": round(statistics.median(loads), 1),
        "cpm_schedule_ms": round(statistics.median(schedules), 1),
        "target_ms": TARGET_MS,
        "passed": statistics.median(totals) < TARGET_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    figures = run(args.repeats)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
