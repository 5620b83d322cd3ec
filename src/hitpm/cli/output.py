"""Shared console output: rich for people, JSON for machines, one-line errors."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape


def _live_console(*, stderr: bool = False) -> Console:
    made = Console(stderr=stderr)
    # Rich pins the COLUMNS it saw when constructed; unpin it so the width is read at each
    # print (a resized terminal, or COLUMNS set by a caller after import).
    made._width = None
    return made


console = _live_console()
err_console = _live_console(stderr=True)


def emit_json(payload: Any) -> None:
    """Print JSON to stdout with nothing else around it."""
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line reason to stderr and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def fail_on_file(file: object, exc: Exception, doing: str) -> NoReturn:
    """One line for a project file that could not be read, or read but not ``doing``."""
    from hitpm.exchange.errors import ImportFileError

    kind = "cannot read" if isinstance(exc, ImportFileError) else f"cannot {doing}"
    message = " ".join(str(exc).split())  # one line, whatever the message held
    fail(escape(f"{kind} {file}: {message}"))
