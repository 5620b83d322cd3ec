"""Read a file saved by Microsoft Project, schedule it, and get Microsoft Project's own dates.

This is the end-to-end check of reader and engine together: every task's early and late
dates, total and free slack and critical flag must equal what Microsoft Project saved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hitpm.engine.cpm import schedule
from hitpm.exchange.mspdi import read_mspdi, read_saved_schedule

SHARED = sorted(Path("/work/shared/data/mspdi").glob("*.xml"))


@pytest.mark.skipif(not SHARED, reason="shared MSPDI data missing")
@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_schedule_equals_microsoft_projects_saved_values(path: Path) -> None:
    saved = read_saved_schedule(path)
    result = schedule(read_mspdi(path))
    for task in result.tasks:
        expected = saved[task.uid]
        assert (task.early_start, task.early_finish) == (
            expected.early_start,
            expected.early_finish,
        )
        assert (task.late_start, task.late_finish) == (expected.late_start, expected.late_finish)
        assert task.total_float_minutes == expected.total_slack_minutes
        assert task.free_float_minutes == expected.free_slack_minutes
        assert task.critical == expected.critical
