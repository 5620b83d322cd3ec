"""The Gantt chart in a real Chromium: drag a bar, draw a link, be refused a loop, read-only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect

from hitpm.core.tests.web_fixtures import PASSWORD, PM, VIEWER, make_project, make_user
from hitpm.planning.gantt.tests.conftest import ehr_plan, save_baseline
from hitpm.planning.models import Dependency, Task
from hitpm.portfolio.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY_PX = 28  # the day zoom


def _project() -> Project:
    project = make_project(
        "EHR-G",
        {make_user("pat", password=PASSWORD): PM, make_user("vic", password=PASSWORD): VIEWER},
        name="Epic ambulatory go-live",
        start_date=dt.date(2027, 1, 4),
        status_date=dt.date(2027, 1, 15),
    )
    ehr_plan(project)
    return project


def _open(page: Page, base_url: str, username: str = "pat", zoom: str = "Day") -> None:
    page.goto(f"{base_url}/accounts/login/?next=/p/EHR-G/plan/gantt/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Gantt chart")).to_be_visible()
    expect(page.locator("#gantt")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name=zoom, exact=True).click()


def _task(name: str) -> Task:
    return Task.objects.get(project__code="EHR-G", name=name)


def _bar(page: Page, name: str) -> Locator:
    return page.locator(f'g[data-task="{_task(name).pk}"] :is(rect.bar, polygon.ms)').first


def _row(page: Page, name: str) -> Locator:
    return page.locator(f"#gantt-row-{_task(name).pk}")


def _settled(page: Page) -> None:
    """Wait until the chart has painted what it had pending (it paints on animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _box(source: Locator) -> FloatRect:
    """Where an element of the chart is. Each paint replaces the chart's elements, so one can
    be gone between finding it and measuring it: wait for the paint, and measure again."""
    for _ in range(20):
        _settled(source.page)
        expect(source).to_be_visible()
        box = source.bounding_box()
        if box is not None:
            return box
    raise AssertionError(f"{source} was never drawn long enough to be measured")


def _drag(page: Page, source: Locator, dx: float, dy: float = 0, at: str = "middle") -> None:
    box = _box(source)
    x = box["x"] + (box["width"] / 2 if at == "middle" else box["width"] - 1)
    y = box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=4)
    page.mouse.move(x + dx, y + dy, steps=4)
    page.mouse.up()


def _link(page: Page, source: str, target: str, source_end: str, target_end: str) -> None:
    """Hover the source bar to show its dots, then drag from one to the target's end."""
    _bar(page, source).hover()
    dot = page.locator(f'g[data-task="{_task(source).pk}"] circle[data-end="{source_end}"]')
    start = _box(dot)
    end = _box(page.locator(f'g[data-task="{_task(target).pk}"] circle[data-end="{target_end}"]'))
    page.mouse.move(start["x"] + 4, start["y"] + 4)
    page.mouse.down()
    page.mouse.move(end["x"] + 4, end["y"] + 4, steps=8)
    page.mouse.up()


def test_dragging_a_bar_moves_its_successors(page: Page, live_server, artifacts: Path) -> None:
    _project()
    _open(page, live_server.url)
    rules_before = _row(page, "Clinical decision rules").locator(".c-start").inner_text()
    page.screenshot(path=str(artifacts / "gantt.png"), full_page=True)

    _row(page, "Order sets").click()  # selects it and scrolls its bar into view
    _drag(page, _bar(page, "Order sets"), 7 * DAY_PX)
    expect(page.locator("#gantt-status")).to_contain_text("Moved 2.1 Order sets 7 days later")
    expect(_row(page, "Clinical decision rules").locator(".c-start")).not_to_have_text(rules_before)
    expect(_row(page, "Order sets").locator(".c-start")).to_have_text("Fri 29 Jan 27")
    rules = _task("Clinical decision rules")
    assert rules.start is not None
    assert rules.start.date() == dt.date(2027, 2, 1)  # SS + 1 working day behind Order sets
    page.screenshot(path=str(artifacts / "gantt-moved.png"), full_page=True)

    _drag(page, _bar(page, "Reports"), 2 * DAY_PX, at="end")  # stretch by two days
    expect(page.locator("#gantt-status")).to_contain_text("Changed the duration of 2.4 Reports")
    assert _task("Reports").duration_minutes == 4 * 480

    grid = page.get_by_role("treegrid")
    _row(page, "Workflow validation").click()
    grid.press("Shift+ArrowRight")  # the keyboard way to move a task a day later
    expect(page.locator("#gantt-status")).to_contain_text(
        "Moved 1.1 Workflow validation 1 day later"
    )
    assert _task("Workflow validation").constraint_date is not None


