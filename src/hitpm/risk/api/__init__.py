"""The risk app's API routers, gathered into one for the site's NinjaAPI."""

from ninja import Router

from hitpm.risk.api import actions, fmea, insights, register, scale, simulation

router = Router()
for _part in (
    register.router,
    actions.router,
    scale.router,
    insights.router,
    simulation.router,
    fmea.router,
):
    router.add_router("", _part)
