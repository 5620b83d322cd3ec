"""Critical path scheduling benchmark: hitpm's engine beside networkx and MPXJ, same run.

Every figure comes from a fresh subprocess (so one measurement's memory cannot inflate the
next one's peak) on the same seeded random network: ~2 links per task, FS/SS/FF/SF mixed,
positive and negative lags, a 5-day calendar with holidays. See ``benchmarks/README.md``.

    .venv/bin/python benchmarks/bench_cpm.py                     # 10k, 100k, 1M
    .venv/bin/python benchmarks/bench_cpm.py --sizes 10000 --json
    .venv/bin/python benchmarks/bench_cpm.py --write-docs docs/performance.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SEED = 7
LEAD_DAYS = 366
WORKER_TIMEOUT_S = 900
# Largest size each slower engine is run at. On the reference machine (2 cores) networkx takes
# ~3 s per 100k tasks, so 1M (~40 s, ~3 GB) is affordable; MPXJ takes ~10 s to schedule 100k
# tasks and much longer to build 1M through JPype (several minutes, GBs of heap), so it stops
# at 100k.
PEER_LIMITS = {"networkx": 1_000_000, "mpxj": 100_000}
# Our ProjectSpec API (``schedule``) builds a Python object per task in and out, so it stops at
# 100k too; it is also measured at 5k, the size the planning UI reschedules on every edit.
SPEC_LIMIT = 100_000
SPEC_SIZES = (5_000,)
TARGETS = (
    "1M tasks < 1 s and < 1.5 GB peak; at 100k >= 20x faster than MPXJ, faster than networkx; "
    "ProjectSpec API < 0.1 s at 5k and < 1 s at 100k"
)


@dataclass
class Measurement:
    """One engine at one size. ``seconds`` is the best of ``runs``; memory is peak RSS."""

    engine: str
    tasks: int
    links: int = 0
    seconds: float | None = None
    runs: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    fingerprint: str = ""
    note: str = ""
    cpu_seconds: float | None = None  # process CPU time of the best run: steadier under load


# ---------------------------------------------------------------- workers (run in subprocesses


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_CPU_TIMES: list[float] = []  # CPU time of each run of the last _best_of, for the worker


def _best_of(repeats: int, run: Callable[[], Any]) -> tuple[list[float], Any]:
    times, result = [], None
    _CPU_TIMES.clear()
    for _ in range(repeats):
        began, cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - began)
        _CPU_TIMES.append(time.process_time() - cpu)
    return times, result


def _fingerprint(finish: object, values: list[np.ndarray]) -> str:
    """Finish date plus a digest of the per-task results, to check engines agree."""
    digest = sum(int(np.asarray(v, dtype=np.int64).sum()) for v in values)
    return f"{finish}|{digest if values else ''}"


def bench_calendar(network: Any) -> tuple[Any, int]:
    """5-day calendar with holidays from a year before the project start (leads can place
    tasks before it) to a little past the finish, and the start's working offset. An untimed
    first schedule finds the finish, so the calendar is no larger than the project needs."""
    from hitpm.engine.calendar import standard_calendar, to_minutes
    from hitpm.engine.cpm import schedule_arrays
    from hitpm.engine.randomnet import START, holidays

    first = START.date() - dt.timedelta(days=LEAD_DAYS)

    def calendar_of(days: int) -> Any:
        last_year = (first + dt.timedelta(days=days)).year
        return standard_calendar(first, days, holidays(first.year, last_year))

    origin = calendar_of(LEAD_DAYS + 7).offset_of(to_minutes(START))
    finish = schedule_arrays(network.durations, network.links, start=origin).finish
    weeks = (finish - origin) / (5 * 480)
    days = LEAD_DAYS + int(weeks * 7 * 1.05) + 60  # 5 % for holidays (4 a year is 1.5 %)
    return calendar_of(days), origin


def work_ours(n: int, repeats: int, shuffle: bool = False) -> Measurement:
    """Our array API: topological order, forward and backward pass, floats, critical path,
    and the conversion of all four dates to calendar datetimes."""
    from hitpm.engine.cpm import schedule_arrays, warm_up
    from hitpm.engine.randomnet import random_arrays

    warm_up()
    network = random_arrays(n, seed=SEED)
    durations, links = network.durations, network.links
    if shuffle:
        durations, links = _shuffled(durations, links)
    calendar, origin = bench_calendar(network)

    def run() -> tuple[Any, Any]:
        result = schedule_arrays(durations, links, start=origin)
        return result, result.dates(calendar)

    times, (result, dates) = _best_of(repeats, run)
    values = [result.early_start, result.late_finish, result.total_float, result.free_float]
    finish = dates["early_finish"].max().astype("datetime64[m]")
    name = "ours, shuffled ids" if shuffle else "ours"
    return Measurement(
        name,
        n,
        links.pred_idx.shape[0],
        min(times),
        times,
        _peak_rss_mb(),
        _fingerprint(finish, values if not shuffle else []),
    )


def _shuffled(durations: np.ndarray, links: Any) -> tuple[np.ndarray, Any]:
    """The same network with task ids permuted, so the topological sort has real work to do."""
    from hitpm.engine.network import links_from_edges

    n = durations.shape[0]
    new_id = np.random.default_rng(SEED).permutation(n)
    old_of_new = np.argsort(new_id)
    moved = links_from_edges(
        n, new_id[links.pred_idx], new_id[links.edge_successors()], links.link_type, links.lag
    )
    return durations[old_of_new], moved


def work_ours_spec(n: int, repeats: int) -> Measurement:
    """Our ProjectSpec API (``schedule``), as the CLI and the web app use it."""
    from hitpm.engine.cpm import schedule, warm_up
    from hitpm.engine.randomnet import random_project

    warm_up()
    project = random_project(n, seed=SEED)
    times, result = _best_of(repeats, lambda: schedule(project))
    return Measurement(
        "ours, ProjectSpec API",
        n,
        len(project.links),
        min(times),
        times,
        _peak_rss_mb(),
        f"{np.datetime64(result.finish, 'm')}|",
    )


def work_networkx(n: int, repeats: int) -> Measurement:
    """networkx peer: graph construction, topological sort, the same passes in Python."""
    import nx_cpm
    from hitpm.engine.randomnet import random_arrays

    network = random_arrays(n, seed=SEED)
    links = network.links
    succ = links.edge_successors()

    calendar, origin = bench_calendar(network)

    def run() -> nx_cpm.NxSchedule:
        graph = nx_cpm.build_graph(
            network.durations, links.pred_idx, succ, links.link_type, links.lag
        )
        return nx_cpm.schedule(graph, start=origin)

    times, result = _best_of(repeats, run)
    values = [result.early_start, result.late_finish, result.total_float, result.free_float]
    finish = np.datetime64(int(calendar.finish_at(np.int64(result.finish))), "m")
    return Measurement(
        "networkx",
        n,
        succ.shape[0],
        min(times),
        times,
        _peak_rss_mb(),
        _fingerprint(finish, values),
    )


def work_mpxj(n: int, repeats: int) -> Measurement:
    """MPXJ's MicrosoftScheduler on the same network built as an MPXJ ProjectFile. Only the
    ``schedule`` call is timed; building the file through JPype is excluded."""
    from hitpm.engine.randomnet import random_project
    from hitpm.exchange import mpxj_bridge

    reason = mpxj_bridge.unavailable_reason()
    if reason:
        return Measurement("MPXJ", n, note=f"skipped: {reason}")
    warm = random_project(2000, seed=1)  # let the JIT compile the scheduler first
    mpxj_bridge.schedule_with_mpxj(warm)
    project = random_project(n, seed=SEED)
    file = mpxj_bridge.build_project_file(project)
    times, _ = _best_of(repeats, lambda: mpxj_bridge.run_microsoft_scheduler(file, project.start))
    finish = max(d.early_finish for d in mpxj_bridge.read_dates(file).values())
    return Measurement(
        "MPXJ",
        n,
        len(project.links),
        min(times),
        times,
        _peak_rss_mb(),
        f"{np.datetime64(finish, 'm')}|",
    )


DISPLAY = {
    "ours-shuffled": "ours, shuffled ids",
    "ours-spec": "ours, ProjectSpec API",
    "mpxj": "MPXJ",
}
WORKERS: dict[str, Callable[[int, int], Measurement]] = {
    "ours": work_ours,
    "ours-shuffled": lambda n, r: work_ours(n, r, shuffle=True),
    "ours-spec": work_ours_spec,
    "networkx": work_networkx,
    "mpxj": work_mpxj,
}


# ---------------------------------------------------------------- orchestration


def measure(engine: str, n: int, repeats: int) -> Measurement:
    """Run one worker in a fresh interpreter and parse its JSON line."""
    command = [
        sys.executable,
        __file__,
        "--worker",
        engine,
        "--sizes",
        str(n),
        "--repeats",
        str(repeats),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return Measurement(
            DISPLAY.get(engine, engine), n, note=f"skipped: over {WORKER_TIMEOUT_S} s"
        )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Measurement(DISPLAY.get(engine, engine), n, note=f"failed: {last[:90]}")
    return Measurement(**json.loads(done.stdout.strip().splitlines()[-1]))


def plan(sizes: list[int], peers: bool) -> list[tuple[str, int, int]]:
    """(engine, size, repeats) in running order; the ProjectSpec API and the peers only up to
    their size limits, the ProjectSpec API alone at :data:`SPEC_SIZES` too."""
    jobs = [("ours-spec", n, 5) for n in SPEC_SIZES if n not in sizes]
    for n in sizes:
        jobs.append(("ours", n, 5))
        jobs.append(("ours-shuffled", n, 5))
        if n <= SPEC_LIMIT:
            jobs.append(("ours-spec", n, 5 if n <= 10_000 else 3))
        if not peers:
            continue
        for engine, limit in PEER_LIMITS.items():
            if n <= limit:
                jobs.append((engine, n, 3 if n <= 10_000 else 1))
    return jobs


def run_all(sizes: list[int], peers: bool, progress: Callable[[str], None]) -> list[Measurement]:
    results = []
    for engine, n, repeats in plan(sizes, peers):
        progress(f"{engine} at {n:,} tasks")
        results.append(measure(engine, n, repeats))
    limits = {"ours-spec": SPEC_LIMIT, **(PEER_LIMITS if peers else {})}
    for n in sizes:
        for engine, limit in limits.items():
            if n > limit:
                note = f"not run above {limit:,} tasks"
                results.append(Measurement(DISPLAY.get(engine, engine), n, note=note))
    return results


# ---------------------------------------------------------------- reporting


def machine() -> str:
    """CPU model (from lscpu), cores, memory and Python version, for the results' header."""
    model = platform.processor() or "unknown CPU"
    try:
        listing = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        listing = ""
    for line in listing.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    memory_gb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    return (
        f"{model}, {os.cpu_count()} cores, {memory_gb:.0f} GB RAM, "
        f"Python {platform.python_version()}"
    )


