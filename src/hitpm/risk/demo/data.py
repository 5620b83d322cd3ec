"""The demo's risks, FMEA and estimates: what a Riverside Health PMO would really track.

Ratings are (probability, safety, schedule, cost, compliance) on the default 5 x 5 scale;
``history`` lists earlier assessments as (weeks ago, inherent ratings, residual ratings,
status), oldest first, and the risk's fields hold the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Ratings = tuple[int, int | None, int | None, int | None, int | None]


@dataclass(frozen=True)
class DemoRisk:
    title: str
    category: str
    owner: str
    cause: str
    event: str
    effect: str
    inherent: Ratings
    residual: Ratings | None
    status: str
    strategy: str
    response: str
    tasks: tuple[str, ...] = ()  # WBS codes
    contingency: str = ""
    fallback: str = ""
    triggers: str = ""
    proximity_weeks: int | None = None
    review_offset_days: int = 7  # days from today; negative = overdue
    kind: str = "threat"
    schedule_event: tuple[int, float, float, float] | None = None  # %, delay days min/ml/max
    history: tuple[tuple[int, Ratings, Ratings | None, str], ...] = ()
    actions: tuple[tuple[str, str, int, str], ...] = ()  # description, owner, due days, status
    extra: dict[str, Any] = field(default_factory=dict)


EHR_RISKS = (
    DemoRisk(
        "Medication administration errors at go-live from unfamiliar BCMA workflow",
        "Patient safety",
        "analyst",
        "Nurses move from paper MAR to barcode medication administration on go-live night",
        "nurses bypass scanning or override alerts while learning the new workflow",
        "wrong-patient or wrong-dose administrations, reportable harm events",
        (4, 5, 2, 2, 4),
        (2, 4, 1, 1, 3),
        "responding",
        "mitigate",
        "BCMA simulation labs for every inpatient nurse; super users on each unit for 14 days; "
        "daily scan-compliance report by unit with pharmacy follow-up.",
        tasks=("4.4.6", "9.28", "11.6"),
        contingency="Pharmacist double-check of high-alert medications for the first 72 hours.",
        fallback="Revert affected units to downtime MAR while issues are triaged.",
        triggers="Scan compliance below 95% on any unit; override rate above 5%.",
        proximity_weeks=47,
        review_offset_days=3,
        history=(
            (10, (4, 5, 2, 2, 4), None, "identified"),
            (6, (4, 5, 2, 2, 4), (3, 4, 1, 1, 3), "assessed"),
        ),
        actions=(
            (
                "BCMA simulation lab curriculum approved by nursing education",
                "trainer",
                -12,
                "done",
            ),
            ("Scan-compliance dashboard by unit built and validated", "analyst", -3, "open"),
            ("High-alert medication double-check policy signed by CNO", "ehr.pm", 21, "open"),
        ),
    ),
    DemoRisk(
        "PHI exposure from production data copied into test and training environments",
        "PHI and security",
        "security.officer",
        "Data conversion validation uses extracts of production patient records",
        "identifiable PHI is loaded into environments with broad vendor and contractor access",
        "a reportable HIPAA breach, OCR investigation and loss of patient trust",
        (3, None, 2, 4, 5),
        (1, None, 1, 3, 4),
        "responding",
        "mitigate",
        "De-identify conversion extracts (Safe Harbor); restrict test access to named analysts; "
        "quarterly access review of non-production environments.",
        tasks=("7.24",),
        contingency="Breach response per incident procedure; notify privacy officer within 24h.",
        triggers="Any request to refresh test from production; new contractor accounts.",
        proximity_weeks=14,
        review_offset_days=-5,
        history=((9, (3, None, 2, 4, 5), None, "identified"),),
        actions=(
            (
                "Masking rules for conversion extracts signed off by privacy",
                "security.officer",
                -10,
                "open",
            ),
        ),
    ),
    DemoRisk(
        "Interface vendor delivers the pharmacy and lab interfaces late",
        "Vendor",
        "ifc.pm",
        "The interface vendor is supporting three other go-lives in the same quarter",
        "HL7 interface specifications and builds arrive after integrated testing starts",
        "integrated testing round 1 slips and the go-live date is at risk",
        (4, 1, 4, 3, None),
        (3, 1, 3, 2, None),
        "responding",
        "mitigate",
        "Weekly vendor delivery review with escalation to the account executive; "
        "contract penalty clause invoked for missed milestones.",
        tasks=("6.1", "6.15"),
        contingency="Test with simulated interface messages for round 1.",
        triggers="Any interface spec more than 5 working days late.",
        proximity_weeks=8,
        review_offset_days=2,
        schedule_event=(45, 5, 10, 25),
        history=(
            (11, (3, 1, 3, 3, None), None, "identified"),
            (7, (4, 1, 4, 3, None), None, "assessed"),
            (3, (4, 1, 4, 3, None), (3, 1, 4, 2, None), "responding"),
        ),
        actions=(
            ("Escalation letter to vendor account executive", "ehr.pm", -20, "done"),
            ("Simulated HL7 message sets for round 1 testing", "ifc.pm", -4, "open"),
        ),
    ),
    DemoRisk(
        "Super users unavailable for training and go-live support",
        "Resources",
        "trainer",
        "Inpatient units run at 95% occupancy with agency staff filling vacancies",
        "nurse managers cannot release super users for the 40 hours of training and go-live shifts",
        "units go live without at-the-elbow support and adoption suffers",
        (4, 3, 3, 3, None),
        (2, 2, 2, 2, None),
        "responding",
        "mitigate",
        "Backfill budget approved; super-user schedule agreed with each nurse manager 8 weeks "
        "ahead; vendor credentialed trainers as a reserve.",
        tasks=("9.5", "10.9"),
        contingency="Hire 20 contract at-the-elbow trainers through the vendor.",
        proximity_weeks=38,
        review_offset_days=10,
        schedule_event=(30, 3, 5, 12),
        history=((8, (4, 3, 3, 3, None), None, "identified"),),
        actions=(
            ("Backfill budget approved by the CNO", "ehr.pm", -30, "done"),
            ("Super-user release schedule signed by all nurse managers", "trainer", 14, "open"),
        ),
    ),
    DemoRisk(
        "Downtime procedures not rehearsed before go-live",
        "Clinical workflow",
        "analyst",
        "Downtime forms and BCA workstations are new and staff have not used them",
        "an unplanned EHR outage in the first weeks is handled inconsistently",
        "missed medications and orders, lost charges, documentation gaps",
        (3, 4, 1, 2, 3),
        (2, 3, 1, 2, 2),
        "assessed",
        "mitigate",
        "Unit-level downtime drills during training; BCA workstation checks in the go-live "
        "readiness checklist.",
        tasks=("8.11", "10.7"),
        proximity_weeks=44,
        review_offset_days=-9,
        history=((5, (3, 4, 1, 2, 3), None, "identified"),),
        actions=(
            ("Downtime drill script approved by nursing and pharmacy", "analyst", -6, "open"),
        ),
    ),
    DemoRisk(
        "CMS Promoting Interoperability reporting deadline missed",
        "Regulatory and compliance",
        "ehr.pm",
        "The attestation period falls in the first 90 days after go-live",
        "quality measures and e-prescribing reports are not validated in time",
        "Medicare payment adjustment and a failed attestation",
        (2, None, 2, 4, 5),
        (1, None, 1, 3, 4),
        "responding",
        "mitigate",
        "Measure build prioritised in reports and analytics; dry-run attestation in "
        "integrated testing round 3.",
        tasks=("4.11.10",),
        proximity_weeks=60,
        review_offset_days=20,
        history=(
            (12, (3, None, 2, 4, 5), None, "identified"),
            (6, (2, None, 2, 4, 5), None, "assessed"),
        ),
    ),
    DemoRisk(
        "Wireless dead zones block barcode scanning at the bedside",
        "Technical",
        "ifc.pm",
        "The wireless survey found weak coverage in 3 older wings",
        "scanners drop connection during medication administration",
        "nurses work around scanning, raising medication error risk",
        (3, 4, 2, 3, None),
        (1, 3, 1, 2, None),
        "responding",
        "avoid",
        "Access point remediation in all medication areas before device deployment.",
        tasks=("3.3", "3.11"),
        proximity_weeks=2,
        review_offset_days=5,
        schedule_event=(25, 5, 8, 15),
        history=((10, (3, 4, 2, 3, None), None, "identified"),),
        actions=(("Access point installation in wings B, C and F", "ifc.pm", 9, "open"),),
    ),
    DemoRisk(
        "Data conversion of active medication lists incomplete",
        "Patient safety",
        "analyst",
        "Legacy free-text medication entries do not map to the new formulary",
        "active home medication lists convert with gaps",
        "medication reconciliation errors at the first admission after go-live",
        (3, 4, 2, 2, 2),
        None,
        "assessed",
        "mitigate",
        "Pharmacy-led manual abstraction for patients with upcoming admissions.",
        tasks=("7.24",),
        proximity_weeks=20,
        review_offset_days=1,
        schedule_event=(35, 2, 5, 10),
        history=((4, (2, 4, 2, 2, 2), None, "identified"),),
    ),
    DemoRisk(
        "Vendor offers optimisation credits if go-live holds its date",
        "Budget",
        "ehr.pm",
        "The contract includes 400 optimisation hours for on-time go-lives",
        "we go live on the contracted date",
        "free vendor optimisation capacity in the stabilisation phase",
        (3, None, None, 3, None),
        None,
        "identified",
        "exploit",
        "Track go-live readiness criteria weekly with the vendor.",
        kind="opportunity",
        proximity_weeks=47,
        review_offset_days=14,
    ),
    DemoRisk(
        "Legacy EHR read-only archive licence expires before conversion validation",
        "Vendor",
        "ehr.pm",
        "The legacy licence renewal was signed for 12 months only",
        "access to the legacy system ends before conversion is validated",
        "unable to validate converted data against the source",
        (2, 1, 3, 3, 2),
        (1, 1, 2, 2, 2),
        "closed",
        "transfer",
        "Licence extended by 6 months at no cost through the contract amendment.",
        history=(
            (9, (2, 1, 3, 3, 2), None, "identified"),
            (4, (2, 1, 3, 3, 2), (1, 1, 2, 2, 2), "responding"),
        ),
    ),
)

IFC_RISKS = (
    DemoRisk(
        "Reference lab LOINC mapping incomplete at cutover",
        "Interoperability",
        "ifc.pm",
        "1,150 result codes must be mapped and the lab's catalogue changes monthly",
        "results arrive with unmapped codes after cutover",
        "results filed to the wrong place or not displayed to clinicians",
        (3, 4, 2, 1, 2),
        (2, 3, 1, 1, 1),
        "responding",
        "mitigate",
        "Catalogue freeze 30 days before cutover; unmapped-code alert routed to the lab team.",
        tasks=("2.2", "2.7"),
        proximity_weeks=6,
        review_offset_days=4,
        schedule_event=(40, 3, 5, 10),
        history=((6, (3, 4, 2, 1, 2), None, "identified"),),
        actions=(("Catalogue freeze agreed with the reference lab", "ifc.pm", 5, "open"),),
    ),
    DemoRisk(
        "Patient access API fails ONC information blocking expectations",
        "Regulatory and compliance",
        "ifc.pm",
        "The FHIR API is the hospital's route to meet the Cures Act",
        "Inferno conformance tests fail close to the regulatory date",
        "information-blocking complaints and certification findings",
        (2, None, 3, 2, 5),
        None,
        "assessed",
        "mitigate",
        "Run Inferno nightly from the first build; engage the certification body early.",
        tasks=("5.6",),
        proximity_weeks=16,
        review_offset_days=-2,
        history=((5, (2, None, 3, 2, 5), None, "identified"),),
    ),
    DemoRisk(
        "ADT merge messages corrupt downstream patient records",
        "Patient safety",
        "analyst",
        "Downstream systems handle A40 merges differently",
        "a merge leaves two patients' data combined in a subscriber",
        "wrong-patient information in dietary or nurse call systems",
        (2, 4, 1, 1, 2),
        (1, 4, 1, 1, 2),
        "responding",
        "mitigate",
        "Merge test cases with each subscriber; daily reconciliation report for 30 days.",
        tasks=("3.4", "3.5"),
        proximity_weeks=10,
        review_offset_days=12,
    ),
)

HIPAA_RISKS = (
    DemoRisk(
        "Unencrypted laptops with ePHI lost or stolen",
        "PHI and security",
        "security.officer",
        "About 140 laptops lack full-disk encryption",
        "a laptop holding ePHI is lost or stolen",
        "a reportable breach affecting thousands of patients",
        (3, None, 1, 4, 5),
        (1, None, 1, 3, 4),
        "responding",
        "mitigate",
        "Full-disk encryption rollout with compliance reporting.",
        tasks=("5.1",),
        proximity_weeks=4,
        review_offset_days=6,
        history=(
            (8, (4, None, 1, 4, 5), None, "identified"),
            (4, (3, None, 1, 4, 5), (2, None, 1, 3, 4), "responding"),
        ),
        actions=(("Encrypt remaining 140 laptops", "security.officer", 10, "open"),),
    ),
    DemoRisk(
        "Terminated staff keep access to clinical systems",
        "PHI and security",
        "privacy.officer",
        "De-provisioning relies on manual tickets from managers",
        "accounts of leavers stay active for weeks",
        "inappropriate access to ePHI and audit findings",
        (4, None, 1, 2, 4),
        (2, None, 1, 2, 3),
        "responding",
        "mitigate",
        "Automated de-provisioning from HR terminations; monthly access review.",
        tasks=("4.4",),
        proximity_weeks=8,
        review_offset_days=-4,
        history=((7, (4, None, 1, 2, 4), None, "identified"),),
        actions=(
            (
                "Weekly leaver report from HR until automation is live",
                "privacy.officer",
                -7,
                "open",
            ),
        ),
    ),
    DemoRisk(
        "Medical devices on the flat clinical network exploited by ransomware",
        "Technical",
        "security.officer",
        "Infusion pumps and imaging modalities share the clinical VLAN",
        "ransomware spreads from a workstation to medical devices",
        "clinical device downtime and diversion of patients",
        (2, 5, 3, 4, 3),
        None,
        "assessed",
        "mitigate",
        "Network segmentation of medical devices.",
        tasks=("5.6",),
        proximity_weeks=20,
        review_offset_days=15,
        schedule_event=(30, 5, 10, 20),
    ),
)

PACS_RISKS = (
    DemoRisk(
        "Prior studies not migrated before go-live",
        "Clinical workflow",
        "imaging.pm",
        "310 TB of prior studies migrate at about 2 TB a day",
        "radiologists lack priors for comparison at go-live",
        "slower reads and repeat imaging",
        (3, 3, 3, 2, None),
        (2, 2, 2, 2, None),
        "responding",
        "mitigate",
        "Prioritise the last 2 years of studies; on-demand fetch from legacy PACS.",
        tasks=("3.2",),
        proximity_weeks=12,
        review_offset_days=8,
        schedule_event=(35, 5, 10, 20),
    ),
    DemoRisk(
        "DICOM routing misconfigured for a modality",
        "Interoperability",
        "imaging.pm",
        "46 modalities are re-pointed to the new archive",
        "studies from a modality are routed to the wrong archive or lost",
        "missing images and delayed diagnoses",
        (2, 4, 2, 1, 2),
        None,
        "identified",
        "mitigate",
        "Modality-by-modality test checklist signed by the lead technologist.",
        tasks=("2.2",),
        proximity_weeks=9,
        review_offset_days=-1,
    ),
)

RISKS = {
    "EHR-GOLIVE": EHR_RISKS,
    "IFC-HL7FHIR": IFC_RISKS,
    "HIPAA-RMP": HIPAA_RISKS,
    "PACS-VNA": PACS_RISKS,
}

# Three-point estimates (working days) of EHR-GOLIVE tasks on and near the critical path.
EHR_ESTIMATES = (
    ("4.4.2", 40, 45, 65, "pert", "Vendor build hours from two prior go-lives"),
    ("4.4.3", 40, 45, 70, "pert", "Round 2 at peer sites ran 10-50% over"),
    ("4.4.8", 30, 40, 60, "triangular", "Content volume still being finalised"),
    ("6.1", 12, 15, 25, "triangular", "Depends on vendor delivery"),
    ("8.11", 4, 5, 8, "triangular", "Includes one retest"),
    ("9.5", 8, 10, 15, "pert", "Super-user availability"),
    ("3.3", 25, 30, 45, "pert", "Older wings need cabling"),
    ("3.11", 25, 30, 40, "triangular", "Unit access windows"),
)

BCMA_FMEA: dict[str, Any] = {
    "process": "Barcode medication administration (BCMA) on inpatient units after go-live",
    "scope": "From the nurse opening the MAR to documenting the administration, for oral and IV "
    "medications on adult medical-surgical units.",
    "team": "Sofia Alvarez RN (informatics), pharmacy operations manager, two unit nurse "
    "educators, patient safety officer, EHR pharmacy analyst",
    "steps": (
        (
            "Review the MAR and due medications",
            (
                (
                    "Nurse reviews the wrong patient's MAR",
                    "Wrong-patient administration",
                    "Several charts open; similar names",
                    "Patient banner with photo; two identifiers",
                    3,
                    2,
                    False,
                    True,
                    False,
                    None,
                ),
            ),
        ),
        (
            "Scan the patient wristband",
            (
                (
                    "Wristband unreadable or missing",
                    "Scanning skipped; manual override",
                    "Damaged or poorly printed wristbands; printer not at bedside",
                    "Override requires a reason",
                    3,
                    3,
                    True,
                    False,
                    False,
                    (
                        "control",
                        "Spare wristband printers on every unit; wristband check at each shift",
                        "Wristband scan rate above 98% on every unit",
                        "analyst",
                        21,
                        (3, 1),
                    ),
                ),
            ),
        ),
        (
            "Scan the medication",
            (
                (
                    "Scanner cannot read the unit-dose barcode",
                    "Nurse overrides the scan",
                    "Pharmacy-repackaged doses with small labels",
                    "Pharmacy label standard",
                    3,
                    3,
                    False,
                    False,
                    False,
                    (
                        "eliminate",
                        "Re-label repackaged doses with 2D barcodes in pharmacy",
                        "Medication scan failure rate below 2%",
                        "analyst",
                        35,
                        (3, 1),
                    ),
                ),
                (
                    "High-alert medication scanned but dose mismatch ignored",
                    "Overdose of insulin or heparin",
                    "Alert fatigue",
                    "Hard stop on dose mismatch for high-alert drugs",
                    4,
                    2,
                    True,
                    True,
                    False,
                    None,
                ),
            ),
        ),
        (
            "Administer and document",
            (
                (
                    "Administration documented before the dose is given",
                    "MAR shows a dose that was not given",
                    "Documenting in batches at the end of the pass",
                    "Policy: document at the bedside",
                    2,
                    3,
                    False,
                    False,
                    False,
                    None,
                ),
            ),
        ),
    ),
}
