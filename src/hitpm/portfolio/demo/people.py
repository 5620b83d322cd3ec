"""The demo's people: one sign-in per role, so every permission can be tried out."""

from __future__ import annotations

from dataclasses import dataclass, field

EMAIL_DOMAIN = "riverside-health.example"
"""Demo users' e-mail domain (reserved, never delivers); it also marks a user as demo data."""

PM, TEAM, VIEWER = "project_manager", "team_member", "viewer"


@dataclass(frozen=True)
class DemoUser:
    """A demo sign-in and its role on each demo project (by project code)."""

    username: str
    first_name: str
    last_name: str
    job_title: str
    pmo_admin: bool = False
    roles: dict[str, str] = field(default_factory=dict)

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


USERS: list[DemoUser] = [
    DemoUser("pmo", "Priya", "Raman", "Director, Enterprise PMO", pmo_admin=True),
    DemoUser(
        "ehr.pm",
        "Daniel",
        "Okafor",
        "EHR Program Manager",
        roles={"EHR-GOLIVE": PM, "IFC-HL7FHIR": VIEWER},
    ),
    DemoUser(
        "analyst",
        "Sofia",
        "Alvarez",
        "Clinical Informatics Analyst, RN",
        roles={"EHR-GOLIVE": TEAM, "IFC-HL7FHIR": TEAM},
    ),
    DemoUser(
        "sponsor",
        "Maya",
        "Chen",
        "Chief Medical Information Officer",
        roles={"EHR-GOLIVE": VIEWER, "IFC-HL7FHIR": VIEWER},
    ),
    DemoUser(
        "ifc.pm",
        "Marcus",
        "Lee",
        "Integration Services Manager",
        roles={"IFC-HL7FHIR": PM, "EHR-GOLIVE": TEAM},
    ),
    DemoUser(
        "security.officer",
        "Angela",
        "Brooks",
        "Information Security Officer",
        roles={"HIPAA-RMP": PM, "EHR-GOLIVE": VIEWER},
    ),
    DemoUser(
        "privacy.officer",
        "Robert",
        "Nguyen",
        "Privacy Officer",
        roles={"HIPAA-RMP": TEAM},
    ),
    DemoUser(
        "trainer",
        "Kevin",
        "Walsh",
        "Clinical Education and Training Lead",
        roles={"EHR-GOLIVE": TEAM},
    ),
    DemoUser(
        "imaging.pm",
        "Hannah",
        "Becker",
        "Imaging Informatics Manager",
        roles={"PACS-VNA": PM, "IFC-HL7FHIR": TEAM},
    ),
    DemoUser(
        "cio",
        "James",
        "Whitfield",
        "Chief Information Officer",
        roles={
            "EHR-GOLIVE": VIEWER,
            "IFC-HL7FHIR": VIEWER,
            "HIPAA-RMP": VIEWER,
            "PACS-VNA": VIEWER,
        },
    ),
]