def _speedup(m: Measurement, base: Measurement | None) -> str:
    """How many times faster ours is than a peer (blank for our own variants)."""
    if m.engine.startswith("ours") or not m.seconds or base is None or not base.seconds:
        return ""
    ratio = m.seconds / base.seconds
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def _same(m: Measurement, base: Measurement | None) -> str:
    if base is None or not m.fingerprint or m.engine == "ours":
        return ""
    return "yes" if _agree(base.fingerprint, m.fingerprint) else "NO"


def rows(results: list[Measurement]) -> list[list[str]]:
    """Table rows: each engine with its time, peak memory and speed-up of ours over it."""
    ours = {m.tasks: m for m in results if m.engine == "ours" and m.seconds}
    table = []
    for m in sorted(results, key=lambda m: (m.tasks, _engine_rank(m.engine))):
        base = ours.get(m.tasks)
        links = f"{m.links:,}" if m.links else ""
        memory = f"{m.peak_rss_mb:,.0f}" if m.peak_rss_mb else ""
        table.append(
            [f"{m.tasks:,}", m.engine, links, _fmt_seconds(m.seconds),
             _fmt_seconds(m.cpu_seconds), memory, _speedup(m, base), _same(m, base), m.note]
        )  # fmt: skip
    return table


HEADERS = [
    "tasks",
    "engine",
    "links",
    "time (s)",
    "CPU (s)",
    "peak RSS (MB)",
    "ours faster by",
    "same result",
    "note",
]


