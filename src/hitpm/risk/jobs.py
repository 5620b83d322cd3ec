"""Simulation runs as background jobs of :mod:`hitpm.core.jobs` (kind ``simulation``).

A run is its own job record (:class:`~hitpm.risk.models.SimulationRun`: status, progress,
results); ``HITPM_JOBS`` decides whether it runs in a thread of the web process, in
``hitpm worker`` processes, or inline. A run whose heartbeat (``updated_at``, written with
every progress step) stops for ten minutes is queued again by the next worker.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from hitpm.core.jobs import JobKind, enqueue
from hitpm.risk.models import SimulationRun

KIND = "simulation"
ABANDONED_AFTER = dt.timedelta(minutes=10)


def queue(run: SimulationRun) -> None:
    """Have the run executed once the current transaction commits."""
    enqueue(KIND, run.pk)


def claim_next() -> int | None:
    """Take the oldest queued run for this worker (other workers skip the locked row)."""
    with transaction.atomic():
        queued = SimulationRun.objects.filter(status=SimulationRun.Status.QUEUED)
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        run = queued.order_by("created_at", "pk").only("pk").first()
        if run is None:
            return None
        SimulationRun.objects.filter(pk=run.pk).update(
            status=SimulationRun.Status.RUNNING,
            started_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return run.pk


def requeue_abandoned(now: dt.datetime | None = None) -> int:
    """Queue again the runs whose worker stopped reporting progress; how many."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    stuck = SimulationRun.objects.filter(status=SimulationRun.Status.RUNNING, updated_at__lt=cutoff)
    return stuck.update(status=SimulationRun.Status.QUEUED, progress=0.0)


def kind() -> JobKind:
    from hitpm.risk.services.simulation import execute

    return JobKind(KIND, claim_next, execute, requeue_abandoned)
