"""Meetings, decisions and action items, with the notifications they cause.

Saving a meeting, decision or action notifies people @mentioned in its text (once per record
and person); assigning an action notifies its owner (once per owner).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from hitpm.accounts.models import User
from hitpm.core.services import lock_current, save_validated
from hitpm.notifications.models import Kind
from hitpm.notifications.services import notify, notify_mentions
from hitpm.planning.models import Task
from hitpm.portfolio.access import Action, can, visible_projects
from hitpm.portfolio.models import Project
from hitpm.stakeholders.models import ActionItem, Decision, Meeting, Stakeholder

Record = Meeting | Decision | ActionItem


def record_url(record: Record) -> str:
    code = record.project.code
    if isinstance(record, Meeting):
        return reverse("stakeholders:meeting", args=[code, record.pk])
    if isinstance(record, Decision):
        return reverse("stakeholders:decisions", args=[code]) + f"#decision-{record.pk}"
    return reverse("stakeholders:actions", args=[code]) + f"#action-{record.pk}"


def _texts(record: Record) -> list[str]:
    if isinstance(record, Meeting):
        return [record.agenda, record.minutes]
    if isinstance(record, Decision):
        return [record.title, record.description, record.rationale]
    return [record.description, record.notes]


def _announce(record: Record, author: User | None) -> None:
    """Mentions in the record's text, and the owner of an action."""
    label = record._meta.verbose_name
    notify_mentions(
        _texts(record), record.project, where=f"{label} “{record}”",
        key=f"mention:{record._meta.model_name}:{record.pk}", url=record_url(record),
        author=author,
    )  # fmt: skip
    if isinstance(record, ActionItem):
        _tell_owner(record, author)


def _tell_owner(action: ActionItem, author: User | None) -> None:
    """An open action's owner hears it is theirs, unless they assigned it themselves."""
    if action.status != ActionItem.Status.OPEN or (author and action.owner_id == author.pk):
        return
    notify(
        action.owner, Kind.ACTION_ASSIGNED,
        f"{action.project.code}: action “{action.description}” is yours, due "
        f"{action.due_on:%d %b %Y}.",
        key=f"action-assigned:{action.pk}:{action.owner_id}",
        url=record_url(action), project=action.project,
    )  # fmt: skip


def _check_owner(record: Record) -> None:
    if not isinstance(record, ActionItem) or not record.owner_id:
        return
    if not can(record.owner, record.project, Action.VIEW):
        raise ValidationError({"owner": f"{record.owner} is not a member of this project."})


def create_record[R: Record](
    record: R, author: User | None, *, attendees: list[Stakeholder] | None = None,
    tasks: list[Task] | None = None,
) -> R:  # fmt: skip
    """Save a new meeting, decision or action item and tell whom it concerns."""
    with transaction.atomic():
        _check_owner(record)
        save_validated(record)
        _set_links(record, attendees, tasks)
        _announce(record, author)
    return record


def update_record[R: Record](
    record: R, changes: Mapping[str, Any], expected_version: int | None, author: User | None,
    *, attendees: list[Stakeholder] | None = None, tasks: list[Task] | None = None,
) -> R:  # fmt: skip
    """Apply changes to the current version; completing an action stamps its date."""
    with transaction.atomic():
        current = lock_current(type(record), record.pk, expected_version)
        for name, value in changes.items():
            setattr(current, name, value)
        if isinstance(current, ActionItem):
            done = current.status == ActionItem.Status.DONE
            if done and current.completed_on is None:
                current.completed_on = dt.date.today()
            elif not done:
                current.completed_on = None
        _check_owner(current)
        save_validated(current)
        _set_links(current, attendees, tasks)
        _announce(current, author)
    return current


def _set_links(
    record: Record, attendees: list[Stakeholder] | None, tasks: list[Task] | None
) -> None:
    project_id = record.project_id
    if attendees is not None and isinstance(record, Meeting):
        if any(s.project_id != project_id for s in attendees):
            raise ValidationError({"attendees": "Attendees must be stakeholders of this project."})
        record.attendees.set(attendees)
    if tasks is not None and isinstance(record, Decision):
        if any(t.project_id != project_id for t in tasks):
            raise ValidationError({"tasks": "Linked tasks must belong to this project."})
        record.tasks.set(tasks)


def my_actions(user: User, include_closed: bool = False) -> QuerySet[ActionItem]:
    """The user's action items on every project they can still see, soonest due first."""
    actions = ActionItem.objects.filter(owner=user, project__in=visible_projects(user))
    if not include_closed:
        actions = actions.filter(status=ActionItem.Status.OPEN)
    return actions.select_related("project", "meeting").order_by("due_on", "project__code", "pk")


def pending_decisions(project: Project) -> QuerySet[Decision]:
    return project.decisions.filter(status=Decision.Status.PENDING).order_by("needed_by", "pk")
