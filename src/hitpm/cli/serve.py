"""`hitpm serve`: migrate, then serve the app with gunicorn (a production WSGI server)."""

from __future__ import annotations

from typing import Any

import typer

from hitpm.cli import django_setup
from hitpm.cli.output import console


def _gunicorn_app(options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class HitpmServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from hitpm.site.wsgi import application

            return application

    return HitpmServer()


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(2, min=1, help="Worker processes (use 2-4 per core)."),
    threads: int = typer.Option(4, min=1, help="Threads per worker."),
    no_migrate: bool = typer.Option(False, "--no-migrate", help="Skip applying migrations."),
) -> None:
    """Serve hitpm with gunicorn. Applies pending migrations first."""
    if not no_migrate:
        django_setup.migrate()
    else:
        django_setup.setup()
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db["NAME"] if str(db["ENGINE"]).endswith("sqlite3") else "PostgreSQL"
    console.print(f"hitpm serving on [bold]http://{host}:{port}[/] (database: {where})")
    _gunicorn_app(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-",
            "timeout": 120,
            "graceful_timeout": 10,
        }
    ).run()


def register(app: typer.Typer) -> None:
    app.command()(serve)
