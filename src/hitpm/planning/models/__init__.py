"""The planning app's data: the plan itself, baselines, resources and per-project settings."""

from hitpm.planning.models.baselines import Baseline, BaselineTask
from hitpm.planning.models.plan import (
    COMPUTED_FIELDS,
    Calendar,
    CalendarException,
    Dependency,
    Task,
)
from hitpm.planning.models.resources import Assignment, Resource
from hitpm.planning.models.settings import ColumnChoice, PlanSettings

__all__ = [
    "COMPUTED_FIELDS",
    "Assignment",
    "Baseline",
    "BaselineTask",
    "Calendar",
    "CalendarException",
    "ColumnChoice",
    "Dependency",
    "PlanSettings",
    "Resource",
    "Task",
]
