"""`hitpm audit verify`: walk the hash chain and name the first broken entry."""

from __future__ import annotations

import typer

from hitpm.cli import django_setup
from hitpm.cli.output import console, emit_json, err_console

audit_app = typer.Typer(help="Inspect the tamper-evident audit trail.", no_args_is_help=True)


@audit_app.command()
def verify(as_json: bool = typer.Option(False, "--json", help="Machine-readable result.")) -> None:
    """Check every audit entry against the hash chain; exit 1 at the first broken entry."""
    django_setup.setup()
    from hitpm.audit.chain import verify as verify_chain

    result = verify_chain()
    if as_json:
        emit_json(
            {
                "ok": result.ok,
                "checked": result.checked,
                "broken_seq": result.broken_seq,
                "reason": result.reason,
            }
        )
    elif result.ok:
        console.print(f"[green]Audit trail intact:[/] {result.checked} entries verified.")
    else:
        err_console.print(
            f"[bold red]Audit trail broken at entry #{result.broken_seq}:[/] {result.reason} "
            f"({result.checked} entries before it verified)."
        )
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
