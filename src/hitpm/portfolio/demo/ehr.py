"""EHR-GOLIVE: an inpatient EHR replacement from initiation to 90 days after go-live.

The plan follows the shape vendor-led inpatient implementations share: workflow validation,
three build rounds per application team, interfaces, device integration, data conversion, three
rounds of integrated testing, dress rehearsals, role-based training, a weekend cutover and
90 days of stabilisation. The project is mid-build on its status date.
"""

from __future__ import annotations

import datetime as dt

from hitpm.portfolio.demo.outline import (
    CALENDAR_24X7,
    DemoProject,
    Outline,
    at,
    fnlt,
    mso,
    snet,
)

# key, application team, the team's own build work beyond the common rounds
APPLICATIONS: list[tuple[str, str, list[str]]] = [
    (
        "orders",
        "Orders and CPOE",
        [
            "Order catalogue and orderables build",
            "Physician-approved order sets (first 120)",
            "Clinical decision support: drug-allergy, duplicate-therapy and sepsis alerts",
        ],
    ),
    (
        "nursing",
        "Nursing and allied health documentation",
        [
            "Flowsheets and admission assessment build",
            "Care plans, patient education and worklists",
            "Intake/output and lines-drains-airways documentation",
        ],
    ),
    (
        "physician",
        "Physician documentation",
        [
            "Progress note and H&P templates by specialty",
            "Problem list and diagnosis mapping (SNOMED CT to ICD-10-CM)",
            "Discharge summary and patient instructions",
        ],
    ),
    (
        "pharmacy",
        "Pharmacy, MAR and BCMA",
        [
            "Formulary and medication records load",
            "IV, compounding and parenteral nutrition build",
            "MAR and barcode medication administration workflow",
            "Automated dispensing cabinet profile settings",
        ],
    ),
    (
        "lab",
        "Laboratory",
        [
            "Test directory and result components (LOINC mapping)",
            "Specimen collection workflow and label build",
            "Microbiology and anatomic pathology build",
        ],
    ),
    (
        "radiology",
        "Radiology",
        [
            "Procedure master and modality worklist build",
            "Protocoling and exam preparation instructions",
            "Critical result notification workflow",
        ],
    ),
    (
        "adt",
        "ADT, registration and patient access",
        [
            "Units, rooms, beds and bed board build",
            "Registration workflows and eligibility checks (X12 270/271)",
            "Patient identity and duplicate-record matching rules",
        ],
    ),
    (
        "revenue",
        "Revenue cycle: charge capture, HIM and billing",
        [
            "Charge description master (CDM) build",
            "Payer plans, claim edits and scrubber rules",
            "HIM coding, deficiency and release-of-information workflows",
        ],
    ),
    (
        "periop",
        "Surgical services",
        [
            "Case scheduling and surgeon preference cards",
            "Intraoperative and anesthesia record build",
        ],
    ),
    (
        "ed",
        "Emergency department",
        [
            "Tracking board, triage and acuity build",
            "ED order sets and provider documentation",
        ],
    ),
    (
        "reports",
        "Reports and analytics",
        [
            "Operational reports and unit dashboards",
            "Regulatory and quality measure reports (eCQMs)",
            "Data warehouse extracts",
        ],
    ),
]

INTERFACES: list[tuple[str, str]] = [
    ("adt_out", "ADT outbound (HL7 v2 A01-A13) to 14 downstream systems"),
    ("lab_orm", "Lab orders (HL7 ORM^O01) to the laboratory information system"),
    ("lab_oru", "Lab results (HL7 ORU^R01) from the laboratory information system"),
    ("rad_orm", "Radiology orders (ORM) to RIS and PACS"),
    ("rad_oru", "Radiology reports (ORU) and image links from PACS"),
    ("rx_adc", "Pharmacy profile interface to dispensing cabinets"),
    ("erx", "Outpatient e-prescribing (NCPDP SCRIPT)"),
    ("siu", "Scheduling (HL7 SIU^S12-S15) to ancillary systems"),
    ("mdm", "Transcribed documents (HL7 MDM^T02) from dictation"),
    ("dft", "Ancillary charges (HL7 DFT^P03)"),
    ("hie", "Continuity-of-care documents (C-CDA) to the regional HIE"),
    ("vxu", "Immunizations (HL7 VXU^V04) to the state registry"),
    ("fhir", "FHIR R4 APIs: patient access and SMART on FHIR apps"),
]

