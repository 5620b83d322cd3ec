"""A project manager imports a spreadsheet plan: upload, map the columns, watch the job end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hitpm.core.tests.web_fixtures import PASSWORD, PM, make_project, make_user
from hitpm.planning.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = (
    "Activity,Length,Follows\n"
    "Validate order sets,5d,\n"
    "Build interfaces,10d,1\n"
    "Go-live readiness review,0d,2\n"
)


def test_csv_upload_mapping_and_background_import(
    page: Page, live_server, artifacts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # inline: the in-memory test database of the live server cannot be read while another
    # thread writes (a file database in WAL mode can, as in embedded mode)
    monkeypatch.setenv("HITPM_JOBS", "inline")
    pm = make_user("pat", password=PASSWORD)
    project = make_project("EHR-9", {pm: PM})
    upload = tmp_path / "plan.csv"
    upload.write_text(PLAN)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/p/EHR-9/exchange/")
    expect(page.get_by_role("heading", name="Import & export")).to_be_visible()
    page.screenshot(path=str(artifacts / "exchange-index.png"), full_page=True)
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", name="Map the columns of plan.csv")).to_be_visible()
    page.get_by_label("Activity").select_option("name")
    page.get_by_label("Length").select_option("duration")
    page.get_by_label("Follows").select_option("predecessors")
    page.screenshot(path=str(artifacts / "exchange-mapping.png"), full_page=True)
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("link", name="Open the plan of EHR-9")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(re.compile("3 tasks"))).to_be_visible()
    page.screenshot(path=str(artifacts / "exchange-done.png"), full_page=True)
    assert Task.objects.filter(project=project).count() == 3
