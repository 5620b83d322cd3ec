"""Working time between stored dates on one of a project's calendars, for many dates at once.

Variances, the resource histogram and the progress views all measure spans of working time;
building the engine's calendar once per request and asking it with arrays keeps them fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from hitpm.engine.calendar import WorkCalendar, build_calendar, to_minutes
from hitpm.engine.model import ProjectSpec
from hitpm.planning.spec import naive


class WorkTime:
    """A project calendar between two days, answering "how much working time in between"."""

    def __init__(
        self, spec: ProjectSpec, calendar_uid: int | None, first: dt.date, last: dt.date
    ) -> None:
        calendars = {c.uid: c for c in spec.calendars}
        uid = calendar_uid if calendar_uid in calendars else spec.calendar_uid
        self.first = first - dt.timedelta(days=1)
        days = (last - self.first).days + 2
        self.calendar: WorkCalendar = build_calendar(uid, calendars, self.first, days)
        self.low = to_minutes(dt.datetime.combine(self.first, dt.time()))
        self.high = self.low + days * 1440 - 1

    def _clipped(self, values: Sequence[dt.datetime]) -> npt.NDArray[np.int64]:
        minutes = np.array([to_minutes(naive(v)) for v in values], dtype=np.int64)  # type: ignore[arg-type]
        return np.clip(minutes, self.low, self.high)

    def between(
        self, starts: Sequence[dt.datetime], finishes: Sequence[dt.datetime]
    ) -> npt.NDArray[np.int64]:
        """Signed working minutes from each start to its finish (aware datetimes)."""
        if not starts:
            return np.zeros(0, dtype=np.int64)
        return np.asarray(
            self.calendar.working_between(self._clipped(starts), self._clipped(finishes)),
            dtype=np.int64,
        )
