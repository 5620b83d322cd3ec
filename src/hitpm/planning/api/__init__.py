"""The planning API: tasks, links, schedule, baselines, progress, resources, calendars and DCMA
health.

Reading needs project membership; writing tasks, links, progress, resources and calendars
needs a team member; baselines and plan settings need the project manager (see
portfolio.access). Every edit reschedules and answers with the tasks that changed.
"""

from ninja import Router

from hitpm.planning.api import baselines, calendars, links, progress, resources, tasks

router = Router(tags=["planning"])
for _part in (
    tasks.router,
    links.router,
    progress.router,
    baselines.router,
    resources.router,
    calendars.router,
):
    router.add_router("", _part)

__all__ = ["router"]
