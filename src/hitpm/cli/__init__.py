"""The `hitpm` console script.

Each command lives in its own module under this package and exposes ``register(app)``. Modules
that need the database call :func:`hitpm.cli.django_setup.setup` themselves, so file-based
commands such as ``hitpm schedule`` run without a database or Django settings.
"""

from __future__ import annotations

import importlib

import typer

from hitpm import __version__

COMMAND_MODULES: list[str] = [
    "serve",
    "admin",
    "audit",
    "schedule",
    "forecast",
    "check",
    "simulate",
    "report",
    "export",
    "import_",
    "worker",
]

app = typer.Typer(
    name="hitpm",
    help="hitpm: project management for healthcare IT. Run `hitpm COMMAND --help` for details.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hitpm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """hitpm: project management for healthcare IT."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"hitpm.cli.{_name}").register(app)


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except Exception as exc:
        # Matched by module so that file-only commands never have to import Django.
        if not type(exc).__module__.startswith("django.db"):
            raise
        from hitpm.cli.output import err_console

        err_console.print(
            f"[bold red]error:[/] database error: {' '.join(str(exc).split())}. Check that the "
            "database is reachable and migrated (`hitpm migrate`).",
            highlight=False,
            markup=True,
        )
        raise SystemExit(1) from None
