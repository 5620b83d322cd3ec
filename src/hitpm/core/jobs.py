"""Background jobs without a broker, for any app: database rows are the queue.

An app registers a :class:`JobKind` (how to claim the oldest queued job, run one, and
re-queue abandoned ones) in its ``AppConfig.ready``. How queued jobs run is chosen with
``HITPM_JOBS``:

* ``thread`` (default, embedded mode): a daemon thread of the web process runs the job once
  the request that queued it has committed;
* ``worker``: jobs stay queued for ``hitpm worker`` processes (any number, on any machine that
  reaches the database), which claim them one at a time across all registered kinds;
* ``inline``: run at commit, in the request itself (tests, scripts).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection, transaction

MODES = ("thread", "worker", "inline")


@dataclass(frozen=True)
class JobKind:
    """One kind of job: ``claim`` marks the oldest queued job running and returns its id."""

    name: str
    claim: Callable[[], int | None]
    execute: Callable[[int], object]
    requeue_abandoned: Callable[[], int]


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    """Make ``kind`` known to :func:`enqueue` and to ``hitpm worker``."""
    _KINDS[kind.name] = kind


def kinds() -> list[JobKind]:
    return list(_KINDS.values())


def mode() -> str:
    value = os.environ.get("HITPM_JOBS", "thread").strip().lower() or "thread"
    if value not in MODES:
        raise ValueError(f"HITPM_JOBS must be one of {', '.join(MODES)}, got {value!r}")
    return value


def enqueue(kind: str, job_id: int) -> None:
    """Have job ``job_id`` of ``kind`` run once the current transaction commits."""
    job = _KINDS[kind]
    chosen = mode()
    if chosen == "inline":
        transaction.on_commit(lambda: job.execute(job_id))
    elif chosen == "thread":
        transaction.on_commit(lambda: _in_thread(job, job_id))


def _in_thread(job: JobKind, job_id: int) -> None:
    def target() -> None:
        try:
            job.execute(job_id)
        finally:
            connection.close()

    threading.Thread(target=target, name=f"{job.name}-{job_id}", daemon=True).start()


def work(
    *,
    once: bool = False,
    poll_seconds: float = 2.0,
    report: Callable[[str, int], None] | None = None,
) -> int:
    """Run queued jobs of every kind until stopped (or none is left, with ``once``)."""
    done = 0
    while True:
        close_old_connections()
        ran = False
        for job in kinds():
            job.requeue_abandoned()
            claimed = job.claim()
            if claimed is None:
                continue
            job.execute(claimed)
            ran, done = True, done + 1
            if report is not None:
                report(job.name, claimed)
        if not ran:
            if once:
                return done
            time.sleep(poll_seconds)
