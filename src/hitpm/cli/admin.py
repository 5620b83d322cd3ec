"""Administration commands: migrate, createuser, demo."""

from __future__ import annotations

import sys

import typer

from hitpm.cli import django_setup
from hitpm.cli.output import console, emit_json, fail


def migrate() -> None:
    """Create or upgrade the database schema (embedded SQLite or DATABASE_URL)."""
    django_setup.migrate(verbosity=1)
    console.print("[green]Database is up to date.[/]")


def createuser(
    username: str = typer.Argument(..., help="Login name."),
    email: str = typer.Option("", help="Email address for notifications."),
    pmo_admin: bool = typer.Option(False, "--pmo-admin", help="Access to every project."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (for scripts)."
    ),
) -> None:
    """Create a user who can sign in. Prompts for the password unless --password-stdin."""
    django_setup.setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from hitpm.accounts.models import User
    from hitpm.audit.context import acting_as

    if User.objects.filter(username=username).exists():
        fail(f"user {username!r} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    candidate = User(username=username, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        fail(" ".join(exc.messages))
    with acting_as("system:cli"):
        User.objects.create_user(username, email=email, password=password, is_pmo_admin=pmo_admin)
    console.print(f"Created user [bold]{username}[/]" + (" (PMO admin)" if pmo_admin else ""))


def demo(
    reset: bool = typer.Option(False, "--reset", help="Delete and reload the demo portfolio."),
    serve_after: bool = typer.Option(False, "--serve", help="Serve the app afterwards."),
    host: str = typer.Option("127.0.0.1", help="Address for --serve."),
    port: int = typer.Option(8000, help="Port for --serve."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Load the demo portfolio (healthcare IT projects, users in every role)."""
    django_setup.migrate()
    from hitpm.portfolio.demo import load_demo

    with console.status("Loading the demo portfolio…"):
        summary = load_demo(reset=reset)
    if as_json:
        emit_json(summary.as_dict())
    else:
        typer.echo(summary.as_text(f"http://{host}:{port}/"))
    if serve_after:
        from hitpm.cli.serve import serve

        serve(host=host, port=port, workers=2, threads=4, no_migrate=True)


def register(app: typer.Typer) -> None:
    app.command()(migrate)
    app.command()(createuser)
    app.command()(demo)
