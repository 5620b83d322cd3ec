"""Configuration comes from the environment and refuses unsafe combinations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from hitpm.site import config

ROOT = Path(__file__).resolve().parents[4]


def test_secret_key_is_generated_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HITPM_SECRET_KEY", raising=False)
    first = config.secret_key(production=False, folder=tmp_path)
    second = config.secret_key(production=False, folder=tmp_path)
    assert first.value == second.value
    assert len(first.value) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HITPM_SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="HITPM_SECRET_KEY"):
        config.secret_key(production=True, folder=tmp_path)


def test_production_refuses_a_short_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HITPM_SECRET_KEY", "short")
    with pytest.raises(config.ConfigError, match="too short"):
        config.secret_key(production=True, folder=tmp_path)


def test_bad_integer_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HITPM_LOGIN_MAX_FAILURES", "five")
    with pytest.raises(config.ConfigError, match="HITPM_LOGIN_MAX_FAILURES"):
        config.env_int("HITPM_LOGIN_MAX_FAILURES", 5)


def _hitpm(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("HITPM_", "DATABASE"))}
    full_env.update(env)
    code = "from hitpm.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=full_env, capture_output=True, text=True
    )


def test_cli_refuses_production_without_secret_in_one_line(tmp_path: Path) -> None:
    result = _hitpm(["migrate"], {"HITPM_DATA_DIR": str(tmp_path), "HITPM_PRODUCTION": "1"})
    assert result.returncode != 0
    assert "HITPM_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_refuses_debug_in_production(tmp_path: Path) -> None:
    env = {
        "HITPM_DATA_DIR": str(tmp_path),
        "HITPM_PRODUCTION": "1",
        "HITPM_DEBUG": "1",
        "HITPM_SECRET_KEY": "x" * 40,
    }
    result = _hitpm(["migrate"], env)
    assert result.returncode != 0
    assert "HITPM_DEBUG" in result.stderr


def test_cli_refuses_a_non_postgres_database_url(tmp_path: Path) -> None:
    env = {"HITPM_DATA_DIR": str(tmp_path), "DATABASE_URL": "mysql://root@localhost/x"}
    result = _hitpm(["migrate"], env)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_embedded_database_is_created_in_wal_mode(tmp_path: Path) -> None:
    result = _hitpm(["migrate"], {"HITPM_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    import sqlite3

    db = sqlite3.connect(tmp_path / "hitpm.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_database_connection_settings() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5
        else:
            assert connection.vendor == "postgresql"


def test_debug_is_off_by_default() -> None:
    assert "HITPM_DEBUG" not in os.environ or not settings.DEBUG
    assert settings.SESSION_COOKIE_HTTPONLY


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text()
    for name in config.ENV_VARS:
        assert f"`{name}`" in doc, f"{name} is not documented in docs/configuration.md"
    source = "\n".join(
        p.read_text() for p in (ROOT / "src" / "hitpm").rglob("*.py") if "tests" not in p.parts
    )
    used = set(re.findall(r"\"(HITPM_[A-Z_]+)\"", source))
    assert used <= set(config.ENV_VARS), f"undocumented: {used - set(config.ENV_VARS)}"


def test_database_commands_on_an_empty_database_say_to_migrate(tmp_path: Path) -> None:
    result = _hitpm(["audit", "verify"], {"HITPM_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "hitpm migrate" in result.stderr
    assert "Traceback" not in result.stderr
