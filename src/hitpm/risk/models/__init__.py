"""Models of the risk app, one module per concept."""

from hitpm.risk.models.fmea import FailureMode, FmeaAction, FmeaStep, FmeaWorksheet
from hitpm.risk.models.register import (
    DEFAULT_CATEGORIES,
    IMPACT_DIMENSIONS,
    Risk,
    RiskAction,
    RiskCategory,
    RiskScale,
    RiskScoreChange,
    RiskTask,
)
from hitpm.risk.models.simulation import SimulationRun, TaskEstimate

__all__ = [
    "DEFAULT_CATEGORIES",
    "IMPACT_DIMENSIONS",
    "FailureMode",
    "FmeaAction",
    "FmeaStep",
    "FmeaWorksheet",
    "Risk",
    "RiskAction",
    "RiskCategory",
    "RiskScale",
    "RiskScoreChange",
    "RiskTask",
    "SimulationRun",
    "TaskEstimate",
]