DEVICES: list[tuple[str, str]] = [
    ("monitors", "Bedside physiological monitors (vital signs)"),
    ("pumps", "Smart infusion pump interoperability"),
    ("vents", "Ventilators (respiratory therapy)"),
    ("glucose", "Point-of-care glucose meters"),
    ("fetal", "Fetal monitoring (labour and delivery)"),
]

CONVERSIONS: list[tuple[str, str]] = [
    ("demog", "Patient demographics and insurance"),
    ("allergy", "Allergies and adverse reactions"),
    ("problems", "Problem lists"),
    ("meds", "Home medication lists"),
    ("immun", "Immunization history"),
    ("appts", "Future appointments and procedures"),
    ("results", "Historical lab results (five years)"),
    ("ar", "Open accounts receivable balances"),
]

ROLES: list[tuple[str, str, float]] = [
    ("phys", "Physicians and residents", 25),
    ("app", "Advanced practice providers", 20),
    ("rn", "Registered nurses", 35),
    ("rph", "Pharmacists and pharmacy technicians", 15),
    ("labtech", "Laboratory staff", 10),
    ("radtech", "Radiology technologists", 10),
    ("reg", "Registration and patient access", 10),
    ("him", "HIM, coding and billing", 15),
    ("ther", "Therapists (PT, OT, RT)", 10),
    ("clerk", "Unit clerks and care coordinators", 10),
]


def _initiation(o: Outline) -> None:
    with o.group("init", "Initiation and planning"):
        o.task("charter", "Project charter and business case approved", 10)
        o.task("gov", "Governance: executive steering committee chartered", 5, ["charter:SS+5"])
        o.task("contract", "Vendor implementation agreement executed", 15)
        o.task("staffing", "Staffing and backfill plan approved", 10, ["charter"])
        o.milestone("kickoff", "Executive kick-off", ["contract", "gov"])
        o.task("pmplan", "Integrated project plan baselined", 10, ["staffing", "kickoff"])
        o.task("comms", "Communication and change management plan", 8, ["gov"])
        o.task("riskproc", "Risk, issue and decision management process", 5, ["gov"])
        o.task("techplan", "Technical architecture and environment strategy", 15, ["contract"])
        o.milestone("planned", "Planning complete", ["pmplan", "comms", "riskproc", "techplan"])


def _design(o: Outline) -> None:
    with o.group("design", "Workflow validation and design"):
        o.task("wv_prep", "Current-state workflows and foundation system review", 10, ["kickoff"])
        for index, (key, name, _) in enumerate(APPLICATIONS):
            lag = 2 * (index % 4)
            o.task(f"{key}_wv", f"Workflow validation sessions: {name}", 25, [f"wv_prep+{lag}"])
            o.task(
                f"{key}_dec",
                f"Design decisions and policy changes: {name}",
                15,
                [f"{key}_wv:SS+20"],
            )
        o.task(
            "content",
            "Clinical content governance: order sets and templates prioritised",
            20,
            ["wv_prep+10"],
        )
        o.task(
            "declog",
            "Design decision log approved by clinical governance council",
            5,
            [f"{key}_dec" for key, _, _ in APPLICATIONS],
        )
        o.milestone("signoff", "Design sign-off", ["declog", "content"])


def _build(o: Outline) -> None:
    with o.group("build", "Application build"):
        for key, name, own_work in APPLICATIONS:
            with o.group(f"{key}_build", name):
                o.task(f"{key}_spec", "Build specifications finalised", 5, [f"{key}_dec"])
                o.task(f"{key}_b1", "Foundation build (round 1)", 45, [f"{key}_spec"])
                o.task(f"{key}_b2", "Workflow build (round 2)", 45, [f"{key}_b1"])
                for number, work in enumerate(own_work, start=1):
                    o.task(f"{key}_w{number}", work, 20, [f"{key}_b1:SS+{10 * number}"])
                o.task(
                    f"{key}_b3",
                    "Content build and refinement (round 3)",
                    40,
                    [f"{key}_b2", "signoff"],
                )
                o.task(f"{key}_ut", "Unit testing", 20, [f"{key}_b3:FF+5"])
                o.task(
                    f"{key}_rev",
                    "Build review and sign-off by subject-matter experts",
                    5,
                    [f"{key}_ut"] + [f"{key}_w{n}" for n in range(1, len(own_work) + 1)],
                )
                o.milestone(f"{key}_done", f"{name} build complete", [f"{key}_rev"])
        o.milestone(
            "built", "Application build complete", [f"{key}_done" for key, _, _ in APPLICATIONS]
        )


