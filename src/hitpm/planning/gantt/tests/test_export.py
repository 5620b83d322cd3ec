"""Exports: the SVG parses, the PNG is an image of the chart's size, the PDF has its pages."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any
from xml.etree import ElementTree

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from hitpm.core.tests.web_fixtures import signed_in
from hitpm.planning.gantt import export
from hitpm.planning.gantt.data import TaskRow, build
from hitpm.planning.gantt.tests.conftest import Team, save_baseline

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def download(team: Team, fmt: str, query: str = "", user: Any = None) -> Any:
    url = reverse("planning:gantt_export", args=[team.project.code, fmt]) + query
    return signed_in(user or team.viewer).get(url)


def test_the_svg_parses_and_shows_tasks_links_legend_and_title(team: Team) -> None:
    save_baseline(team.project, "Approved plan", shift_days=7)
    response = download(team, "svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert 'filename="EHR-G-gantt-' in response["Content-Disposition"]
    root = ElementTree.fromstring(response.content)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "EHR-G · Epic ambulatory go-live" in texts
    assert any(t.startswith("Status date 15 Jan 2027") and "Approved plan" in t for t in texts)
    assert "Order sets" in texts
    assert {"Critical task", "Milestone", "Baseline", "Non-working time"} <= set(texts)
    assert len(list(root.iter(f"{SVG}polyline"))) == 7  # one connector per link


def test_the_png_is_an_image_of_the_svgs_size(team: Team) -> None:
    response = download(team, "png", "?zoom=day")
    assert response.status_code == 200
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = ElementTree.fromstring(download(team, "svg", "?zoom=day").content)
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (round(float(svg.get("width", 0))), round(float(svg.get("height", 0))))


def test_the_pdf_is_landscape_on_the_chosen_paper_with_tiled_pages(team: Team) -> None:
    response = download(team, "pdf", "?paper=a4")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    document = pypdfium2.PdfDocument(response.content)
    assert len(document) == 1
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    text = document[0].get_textpage().get_text_range()
    assert "Epic ambulatory go-live" in text
    assert "Status date 15 Jan 2027" in text
    assert "Page 1 of 1" in text


def test_long_plans_tile_over_pages(team: Team) -> None:
    data = build(team.project)
    many = [TaskRow(**{**row, "id": row["id"] + 1000 * n}) for n in range(12) for row in data.tasks]
    content = export.pdf(replace(data, tasks=many), export.ExportOptions(paper="a4"))
    document = pypdfium2.PdfDocument(content)
    assert len(document) == 5  # 108 rows, 26 to an A4 page
    assert {tuple(round(v) for v in page.get_size()) for page in document} == {(842, 595)}
    last = document[4].get_textpage().get_text_range()
    assert "Page 5 of 5" in last
    assert "Epic ambulatory go-live" in last
    assert "Non-working time" in last  # the legend on every page


def test_too_many_pages_point_to_the_outline_level(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build(team.project)
    many = [TaskRow(**{**row, "id": row["id"] + 1000 * n}) for n in range(12) for row in data.tasks]
    monkeypatch.setattr(export, "MAX_PDF_PAGES", 4)
    with pytest.raises(ValidationError, match="108 rows need 5 A4 pages"):
        export.pdf(replace(data, tasks=many), export.ExportOptions(paper="a4"))
    assert export.pdf(replace(data, tasks=many), export.ExportOptions(paper="a4", level=1))


def test_an_outline_level_limits_the_rows(team: Team) -> None:
    root = ElementTree.fromstring(download(team, "svg", "?level=1").content)
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Design", "Build"} <= texts
    assert "Order sets" not in texts


@pytest.mark.parametrize(
    ("query", "field"),
    [("?zoom=hour", "zoom"), ("?level=0", "level"), ("?level=x", "level"), ("?paper=a0", "paper")],
)
def test_bad_options_are_refused_clearly(team: Team, query: str, field: str) -> None:
    response = download(team, "pdf", query)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_a_png_of_too_many_rows_points_to_the_outline_level_or_pdf(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "MAX_PNG_ROWS", 5)
    response = download(team, "png")
    assert response.status_code == 422
    assert "choose an outline level or export a PDF" in response.json()["detail"]
    assert download(team, "png", "?level=1").status_code == 200


def test_unknown_formats_and_non_members_get_404(team: Team) -> None:
    assert download(team, "gif").status_code == 404
    assert download(team, "svg", user=team.outsider).status_code == 404
