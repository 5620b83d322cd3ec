"""Configuration from the environment, validated once at start.

Every setting an administrator can change is read here and documented in docs/configuration.md;
a test fails when one is added without documentation.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ENV_VARS: dict[str, str] = {
    "HITPM_DATA_DIR": "Folder for the embedded database, the generated secret key and uploads.",
    "DATABASE_URL": "postgres://user:pass@host:5432/name to use PostgreSQL instead of SQLite.",
    "HITPM_SECRET_KEY": "Django secret key; generated into the data dir when unset (embedded).",
    "HITPM_PRODUCTION": "1 = production mode: refuses to start without HITPM_SECRET_KEY.",
    "HITPM_DEBUG": "1 = Django debug pages. Off by default; refused in production mode.",
    "HITPM_ALLOWED_HOSTS": "Comma-separated host names the server answers to.",
    "HITPM_CSRF_TRUSTED_ORIGINS": "Comma-separated origins (https://pm.example.org) behind TLS.",
    "HITPM_SECURE_COOKIES": "1 = cookies only over HTTPS (default on in production mode).",
    "HITPM_LOGIN_MAX_FAILURES": "Failed logins per account and address before a lock-out (5).",
    "HITPM_LOGIN_LOCKOUT_MINUTES": "Minutes a throttled login stays locked (15).",
    "HITPM_EMAIL_URL": "smtp://user:pass@host:587 for email; console output when unset.",
    "HITPM_EMAIL_FROM": "Sender address of notification mail (hitpm@localhost).",
    "HITPM_IMPORT_MAX_MB": "Largest file accepted by imports, in megabytes (50).",
    "HITPM_JOBS": "How background jobs run: thread (default), worker (hitpm worker) or inline.",
}


class ConfigError(RuntimeError):
    """The environment asks for something unsafe or malformed; the message says how to fix it."""


TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in TRUE_WORDS


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "")
    items = [part.strip() for part in raw.split(",") if part.strip()]
    return items or default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def data_dir() -> Path:
    """The data directory, created on first use with owner-only permissions."""
    raw = os.environ.get("HITPM_DATA_DIR", "").strip()
    path = Path(raw).expanduser() if raw else Path.home() / ".local" / "share" / "hitpm"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@dataclass(frozen=True)
class SecretKey:
    value: str
    source: str  # "environment" or the path of the generated file


def secret_key(production: bool, folder: Path) -> SecretKey:
    """Secret from the environment, else (embedded mode only) a key kept in the data dir."""
    value = os.environ.get("HITPM_SECRET_KEY", "").strip()
    if value:
        if production and len(value) < 32:
            raise ConfigError("HITPM_SECRET_KEY is too short for production: use 32+ characters.")
        return SecretKey(value, "environment")
    if production:
        raise ConfigError(
            "HITPM_PRODUCTION is set but HITPM_SECRET_KEY is not. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and set it."
        )
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return SecretKey(key_file.read_text().strip(), str(key_file))
