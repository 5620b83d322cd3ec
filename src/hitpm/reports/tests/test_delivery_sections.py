"""Training, workflow changes and interfaces: found in the plan, the decision log and the agile
boards by keyword, against small hand-built projects (figures worked out by hand) and the demo
portfolio; and a PDF download where WeasyPrint's system libraries are missing."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
import weasyprint

from hitpm.agile.models import Board, ClinicalArea, WorkItem
from hitpm.agile.tests.factories import board_for, item, move
from hitpm.core.tests.api_fixtures import api_as
from hitpm.core.tests.web_fixtures import PM, at, make_project, make_task, make_user, signed_in
from hitpm.planning.models import Baseline, BaselineTask, Task
from hitpm.portfolio.models import Project
from hitpm.reports.keywords import INTERFACES, TRAINING, WORKFLOW
from hitpm.reports.models import Audience
from hitpm.reports.providers.delivery import interfaces, training, workflow_changes
from hitpm.reports.render import PDF_PACKAGES, PdfUnavailable, render_pdf
from hitpm.reports.sections import ReportContext, Section
from hitpm.reports.services import create_report, document
from hitpm.stakeholders.models import Decision

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2027, 3, 10)  # a Wednesday
DAY = 480


def _context(project: Project) -> ReportContext:
    return ReportContext(project, AS_OF, {})


def _facts(section: Section) -> dict[str, str]:
    return dict(section["facts"])


def _project(code: str) -> Project:
    return make_project(code, {make_user(f"{code.lower()}.pm"): PM})


def _task(project: Project, position: int, name: str, parent: Task | None = None,
          **fields: Any) -> Task:  # fmt: skip
    """A scheduled task, by default a week of work finishing on ``finish`` (Friday 12 March)."""
    finish = fields.pop("finish", dt.date(2027, 3, 12))
    values: dict[str, Any] = {
        "parent": parent, "outline_level": 2 if parent else 1, "duration_minutes": 5 * DAY,
        "start": at(finish - dt.timedelta(days=4), 8), "finish": at(finish),
    }  # fmt: skip
    values.update(fields)
    if values.get("milestone"):
        values["start"], values["duration_minutes"] = values["finish"], 0
    return make_task(project, position, name, **values)


def _baseline(project: Project, moved: dict[Task, dt.date] | None = None) -> Baseline:
    """A baseline of the plan as it is, except the tasks in ``moved`` finished earlier."""
    baseline = Baseline.objects.create(project=project, name="Approved plan")
    moved = moved or {}
    for task in project.tasks.all():
        finish = at(moved[task]) if task in moved else task.finish
        BaselineTask.objects.create(baseline=baseline, task=task, start=task.start, finish=finish,
                                    duration_minutes=task.duration_minutes)  # fmt: skip
    return baseline


# --- Keyword rules ----------------------------------------------------------------------------


def test_keywords_match_whole_words_in_any_case_and_spelling() -> None:
    assert TRAINING.found("Super users: TRAINING")
    assert TRAINING.found("At the elbow support, week 1")
    assert TRAINING.found("Superuser drop-in sessions")
    assert not TRAINING.found("Care plans, patient education and worklists")
    assert not TRAINING.found("Retraining the model")  # not a whole word
    assert WORKFLOW.found("Physician-approved order sets")
    assert WORKFLOW.found("Design decisions and policy changes")
    assert WORKFLOW.found("Downtime policies approved")
    assert not WORKFLOW.found("Workstations on wheels")
    assert INTERFACES.found("Lab results from the reference laboratory (ORU^R01)")
    assert INTERFACES.found("RDE^O11 pharmacy order feed")  # any HL7 message type
    assert INTERFACES.found("ADT feed to downstream systems")
    assert INTERFACES.found("SMART on FHIR scopes")
    assert not INTERFACES.found("ADT, registration and patient access")  # the application
    assert not INTERFACES.found("Performance and load testing")  # ORM inside a word
    assert not INTERFACES.found("Formulary and medication records load")


# --- Training --------------------------------------------------------------------------------


def _training_plan() -> Project:
    project = _project("TRN-1")
    build = _task(project, 1, "Build", is_summary=True)
    _task(project, 2, "Patient education handouts", build)  # clinical content, not training
    phase = _task(project, 3, "Training and adoption", is_summary=True)
    _task(project, 4, "Curriculum", phase, percent_complete=100, duration_minutes=5 * DAY,
          actual_start=at(dt.date(2027, 2, 22), 8), actual_finish=at(dt.date(2027, 2, 26)),
          finish=dt.date(2027, 2, 26))  # fmt: skip
    sessions = _task(project, 5, "Sessions for super-users", phase, percent_complete=50,
                     duration_minutes=10 * DAY, actual_start=at(dt.date(2027, 3, 8), 8),
                     finish=dt.date(2027, 3, 19))  # fmt: skip
    _task(project, 6, "End-user classes", phase, finish=dt.date(2027, 3, 5))  # open, past due
    _task(project, 7, "Go-live training complete", phase, milestone=True,
          finish=dt.date(2027, 4, 2), total_float_minutes=3 * DAY)  # fmt: skip
    cutover = _task(project, 8, "Cutover", is_summary=True)
    _task(project, 9, "At-the-elbow support: week 1", cutover, finish=dt.date(2027, 4, 9))
    _baseline(project, {sessions: dt.date(2027, 3, 12)})  # sessions slipped a week
    return project


def test_training_from_the_plan() -> None:
    section = training(_context(_training_plan()))
    facts = _facts(section)
    # Work: curriculum (5 d, done), sessions (10 d, 50%), classes (5 d), at-the-elbow (5 d):
    # (5 x 100 + 10 x 50) / 25 = 40%.
    assert facts["Training tasks"] == "4"
    assert facts["Complete (by duration)"] == "40%"
    assert (facts["Finished"], facts["In progress"], facts["Not started"]) == ("1", "1", "2")
    assert facts["Slipping"] == "2"
    assert facts["Next training milestone"] == (
        "Go-live training complete: 02 Apr 2027, total float 3 working days"
    )
    rows = section["table"]["rows"]
    assert [r[1] for r in rows] == ["Sessions for super-users", "End-user classes"]
    assert rows[0][2:5] == ["19 Mar 2027", "12 Mar 2027", "50%"]
    assert rows[0][6] == "5 working days later than the baseline"
    assert rows[1][3] == "—"
    assert rows[1][6] == "open past its finish date"
    assert "“Approved plan”" in section["note"]
    assert "Patient education" not in str(section)


def test_without_a_baseline_only_overdue_training_slips() -> None:
    project = _project("TRN-2")
    phase = _task(project, 1, "Education", is_summary=True)
    _task(project, 2, "Classes", phase, finish=dt.date(2027, 3, 5))
    _task(project, 3, "Drop-in labs", phase, finish=dt.date(2027, 3, 19))
    section = training(_context(project))
    assert _facts(section)["Slipping"] == "1"
    assert _facts(section)["Next training milestone"] == "No milestone in the plan"
    assert "No baseline is saved" in section["note"]


def test_a_plan_without_training_says_so_and_how_to_add_it() -> None:
    project = _project("TRN-3")
    _task(project, 1, "Build order sets")
    section = training(_context(project))
    assert set(section) == {"note"}
    assert section["note"].startswith("The plan has no training tasks")
    assert "summary task named “Training …”" in section["note"]
    assert "not yet tracked" not in section["note"]


# --- Workflow changes ------------------------------------------------------------------------


def test_workflow_changes_from_decisions_and_the_plan() -> None:
    project = _project("WFL-1")
    design = _task(project, 1, "Future-state workflow design", is_summary=True)
    _task(project, 2, "Nursing handoff sessions", design, percent_complete=100,
          actual_start=at(dt.date(2027, 2, 22), 8), actual_finish=at(dt.date(2027, 2, 26)),
          finish=dt.date(2027, 2, 26))  # fmt: skip
    sets = _task(project, 3, "Build sepsis order sets", duration_minutes=15 * DAY,
                 finish=dt.date(2027, 3, 26))  # fmt: skip
    _task(project, 4, "Buy scanners")
    _baseline(project)

    def decision(title: str, status: str = Decision.Status.DECIDED, **fields: Any) -> Decision:
        return Decision.objects.create(project=project, title=title, status=status, **fields)

    decision("Approve the sepsis order set", Decision.Status.PENDING,
             needed_by=dt.date(2027, 3, 5))  # fmt: skip
    linked = decision("Staff the pilot unit", Decision.Status.PENDING,
                      needed_by=dt.date(2027, 3, 20))  # fmt: skip
    linked.tasks.add(sets)  # about a workflow task
    decision("Adopt the downtime policy", decided_on=dt.date(2027, 2, 20), decided_by="CMIO")
    decision("Nursing handoff workflow", decided_on=dt.date(2026, 10, 1), decided_by="CNO")
    decision("Buy badge readers", decided_on=dt.date(2027, 3, 1), decided_by="CIO")
    decision("Old order set policy", Decision.Status.SUPERSEDED)
    decision("Choose a vendor", Decision.Status.PENDING, needed_by=dt.date(2027, 3, 1))

    section = workflow_changes(_context(project))
    facts = _facts(section)
    assert facts["Workflow decisions pending"] == "2 (1 past their needed-by date)"
    assert facts["Workflow decisions in the last 90 days"] == "1"  # October is too old
    # Handoff sessions (5 d, done) and order sets (15 d, 0%): 5 x 100 / 20 = 25%.
    assert facts["Workflow-design tasks"] == "2"
    assert facts["Complete (by duration)"] == "25%"
    assert facts["Slipping"] == "0"
    assert section["table"]["rows"] == [
        ["Approve the sepsis order set", "Decision needed, overdue", "05 Mar 2027", "—"],
        ["Staff the pilot unit", "Decision needed", "20 Mar 2027", "—"],
        ["Adopt the downtime policy", "Decided", "20 Feb 2027", "CMIO"],
    ]


def test_no_workflow_changes_says_so() -> None:
    project = _project("WFL-2")
    _task(project, 1, "Hardware deployment")
    Decision.objects.create(project=project, title="Buy scanners", status=Decision.Status.PENDING)
    section = workflow_changes(_context(project))
    assert set(section) == {"note"}
    assert section["note"].startswith("Neither the decision log nor the plan has workflow")


# --- Interfaces ------------------------------------------------------------------------------


def _interface_plan(code: str) -> Project:
    project = _project(code)
    phase = _task(project, 1, "Interfaces", is_summary=True)
    _task(project, 2, "ADT feed build", phase, percent_complete=100, duration_minutes=10 * DAY,
          actual_start=at(dt.date(2027, 2, 15), 8), actual_finish=at(dt.date(2027, 2, 26)),
          finish=dt.date(2027, 2, 26))  # fmt: skip
    results = _task(
        project,
        3,
        "Lab results (ORU^R01) testing",
        phase,
        percent_complete=25,
        actual_start=at(dt.date(2027, 3, 15), 8),
        finish=dt.date(2027, 3, 19),
    )
    _task(project, 4, "Interfaces ready", phase, milestone=True, finish=dt.date(2027, 3, 26),
          total_float_minutes=2 * DAY)  # fmt: skip
    registration = _task(project, 5, "ADT, registration and patient access", is_summary=True)
    _task(project, 6, "Bed board build", registration)
    golive = _task(project, 7, "Go-live", is_summary=True)
    _task(project, 8, "Switch interfaces to production routes", golive,
          finish=dt.date(2027, 4, 9))  # fmt: skip
    _baseline(project, {results: dt.date(2027, 3, 12)})
    return project


def _when(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2027, month, day, 10, tzinfo=dt.UTC)


def test_interfaces_from_the_plan_and_the_board() -> None:
    project = _interface_plan("IFC-1")
    board = board_for(project, Board.Kind.KANBAN, name="Interface team")
    blocked = item(board, "ORU^R01 routing for troponin", at=_when(1),
                   clinical_area=ClinicalArea.LAB, blocked=True,
                   blocked_reason="Waiting for the reference lab's test feed")  # fmt: skip
    move(blocked, "Build", at=_when(2))
    item(board, "A40 merge handling", at=_when(1), clinical_area=ClinicalArea.INTEGRATION)
    fhir = item(board, "FHIR Patient endpoint", at=_when(1))
    move(fhir, "Test", at=_when(3))
    done = item(board, "Nurse call feed", at=_when(1), clinical_area=ClinicalArea.INTEGRATION)
    move(done, "Done", at=_when(5))
    old = item(board, "HL7 ADT^A08 route", at=_when(1, 1))
    move(old, "Done", at=_when(1, 2))  # done, but not in the last 14 days
    late = item(board, "ORM^O01 orders to PACS", at=_when(1))
    move(late, "Done", at=_when(11))  # done after the report date
    item(board, "Flowsheet build", at=_when(1), clinical_area=ClinicalArea.INPATIENT)
    item(board, "Interface epic", at=_when(1), kind=WorkItem.Kind.EPIC,
         clinical_area=ClinicalArea.INTEGRATION)  # fmt: skip

    section = interfaces(_context(project))
    facts = _facts(section)
    # ADT feed (10 d, done), ORU testing (5 d, 25%), production routes (5 d, 0%); the bed
    # board belongs to the registration application: (10 x 100 + 5 x 25) / 20 = 56.25%.
    assert facts["Interface tasks"] == "3"
    assert facts["Complete (by duration)"] == "56%"
    assert (facts["Finished"], facts["In progress"], facts["Not started"]) == ("1", "1", "1")
    assert facts["Slipping"] == "1"
    assert facts["Next interface milestone"] == (
        "Interfaces ready: 26 Mar 2027, total float 2 working days"
    )
    assert facts["Open interface items on the boards"] == "3 (Backlog 1, Build 1, Test 1)"
    assert facts["Blocked"] == "1"
    assert facts["Done in the last 14 days"] == "1"
    assert section["table"]["rows"] == [
        ["3", "Lab results (ORU^R01) testing", "19 Mar 2027", "25%", "—",
         "Slipping: 5 working days later than the baseline"],
        [f"IFC-1-{blocked.number}", "ORU^R01 routing for troponin", "Board: Build", "—", "—",
         "Blocked: Waiting for the reference lab's test feed"],
    ]  # fmt: skip


def test_interfaces_without_a_board_or_any_interface_work() -> None:
    project = _interface_plan("IFC-2")
    facts = _facts(interfaces(_context(project)))
    assert facts["Interface items on the boards"] == "No agile board for this project"
    bare = _project("IFC-3")
    _task(bare, 1, "Hardware deployment")
    board_for(bare, Board.Kind.KANBAN)
    section = interfaces(_context(bare))
    assert set(section) == {"note"}
    assert section["note"].startswith("Neither the plan nor the agile boards have interface work")


def test_sections_use_a_fixed_number_of_queries(django_assert_max_num_queries: Any) -> None:
    project = _interface_plan("IFC-4")
    board = board_for(project, Board.Kind.KANBAN)
    for n in range(12):
        item(board, f"ADT^A08 route {n}", at=_when(1), blocked=n % 2 == 0,
             blocked_reason="Waiting" if n % 2 == 0 else "")  # fmt: skip
    context = _context(project)
    for provider in (training, workflow_changes, interfaces):
        with django_assert_max_num_queries(12):
            provider(context)


# --- PDF without WeasyPrint's system libraries -----------------------------------------------


def _no_pango(*args: Any, **kwargs: Any) -> Any:
    raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
                  "object file: No such file or directory")  # fmt: skip


def test_pdf_without_pango_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = {"title": "T", "project": {"code": "X", "name": "X", "phase": "", "target_go_live": ""},
           "audience_label": "IT", "as_of": "", "narrative": [], "sections": []}  # fmt: skip
    monkeypatch.setattr(weasyprint, "HTML", _no_pango)
    with pytest.raises(PdfUnavailable) as failed:
        render_pdf(doc)
    message = str(failed.value)
    assert PDF_PACKAGES in message
    assert "libpango-1.0-0 libpangoft2-1.0-0" in message
    assert "\n" not in message
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # the import itself fails
    with pytest.raises(PdfUnavailable, match=r"libpangoft2-1\.0-0"):
        render_pdf(doc)


def test_pdf_downloads_answer_503_without_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    pm = make_user("pdf.pm")
    report = create_report(make_project("PDF-1", {pm: PM}), Audience.IT, AS_OF)
    monkeypatch.setattr(weasyprint, "HTML", _no_pango)
    page = signed_in(pm).get(f"/p/PDF-1/reports/{report.pk}/export.pdf")
    assert page.status_code == 503
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in page.content.decode()
    api = api_as(pm).get(f"/projects/PDF-1/reports/{report.pk}/export", format="pdf")
    assert api.status_code == 503
    assert "libpango-1.0-0 libpangoft2-1.0-0" in api.json()["detail"]
    markdown = signed_in(pm).get(f"/p/PDF-1/reports/{report.pk}/export.md")
    assert markdown.status_code == 200


# --- The demo portfolio (last: the module's demo fixture stays loaded once set up) ------------


@pytest.mark.usefixtures("demo")
def test_demo_ehr_go_live_has_training_workflow_and_interfaces() -> None:
    report = create_report(Project.objects.get(code="EHR-GOLIVE"), Audience.CLINICAL)
    sections = {s["key"]: s for s in document(report)["sections"]}
    facts = _facts(sections["training"])
    assert int(facts["Training tasks"]) >= 20
    assert facts["Next training milestone"].startswith("End-user training window opens: ")
    assert sections["training"]["table"]["rows"]  # training slipped against the baseline
    facts = _facts(sections["workflow_changes"])
    assert int(facts["Workflow-design tasks"]) >= 20
    assert facts["Complete (by duration)"] == "100%"  # design signed off in June
    report = create_report(Project.objects.get(code="EHR-GOLIVE"), Audience.IT)
    section = next(s for s in document(report)["sections"] if s["key"] == "interfaces")
    facts = _facts(section)
    assert int(facts["Interface tasks"]) >= 50
    assert int(facts["Finished"]) >= 50
    names = str(section)
    assert "Bed board" not in names  # the ADT/registration application is not an interface


@pytest.mark.usefixtures("demo")
def test_demo_interfaces_project() -> None:
    report = create_report(Project.objects.get(code="IFC-HL7FHIR"), Audience.IT)
    section = next(s for s in document(report)["sections"] if s["key"] == "interfaces")
    facts = _facts(section)
    assert section["tracked"] is True
    assert int(facts["Interface tasks"]) >= 30
    assert facts["Next interface milestone"].startswith("ADT feed live: ")
    open_items = facts["Open interface items on the boards"]
    assert int(open_items.split()[0]) > 0
    assert "Backlog" in open_items
    assert int(facts["Done in the last 14 days"]) > 0
    assert section["table"]["rows"]
    assert all(row[5].startswith(("Slipping: ", "Blocked: ")) for row in section["table"]["rows"])
