"""Command-line arguments and options that several commands take the same way."""

from pathlib import Path
from typing import Annotated

import typer

FileArg = Annotated[Path, typer.Argument(help="MSPDI .xml or hitpm .json project file.")]
StatusOpt = Annotated[
    str | None,
    typer.Option(
        "--status-date",
        help="Status date YYYY-MM-DD (taken at 17:00) or YYYY-MM-DDTHH:MM; overrides the file's.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
