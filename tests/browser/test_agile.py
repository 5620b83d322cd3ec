"""A team member drags cards across a Kanban board, hits a WIP limit and sees the refusal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from hitpm.agile.models import Board, ItemMove
from hitpm.agile.services.boards import create_board
from hitpm.agile.services.items import create_item
from hitpm.agile.services.moves import Move, move_item
from hitpm.audit.context import acting_as
from hitpm.core.tests.web_fixtures import PASSWORD, TEAM, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _board() -> Board:
    """An interface team's board: Test holds one card at most and is full."""
    tess = make_user("tess", password=PASSWORD)
    with acting_as("tess"):
        project = make_project("IFC-2027", {tess: TEAM}, name="HL7 interface build")
        board = create_board(project, name="Interface build team")
        test = board.columns.get(name="Test")
        test.wip_limit = 1
        test.save()
        full = create_item(board, tess, title="ORU^R01 lab results channel", points=3)
        move_item(full, Move(test), actor=tess)
        create_item(board, tess, title="ADT^A08 update route to dietary", points=2)
    return board


def _drag(page: Page, card: Locator, target: Locator) -> None:
    """Drag with the mouse, as SortableJS's pointer fallback expects."""
    card.scroll_into_view_if_needed()
    box, goal = card.bounding_box(), target.bounding_box()
    assert box
    assert goal
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            box["x"] + (goal["x"] + goal["width"] / 2 - box["x"]) * step / 10,
            box["y"] + (goal["y"] + 20 - box["y"]) * step / 10,
        )
    page.mouse.up()


def test_drag_across_columns_then_hit_the_wip_limit(
    page: Page, live_server, artifacts: Path
) -> None:
    board = _board()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("tess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/p/IFC-2027/agile/b/{board.pk}/")
    standard = page.locator(".lane").nth(1)
    cell = {c.name: standard.locator(f"ol.cell[data-column='{c.pk}']") for c in board.columns.all()}
    card = page.locator(".kcard", has_text="ADT^A08")

    _drag(page, card, cell["Build"])
    expect(cell["Build"].locator(".kcard", has_text="ADT^A08")).to_be_visible()
    expect(page.locator(".col-head", has_text="Build")).to_contain_text("1 / 4")

    _drag(page, page.locator(".kcard", has_text="ADT^A08"), cell["Test"])
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text(re.compile(r"Column Test is at its WIP limit \(1 of 1\)"))
    expect(cell["Build"].locator(".kcard", has_text="ADT^A08")).to_be_visible()
    expect(cell["Test"].locator(".kcard")).to_have_count(1)
    page.screenshot(path=str(artifacts / "agile-wip-refusal.png"), full_page=True)
    moves = ItemMove.objects.filter(item__title__startswith="ADT").order_by("pk")
    assert [m.to_column.name for m in moves] == ["Backlog", "Build"]
