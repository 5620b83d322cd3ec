"""The demo portfolio, loaded once per module into the test database and rolled back after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from hitpm.portfolio.demo.loader import load_demo

DEMO_DAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(today=DEMO_DAY)
        yield
        transaction.set_rollback(True)
