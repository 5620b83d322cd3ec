"""A real Chromium driven by Playwright against a live server on a free port.

Playwright's sync API runs an event loop in the test thread, where the tests also use the ORM
to build their data; Django refuses ORM calls inside a running loop unless told this is safe.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# A loaded CI machine can take more than Playwright's default 5 s to answer and redraw.
expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """The system's Chromium (never a downloaded one); skips when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: `apt-get install chromium` to run the browser "
            "tests (Playwright's own browser downloads are not used)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh browser tab at a laptop's screen size; fails the test on JavaScript errors."""
    context = chromium.new_context(viewport={"width": 1366, "height": 860})
    tab = context.new_page()
    slowdown = float(os.environ.get("HITPM_BROWSER_SLOWDOWN", "1"))
    if slowdown > 1:
        # Emulate a slow CI machine to shake out races between swaps and the next user action.
        context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