def _engine_rank(engine: str) -> int:
    order = ["ours", "ours, shuffled ids", "ours, ProjectSpec API", "networkx"]
    return order.index(engine) if engine in order else len(order)


def _agree(ours: str, other: str) -> bool:
    """Same finish date, and the same per-task digest where both engines report one."""
    finish_a, digest_a = ours.split("|")
    finish_b, digest_b = other.split("|")
    return finish_a == finish_b and (not digest_a or not digest_b or digest_a == digest_b)


def _fmt_seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}" if value < 1 else f"{value:,.2f}"


def verdicts(results: list[Measurement]) -> list[str]:
    """The targets, each with the measured figure and whether it is met."""
    by_key = {(m.engine, m.tasks): m for m in results}
    ours_1m, ours_100k = by_key.get(("ours", 1_000_000)), by_key.get(("ours", 100_000))
    checks = []
    if ours_1m and ours_1m.seconds and ours_1m.peak_rss_mb:
        checks.append(("1M tasks under 1 s", f"{ours_1m.seconds:.2f} s", ours_1m.seconds < 1))
        checks.append(
            ("1M tasks under 1.5 GB", f"{ours_1m.peak_rss_mb:,.0f} MB", ours_1m.peak_rss_mb < 1536)
        )
    for peer, wanted in (("MPXJ", 20.0), ("networkx", 1.0)):
        other = by_key.get((peer, 100_000))
        if ours_100k and ours_100k.seconds and other and other.seconds:
            ratio = other.seconds / ours_100k.seconds
            checks.append((f"100k: >= {wanted:g}x {peer}", f"{ratio:,.0f}x", ratio >= wanted))
    for n, wanted in ((5_000, 0.1), (100_000, 1.0)):
        spec = by_key.get(("ours, ProjectSpec API", n))
        if spec and spec.seconds:
            name = f"ProjectSpec API at {n // 1000}k under {wanted:g} s"
            checks.append((name, f"{spec.seconds:.3f} s", spec.seconds < wanted))
    return [f"{name}: {figure}, {'met' if ok else 'NOT MET'}" for name, figure, ok in checks]


