"""Demo stakeholder data for the demo portfolio: registers, RACI, communication plans,
meetings with decisions and actions, and status reports (one published)."""

from __future__ import annotations

import datetime as dt
from itertools import cycle
from typing import Any

from django.db.models import Q

from hitpm.accounts.models import User
from hitpm.audit.signals import record_bulk_create
from hitpm.notifications.services import email_muted
from hitpm.portfolio.models import Project
from hitpm.reports import services as reports
from hitpm.stakeholders.demo_content import COMMUNICATIONS, STAKEHOLDERS
from hitpm.stakeholders.models import (
    ActionItem,
    Decision,
    Meeting,
    RaciAssignment,
    Stakeholder,
)
from hitpm.stakeholders.services.communications import create_communication, log_sent
from hitpm.stakeholders.services.meetings import create_record

FIELDS = ("name", "kind", "organisation", "department", "project_role", "user", "influence",
          "interest", "attitude", "current_engagement", "desired_engagement", "concerns",
          "expectations")  # fmt: skip


def load(projects: dict[str, Project], users: dict[str, User], today: dt.date) -> None:
    """Everything in-app only: demo addresses never receive mail."""
    with email_muted():
        _load(projects, users, today)


def _load(projects: dict[str, Project], users: dict[str, User], today: dt.date) -> None:
    for code, rows in STAKEHOLDERS.items():
        project = projects.get(code)
        if project is None:
            continue
        people = _stakeholders(project, rows, users)
        _raci(project, people)
        _communications(project, people, users, today)
    ehr = projects.get("EHR-GOLIVE")
    if ehr is not None:
        _ehr_meetings(ehr, users, today)
        _ehr_reports(ehr, users)
    ifc = projects.get("IFC-HL7FHIR")
    if ifc is not None:
        _ifc_meeting(ifc, users, today)


def _stakeholders(
    project: Project, rows: list[tuple[Any, ...]], users: dict[str, User]
) -> list[Stakeholder]:
    made = []
    for row in rows:
        values = dict(zip(FIELDS, row, strict=True))
        user = users.get(str(values.pop("user")))
        made.append(Stakeholder(project=project, user=user, email=user.email if user else "",
                                **values))  # fmt: skip
    created = Stakeholder.objects.bulk_create(made)
    record_bulk_create(list(created))
    return created


def _raci(project: Project, people: list[Stakeholder]) -> None:
    """A for the most influential person, R rotating over groups, C and I for the rest; the
    EHR matrix keeps two rows unfinished so its problems list has something to show."""
    rows = list(project.tasks.filter(Q(is_summary=True) | Q(milestone=True)).order_by("position"))
    accountable = max(people, key=lambda s: (s.influence, s.kind == "person"))
    doers = cycle([s for s in people if s is not accountable] or [accountable])
    cells = []
    for index, task in enumerate(rows):
        responsible = next(doers)
        informed = next(doers)
        broken = project.code == "EHR-GOLIVE" and index in (4, 9)
        letters = {responsible.pk: "R", informed.pk: "I"}
        if not broken:
            letters[accountable.pk] = "A"
        elif index == 9:
            letters[accountable.pk], letters[responsible.pk] = "A", "A"
        cells += [RaciAssignment(project=project, task=task, stakeholder_id=pk, letter=letter)
                  for pk, letter in letters.items()]  # fmt: skip
    created = RaciAssignment.objects.bulk_create(cells)
    record_bulk_create(list(created))


def _communications(
    project: Project, people: list[Stakeholder], users: dict[str, User], today: dt.date
) -> None:
    by_name = {s.name: s for s in people}
    for title, purpose, audience, channel, frequency, owner, offset in COMMUNICATIONS.get(
        project.code, []
    ):
        communication = create_communication(
            project,
            {"title": title, "purpose": purpose, "channel": channel, "frequency": frequency,
             "owner": users[owner], "first_due": today + dt.timedelta(days=offset)},
            [by_name[name] for name in audience],
        )  # fmt: skip
        if offset < -7:  # kept up for a while, then fell behind
            log_sent(communication, users[owner], today + dt.timedelta(days=offset), "Sent.")


def _meeting(project: Project, author: User, **fields: object) -> Meeting:
    attendees = list(project.stakeholders.filter(influence__gte=4))
    return create_record(Meeting(project=project, **fields), author, attendees=attendees)


