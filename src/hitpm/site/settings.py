"""Django settings, all derived from the environment (see hitpm.site.config)."""

from __future__ import annotations

import os
from typing import Any

import dj_database_url

from hitpm.site import config

PRODUCTION = config.env_flag("HITPM_PRODUCTION")
DEBUG = config.env_flag("HITPM_DEBUG")
if PRODUCTION and DEBUG:
    raise config.ConfigError("HITPM_DEBUG cannot be on in production mode (HITPM_PRODUCTION=1).")

DATA_DIR = config.data_dir()
SECRET_KEY = config.secret_key(PRODUCTION, DATA_DIR).value
ALLOWED_HOSTS = config.env_list("HITPM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("HITPM_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI from its bundled static files, no CDN
    "hitpm.core",
    "hitpm.audit",
    "hitpm.accounts",
    "hitpm.portfolio",
    "hitpm.planning",
    "hitpm.agile",
    "hitpm.risk",
    "hitpm.stakeholders",
    "hitpm.reports",
    "hitpm.notifications",
    "hitpm.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hitpm.audit.middleware.AuditActorMiddleware",
]

ROOT_URLCONF = "hitpm.site.urls"
WSGI_APPLICATION = "hitpm.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hitpm.core.context.navigation",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise config.ConfigError(
                "DATABASE_URL must be a PostgreSQL URL (postgres://user:pass@host:5432/db); "
                "leave it unset for the embedded SQLite database."
            )
        db = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        db["TEST"] = {"NAME": f"test_{db['NAME']}"}
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "hitpm.sqlite3"),
        "OPTIONS": {
            # IMMEDIATE takes the write lock at the start of a transaction, so two processes
            # never deadlock upgrading a read lock; the busy timeout makes writers queue.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES["default"]["ATOMIC_REQUESTS"] = True

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portfolio:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_MAX_FAILURES = config.env_int("HITPM_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = config.env_int("HITPM_LOGIN_LOCKOUT_MINUTES", 15)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = config.env_flag("HITPM_SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves finders; an absent root only warns
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _mailers() -> dict[str, dict[str, object]]:
    """SMTP from HITPM_EMAIL_URL, else mail printed to the server log."""
    url = os.environ.get("HITPM_EMAIL_URL", "").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    from urllib.parse import unquote, urlparse

    parts = urlparse(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise config.ConfigError("HITPM_EMAIL_URL must look like smtp://user:pass@host:587")
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    options = {
        "host": parts.hostname or "localhost",
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": port == 587,
        "use_ssl": port == 465 or parts.scheme == "smtps",
    }
    return {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }


MAILERS = _mailers()
DEFAULT_FROM_EMAIL = os.environ.get("HITPM_EMAIL_FROM", "hitpm@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
