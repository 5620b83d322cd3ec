"""The knowledge areas a project home links to. An area is listed once its app is installed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str  # reversed with the project code as the only argument
    summary: str


AREAS: tuple[Area, ...] = (
    Area("plan", "Plan & schedule", "planning:tasks", "WBS, milestones, dates, critical path"),
    Area("risk", "Risks", "risk:register", "Register, heat maps, schedule risk, FMEA"),
    Area(
        "stakeholders",
        "Stakeholders",
        "stakeholders:register",
        "Register, RACI, communication plan, meetings, decisions",
    ),
    Area("reports", "Status reports", "reports:list", "Executive, clinical and IT reports"),
    Area(
        "exchange",
        "Import & export",
        "exchange:index",
        "MS Project, Primavera, Excel, calendars, backups",
    ),
    Area("audit", "Audit trail", "audit:project", "Every change: who, when, before and after"),
    Area("agile", "Agile", "agile:index", "Scrum and Kanban boards, flow metrics, forecasts"),
)
