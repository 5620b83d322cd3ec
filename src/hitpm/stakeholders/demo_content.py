"""The demo's stakeholder content per project: who, what is communicated, what was decided.

Rows are plain tuples so the content reads like a register; ``demo.py`` turns them into records.
"""

from __future__ import annotations

from typing import Any

# name, kind, organisation, department, project role, username or "", influence, interest,
# attitude, current, desired, concerns, expectations
STAKEHOLDERS: dict[str, list[tuple[Any, ...]]] = {
    "EHR-GOLIVE": [
        ("Dr Maya Chen", "person", "Riverside Health", "Medical informatics",
         "Executive sponsor (CMIO)", "sponsor", 5, 5, "champion", "leading", "leading",
         "Physician adoption; order-set readiness for day one.",
         "Weekly readiness view; early word of anything that threatens the go-live date."),
        ("James Whitfield", "person", "Riverside Health", "Information services", "CIO",
         "cio", 5, 3, "supporter", "supportive", "leading",
         "Infrastructure cost overrun; downtime during cutover.",
         "Monthly executive summary, decisions brought with options."),
        ("Nursing leadership council", "group", "Riverside Health", "Nursing",
         "Clinical owners of inpatient workflows", "", 4, 5, "sceptic", "neutral", "supportive",
         "Documentation burden; training time away from the bedside; med administration "
         "workflow changes.", "Super-users on every unit; a voice in workflow design."),
        ("Pharmacy and therapeutics", "group", "Riverside Health", "Pharmacy",
         "Medication build and verification owners", "", 4, 4, "neutral", "neutral",
         "supportive", "Formulary build accuracy; order backload at cutover.",
         "Validated order sets; pharmacist staffing plan for cutover."),
        ("Revenue cycle", "group", "Riverside Health", "Finance", "Charge capture and billing",
         "", 3, 2, "neutral", "unaware", "supportive",
         "Charge lag after go-live; claim denials.", "Charge reconciliation reports from week 1."),
        ("IT infrastructure", "group", "Riverside Health", "Information services",
         "Technical readiness: devices, network, downtime", "", 3, 4, "supporter",
         "supportive", "supportive", "Device rollout timeline; printer mapping.",
         "Frozen technical scope six weeks before go-live."),
        ("Kevin Walsh", "person", "Riverside Health", "Clinical education",
         "Training lead", "trainer", 3, 5, "supporter", "supportive", "leading",
         "Classroom capacity; proficiency testing pass rates.",
         "Final build by the training freeze date."),
        ("Epic implementation team", "group", "Vendor", "Implementation services",
         "EHR vendor", "", 4, 4, "supporter", "supportive", "supportive",
         "Customer decisions arriving late.", "Decisions within five working days."),
        ("Patient and family advisory council", "group", "Riverside Health",
         "Patient experience", "Patient voice", "", 2, 3, "neutral", "unaware", "neutral",
         "Portal sign-up; access to results.", "Plain-language go-live communications."),
    ],
    "IFC-HL7FHIR": [
        ("Marcus Lee", "person", "Riverside Health", "Integration services",
         "Integration manager", "ifc.pm", 4, 5, "champion", "leading", "leading",
         "Interface engine capacity.", "Stable test environments."),
        ("Laboratory services", "group", "Riverside Health", "Pathology", "Lab results owner",
         "", 3, 5, "supporter", "supportive", "supportive",
         "Result routing errors reaching the wrong clinician.", "Parallel run before cutover."),
        ("Radiology", "group", "Riverside Health", "Imaging", "Orders and results owner", "",
         3, 4, "neutral", "neutral", "supportive", "Accession number mapping.",
         "Joint testing with the PACS team."),
        ("Interface engine vendor", "group", "Vendor", "Support", "Engine vendor", "", 2, 3,
         "supporter", "supportive", "supportive", "Licence limits.", "Clear defect reports."),
        ("Dr Maya Chen", "person", "Riverside Health", "Medical informatics", "Clinical sponsor",
         "sponsor", 5, 3, "supporter", "supportive", "supportive",
         "Patient safety of result delivery.", "Monthly update."),
    ],
    "HIPAA-RMP": [
        ("Angela Brooks", "person", "Riverside Health", "Information security", "ISO",
         "security.officer", 4, 5, "champion", "leading", "leading",
         "Unremediated high risks.", "Board-ready risk register."),
        ("Robert Nguyen", "person", "Riverside Health", "Compliance", "Privacy officer",
         "privacy.officer", 4, 5, "supporter", "supportive", "leading",
         "Business associate agreements.", "Privacy input to every control."),
        ("Audit and compliance committee", "group", "Riverside Health", "Board",
         "Oversight", "", 5, 2, "neutral", "neutral", "supportive",
         "Regulatory exposure.", "Quarterly assurance report."),
        ("Department managers", "group", "Riverside Health", "Operations",
         "Control owners", "", 2, 2, "sceptic", "resistant", "neutral",
         "Workload of access reviews.", "Simple, short procedures."),
    ],
    "PACS-VNA": [
        ("Hannah Becker", "person", "Riverside Health", "Imaging informatics",
         "Project manager", "imaging.pm", 4, 5, "champion", "leading", "leading",
         "Migration throughput.", "Vendor keeps to the migration plan."),
        ("Radiologists", "group", "Riverside Health", "Radiology", "Reading physicians", "",
         4, 5, "sceptic", "neutral", "supportive", "Hanging protocols; prior study access.",
         "No loss of reading productivity."),
        ("Cardiology", "group", "Riverside Health", "Heart centre", "Echo and cath images", "",
         3, 3, "neutral", "unaware", "supportive", "Echo workflow.", "Early demo of the viewer."),
        ("VNA vendor", "group", "Vendor", "Professional services", "Archive vendor", "", 3, 4,
         "supporter", "supportive", "supportive", "Data quality of legacy studies.",
         "Named technical contact."),
    ],
}  # fmt: skip

