"""IFC-HL7FHIR: new integration engine feeds (HL7 v2) and a FHIR patient access API."""

from __future__ import annotations

import datetime as dt

from hitpm.portfolio.demo.outline import DemoProject, Outline, at


def _platform(o: Outline) -> None:
    with o.group("platform", "Initiation and integration platform"):
        o.task("charter", "Project charter and interface inventory with system owners", 10)
        o.task("arch", "Integration engine architecture (HA pair, MLLP over TLS)", 10, ["charter"])
        o.task(
            "vendor_baa",
            "Security review and BAAs with the reference lab and API vendor",
            15,
            ["charter"],
        )
        o.task("install", "Integration engine installed: test and production", 10, ["arch"])
        o.task("monitoring", "Queue monitoring, alerting and on-call runbook", 10, ["install"])
        o.milestone("platform_ready", "Integration platform ready", ["install", "monitoring"])


def _lab_results(o: Outline) -> None:
    with o.group("lab", "Lab results from the reference laboratory (ORU^R01)"):
        o.task("lab_profile", "Message profile and result routing requirements", 10, ["charter"])
        o.task(
            "lab_loinc", "LOINC mapping of 1,150 orderable and result codes", 20, ["lab_profile"]
        )
        o.task("lab_vpn", "Site-to-site VPN and connectivity test", 5, ["vendor_baa"])
        o.task(
            "lab_build",
            "Channel build: transformations and provider routing",
            15,
            ["lab_profile", "platform_ready"],
        )
        o.task("lab_unit", "Unit testing with 200 sample messages", 5, ["lab_build", "lab_vpn"])
        o.task(
            "lab_e2e",
            "End-to-end validation with lab and clinicians",
            10,
            ["lab_unit", "lab_loinc"],
        )
        o.task("lab_parallel", "Parallel run against the legacy feed", 10, ["lab_e2e"])
        o.milestone("lab_live", "Lab results interface live", ["lab_parallel"])


def _adt(o: Outline) -> None:
    with o.group("adt", "ADT feed to downstream systems (A01-A08, A40)"):
        o.task(
            "adt_subs",
            "Subscriber inventory: dietary, nurse call, transport, tracking",
            5,
            ["charter"],
        )
        o.task("adt_profile", "Message profiles and filters per subscriber", 10, ["adt_subs"])
        o.task(
            "adt_build",
            "Route build with merge (A40) handling",
            15,
            ["adt_profile", "platform_ready"],
        )
        o.task("adt_unit", "Unit testing of admit, transfer, discharge and merge", 5, ["adt_build"])
        o.task("adt_subtest", "Testing with each subscriber", 15, ["adt_unit"])
        o.task("adt_volume", "Peak-volume test (3x daily census)", 3, ["adt_unit"])
        o.task(
            "adt_cutover",
            "Cutover of subscribers from the legacy engine",
            3,
            ["adt_subtest", "adt_volume"],
        )
        o.milestone("adt_live", "ADT feed live", ["adt_cutover"])


def _radiology(o: Outline) -> None:
    with o.group("rad", "Radiology orders (ORM^O01) and reports (ORU^R01)"):
        o.task(
            "rad_profile", "Order and report message profiles, accession numbering", 10, ["charter"]
        )
        o.task(
            "rad_codes",
            "Procedure code crosswalk (CPT to RIS procedure codes)",
            15,
            ["rad_profile"],
        )
        o.task("rad_build", "Order and report channel build", 15, ["rad_profile", "adt_build"])
        o.task("rad_unit", "Unit testing with modality scenarios", 5, ["rad_build", "rad_codes"])
        o.task("rad_e2e", "End-to-end testing with radiologists", 10, ["rad_unit"])
        o.milestone("rad_live", "Radiology interfaces live", ["rad_e2e+3"])


def _fhir(o: Outline, launch: dt.date) -> None:
    with o.group("fhir", "FHIR R4 patient access API"):
        o.task(
            "fhir_scope", "Scope: US Core resources and patient access use cases", 10, ["charter"]
        )
        o.task(
            "fhir_gateway",
            "API gateway, rate limits and audit logging",
            15,
            ["fhir_scope", "install"],
        )
        o.task("fhir_oauth", "SMART on FHIR app launch and OAuth 2.0 scopes", 15, ["fhir_gateway"])
        o.task(
            "fhir_identity", "Patient identity proofing through the portal", 10, ["fhir_oauth:SS+5"]
        )
        o.task(
            "fhir_profiles", "US Core profile mapping and terminology binding", 20, ["fhir_scope"]
        )
        o.task(
            "fhir_inferno",
            "Conformance testing with the Inferno test suite",
            10,
            ["fhir_profiles", "fhir_oauth"],
        )
        o.task("fhir_pentest", "Penetration test of the API and fixes", 10, ["fhir_inferno"])
        o.task(
            "fhir_terms",
            "App developer terms of use and patient privacy notice",
            10,
            ["fhir_scope+10"],
        )
        o.task(
            "fhir_docs", "Developer documentation and app registration process", 10, ["fhir_oauth"]
        )
        o.milestone(
            "fhir_live",
            "Patient access API in production",
            ["fhir_pentest", "fhir_identity", "fhir_terms", "fhir_docs"],
            deadline=at(launch, 17),
        )


def _closure(o: Outline) -> None:
    with o.group("close", "Handover and closure"):
        o.task(
            "handover",
            "Handover to integration support with runbooks",
            5,
            ["lab_live", "adt_live", "rad_live", "fhir_live"],
        )
        o.task("legacy_off", "Legacy interface engine retired", 10, ["handover"])
        o.task("ifc_lessons", "Lessons learned and project closure", 5, ["legacy_off"])
        o.milestone("ifc_closed", "Project closed", ["ifc_lessons"])


def project(anchor: dt.date) -> DemoProject:
    """The interface project for a demo loaded in the week that starts on ``anchor``."""
    start = anchor - dt.timedelta(weeks=10)
    launch = anchor + dt.timedelta(weeks=8, days=4)  # a Friday
    o = Outline()
    _platform(o)
    _lab_results(o)
    _adt(o)
    _radiology(o)
    _fhir(o, launch)
    _closure(o)
    return DemoProject(
        fields={
            "code": "IFC-HL7FHIR",
            "name": "HL7 v2 and FHIR interface modernisation",
            "description": (
                "Move the lab, ADT and radiology feeds to the new integration engine and open "
                "a FHIR R4 patient access API (US Core, SMART on FHIR) ahead of the "
                "information-blocking compliance date."
            ),
            "phase": "build",
            "health": "green",
            "status": "active",
            "sponsor": "Thomas Reyes, VP Information Technology",
            "start_date": start,
            "target_go_live": launch,
        },
        status_date=anchor - dt.timedelta(days=3),
        rows=o.rows,
        behind={"adt_build": 0.9, "fhir_oauth": 0.8},
    )
