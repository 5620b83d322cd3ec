"""Demo data of the planning workspace: baselines, resources and assignments.

Each demo project gets an "Approved plan" baseline as it was scheduled before any progress
(dated at the project start), so the slippage since shows as variance; the EHR go-live also
gets a later "Build re-plan" and a part-time calendar (Monday to Thursday) for its part-time
nursing subject-matter expert. Resources are the people and roles a hospital IT project
staffs: analysts, trainers, interface engineers and part-time clinical subject-matter experts
at 50%, assigned to the work tasks their job covers, so some are over-allocated, as real
teams are before levelling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from hitpm.accounts.models import User
from hitpm.audit.signals import record_bulk_create
from hitpm.core.services import save_validated
from hitpm.engine.cpm import schedule
from hitpm.planning.baselines import save_baseline, set_gantt_baseline
from hitpm.planning.calendars import create_calendar
from hitpm.planning.models import Assignment, Baseline, BaselineTask, Resource, Task
from hitpm.planning.spec import aware, project_spec
from hitpm.portfolio.models import Project

PART_TIME = "Part-time (Mon-Thu)"
"""The EHR go-live's calendar for its part-time nursing subject-matter expert: based on the
standard calendar (so it keeps its holidays), with Fridays off."""


@dataclass(frozen=True)
class Staff:
    """A resource and the work it does: tasks whose name contains any of ``words``."""

    name: str
    role: str
    words: tuple[str, ...]
    capacity: int = 100
    units: int = 100
    kind: str = Resource.Kind.PERSON
    username: str = ""
    limit: int = 0  # at most this many tasks (the first in plan order); 0 = all that match
    calendar: str = ""  # a calendar of the project by name; "" = the project's default


EHR_STAFF = (
    Staff("Sofia Alvarez", "Clinical informatics analyst, RN",
          ("Workflow build", "Build specifications"), username="analyst", limit=4),
    Staff("Orders and pharmacy analysts", "Epic analyst team",
          ("Foundation build", "Content build", "Order set"), 1200, 100, Resource.Kind.ROLE),
    Staff("Credentialed trainers", "Trainer pool",
          ("End-user training", "Training materials", "Super-user", "trainer"),
          800, 100, Resource.Kind.ROLE),
    Staff("Marcus Lee", "Interface engineer", ("Interface engine",), username="ifc.pm"),
    Staff("Interface engineers", "HL7 interface team",
          ("field mapping", "Build and configuration", "connectivity testing"),
          600, 50, Resource.Kind.ROLE),
    Staff("Grace Whitfield, RN", "Nursing subject-matter expert (part-time)",
          ("sign-off by subject-matter experts", "Clinical validation"), 50, 50, limit=5,
          calendar=PART_TIME),
    Staff("Dr. Omar Haddad, PharmD", "Pharmacy subject-matter expert (part-time)",
          ("Proficiency assessment", "Build review"), 50, 25, limit=6),
    Staff("Technical analysts", "Infrastructure team",
          ("environment", "Hardware", "Printer", "sign-on", "Network", "Wireless", "Downtime"),
          200, 100, Resource.Kind.ROLE),
)  # fmt: skip

GENERIC_STAFF = (
    Staff("Application analysts", "Analyst team",
          ("build", "Build", "design", "Design", "specification", "configuration"),
          200, 100, Resource.Kind.ROLE),
    Staff("Interface engineer", "HL7/FHIR interface engineer",
          ("interface", "Interface", "HL7", "FHIR", "mapping", "feed"), 100, 100),
    Staff("Trainers", "Trainer pool", ("training", "Training"), 200, 100, Resource.Kind.ROLE),
    Staff("Clinical SME (part-time)", "Clinical subject-matter expert",
          ("validation", "review", "testing", "Testing", "assessment"), 50, 50, limit=8),
)  # fmt: skip


def _approved_plan(project: Project) -> Baseline:
    """The baseline as the plan stood before any progress: scheduled afresh without actuals."""
    spec = project_spec(project)
    unprogressed = [
        replace(t, actual_start=None, actual_finish=None, percent_complete=0.0,
                remaining_duration_minutes=None)
        for t in spec.tasks
    ]  # fmt: skip
    options = replace(spec.options, remaining_after_status_date=False)
    planned = schedule(replace(spec, tasks=unprogressed, status_date=None, options=options))
    baseline = save_validated(
        Baseline(
            project=project,
            name="Approved plan",
            description="Approved by the steering committee at project start.",
            finish=aware(planned.finish),
        )
    )
    durations = dict(project.tasks.values_list("pk", "duration_minutes"))
    milestones = set(project.tasks.filter(milestone=True).values_list("pk", flat=True))
    BaselineTask.objects.bulk_create(
        [
            BaselineTask(
                baseline=baseline,
                task_id=row.uid,
                start=aware(row.start),
                finish=aware(row.finish),
                duration_minutes=durations[row.uid],
                milestone=row.uid in milestones,
            )
            for row in planned.tasks
        ],
        batch_size=1000,
    )
    start = dt.datetime.combine(project.start_date, dt.time(9), dt.UTC)
    Baseline.objects.filter(pk=baseline.pk).update(created_at=start)
    return baseline


def _staff(project: Project, team: tuple[Staff, ...], users: dict[str, User]) -> None:
    """Create the resources and assign each to the work tasks its words match."""
    calendars = {c.name: c for c in project.calendars.all()}
    work = Task.objects.filter(project=project, is_summary=False, milestone=False)
    tasks = list(work.order_by("position"))
    resources: list[Resource] = []
    assignments: list[Assignment] = []
    for staff in team:
        resource = Resource(
            project=project,
            name=staff.name,
            kind=staff.kind,
            role=staff.role,
            user=users.get(staff.username) if staff.username else None,
            calendar=calendars.get(staff.calendar),
            capacity_percent=staff.capacity,
        )
        resources.append(resource)
        matching = [t for t in tasks if any(word in t.name for word in staff.words)]
        assignments.extend(
            Assignment(project=project, task=task, resource=resource, units_percent=staff.units)
            for task in matching[: staff.limit or None]
        )
    Resource.objects.bulk_create(resources)
    taken: set[tuple[int, int]] = set()
    unique = []
    for assignment in assignments:
        pair = (assignment.task.pk, assignment.resource.pk)
        if pair not in taken:
            taken.add(pair)
            assignment.resource_id = assignment.resource.pk
            unique.append(assignment)
    Assignment.objects.bulk_create(unique, batch_size=1000)
    record_bulk_create([*resources, *unique])


def _part_time_calendar(project: Project) -> None:
    """Based on the default calendar (its holidays too) with Fridays off; no task uses it, so
    nothing is rescheduled."""
    default = project.calendars.get(is_project_default=True)
    create_calendar(project, PART_TIME, base_id=default.pk, weekly={"4": []})


def load(projects: dict[str, Project], users: dict[str, User], today: dt.date) -> None:
    """Baselines, resources and assignments for every demo project."""
    for code, project in projects.items():
        approved = _approved_plan(project)
        if code == "EHR-GOLIVE":
            _part_time_calendar(project)
        _staff(project, EHR_STAFF if code == "EHR-GOLIVE" else GENERIC_STAFF, users)
        if code == "EHR-GOLIVE":
            save_baseline(
                project,
                "Build re-plan",
                users.get("ehr.pm"),
                "Re-baselined after the build delays, for the steering committee.",
            )
        set_gantt_baseline(project, approved.pk)
