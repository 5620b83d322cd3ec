from django.urls import path

from hitpm.stakeholders.views import communications, meetings, raci, register

app_name = "stakeholders"

urlpatterns = [
    path("", register.register, name="register"),
    path("analysis/", register.analysis, name="analysis"),
    path("new/", register.stakeholder_new, name="stakeholder_new"),
    path("<int:pk>/edit/", register.stakeholder_edit, name="stakeholder_edit"),
    path("<int:pk>/delete/", register.stakeholder_delete, name="stakeholder_delete"),
    path("raci/", raci.raci, name="raci"),
    path("raci/cell/", raci.raci_cell, name="raci_cell"),
    path("communications/", communications.plan, name="communications"),
    path("communications/new/", communications.communication_new, name="communication_new"),
    path("communications/<int:pk>/edit/", communications.communication_edit,
         name="communication_edit"),
    path("communications/<int:pk>/delete/", communications.communication_delete,
         name="communication_delete"),
    path("communications/<int:pk>/sent/", communications.communication_sent,
         name="communication_sent"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_edit, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", meetings.meeting_delete, name="meeting_delete"),
    path("decisions/", meetings.decisions, name="decisions"),
    path("decisions/new/", meetings.decision_edit, name="decision_new"),
    path("decisions/<int:pk>/edit/", meetings.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/delete/", meetings.decision_delete, name="decision_delete"),
    path("actions/", meetings.actions, name="actions"),
    path("actions/new/", meetings.action_edit, name="action_new"),
    path("actions/<int:pk>/edit/", meetings.action_edit, name="action_edit"),
    path("actions/<int:pk>/delete/", meetings.action_delete, name="action_delete"),
]  # fmt: skip
