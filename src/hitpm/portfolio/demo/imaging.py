"""PACS-VNA: a finished enterprise imaging project, for a portfolio with some history."""

from __future__ import annotations

import datetime as dt

from hitpm.portfolio.demo.outline import DemoProject, Outline, snet


def project(anchor: dt.date) -> DemoProject:
    """The imaging project for a demo loaded in the week that starts on ``anchor``."""
    start = anchor - dt.timedelta(weeks=52)
    o = Outline()
    with o.group("plan", "Planning and procurement"):
        o.task("charter", "Charter and imaging strategy", 10)
        o.task("rfp", "Vendor selection (RFP, demonstrations, references)", 30, ["charter"])
        o.task("contract", "Contract and BAA executed", 15, ["rfp"])
    with o.group("build", "Build"):
        o.task("infra", "Storage and servers for the vendor-neutral archive", 20, ["contract"])
        o.task("modalities", "Modality worklist and DICOM routing for 46 modalities", 25, ["infra"])
        o.task("worklists", "Radiologist reading worklists and hanging protocols", 20, ["infra"])
        o.task("viewer", "Enterprise viewer launched from the EHR", 15, ["infra"])
    with o.group("migrate", "Image migration"):
        o.task("mig_plan", "Migration plan: 9 years, 310 TB of studies", 10, ["contract"])
        o.task("mig_run", "Background migration of prior studies", 60, ["mig_plan", "infra"])
        o.task("mig_check", "Migration reconciliation and exception clean-up", 10, ["mig_run"])
    with o.group("testing", "Testing and training"):
        o.task(
            "test",
            "Integrated testing with modalities and RIS",
            15,
            ["modalities", "worklists", "viewer"],
        )
        o.task("train", "Radiologist and technologist training", 10, ["test:SS+5"])
    with o.group("live", "Go-live and closure"):
        o.milestone(
            "golive", "PACS go-live", ["test", "train"], **snet(start + dt.timedelta(weeks=34))
        )
        o.task("support", "Post go-live support", 10, ["golive"])
        o.task("legacy", "Legacy PACS decommissioned", 15, ["mig_check", "support"])
        o.milestone("closed", "Project closed", ["legacy"])
    return DemoProject(
        fields={
            "code": "PACS-VNA",
            "name": "Enterprise imaging: PACS replacement and vendor-neutral archive",
            "description": (
                "Replaced the radiology PACS and consolidated cardiology and point-of-care "
                "images into one vendor-neutral archive with an EHR-launched viewer."
            ),
            "phase": "closed",
            "health": "green",
            "status": "completed",
            "sponsor": "Dr. Samuel Ortiz, Chair of Radiology",
            "start_date": start,
            "target_go_live": start + dt.timedelta(weeks=34),
        },
        status_date=anchor - dt.timedelta(days=3),
        rows=o.rows,
    )
