"""Reports of the demo portfolio: content against the known demo data, publishing as an
immutable snapshot, and PDFs with the expected sections that render to an image."""

from __future__ import annotations

import io
from typing import cast

import pypdfium2 as pdfium
import pytest
from PIL import Image

from hitpm.accounts.models import User
from hitpm.portfolio.models import Project
from hitpm.reports.models import Audience, StatusReport
from hitpm.reports.render import render_markdown, render_pdf
from hitpm.reports.services import create_report, document, publish, update_report
from hitpm.stakeholders.models import Decision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
RENDER_SCALE = 1.5  # 72 dpi x 1.5: an A4 page is 893 x 1263 pixels


def _sections(code: str, audience: str) -> dict[str, dict]:
    report = create_report(Project.objects.get(code=code), audience)
    return {s["key"]: s for s in document(report)["sections"]}


def test_executive_report_of_the_ehr_demo() -> None:
    sections = _sections("EHR-GOLIVE", Audience.EXECUTIVE)
    assert list(sections) == ["rag", "milestones", "gantt", "top_risks", "heat_map",
                              "decisions_needed"]  # fmt: skip
    rag = {r["dimension"]: r for r in sections["rag"]["rag"]}
    assert rag["schedule"]["suggested"] == "green"
    assert "go-live forecast +0 days" in rag["schedule"]["reason"]
    assert rag["scope"]["rating"] == "none"
    assert "not yet tracked" in rag["scope"]["reason"]
    assert rag["risk"]["suggested"] == "amber"  # the demo register has amber, no red risks
    milestones = [row[0] for row in sections["milestones"]["table"]["rows"]]
    assert milestones[0] == "Technical infrastructure ready"
    assert "Pharmacy, MAR and BCMA build complete" in milestones
    top = sections["top_risks"]["table"]["rows"]
    assert top[0][:3] == ["R-008", "Data conversion of active medication lists incomplete", "12"]
    assert len(top) == 5
    assert sections["heat_map"]["svg"].startswith("<svg")
    assert "Go-live: inpatient EHR live on all units" in sections["gantt"]["svg"]
    decisions = [row[0] for row in sections["decisions_needed"]["table"]["rows"]]
    assert decisions == ["Approve overtime for pharmacist backload",
                         "Extend at-the-elbow support to four weeks on ICU"]  # fmt: skip


def test_clinical_report_of_the_ehr_demo() -> None:
    sections = _sections("EHR-GOLIVE", Audience.CLINICAL)
    facts = dict(sections["go_live_readiness"]["facts"])
    assert facts["Target go-live"] == "16 Oct 2027"
    assert facts["Forecast go-live"] == "16 Oct 2027"
    for key in ("training", "workflow_changes"):  # from the plan and the decision log
        assert sections[key]["tracked"] is True
        assert "not yet tracked" not in sections[key]["note"]
        assert sections[key]["facts"]
    training = dict(sections["training"]["facts"])
    assert training["Next training milestone"].startswith("End-user training window opens")
    safety = [row[0] for row in sections["patient_safety_risks"]["table"]["rows"]]
    assert "R-001" in safety  # BCMA medication administration errors


def test_it_report_of_the_interfaces_demo() -> None:
    sections = _sections("IFC-HL7FHIR", Audience.IT)
    assert list(sections) == ["schedule_detail", "critical_path", "gantt", "interfaces",
                              "defects", "open_actions"]  # fmt: skip
    facts = dict(sections["schedule_detail"]["facts"])
    assert int(facts["Tasks"]) > 0
    interfaces = dict(sections["interfaces"]["facts"])
    assert int(interfaces["Interface tasks"]) > 0
    assert interfaces["Open interface items on the boards"] != "0"
    actions = sections["open_actions"]["table"]["rows"]
    assert actions[0][:2] == ["Share accession number mapping", "Hannah Becker"]


def test_published_demo_report_is_a_snapshot() -> None:
    project = Project.objects.get(code="EHR-GOLIVE")
    published = StatusReport.objects.get(project=project, state=StatusReport.State.PUBLISHED)
    before = document(published)
    assert before["published_by"] == "Daniel Okafor"
    Decision.objects.create(project=project, title="Fund a third cutover rehearsal",
                            status=Decision.Status.PENDING)  # fmt: skip
    assert document(published) == before  # frozen
    assert "Fund a third cutover rehearsal" not in published.html
    draft = create_report(project, Audience.EXECUTIVE)
    assert "Fund a third cutover rehearsal" in render_markdown(document(draft))
    with pytest.raises(Exception, match="published"):
        update_report(published, {"summary": "Changed"}, published.version)
    pm = User.objects.get(username="ehr.pm")
    with pytest.raises(Exception, match="published"):
        publish(published, pm, published.version)


def test_executive_pdf_has_its_sections_and_renders() -> None:
    report = create_report(Project.objects.get(code="EHR-GOLIVE"), Audience.EXECUTIVE)
    data = render_pdf(document(report))
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 2
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for title in (
        "EHR-GOLIVE Executive status report",
        "RAG by dimension",
        "Milestones",
        "Schedule snapshot",
        "Top risks",
        "Risk heat map",
        "Decisions needed",
    ):
        assert title in text, title
    assert "R-008 Data conversion of active" in text  # the top risk, first row
    assert "Page 1 of" in text
    image = pdf[0].render(scale=RENDER_SCALE).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    again = Image.open(io.BytesIO(png.getvalue()))
    assert again.size == (893, 1263)
    grey = again.convert("L")
    darkest, lightest = cast(tuple[int, int], grey.getextrema())
    assert darkest < 100
    assert lightest == 255


def test_clinical_pdf_shows_training_and_workflow_changes() -> None:
    report = create_report(Project.objects.get(code="EHR-GOLIVE"), Audience.CLINICAL)
    pdf = pdfium.PdfDocument(render_pdf(document(report)))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Go-live readiness" in text
    assert "Patient-safety risks" in text
    assert "NEXT TRAINING MILESTONE" in text.upper()
    assert "End-user training window opens" in text
    assert "WORKFLOW-DESIGN TASKS" in text.upper()
    assert "not yet tracked in hitpm" not in text
