"""Request and response shapes of the stakeholders API."""

import datetime as dt
from typing import Annotated

from ninja import Field, FilterLookup, Schema

from hitpm.core.api import Filters, InputSchema, RecordId
from hitpm.stakeholders.models import (
    ActionItem,
    Communication,
    Decision,
    Engagement,
    Meeting,
    Stakeholder,
)

Rating = Annotated[int, Field(ge=1, le=5)]
Ids = list[RecordId]


class StakeholderOut(Schema):
    id: int
    version: int
    name: str
    kind: Stakeholder.Kind
    organisation: str
    department: str
    project_role: str
    email: str
    phone: str
    user_id: int | None
    influence: int
    interest: int
    quadrant: str = Field(description="Power/interest strategy: manage_closely, ...")
    attitude: Stakeholder.Attitude
    current_engagement: Engagement
    desired_engagement: Engagement
    engagement_gap: int
    concerns: str
    expectations: str
    notes: str
    updated_at: dt.datetime


class StakeholderIn(InputSchema):
    name: str
    kind: Stakeholder.Kind = Stakeholder.Kind.PERSON
    organisation: str = ""
    department: str = ""
    project_role: str = ""
    email: str = ""
    phone: str = ""
    user_id: RecordId | None = None
    influence: Rating = 3
    interest: Rating = 3
    attitude: Stakeholder.Attitude = Stakeholder.Attitude.NEUTRAL
    current_engagement: Engagement = Engagement.UNAWARE
    desired_engagement: Engagement = Engagement.SUPPORTIVE
    concerns: str = ""
    expectations: str = ""
    notes: str = ""


class StakeholderQuery(Filters):
    kind: Annotated[Stakeholder.Kind | None, FilterLookup("kind")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "organisation__icontains",
                                           "department__icontains"])] = None  # fmt: skip


class CommunicationOut(Schema):
    id: int
    version: int
    title: str
    purpose: str
    audience_ids: list[int]
    channel: Communication.Channel
    frequency: Communication.Frequency
    owner_id: int
    first_due: dt.date
    next_due: dt.date | None
    last_sent_on: dt.date | None
    active: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_audience_ids(c: Communication) -> list[int]:
        return sorted(s.pk for s in c.audience.all())


class CommunicationIn(InputSchema):
    title: str
    purpose: str = ""
    audience_ids: Ids = []
    channel: Communication.Channel = Communication.Channel.EMAIL
    frequency: Communication.Frequency
    owner_id: RecordId
    first_due: dt.date
    active: bool = True


class CommunicationQuery(Filters):
    owner: Annotated[RecordId | None, FilterLookup("owner_id")] = None
    active: Annotated[bool | None, FilterLookup("active")] = None
    channel: Annotated[Communication.Channel | None, FilterLookup("channel")] = None


class SentIn(InputSchema):
    sent_on: dt.date
    note: str = ""


class SentOut(Schema):
    id: int
    sent_on: dt.date
    due_on: dt.date | None
    sent_by_id: int | None
    note: str


class MeetingOut(Schema):
    id: int
    version: int
    title: str
    kind: Meeting.Kind
    starts_at: dt.datetime
    duration_minutes: int
    location: str
    agenda: str
    minutes: str
    attendee_ids: list[int]
    updated_at: dt.datetime

    @staticmethod
    def resolve_attendee_ids(m: Meeting) -> list[int]:
        return sorted(s.pk for s in m.attendees.all())


class MeetingIn(InputSchema):
    title: str
    kind: Meeting.Kind = Meeting.Kind.STATUS
    starts_at: dt.datetime
    duration_minutes: Annotated[int, Field(ge=1, le=1440)] = 60
    location: str = ""
    agenda: str = ""
    minutes: str = ""
    attendee_ids: Ids = []


class MeetingQuery(Filters):
    kind: Annotated[Meeting.Kind | None, FilterLookup("kind")] = None
    since: Annotated[dt.datetime | None, FilterLookup("starts_at__gte")] = None


class DecisionOut(Schema):
    id: int
    version: int
    title: str
    description: str
    rationale: str
    status: Decision.Status
    decided_by: str
    decided_on: dt.date | None
    needed_by: dt.date | None
    meeting_id: int | None
    task_ids: list[int]
    updated_at: dt.datetime

    @staticmethod
    def resolve_task_ids(d: Decision) -> list[int]:
        return sorted(t.pk for t in d.tasks.all())


class DecisionIn(InputSchema):
    title: str
    description: str = ""
    rationale: str = ""
    status: Decision.Status = Decision.Status.DECIDED
    decided_by: str = ""
    decided_on: dt.date | None = None
    needed_by: dt.date | None = None
    meeting_id: RecordId | None = None
    task_ids: Ids = []


class DecisionQuery(Filters):
    status: Annotated[Decision.Status | None, FilterLookup("status")] = None
    meeting: Annotated[RecordId | None, FilterLookup("meeting_id")] = None


class ActionOut(Schema):
    id: int
    version: int
    project_code: str
    description: str
    owner_id: int
    owner: str
    due_on: dt.date
    status: ActionItem.Status
    completed_on: dt.date | None
    meeting_id: int | None
    task_id: int | None
    notes: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_project_code(a: ActionItem) -> str:
        return a.project.code

    @staticmethod
    def resolve_owner(a: ActionItem) -> str:
        return a.owner.get_username()


class ActionIn(InputSchema):
    description: str
    owner_id: RecordId
    due_on: dt.date
    status: ActionItem.Status = ActionItem.Status.OPEN
    meeting_id: RecordId | None = None
    task_id: RecordId | None = None
    notes: str = ""


class ActionQuery(Filters):
    owner: Annotated[RecordId | None, FilterLookup("owner_id")] = None
    status: Annotated[ActionItem.Status | None, FilterLookup("status")] = None
    meeting: Annotated[RecordId | None, FilterLookup("meeting_id")] = None
    due_before: Annotated[dt.date | None, FilterLookup("due_on__lt")] = None
