"""Import and export benchmark: a 10,000-task MSPDI file with 20,000 links into SQLite and
PostgreSQL, beside MPXJ's own read time for the same file.

Each database runs in its own subprocess with a scratch database (a temporary SQLite file; for
PostgreSQL a database named ``hitpm_bench_exchange`` created and dropped on the server of
``--postgres URL``). What is timed, wall clock:

* import: ``hitpm.exchange.services.import_into`` = parse + checks + bulk inserts of calendars,
  tasks, links and their audit entries + scheduling and storing every task's dates, in one
  transaction;
* export: ``export_project(project, "mspdi")`` = read the plan back and write the XML;
* MPXJ read: ``UniversalProjectReader().read(file)`` after one warm-up read (JIT).

    .venv/bin/python benchmarks/bench_exchange.py
    .venv/bin/python benchmarks/bench_exchange.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/bench_exchange.py --tasks 2000 --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hitpm.engine.model import (  # noqa: E402
    CalendarException,
    CalendarSpec,
    LinkSpec,
    LinkType,
    ProjectSpec,
    TaskSpec,
)
from hitpm.exchange.document import PlanDocument  # noqa: E402
from hitpm.exchange.mspdi_writer import write_mspdi  # noqa: E402

PG_DB = "hitpm_bench_exchange"


def make_file(tasks: int, links: int, seed: int = 11) -> bytes:
    """A plan of phases (every 50th row a summary) with ``links`` forward links."""
    rng = random.Random(seed)
    days = [dt.date(2027, 1, 1) + dt.timedelta(days=d) for d in range(0, 700, 45)]
    holidays = [CalendarException(day, day, (), "Holiday") for day in days]
    specs, leaves = [], []
    for uid in range(1, tasks + 1):
        summary = (uid - 1) % 50 == 0
        specs.append(TaskSpec(uid=uid, name=f"{'Phase' if summary else 'Task'} {uid}",
                              outline_level=1 if summary else 2,
                              duration_minutes=0 if summary else rng.choice((480, 960, 2400)),
                              milestone=not summary and uid % 97 == 0))  # fmt: skip
        if not summary:
            leaves.append(uid)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        i = rng.randrange(len(leaves) - 1)
        j = min(len(leaves) - 1, i + rng.randint(1, 40))
        pairs.add((leaves[i], leaves[j]))
    kinds = (LinkType.FS, LinkType.FS, LinkType.FS, LinkType.SS, LinkType.FF)
    spec = ProjectSpec(
        name="Benchmark plan", start=dt.datetime(2027, 1, 4, 8), calendar_uid=1,
        calendars=[CalendarSpec(uid=1, name="Standard", exceptions=holidays)], tasks=specs,
        links=[LinkSpec(a, b, rng.choice(kinds), rng.choice((0, 0, 480, -240)))
               for a, b in sorted(pairs)],
    )  # fmt: skip
    return write_mspdi(PlanDocument(spec=spec))


def _worker(database: str, path: str) -> dict[str, Any]:
    """Run inside a subprocess whose environment selects the database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitpm.site.settings")
    django.setup()
    from django.core.management import call_command

    from hitpm.exchange.services import export_project, import_into
    from hitpm.portfolio.models import Portfolio, Project

    call_command("migrate", interactive=False, verbosity=0)
    data = Path(path).read_bytes()
    portfolio = Portfolio.objects.create(name="Bench")
    project = Project.objects.create(portfolio=portfolio, code="BENCH-1", name="Bench",
                                     start_date=dt.date(2027, 1, 4))  # fmt: skip
    started, cpu = time.perf_counter(), time.process_time()
    summary = import_into(project, data, "bench.xml")
    imported, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    exported, _ = export_project(project, "mspdi")
    export_s, export_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"database": database, "import_s": round(imported, 2), "export_s": round(export_s, 2),
            "import_cpu_s": round(import_cpu, 2), "export_cpu_s": round(export_cpu, 2),
            "tasks": summary.tasks, "links": summary.links, "bytes": len(exported)}  # fmt: skip


def _mpxj(path: str) -> dict[str, Any]:
    from hitpm.exchange.mpxj_bridge import start_jvm, unavailable_reason

    if unavailable_reason() is not None:
        return {"database": "MPXJ read", "note": unavailable_reason()}
    start_jvm()
    from org.mpxj.reader import UniversalProjectReader

    UniversalProjectReader().read(path)  # warm-up: class loading and JIT
    started = time.perf_counter()
    project = UniversalProjectReader().read(path)
    took = time.perf_counter() - started
    return {
        "database": "MPXJ read",
        "import_s": round(took, 2),
        "tasks": project.getTasks().size(),
        "note": "JVM threads: CPU time not comparable",
    }


def _run(database: str, path: str, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", database, "--file", path]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"database": database, "note": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres_env(url: str) -> dict[str, str]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        conn.execute(f"CREATE DATABASE {PG_DB}")
    return {**os.environ, "DATABASE_URL": url.rsplit("/", 1)[0] + "/" + PG_DB}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=20_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = _mpxj(args.file) if args.worker == "mpxj" else _worker(args.worker, args.file)
        print(json.dumps(result))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="hitpm-bench-") as folder:
        path = os.path.join(folder, "bench.xml")
        Path(path).write_bytes(make_file(args.tasks, args.links))
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        results.append(_run("SQLite", path, {**env, "HITPM_DATA_DIR": folder}))
        if args.postgres:
            results.append(_run("PostgreSQL", path, _postgres_env(args.postgres)))
        results.append(_run("mpxj", path, env))
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print(f"{args.tasks} tasks, {args.links} links; load average {os.getloadavg()[0]:.1f}")
    print("| target | import / read (s) | import CPU (s) | export (s) | export CPU (s) | note |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        cells = [r.get(k, "") for k in ("import_s", "import_cpu_s", "export_s", "export_cpu_s")]
        print(f"| {r['database']} | " + " | ".join(map(str, cells)) + f" | {r.get('note', '')} |")


if __name__ == "__main__":
    main()
