"""The planning API: tasks, links, schedule, baselines, progress, resources and DCMA health.

Reading needs project membership; writing tasks, links, progress and resources needs a team
member; baselines and plan settings need the project manager (see portfolio.access). Every
edit reschedules and answers with the tasks that changed.
"""

from ninja import Router

from hitpm.planning.api import baselines, links, progress, resources, tasks

router = Router(tags=["planning"])
for _part in (tasks.router, links.router, progress.router, baselines.router, resources.router):
    router.add_router("", _part)

__all__ = ["router"]
