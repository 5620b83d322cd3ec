"""Titles for the demo backlogs: HL7/FHIR interface work and EHR build work."""

from __future__ import annotations

from hitpm.agile.models import ClinicalArea

A = ClinicalArea

INTERFACE_WORK = (
    ("ADT^A08 patient update route to {system}", A.INTEGRATION),
    ("ORU^R01 result routing for {panel} from the reference lab", A.LAB),
    ("LOINC mapping batch: {panel}", A.LAB),
    ("ORM^O01 radiology order feed to {system}", A.RADIOLOGY),
    ("FHIR R4 {resource} endpoint: search parameters and paging", A.INTEGRATION),
    ("SMART on FHIR scopes for the {resource} resource", A.INTEGRATION),
    ("MDM^T02 transcribed {note} to the document repository", A.HIM),
    ("RDE^O11 pharmacy order feed to {system}", A.PHARMACY),
    ("DFT^P03 charge feed from {system} to billing", A.REVENUE_CYCLE),
    ("A40 merge handling for {system} subscribers", A.INTEGRATION),
    ("Queue alerting for the {system} channel", A.INTEGRATION),
    ("SIU^S12 scheduling feed for {system}", A.AMBULATORY),
)
INTERFACE_FILL = {
    "system": (
        "dietary",
        "nurse call",
        "patient transport",
        "bed tracking",
        "pharmacy cabinet",
        "PACS",
        "cardiology",
        "billing",
        "ED tracking board",
        "blood bank",
    ),
    "panel": (
        "basic metabolic panel",
        "CBC with differential",
        "microbiology cultures",
        "blood gases",
        "coagulation",
        "urinalysis",
        "troponin",
        "lipid panel",
    ),
    "resource": (
        "Patient",
        "Observation",
        "AllergyIntolerance",
        "MedicationRequest",
        "Condition",
        "Encounter",
        "DocumentReference",
        "Immunization",
    ),
    "note": ("discharge summaries", "operative notes", "radiology reports", "consult notes"),
}

INTERFACE_DEFECTS = (
    "Results with a null reference range rejected by the engine",
    "Duplicate A08 messages after a bed transfer",
    "Wrong dose unit (mg vs mcg) in the pharmacy order feed",
    "Critical lab values not flagged on the ED tracking board",
    "Merged patients keep the old MRN in the transport system",
    "Allergy reactions dropped from the FHIR AllergyIntolerance response",
)
PATIENT_SAFETY = {2, 3, 5}  # indexes of INTERFACE_DEFECTS that can harm patients

EHR_WORK = (
    ("Order set: {topic}", A.INPATIENT),
    ("Pharmacy order set: {drug}", A.PHARMACY),
    ("MAR build: {drug} administration workflow", A.PHARMACY),
    ("ED triage flowsheet: {topic}", A.ED),
    ("Nursing documentation: {topic} assessment", A.INPATIENT),
    ("Preference list: {procedure}", A.PERIOP),
    ("Charge capture for {procedure}", A.REVENUE_CYCLE),
    ("Lab order questions for {test}", A.LAB),
    ("Clinic visit navigator: {clinic}", A.AMBULATORY),
    ("Best-practice alert: {topic}", A.INPATIENT),
    ("Security class review: {clinic} users", A.GENERAL),
)
EHR_FILL = {
    "topic": (
        "sepsis",
        "VTE prophylaxis",
        "falls risk",
        "pressure injury",
        "stroke",
        "chest pain",
        "pediatric asthma",
        "diabetic ketoacidosis",
        "pain reassessment",
    ),
    "drug": (
        "heparin infusion",
        "insulin sliding scale",
        "vancomycin dosing",
        "opioid PCA",
        "TPN",
        "antibiotic prophylaxis",
        "potassium replacement",
    ),
    "procedure": (
        "total knee arthroplasty",
        "laparoscopic cholecystectomy",
        "C-section",
        "cardiac catheterisation",
        "cataract surgery",
    ),
    "test": ("blood cultures", "type and screen", "HbA1c", "troponin series"),
    "clinic": ("cardiology", "orthopaedics", "oncology infusion", "primary care", "OB/GYN"),
}
LABELS = ("go-live", "regulatory", "order-sets", "integration", "training", "reporting")
