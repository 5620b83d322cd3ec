"""`hitpm worker`: run queued background jobs (imports, and any kind an app registers)."""

from __future__ import annotations

import typer

from hitpm.cli import django_setup
from hitpm.cli.output import console


def worker(
    once: bool = typer.Option(False, "--once", help="Run what is queued, then exit."),
    poll: float = typer.Option(2.0, "--poll", min=0.1, help="Seconds between queue checks."),
) -> None:
    """Run queued background jobs; start with HITPM_JOBS=worker on the web servers."""
    django_setup.setup()
    from hitpm.core.jobs import kinds, work

    names = ", ".join(k.name for k in kinds()) or "none"
    console.print(f"Worker started (job kinds: {names}).")
    done = work(once=once, poll_seconds=poll, report=lambda k, i: console.print(f"{k} {i} done"))
    console.print(f"{done} jobs run.")


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