# title, purpose, audience names, channel, frequency, owner username, first due offset (days)
COMMUNICATIONS: dict[str, list[tuple[Any, ...]]] = {
    "EHR-GOLIVE": [
        ("Executive steering committee status report", "RAG, milestones, decisions needed.",
         ["Dr Maya Chen", "James Whitfield"], "report", "biweekly", "ehr.pm", -20),
        ("Go-live readiness update to nursing leadership", "Readiness, training, workflow changes.",
         ["Nursing leadership council"], "email", "weekly", "analyst", -9),
        ("Pharmacy build huddle", "Build progress and open questions.",
         ["Pharmacy and therapeutics"], "huddle", "weekly", "analyst", -2),
        ("Revenue cycle readiness briefing", "Charge capture changes and reconciliation.",
         ["Revenue cycle"], "meeting", "monthly", "ehr.pm", -35),
        ("All-staff go-live newsletter", "What changes, when, where to get help.",
         ["Nursing leadership council", "Patient and family advisory council"], "newsletter",
         "monthly", "trainer", 5),
        ("Technical readiness checklist review", "Devices, printers, downtime kits.",
         ["IT infrastructure"], "meeting", "biweekly", "ifc.pm", 3),
    ],
    "IFC-HL7FHIR": [
        ("Interface status to lab and radiology", "Test results, cutover dates.",
         ["Laboratory services", "Radiology"], "email", "weekly", "ifc.pm", -3),
        ("Sponsor update", "Monthly summary.", ["Dr Maya Chen"], "report", "monthly",
         "ifc.pm", 10),
    ],
    "HIPAA-RMP": [
        ("Quarterly assurance report", "Risk register and remediation status.",
         ["Audit and compliance committee"], "report", "quarterly", "security.officer", 12),
        ("Control owner reminders", "Access reviews due.", ["Department managers"], "email",
         "monthly", "privacy.officer", -4),
    ],
    "PACS-VNA": [
        ("Radiology migration bulletin", "Migration progress and viewer changes.",
         ["Radiologists", "Cardiology"], "email", "biweekly", "imaging.pm", -1),
    ],
}  # fmt: skip
