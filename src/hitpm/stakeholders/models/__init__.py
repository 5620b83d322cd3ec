"""Stakeholder records: the register, RACI, the communication plan, meetings and decisions."""

from hitpm.stakeholders.models.communication import Communication, CommunicationLog
from hitpm.stakeholders.models.meetings import ActionItem, Decision, Meeting
from hitpm.stakeholders.models.raci import RaciAssignment
from hitpm.stakeholders.models.register import Engagement, Stakeholder

__all__ = [
    "ActionItem",
    "Communication",
    "CommunicationLog",
    "Decision",
    "Engagement",
    "Meeting",
    "RaciAssignment",
    "Stakeholder",
]
