"""The agile REST API: boards, items, moves, flow metrics and forecasts (see docs/api.md)."""

from ninja import Router

from hitpm.agile.api import boards, items

router = Router(tags=["agile"])
router.add_router("", items.router)
router.add_router("", boards.router)
