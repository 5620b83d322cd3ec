"""Suite-wide pytest settings.

SQLite tests use a database file per test worker instead of Django's default shared-cache
in-memory database: the live server answers the browser's requests on several threads at once,
and shared-cache SQLite fails concurrent readers with "database table is locked" where a file in
WAL mode with a busy timeout lets them queue, as in production.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from django.db import connections

    settings: dict[str, Any] = connections["default"].settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        # The base temp dir is unique to this run and this xdist worker.
        test = settings.setdefault("TEST", {})
        test["NAME"] = str(tmp_path_factory.getbasetemp() / "hitpm-test.sqlite3")