def _ehr_meetings(project: Project, users: dict[str, User], today: dt.date) -> None:
    pm = users["ehr.pm"]
    at = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(15), tzinfo=dt.UTC)
    steering = _meeting(
        project, pm, title="Executive steering committee", kind=Meeting.Kind.STEERING,
        starts_at=at, location="Board room, 4th floor",
        agenda="1. Readiness assessment results\n2. Training completion\n3. Go-live date "
        "confirmation\n4. Decisions needed",
        minutes="Readiness assessment 1 reviewed: 82% of criteria met. Training completion "
        "behind plan on two nursing units; @trainer to bring a recovery plan. Pharmacy "
        "order-set validation is the main schedule risk. @analyst to confirm backload "
        "staffing with pharmacy.",
    )  # fmt: skip
    _meeting(
        project, pm, title="Go-live readiness review", kind=Meeting.Kind.READINESS,
        starts_at=at + dt.timedelta(days=14), location="Teams",
        agenda="1. Readiness criteria status\n2. Cutover rehearsal results\n3. Open actions",
    )  # fmt: skip
    decisions = [
        ("Keep the go-live date", Decision.Status.DECIDED, "Executive steering committee",
         "Readiness at 82% with recovery plans for training; moving would collide with the "
         "fiscal year end."),
        ("Use a big-bang go-live for all inpatient units", Decision.Status.DECIDED,
         "Dr Maya Chen (CMIO)", "Phased go-live would need interim interfaces and double "
         "documentation on transfer between units."),
        ("Approve overtime for pharmacist backload", Decision.Status.PENDING, "", ""),
        ("Extend at-the-elbow support to four weeks on ICU", Decision.Status.PENDING, "", ""),
    ]  # fmt: skip
    golive = project.tasks.filter(milestone=True, name__icontains="go-live").first()
    for index, (title, status, who, rationale) in enumerate(decisions):
        decided = status == Decision.Status.DECIDED
        create_record(
            Decision(
                project=project, meeting=steering, title=title, status=status, decided_by=who,
                rationale=rationale, decided_on=today - dt.timedelta(days=6) if decided else None,
                needed_by=None if decided else today + dt.timedelta(days=7 + 7 * index),
                description="Raised at the steering committee.",
            ),
            pm, tasks=[golive] if golive else [],
        )  # fmt: skip
    actions = [
        ("Training recovery plan for units 4W and 5E", "trainer", -1),
        ("Confirm pharmacist backload staffing", "analyst", 2),
        ("Circulate cutover rehearsal schedule", "ehr.pm", 5),
        ("Confirm printer mapping for all inpatient units", "ifc.pm", -3),
        ("Draft go-live FAQ for physicians", "analyst", 9),
    ]
    for description, owner, days in actions:
        create_record(
            ActionItem(project=project, meeting=steering, description=description,
                       owner=users[owner], due_on=today + dt.timedelta(days=days)),
            pm,
        )  # fmt: skip


def _ifc_meeting(project: Project, users: dict[str, User], today: dt.date) -> None:
    pm = users["ifc.pm"]
    at = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(14), tzinfo=dt.UTC)
    meeting = _meeting(
        project, pm, title="Interface design session: lab results", kind=Meeting.Kind.DESIGN,
        starts_at=at, agenda="ORU^R01 mapping, result routing, abnormal flags.",
        minutes="Agreed to route critical results by phone and interface. @imaging.pm to share "
        "accession mapping for the radiology feed.",
    )  # fmt: skip
    create_record(
        ActionItem(project=project, meeting=meeting, description="Share accession number "
                   "mapping", owner=users["imaging.pm"], due_on=today + dt.timedelta(days=4)),
        pm,
    )  # fmt: skip


def _ehr_reports(project: Project, users: dict[str, User]) -> None:
    pm = users["ehr.pm"]
    executive = reports.create_report(project, "executive")
    executive = reports.update_report(
        executive,
        {"summary": "Build is complete and integrated testing is under way. Training "
         "completion on two nursing units and pharmacy order-set validation are the risks to "
         "the go-live date; recovery plans are in place.",
         "accomplishments": "Integrated testing round 1 complete; conversion mock 2 passed.",
         "next_steps": "Readiness assessment 2; cutover rehearsal; training recovery.",
         "asks": "Approve pharmacist overtime for the backload.",
         "ratings": {"budget": {"rating": "green", "note": "Within contingency."},
                     "scope": {"rating": "green", "note": "No open change requests."}}},
        executive.version,
    )  # fmt: skip
    reports.publish(executive, pm, executive.version)
    reports.create_report(project, "clinical")