def _technical(o: Outline) -> None:
    with o.group("tech", "Technical infrastructure"):
        o.task("envs", "Build, test, training and production environments", 20, ["techplan"])
        o.task("netsurvey", "Network and wireless survey (BCMA coverage)", 15, ["techplan"])
        o.task("wifi", "Wireless remediation in medication administration areas", 30, ["netsurvey"])
        o.task(
            "endpoints", "End-user device plan: workstations on wheels, scanners", 10, ["netsurvey"]
        )
        o.task(
            "procure",
            "Hardware procurement: workstations, scanners, label printers",
            40,
            ["endpoints"],
        )
        o.task("sso", "Single sign-on and badge-tap authentication", 25, ["envs"])
        o.task("printing", "Printer mapping and label printer configuration", 20, ["procure"])
        o.task("dr", "Disaster recovery and high-availability design", 15, ["envs"])
        o.task("bca", "Downtime business continuity workstations", 10, ["dr"])
        o.task("roles", "Security classes and role-based access build", 25, ["signoff"])
        o.task("deploy", "Hardware deployment to inpatient units", 30, ["procure+60"])
        o.milestone(
            "tech_ready",
            "Technical infrastructure ready",
            ["deploy", "sso", "printing", "bca", "wifi"],
        )


def _devices(o: Outline) -> None:
    with o.group("devices", "Medical device integration"):
        o.task("middleware", "Device integration middleware installed", 10, ["envs"])
        for key, name in DEVICES:
            with o.group(f"{key}_dev", name):
                o.task(f"{key}_inv", "Device inventory and connectivity check", 5, ["middleware"])
                o.task(
                    f"{key}_cfg",
                    "Association and data-mapping configuration",
                    15,
                    [f"{key}_inv", "nursing_b1"],
                )
                o.task(
                    f"{key}_val",
                    "Clinical validation with biomedical engineering",
                    10,
                    [f"{key}_cfg"],
                )
        o.milestone(
            "devices_done", "Device integration complete", [f"{key}_val" for key, _ in DEVICES]
        )


def _interfaces(o: Outline) -> None:
    with o.group("interfaces", "Interfaces"):
        o.task("engine_routes", "Interface engine environments and routes", 15, ["envs"])
        for key, name in INTERFACES:
            with o.group(f"{key}_ifc", name):
                o.task(f"{key}_map", "Specification and field mapping", 10, ["signoff"])
                o.task(f"{key}_cfg", "Build and configuration", 15, [f"{key}_map", "engine_routes"])
                o.task(f"{key}_ut", "Unit and connectivity testing", 10, [f"{key}_cfg"])
                o.task(
                    f"{key}_val", "Validation with the receiving system's owner", 5, [f"{key}_ut"]
                )
        o.milestone(
            "ifc_done",
            "Interfaces ready for integrated testing",
            [f"{key}_val" for key, _ in INTERFACES],
        )


def _conversion(o: Outline) -> None:
    with o.group("conversion", "Data conversion"):
        o.task("conv_plan", "Conversion strategy and scope approved", 10, ["signoff"])
        o.task("empi", "Master patient index clean-up (duplicate resolution)", 40, ["conv_plan"])
        for key, name in CONVERSIONS:
            o.task(f"{key}_extract", f"Extract and map: {name}", 15, ["conv_plan"])
            o.task(f"{key}_check", f"Validate a sample: {name}", 5, [f"{key}_extract"])
        checks = [f"{key}_check" for key, _ in CONVERSIONS]
        o.task("mock1", "Mock conversion load 1", 5, [*checks, "empi", "built"])
        o.task("mock1_rec", "Mock 1 reconciliation and fixes", 10, ["mock1"])
        o.task("mock2", "Mock conversion load 2", 5, ["mock1_rec"])
        o.task("mock2_rec", "Mock 2 reconciliation and fixes", 10, ["mock2"])
        o.task("mock3", "Mock conversion load 3 (timed for cutover)", 3, ["mock2_rec"])
        o.milestone("conv_ready", "Conversion ready for cutover", ["mock3"])


def _testing_round(o: Outline, number: int, after: list[str]) -> str:
    key = f"it{number}"
    with o.group(key, f"Integrated testing round {number}"):
        o.task(f"{key}_setup", "Environment refresh and test patient setup", 5, after)
        o.task(f"{key}_run", "Execute end-to-end patient journey scenarios", 20, [f"{key}_setup"])
        o.task(f"{key}_fix", "Defect remediation and retest", 15, [f"{key}_run:SS+5"])
        o.milestone(f"{key}_done", f"Integrated testing round {number} complete", [f"{key}_fix"])
    return f"{key}_done"