def print_table(results: list[Measurement]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="Critical path scheduling, same random networks, same run",
        caption=f"{machine()}. Targets: {TARGETS}.",
    )
    for header in HEADERS:
        table.add_column(header, justify="left" if header in ("engine", "note") else "right")
    for row in rows(results):
        table.add_row(*row)
    console = Console(width=160)
    console.print(table)
    for line in verdicts(results):
        console.print(f"  {line}")


def markdown(results: list[Measurement]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + " --- |" * len(HEADERS)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    lines += ["", *(f"* {line}" for line in verdicts(results))]
    return "\n".join(lines)


def write_docs(path: Path, results: list[Measurement]) -> None:
    """Replace the generated section of ``docs/performance.md`` with this run's table."""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    block = (
        f"{begin}\nMeasured {today} on {machine()} with "
        f"`.venv/bin/python benchmarks/bench_cpm.py`.\n\n{markdown(results)}\n{end}"
    )
    text = path.read_text() if path.exists() else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    path.write_text(head + block + rest.split(end, 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated task counts (default 10000,100000,1000000)",
    )
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--no-peers", action="store_true", help="measure only our engine")
    parser.add_argument("--write-docs", type=Path, help="write the table into this markdown file")
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.worker:
        measured = WORKERS[args.worker](sizes[0], args.repeats)
        measured.cpu_seconds = min(_CPU_TIMES) if _CPU_TIMES else None
        print(json.dumps(asdict(measured)))
        return
    say = (
        (lambda _: None)
        if args.json
        else (lambda msg: print(f"measuring {msg}...", file=sys.stderr))
    )
    results = run_all(sizes, not args.no_peers, say)
    if args.json:
        document = {
            "machine": machine(),
            "targets": verdicts(results),
            "results": [asdict(m) for m in results],
        }
        print(json.dumps(document, indent=2))
    else:
        print_table(results)
    if args.write_docs:
        write_docs(args.write_docs, results)


if __name__ == "__main__":
    main()
