"""The page shell: error pages that look like the app, and every asset served by the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from hitpm.core.templatetags.hitpm_ui import audit_value, days, model_label
from hitpm.core.tests.web_fixtures import make_user, signed_in

VENDOR_HTMX = Path(__file__).parents[1] / "static" / "vendor" / "htmx"


def test_server_error_page_renders_without_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "hitpm.css" in page


@pytest.mark.django_db
def test_pages_load_every_asset_from_the_app_itself() -> None:
    page = signed_in(make_user("pat")).get(reverse("portfolio:dashboard")).content.decode()
    external = re.findall(r'(?:src|href)="(https?:)?//[^"]+"', page)
    assert external == []
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', page):
        assert finders.find(asset), f"{asset} is linked but not shipped"


@pytest.mark.django_db
def test_pages_carry_the_csrf_token_for_htmx_and_a_skip_link() -> None:
    client = signed_in(make_user("pat"))
    page = client.get(reverse("portfolio:dashboard")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert '<a class="skip-link" href="#main">' in page


def test_vendored_htmx_records_its_version_and_licence() -> None:
    version = (VENDOR_HTMX / "VERSION").read_text()
    assert re.search(r"htmx\.org 2\.\d+\.\d+", version)
    assert (VENDOR_HTMX / "LICENSE").read_text().startswith("Zero-Clause BSD")
    assert (VENDOR_HTMX / "htmx.min.js").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("minutes", "shown"), [(None, "—"), (0, "0d"), (480, "1d"), (1200, "2.5d"), (-960, "-2d")]
)
def test_durations_show_as_working_days(minutes: int | None, shown: str) -> None:
    assert days(minutes) == shown


def test_audit_values_read_like_words() -> None:
    assert [audit_value(v) for v in (None, "", True, False, 3)] == ["—", "—", "yes", "no", "3"]
    assert model_label("portfolio.project") == "Project"
    assert model_label("gone.model") == "gone.model"