def _testing(o: Outline) -> None:
    with o.group("testing", "Testing"):
        o.task("test_plan", "Test strategy and defect management process", 10, ["signoff"])
        o.task(
            "scripts",
            "Integrated test scripts (patient journeys by service line)",
            30,
            ["test_plan", "orders_b2"],
        )
        first = _testing_round(o, 1, ["built", "ifc_done", "scripts"])
        second = _testing_round(o, 2, [f"{first}+10"])
        third = _testing_round(o, 3, [f"{second}+10"])
        o.task("regression", "Regression testing of fixes and vendor updates", 10, ["it3_fix"])
        o.task("perf", "Performance and load testing at peak census", 10, [second])
        o.task("charge_test", "Revenue cycle charge-to-claim testing", 20, [second])
        o.task("device_test", "Device integration end-to-end testing", 10, ["devices_done", first])
        o.task("role_test", "Security role and access testing", 10, ["roles", first])
        o.task("downtime_test", "Downtime and failover testing", 5, ["bca", second])
        o.task("uat", "End-user acceptance testing with clinicians", 10, [third])
        o.milestone(
            "tested",
            "Integrated testing complete",
            [
                "uat",
                "regression",
                "perf",
                "charge_test",
                "device_test",
                "role_test",
                "downtime_test",
            ],
        )
        o.task("tdr1", "Technical dress rehearsal 1", 3, ["tested"])
        o.task("dr1", "Clinical dress rehearsal 1 (day in the life)", 2, ["tested+5"])
        o.task("tdr2", "Technical dress rehearsal 2", 3, ["tdr1+10"])
        o.task("dr2", "Clinical dress rehearsal 2", 2, ["dr1+10"])


def _training(o: Outline, go_live: dt.date) -> None:
    with o.group("training", "Training"):
        o.task("tr_plan", "Training strategy and role-based curriculum", 10, ["signoff"])
        o.task("tr_env", "Training environment and master training database", 15, ["built", "envs"])
        o.task("tr_materials", "Training materials and e-learning", 40, ["tr_plan", "it1_done"])
        o.task("trainers", "Credentialed trainer certification", 15, ["tr_materials:SS+20"])
        o.task("superusers", "Super-user training", 10, ["tr_materials", "tr_env"])
        o.milestone(
            "tr_window",
            "End-user training window opens",
            ["superusers", "trainers"],
            **snet(go_live - dt.timedelta(weeks=10)),
        )
        proficiency = []
        for key, name, days in ROLES:
            o.task(f"{key}_class", f"End-user training: {name}", days, ["tr_window"])
            proficiency.append(
                o.task(f"{key}_prof", f"Proficiency assessment: {name}", 5, [f"{key}_class:FF+5"])
            )
        o.task("personalise", "Physician personalisation labs", 15, ["phys_class:SS+5"])
        o.milestone(
            "trained", "90% of end users trained and proficient", [*proficiency, "personalise"]
        )


def _readiness(o: Outline, go_live: dt.date) -> None:
    with o.group("readiness", "Readiness and cutover planning"):
        o.task("ra1", "Go-live readiness assessment 1", 5, ["it1_done"])
        o.task("ra2", "Go-live readiness assessment 2", 5, ["it3_done"])
        o.task("ra3", "Go-live readiness assessment 3 (final)", 5, ["tdr2", "dr2"])
        o.task("runbook", "Cutover plan and runbook", 15, ["it2_done"])
        o.task("cut_mock1", "Cutover rehearsal 1", 2, ["runbook", "mock2"])
        o.task("cut_mock2", "Cutover rehearsal 2 (timed)", 2, ["cut_mock1+10", "mock3"])
        o.task("downtime_forms", "Downtime procedures and paper forms approved", 10, ["runbook"])
        o.task("command_plan", "Command centre staffing and escalation model", 10, ["runbook"])
        o.task(
            "roster",
            "At-the-elbow support roster (super users and vendor)",
            10,
            ["command_plan", "superusers"],
        )
        o.task(
            "golive_comms",
            "Go-live communications to staff, physicians and patients",
            10,
            ["runbook"],
        )
        o.task("archive", "Legacy system read-only archive configured", 20, ["mock2_rec"])
        o.task(
            "sra",
            "HIPAA security risk analysis of the new EHR",
            15,
            ["roles", "tested"],
            **fnlt(go_live - dt.timedelta(days=30)),
        )
        o.milestone(
            "gonogo",
            "Go/no-go decision (executive steering committee)",
            [
                "ra3",
                "cut_mock2",
                "trained",
                "conv_ready",
                "tech_ready",
                "sra",
                "downtime_forms",
                "roster",
                "golive_comms",
            ],
        )


