"""Demo notifications: what the nightly ``hitpm notify`` would have sent on the demo's day, so
the demo's owners find their due communications and actions in the bell and the inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hitpm.notifications.due import scan


def load(projects: dict[str, Any], users: dict[str, Any], today: dt.date) -> None:
    scan(today)
