"""Start Django for CLI commands that need the database."""

from __future__ import annotations

import os


def setup() -> None:
    """Configure settings and load apps; safe to call more than once."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitpm.site.settings")
    import django

    from hitpm.cli.output import fail
    from hitpm.site.config import ConfigError

    try:
        django.setup()
    except ConfigError as exc:
        fail(str(exc))


def migrate(verbosity: int = 0) -> None:
    """Apply migrations to the configured database (embedded SQLite or PostgreSQL)."""
    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
