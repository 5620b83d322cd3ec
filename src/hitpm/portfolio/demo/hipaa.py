"""HIPAA-RMP: Security Rule risk analysis and the remediation programme that follows it."""

from __future__ import annotations

import datetime as dt

from hitpm.portfolio.demo.outline import DemoProject, Outline, at, fnlt


def _risk_analysis(o: Outline) -> None:
    with o.group("setup", "Programme set-up"):
        o.task("charter", "Programme charter approved by the compliance committee", 5)
        o.task("assessor", "Third-party assessor engaged", 10, ["charter"])
        o.task("method", "Risk analysis method and rating scales (NIST SP 800-30)", 5, ["charter"])
        o.milestone("started", "Programme kick-off", ["assessor", "method"])
    with o.group("analysis", "Risk analysis (164.308(a)(1)(ii)(A))"):
        o.task(
            "inventory",
            "Inventory of systems, devices and data flows holding ePHI",
            20,
            ["started"],
        )
        o.task("threats", "Threat and vulnerability identification", 15, ["inventory:SS+10"])
        o.task("controls", "Assessment of current safeguards", 15, ["inventory:SS+10"])
        o.task("rating", "Likelihood and impact rating of each risk", 10, ["threats", "controls"])
        o.task("register", "Risk register and risk management plan", 10, ["rating"])
        o.task("report", "Risk analysis report", 5, ["register"])
        o.milestone("ra_approved", "Risk analysis approved by leadership", ["report+5"])


def _policies_and_access(o: Outline) -> None:
    with o.group("policies", "Policies and procedures"):
        o.task("gap", "Gap assessment against the Security Rule standards", 10, ["ra_approved"])
        o.task("pol_access", "Access control and password policy update", 10, ["gap"])
        o.task(
            "pol_contingency",
            "Contingency plan: backup, disaster recovery, emergency mode",
            20,
            ["gap"],
        )
        o.task("pol_incident", "Security incident response procedure", 10, ["gap"])
        o.task("pol_media", "Device and media controls (disposal, re-use)", 5, ["gap"])
        o.task("pol_sanctions", "Workforce sanctions policy", 5, ["gap"])
        o.task(
            "pol_approve",
            "Policies approved by the compliance committee",
            5,
            ["pol_access", "pol_contingency", "pol_incident", "pol_media", "pol_sanctions"],
        )
        o.task("pol_attest", "Policies published and workforce attestation", 10, ["pol_approve"])
    with o.group("access", "Access management"):
        o.task("rbac", "Role-based access model for clinical applications", 15, ["ra_approved"])
        o.task("review_clinical", "User access review: EHR and ancillary systems", 15, ["rbac"])
        o.task("review_priv", "Privileged account review and vaulting", 10, ["ra_approved"])
        o.task("deprov", "Automated de-provisioning from HR terminations", 20, ["rbac"])
        o.task(
            "mfa",
            "Multi-factor authentication for remote access and e-prescribing",
            20,
            ["review_priv"],
        )
        o.task("breakglass", "Emergency (break-glass) access procedure", 5, ["rbac"])
        o.milestone(
            "access_done",
            "Access management remediated",
            ["review_clinical", "deprov", "mfa", "breakglass"],
        )


def _technical(o: Outline) -> None:
    with o.group("technical", "Encryption and technical safeguards"):
        o.task("laptops", "Full-disk encryption on all laptops", 20, ["ra_approved"])
        o.task("mdm", "Mobile device management for clinical smartphones", 25, ["ra_approved"])
        o.task("rest", "Encryption at rest for databases and backups", 25, ["ra_approved+5"])
        o.task("transit", "TLS on all interfaces carrying ePHI", 20, ["rest:SS+10"])
        o.task("email", "Secure e-mail for messages with ePHI", 10, ["ra_approved"])
        o.task("segment", "Network segmentation of medical devices", 30, ["ra_approved+10"])
        o.task("scanning", "Monthly vulnerability scanning and patch SLAs", 10, ["segment:SS"])
        o.milestone(
            "tech_done",
            "Technical safeguards in place",
            ["laptops", "mdm", "rest", "transit", "email", "segment", "scanning"],
        )


def _vendors_training_audit(o: Outline, board: dt.date) -> None:
    with o.group("vendors", "Business associates"):
        o.task("baa_inventory", "Inventory of vendors with access to ePHI", 10, ["ra_approved"])
        o.task("baa_gaps", "Identify missing or outdated BAAs", 5, ["baa_inventory"])
        o.task(
            "baa_sign",
            "Negotiate and execute BAAs",
            30,
            ["baa_gaps"],
            **fnlt(board - dt.timedelta(weeks=6)),
        )
        o.task(
            "vendor_risk", "Vendor security questionnaires for high-risk vendors", 20, ["baa_gaps"]
        )
    with o.group("workforce", "Workforce training"):
        o.task("curriculum", "Security awareness curriculum refresh", 10, ["pol_approve"])
        o.task("phishing", "Phishing simulation programme", 15, ["curriculum:SS"])
        o.task("campaign", "Annual training campaign for all staff", 30, ["curriculum"])
        o.milestone("trained", "95% of workforce trained", ["campaign"])
    with o.group("audit", "Audit controls and log review"):
        o.task("log_sources", "Inventory of audit log sources", 5, ["ra_approved"])
        o.task("siem", "EHR and identity audit logs onboarded to the SIEM", 20, ["log_sources"])
        o.task("snooping", "Privacy monitoring rules (inappropriate record access)", 15, ["siem"])
        o.task("log_review", "Monthly audit log review procedure", 5, ["snooping"])
        o.task("first_review", "First quarterly audit log review", 5, ["log_review+20"])
    with o.group("evaluate", "Evaluation and closure"):
        o.task(
            "verify",
            "Remediation verification by the assessor",
            15,
            ["access_done", "tech_done", "baa_sign", "trained", "first_review", "pol_attest"],
        )
        o.task("evaluation", "Periodic evaluation (164.308(a)(8))", 10, ["verify"])
        o.milestone(
            "board", "Compliance report to the board", ["evaluation"], deadline=at(board, 17)
        )
        o.task("rmp_close", "Programme closure and handover to the security office", 5, ["board"])


def project(anchor: dt.date) -> DemoProject:
    """The HIPAA programme for a demo loaded in the week that starts on ``anchor``."""
    start = anchor - dt.timedelta(weeks=20)
    board = anchor + dt.timedelta(weeks=14, days=3)  # a Thursday board meeting
    o = Outline()
    _risk_analysis(o)
    _policies_and_access(o)
    _technical(o)
    _vendors_training_audit(o, board)
    return DemoProject(
        fields={
            "code": "HIPAA-RMP",
            "name": "HIPAA Security Rule risk analysis and remediation",
            "description": (
                "Enterprise-wide Security Rule risk analysis, then remediation of the high "
                "risks it found: access reviews, encryption, BAAs, workforce training and "
                "audit-log review, reported to the board."
            ),
            "phase": "build",
            "health": "red",
            "status": "active",
            "sponsor": "Linda Park, Chief Compliance Officer",
            "start_date": start,
            "target_go_live": board,
        },
        status_date=anchor - dt.timedelta(days=3),
        rows=o.rows,
        behind={"rest": 0.6, "baa_sign": 0.7, "pol_contingency": 0.8},
        late={"report": 7, "rating": 5},
    )