def _go_live(o: Outline, go_live: dt.date) -> None:
    with o.group("golive_phase", "Cutover and go-live"):
        freeze = go_live - dt.timedelta(days=1)
        o.milestone(
            "freeze",
            "Cutover window opens: legacy system freeze",
            ["gonogo"],
            calendar=CALENDAR_24X7,
            **mso(freeze, 18),
        )
        o.around_the_clock(
            "final_conv", "Final conversion loads (census, allergies, appts)", 4, ["freeze"]
        )
        o.around_the_clock(
            "rx_backload", "Pharmacist backload and verification of orders", 8, ["final_conv"]
        )
        o.around_the_clock(
            "rn_backload", "Nursing backload of active orders and care plans", 6, ["final_conv"]
        )
        o.around_the_clock("routes", "Interfaces switched to production routes", 2, ["final_conv"])
        o.milestone(
            "golive",
            "Go-live: inpatient EHR live on all units",
            ["rx_backload", "rn_backload", "routes"],
            calendar=CALENDAR_24X7,
            deadline=at(go_live, 8),
        )
        o.around_the_clock("command", "Command centre operations (24x7)", 336, ["golive"])
        o.around_the_clock("elbow1", "At-the-elbow support: week 1", 168, ["golive"])
        o.task("elbow2", "At-the-elbow support: week 2 (day shifts)", 5, ["elbow1"])
        o.task("huddles", "Daily go-live huddles and issue triage", 10, ["golive"])


def _stabilisation(o: Outline) -> None:
    with o.group("stabilise", "Stabilisation and optimisation"):
        o.task("burndown", "Ticket triage and burn-down", 30, ["golive"])
        o.task(
            "charge_rec", "Charge reconciliation and revenue cycle stabilisation", 30, ["golive"]
        )
        o.milestone("day30", "30-day stabilisation review", ["golive+30ed"])
        o.task("backlog", "Optimisation backlog prioritised with clinical leaders", 20, ["day30"])
        o.milestone("day60", "60-day stabilisation review", ["golive+60ed"])
        o.task("benefits", "Benefits baseline: BCMA scanning compliance, CPOE rate", 10, ["day60"])
        o.milestone("day90", "90-day stabilisation review", ["golive+90ed"])
        o.task("decommission", "Legacy system decommissioning", 30, ["day90", "archive"])
        o.task("lessons", "Lessons learned and project closure", 10, ["day90"])
        o.milestone("closed", "Project closed", ["lessons", "decommission", "benefits"])


def project(anchor: dt.date) -> DemoProject:
    """The EHR go-live project for a demo loaded in the week that starts on ``anchor``."""
    start = anchor - dt.timedelta(weeks=38)
    go_live = anchor + dt.timedelta(weeks=46, days=5)  # a Saturday
    o = Outline()
    _initiation(o)
    _design(o)
    _technical(o)
    _build(o)
    _devices(o)
    _interfaces(o)
    _conversion(o)
    _testing(o)
    _training(o, go_live)
    _readiness(o, go_live)
    _go_live(o, go_live)
    _stabilisation(o)
    return DemoProject(
        fields={
            "code": "EHR-GOLIVE",
            "name": "Inpatient EHR replacement and go-live",
            "description": (
                "Replace the legacy inpatient clinical and revenue cycle systems at Riverside "
                "Medical Center (412 beds) with an integrated EHR: CPOE, nursing and physician "
                "documentation, closed-loop medication administration (BCMA), lab, radiology, "
                "surgical services, ED and revenue cycle, in a single big-bang go-live."
            ),
            "phase": "build",
            "health": "amber",
            "status": "active",
            "sponsor": "Dr. Maya Chen, Chief Medical Information Officer",
            "start_date": start,
            "target_go_live": go_live,
        },
        status_date=anchor - dt.timedelta(days=3),
        rows=o.rows,
        around_the_clock=True,
        behind={"pharmacy_b3": 0.6, "deploy": 0.8, "scripts": 0.85, "lab_b3": 0.8},
        late={"contract": 8, "pharmacy_wv": 6, "pharmacy_dec": 5},
    )
