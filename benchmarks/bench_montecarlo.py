"""Monte Carlo schedule risk analysis benchmark: hitpm's engine beside two peers, same run.

The case: 10,000 iterations of a 10,000-task random network (~20,000 links, FS/SS/FF/SF,
positive and negative lags) with 50 risk events, the 90/100/130 % triangular template, and
both criticality and sensitivity. Every figure comes from a fresh subprocess, so peak memory
is that measurement's own.

* **ours**: :func:`hitpm.engine.montecarlo.run` (batched numba passes, streaming statistics);
* **loop**: the obvious way with our own engine: numpy draws, then one
  :func:`hitpm.engine.cpm.schedule_arrays` call per iteration (order reused), numpy ranks;
* **numpy**: a straightforward vectorised implementation: forward and backward passes level
  by level of the network, each level vectorised over a block of iterations.

The peers would take minutes at full size, so they run a subset of iterations and their time
is scaled up linearly (the table says so). Compile cost is measured apart: a fresh numba cache
(compiling everything) and a warm one (loading the cached machine code).

    .venv/bin/python benchmarks/bench_montecarlo.py [--json] [--tasks N] [--iterations N]
    .venv/bin/python benchmarks/bench_montecarlo.py --engines ours       # ours only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

import numpy as np

SEED = 7
RISKS = 50
SUBSET = {"loop": 200, "numpy": 500}  # iterations the peers actually run
REPEATS = 3  # runs of ours; the best is reported (each peer runs once, scaled up)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def case(n: int, iterations: int) -> tuple[Any, Any]:
    """The seeded network and the simulation input of the benchmark."""
    from hitpm.engine.montecarlo import Estimate, RiskEvent, SimulationInput
    from hitpm.engine.randomnet import random_arrays

    net = random_arrays(n, seed=SEED)
    rng = np.random.default_rng(SEED)
    risks = tuple(
        RiskEvent(f"risk {r}", float(rng.uniform(0.05, 0.5)), Estimate(480, 960, 4800),
                  tuple(int(t) for t in rng.choice(n, 3, replace=False)))
        for r in range(RISKS)
    )  # fmt: skip
    return net, SimulationInput(iterations=iterations, seed=SEED, risks=risks)


# ---------------------------------------------------------------- workers (subprocesses)


def work_ours(n: int, iterations: int) -> dict[str, Any]:
    from hitpm.engine.montecarlo import model_from_arrays, run

    net, inputs = case(n, iterations)
    model = model_from_arrays(net.durations, net.links, inputs)
    run(model, inputs.__class__(iterations=64, risks=inputs.risks))  # load compiled code
    best = (float("inf"), 0.0)
    for _ in range(REPEATS):  # best of a few: the machine is shared
        wall, cpu = time.perf_counter(), time.process_time()
        result = run(model, inputs)
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    wall, cpu = best
    return {"seconds": wall, "cpu": cpu, "iterations": iterations, "scaled": False,
            "p50": result.percentile(50), "mean": result.mean}  # fmt: skip


def work_compile(n: int, iterations: int, fresh: bool) -> dict[str, Any]:
    """Import and first run of a tiny model: with ``fresh`` in an empty numba cache."""
    del n, iterations
    wall = time.perf_counter()
    from hitpm.engine.montecarlo import model_from_arrays, run

    net, inputs = case(50, 64)
    run(model_from_arrays(net.durations, net.links, inputs), inputs)
    return {"seconds": time.perf_counter() - wall, "fresh": fresh}


def sample(rng: np.random.Generator, base: np.ndarray, inputs: Any, n: int, k: int) -> np.ndarray:
    """[task, iteration] durations: the template triangular plus the risk events."""
    low, likely, high = (np.rint(base * f) for f in inputs.template)
    same = high <= low
    draws = rng.triangular(low, np.where(same, low, likely), np.where(same, low + 1, high),
                           size=(k, n)).T  # fmt: skip
    durations = np.rint(np.where(same[:, None], likely[:, None], draws)).astype(np.int64)
    for risk in inputs.risks:
        strikes = rng.random(k) < risk.probability
        impact = rng.triangular(risk.impact.low, risk.impact.likely, risk.impact.high, k)
        durations[list(risk.tasks)] += np.rint(impact * strikes).astype(np.int64)
    return durations


def spearman_rows(durations: np.ndarray, finish: np.ndarray) -> np.ndarray:
    """Spearman correlation of each row with ``finish`` (ranks by argsort, ties ignored)."""
    ranks = np.argsort(np.argsort(durations, axis=1), axis=1).astype(np.float64)
    target = np.argsort(np.argsort(finish)).astype(np.float64)
    ranks -= ranks.mean(axis=1, keepdims=True)
    target -= target.mean()
    norm = np.sqrt((ranks**2).sum(axis=1) * (target**2).sum())
    return np.divide(ranks @ target, norm, out=np.zeros(len(ranks)), where=norm > 0)


def work_loop(n: int, iterations: int) -> dict[str, Any]:
    from hitpm.engine.cpm import schedule_arrays

    net, inputs = case(n, iterations)
    k = min(SUBSET["loop"], iterations)
    first = schedule_arrays(net.durations, net.links)  # compiled, order computed once
    wall, cpu = time.perf_counter(), time.process_time()
    durations = sample(np.random.default_rng(SEED), net.durations, inputs, n, k)
    finish = np.empty(k, np.int64)
    critical = np.zeros(n, np.int64)
    for it in range(k):
        s = schedule_arrays(durations[:, it], net.links, order=first.order)
        finish[it] = s.finish
        critical += s.critical
    spearman_rows(durations, finish)
    return _scaled(wall, cpu, k, iterations, finish)


def _scaled(wall: float, cpu: float, k: int, iterations: int, finish: np.ndarray) -> dict[str, Any]:
    factor = iterations / k
    return {"seconds": (time.perf_counter() - wall) * factor,
            "cpu": (time.process_time() - cpu) * factor, "iterations": k, "scaled": factor > 1,
            "p50": int(np.quantile(finish, 0.5, method="inverted_cdf")),
            "mean": float(finish.mean())}  # fmt: skip


def levels(links: Any) -> list[np.ndarray]:
    """Tasks grouped by depth (longest chain of links before them), shallow first."""
    n = links.size
    depth = np.zeros(n, np.int64)
    for j in range(n):  # random_arrays networks are in topological order
        preds = links.pred_idx[links.pred_ptr[j] : links.pred_ptr[j + 1]]
        if preds.size:
            depth[j] = depth[preds].max() + 1
    order = np.argsort(depth, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(depth[order])) + 1)


def work_numpy(n: int, iterations: int) -> dict[str, Any]:
    net, inputs = case(n, iterations)
    k = min(SUBSET["numpy"], iterations)
    links = net.links
    wall, cpu = time.perf_counter(), time.process_time()
    durations = sample(np.random.default_rng(SEED), net.durations, inputs, n, k)
    groups = levels(links)
    pred, succ, kind, lag = (links.pred_idx, links.edge_successors(), links.link_type,
                             links.lag[:, None])  # fmt: skip
    from_finish, to_finish = np.isin(kind, (0, 2)), np.isin(kind, (2, 3))
    has_preds = np.diff(links.pred_ptr) > 0
    es = np.where(has_preds[:, None], -(1 << 60), 0) + np.zeros((n, k), np.int64)
    ef = np.zeros((n, k), np.int64)
    by_level = []
    for tasks in groups:
        edges = np.concatenate([np.arange(links.pred_ptr[j], links.pred_ptr[j + 1]) for j in tasks])
        by_level.append(edges)
        if edges.size:
            source = np.where(from_finish[edges, None], ef[pred[edges]], es[pred[edges]])
            demand = (
                source + lag[edges] - np.where(to_finish[edges, None], durations[succ[edges]], 0)
            )
            demand[kind[edges] == 2] = np.maximum(demand[kind[edges] == 2], 0)
            np.maximum.at(es, succ[edges], demand)
        ef[tasks] = es[tasks] + durations[tasks]
    finish = ef.max(axis=0)
    lf = np.broadcast_to(finish, (n, k)).copy()
    ls = lf - durations
    for tasks, edges in zip(reversed(groups), reversed(by_level), strict=True):
        ls[tasks] = lf[tasks] - durations[tasks]
        if edges.size:
            target = np.where(
                np.isin(kind[edges], (0, 1))[:, None], ls[succ[edges]], lf[succ[edges]]
            )
            bound = target - lag[edges] + np.where(np.isin(kind[edges], (1, 3))[:, None],
                                                   durations[pred[edges]], 0)  # fmt: skip
            np.minimum.at(lf, pred[edges], bound)
    critical = (lf - ef <= 0).sum(axis=1)
    del critical
    spearman_rows(durations, finish)
    return _scaled(wall, cpu, k, iterations, finish)


WORKERS = {"ours": work_ours, "loop": work_loop, "numpy": work_numpy}


def measure(engine: str, n: int, iterations: int) -> dict[str, Any]:
    env = dict(os.environ)
    if engine == "compile-fresh":
        env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="hitpm-numba-")
    command = [sys.executable, __file__, "--worker", engine, "--tasks", str(n),
               "--iterations", str(iterations)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        return {"engine": engine, "note": f"failed: {done.stderr.strip().splitlines()[-1:]}"}
    return {"engine": engine, **json.loads(done.stdout)}


def worker(engine: str, n: int, iterations: int) -> None:
    if engine.startswith("compile"):
        out = work_compile(n, iterations, fresh=engine == "compile-fresh")
    else:
        out = WORKERS[engine](n, iterations)
    print(json.dumps({**out, "peak_rss_mb": round(_peak_mb(), 1)}))


def table(results: list[dict[str, Any]], n: int, iterations: int) -> str:
    ours = next((r for r in results if r["engine"] == "ours" and "seconds" in r), None)
    lines = [
        "| engine | time (s) | CPU (s) | task-iterations/s | peak RSS (MB) | ours faster by "
        "| P50 finish (min) | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if "seconds" not in r:
            lines.append(f"| {r['engine']} |  |  |  |  |  |  | {r.get('note', '')} |")
            continue
        rate = "" if r["engine"].startswith("compile") else f"{n * iterations / r['seconds']:.3g}"
        speedup = ""
        if ours and r is not ours and not r["engine"].startswith("compile"):
            speedup = f"{r['seconds'] / ours['seconds']:.0f}x"
        note = ""
        if r.get("scaled"):
            scale = iterations / r["iterations"]
            note = f"ran {r['iterations']:,} iterations, time scaled x{scale:.0f}"
        if r["engine"].startswith("compile"):
            note = "empty numba cache: compiles everything" if r["fresh"] else "cached machine code"
        cpu = f"{r['cpu']:.2f}" if "cpu" in r else ""
        cells = [r["engine"], f"{r['seconds']:.2f}", cpu, rate, f"{r['peak_rss_mb']:.0f}",
                 speedup, str(r.get("p50", "")), note]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--engines", default="compile-fresh,compile-cached,ours,loop,numpy",
                        help="comma-separated subset of the measurements")  # fmt: skip
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.tasks, args.iterations)
        return
    engines = args.engines.split(",")
    results = [measure(e, args.tasks, args.iterations) for e in engines]
    if args.json:
        print(json.dumps({"tasks": args.tasks, "iterations": args.iterations, "risks": RISKS,
                          "cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average": os.getloadavg(),
                          "results": results}, indent=2))  # fmt: skip
        return
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{args.tasks:,} tasks, {args.iterations:,} iterations, {RISKS} risk events, "
          f"criticality + sensitivity; {os.cpu_count()} CPUs, load average {load} "
          f"(wall times stretch when other work shares the cores; CPU times less so)")  # fmt: skip
    print(table(results, args.tasks, args.iterations))
    ours = next((r for r in results if r["engine"] == "ours" and "seconds" in r), None)
    if ours:
        verdict = "met" if ours["seconds"] < 3 and ours["peak_rss_mb"] < 2048 else "MISSED"
        print(f"target < 3 s and < 2 GB: {verdict}")


if __name__ == "__main__":
    main()
