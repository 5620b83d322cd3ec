"""The console script: help for every command, documentation for every command."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from hitpm.cli import app

ROOT = Path(__file__).resolve().parents[4]


def _command_paths() -> list[list[str]]:
    root = get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    paths: list[list[str]] = []
    for name, command in root.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            paths.extend([name, sub] for sub in command.commands)
        else:
            paths.append([name])
    return paths


def test_every_command_has_help_and_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text()
    runner = CliRunner()
    for path in _command_paths():
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert f"`hitpm {' '.join(path)}" in doc, f"hitpm {' '.join(path)} is undocumented"


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("hitpm ")


@pytest.mark.django_db
def test_createuser_validates_the_password_and_creates_nothing_on_error() -> None:
    from hitpm.accounts.models import User

    runner = CliRunner()
    weak = runner.invoke(app, ["createuser", "nurse.lead", "--password-stdin"], input="123\n")
    assert weak.exit_code != 0
    assert not User.objects.filter(username="nurse.lead").exists()
    good = runner.invoke(
        app, ["createuser", "nurse.lead", "--password-stdin"], input="Clinical-Ops-2027\n"
    )
    assert good.exit_code == 0, good.output
    user = User.objects.get(username="nurse.lead")
    assert user.check_password("Clinical-Ops-2027")
    assert user.password.startswith("argon2")
    again = runner.invoke(app, ["createuser", "nurse.lead", "--password-stdin"], input="x\n")
    assert again.exit_code != 0
    assert "already exists" in again.output
