"""Demo agile data: an interface-build team on Kanban (IFC-HL7FHIR) and an EHR build team in
sprints (EHR-GOLIVE), each with months of move history generated from a fixed seed, so the
metrics and forecasts look like a real team's and are the same on every load."""

from __future__ import annotations

import datetime as dt

from hitpm.accounts.models import User
from hitpm.agile.demo.kanban import load_kanban
from hitpm.agile.demo.scrum import load_scrum
from hitpm.portfolio.models import Project


def load(projects: dict[str, Project], users: dict[str, User], today: dt.date) -> None:
    """Add the agile boards to the demo projects that exist."""
    now = dt.datetime.combine(today, dt.time(12), dt.UTC)
    if "IFC-HL7FHIR" in projects:
        load_kanban(projects["IFC-HL7FHIR"], today, now)
    if "EHR-GOLIVE" in projects:
        load_scrum(projects["EHR-GOLIVE"], today, now)
