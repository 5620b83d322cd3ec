"""The Gantt chart on a 5,000-task plan with 10,000 links: page load in Chromium and a big drag.

Run ``.venv/bin/python benchmarks/bench_gantt.py [--json] [--repeats N]``. It builds the plan in
a fresh SQLite database under a temporary directory (or in ``DATABASE_URL``'s database when that
is set; it must be an empty scratch database), then measures:

* **server**: the chart's data endpoint, and dragging a bar whose move pushes about 1,000
  successors: the POST is saved, audited, rescheduled by the engine and answered with the
  changed rows, timed in-process through Django's test client (middleware and commit included);
* **browser**: Debian Chromium (headless, through Playwright) against a threaded live server:
  time from navigation to the chart being drawn and interactive (the page's ``gantt-ready``
  performance mark), cold and warm; and the same drag made with the mouse: the server's time
  (``Server-Timing``) and the client's redraw of the moved rows (``gantt-redraw`` measure).

Targets (issue 4): interactive in under 2 s; the drag saved, rescheduled and redrawn in under
300 ms of server time.
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
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

TASKS = 5_000
LINKS = 10_000
PHASES = 100
MOVE_TARGET = 1_000
CHROMIUM = Path("/usr/bin/chromium")


def setup_django() -> None:
    os.environ.setdefault("HITPM_DATA_DIR", tempfile.mkdtemp(prefix="hitpm-bench-gantt-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitpm.site.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def plan_rows(seed: int = 7) -> tuple[list[Any], list[tuple[str, str]]]:
    """100 phases of 49 work packages; 10,000 links between nearby work packages."""
    from hitpm.engine.model import LinkType
    from hitpm.planning.builder import PlanLink, PlanRow

    rng = random.Random(seed)
    per_phase = TASKS // PHASES - 1
    work = [f"t{i}" for i in range(PHASES * per_phase)]
    preds: dict[str, list[PlanLink]] = {key: [] for key in work}
    pairs: set[tuple[int, int]] = set()
    kinds = [LinkType.FS] * 80 + [LinkType.SS] * 10 + [LinkType.FF] * 7 + [LinkType.SF] * 3
    j = 1
    while len(pairs) < LINKS:
        i = rng.randrange(max(0, j - 40), j)
        if (i, j) not in pairs:
            pairs.add((i, j))
            preds[work[j]].append(PlanLink(work[i], rng.choice(kinds)))
        j = j + 1 if j + 1 < len(work) else 1
    rows = []
    for phase in range(PHASES):
        rows.append(PlanRow(f"p{phase}", f"Phase {phase + 1}", level=1))
        for index in range(per_phase):
            key = work[phase * per_phase + index]
            rows.append(
                PlanRow(
                    key,
                    f"Work package {key[1:]}",
                    level=2,
                    duration_minutes=rng.choice((1, 2, 3, 5, 10)) * 480,
                    predecessors=tuple(preds[key]),
                )
            )
    return rows, [(work[i], work[j]) for i, j in pairs]


def build_project() -> tuple[Any, Any, dict[str, float]]:
    from hitpm.accounts.models import User
    from hitpm.planning.builder import build_plan
    from hitpm.planning.services import create_default_calendar, reschedule
    from hitpm.portfolio import services
    from hitpm.portfolio.models import Membership, Portfolio

    timings = {}
    pm = User.objects.create_user("bench.pm", password="Bench-Gantt-2026")
    portfolio = Portfolio.objects.create(name="Benchmarks")
    project = services.create_project(
        portfolio, pm, code="BENCH-5K", name="5,000-task benchmark",
        start_date=dt.date(2027, 1, 4), status_date=None,
    )  # fmt: skip
    services.set_member(project, pm, Membership.Role.PROJECT_MANAGER)
    create_default_calendar(project)
    rows, _ = plan_rows()
    began = time.perf_counter()
    build_plan(project, rows)
    timings["build plan (s)"] = time.perf_counter() - began
    began = time.perf_counter()
    reschedule(project)
    timings["first reschedule (s)"] = time.perf_counter() - began
    return project, pm, timings


def drag_target(project: Any) -> tuple[Any, int]:
    """The task whose downstream network is closest to 1,000 tasks, and that count."""
    from hitpm.planning.models import Dependency

    successors: dict[int, list[int]] = {}
    for pred, succ in Dependency.objects.filter(project=project).values_list(
        "predecessor_id", "successor_id"
    ):
        successors.setdefault(pred, []).append(succ)
    best, best_size = None, 0
    for task in project.tasks.filter(is_summary=False).order_by("position")[::25]:
        seen, queue = {task.pk}, deque([task.pk])
        while queue:
            for nxt in successors.get(queue.popleft(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        size = len(seen) - 1
        if best is None or abs(size - MOVE_TARGET) < abs(best_size - MOVE_TARGET):
            best, best_size = task, size
    return best, best_size


def server_side(project: Any, pm: Any, target: Any, repeats: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from hitpm.planning.gantt.data import minutes
    from hitpm.planning.models import Task

    client = Client(HTTP_HOST="localhost")
    client.force_login(pm)
    data_url = reverse("planning:gantt_data", args=[project.code])
    data_times = []
    for _ in range(repeats):
        began = time.perf_counter()
        response = client.get(data_url)
        data_times.append(time.perf_counter() - began)
    size = len(response.content)
    url = reverse("planning:gantt_move", args=[project.code, target.pk])
    original = minutes(target.start)
    times, server_timing, moved, answered = [], [], [], []
    for attempt in range(repeats * 2):
        task = Task.objects.get(pk=target.pk)
        starts = dict(Task.objects.filter(project=project).values_list("pk", "start"))
        start = original + 30 * 1440 if attempt % 2 == 0 else original
        body = json.dumps({"start": start, "version": task.version})
        began = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, response.content
        if attempt % 2 == 0:
            times.append(elapsed)
            server_timing.append(float(response["Server-Timing"].split("dur=")[1]) / 1000)
            rows = response.json()["tasks"]
            moved.append(sum(1 for row in rows if row["s"] != minutes(starts[row["id"]])))
            answered.append(len(rows))
    return {
        "data endpoint (s)": min(data_times),
        "data payload (MB)": size / 1e6,
        "drag: tasks whose start moved": max(moved),
        "drag: tasks in the answer (any date, float or flag changed)": max(answered),
        "drag round trip in-process, best (s)": min(times),
        "drag round trip in-process, median (s)": statistics.median(times),
        "drag view (Server-Timing), best (s)": min(server_timing),
    }


def serve() -> tuple[str, Any]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def browser_side(project: Any, pm: Any, target: Any, repeats: int) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return {"browser": f"skipped: no Chromium at {CHROMIUM}"}
    client = Client(HTTP_HOST="localhost")
    client.force_login(pm)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    base, server = serve()
    url = f"{base}/p/{project.code}/plan/gantt/"
    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}
        context.add_cookies([cookie])  # type: ignore[list-item]
        ready = []
        for _ in range(repeats + 1):
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("#gantt[data-ready=true]")
            page.wait_for_function("performance.getEntriesByName('gantt-ready').length > 0")
            ready.append(page.evaluate("performance.getEntriesByName('gantt-ready')[0].startTime"))
            if len(ready) <= repeats:
                page.close()
        results["interactive from navigation, cold (s)"] = ready[0] / 1000
        results["interactive from navigation, warm best (s)"] = min(ready[1:]) / 1000
        results.update(browser_drag(page, target))
        browser.close()
    server.shutdown()
    return results


def browser_drag(page: Any, target: Any) -> dict[str, Any]:
    page.get_by_role("button", name="Week", exact=True).click()
    index = target.position  # plan order = row order with everything expanded
    page.evaluate(
        "(top) => { document.querySelector('.gantt-chart-body').scrollTop = top; }",
        max(index * 28 - 200, 0),
    )
    page.locator(f"#gantt-row-{target.pk}").click()
    bar = page.locator(f'g[data-task="{target.pk}"] rect.bar').first
    bar.wait_for()
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y, steps=3)
    page.mouse.move(x + 14 * 9, y, steps=3)  # two weeks at 9 px a day
    with page.expect_response(lambda r: "/move/" in r.url) as answer:
        began = time.perf_counter()
        page.mouse.up()
    response = answer.value
    page.wait_for_function("performance.getEntriesByName('gantt-redraw').length > 0")
    total = time.perf_counter() - began
    redraw = page.evaluate("performance.getEntriesByName('gantt-redraw')[0].duration")
    update = page.evaluate("performance.getEntriesByName('gantt-update')[0].duration")
    timing = float(response.headers["server-timing"].split("dur=")[1]) / 1000
    return {
        "browser drag: view time (Server-Timing) (s)": timing,
        "browser drag: client update of the moved rows (s)": update / 1000,
        "browser drag: client update and redraw (s)": redraw / 1000,
        "browser drag: mouse-up to redrawn, wall (s)": total,
        "browser drag: tasks in answer": len(response.json()["tasks"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    project, pm, results = build_project()
    from hitpm.planning.models import Dependency

    results["tasks"] = project.tasks.count()
    results["links"] = Dependency.objects.filter(project=project).count()
    target, downstream = drag_target(project)
    results["dragged task downstream network"] = downstream
    results.update(server_side(project, pm, target, args.repeats))
    results.update(browser_side(project, pm, target, args.repeats))
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    width = max(len(key) for key in results)
    for key, value in results.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")


if __name__ == "__main__":
    main()