def test_drawing_links_and_being_refused_a_loop(page: Page, live_server, artifacts: Path) -> None:
    project = _project()
    _open(page, live_server.url)
    arrows = page.locator("g[data-link]")
    expect(arrows).to_have_count(7)

    _link(page, "Reports", "Go-live", "finish", "start")
    expect(arrows).to_have_count(8)
    expect(page.locator("#gantt-status")).to_contain_text("(FS)")
    assert Dependency.objects.filter(predecessor=_task("Reports"), successor=_task("Go-live"))

    before = list(project.tasks.order_by("pk").values_list("version", "start", "finish"))
    _link(page, "Go-live", "Workflow validation", "finish", "start")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This link would make a loop")
    expect(alert).to_contain_text("Workflow validation")
    expect(arrows).to_have_count(8)
    page.screenshot(path=str(artifacts / "gantt-loop-refused.png"), full_page=True)
    assert list(project.tasks.order_by("pk").values_list("version", "start", "finish")) == before
    assert project.dependencies.count() == 8

    _link(page, "Reports", "Reports", "start", "finish")
    expect(alert).to_contain_text("cannot be linked to itself")

    made = Dependency.objects.get(predecessor=_task("Reports"), successor=_task("Go-live"))
    point = page.evaluate(
        """(id) => {  // the middle of the arrow's vertical stroke, in page coordinates
            const line = document.querySelector(`g[data-link="${id}"] polyline.hit`);
            const [a, b] = [line.points[1], line.points[2]], m = line.getScreenCTM();
            return [m.a * (a.x + b.x) / 2 + m.e, m.d * (a.y + b.y) / 2 + m.f];
        }""",
        made.pk,
    )
    page.mouse.click(point[0], point[1])
    page.get_by_role("button", name="Remove selected link").click()
    expect(arrows).to_have_count(7)
    assert not Dependency.objects.filter(pk=made.pk).exists()


def test_a_viewer_sees_baselines_and_cannot_drag(page: Page, live_server, artifacts: Path) -> None:
    project = _project()
    save_baseline(project, "Approved plan", shift_days=7)
    _open(page, live_server.url, "vic", zoom="Week")
    expect(page.get_by_label("Baseline")).to_have_value(str(project.baselines.get().pk))
    expect(page.locator("rect.base").first).to_be_visible()
    expect(page.locator("circle.handle")).to_have_count(0)
    orders = _task("Order sets")
    _drag(page, _bar(page, "Order sets"), 40)
    page.wait_for_timeout(300)
    assert Task.objects.get(pk=orders.pk).version == orders.version
    page.screenshot(path=str(artifacts / "gantt-viewer.png"), full_page=True)

    grid = page.get_by_role("treegrid")
    grid.focus()
    grid.press("Home")
    grid.press("ArrowDown")
    expect(page.locator(".gantt-row.active")).to_contain_text("Workflow validation")
    grid.press("ArrowUp")
    grid.press("ArrowLeft")  # collapse Design
    expect(page.locator(".gantt-row")).to_have_count(7)
    expect(page.get_by_role("row", name=re.compile("Design sign-off"))).to_have_count(0)
