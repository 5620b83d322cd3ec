"""The audit trail pages: a project's changes, filters, expandable rows and record history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hitpm.accounts.models import User
from hitpm.audit.context import acting_as
from hitpm.audit.models import AuditEntry
from hitpm.core.tests.web_fixtures import PM, VIEWER, make_project, make_user, signed_in
from hitpm.portfolio import services
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer() -> User:
    return make_user("vic")


@pytest.fixture
def ehr(viewer: User) -> Project:
    with acting_as("pat"):
        project = make_project("EHR-1", {make_user("pat"): PM, viewer: VIEWER})
    with acting_as("carol"):
        services.update_project(project, {"sponsor": "CNO"}, None)
    return project


@pytest.fixture
def other() -> Project:
    return make_project("OTHER-1", {}, name="Secret merger integration")


def _trail(user: User, **query: str) -> str:
    url = reverse("audit:project", args=["EHR-1"])
    return signed_in(user).get(url, query).content.decode()


def test_trail_lists_the_projects_changes_only(ehr: Project, other: Project, viewer: User) -> None:
    page = _trail(viewer)
    assert "EHR-1 EHR-1 project" in page
    assert "carol" in page
    assert "Secret merger integration" not in page


def test_trail_filters_by_actor_action_and_model(ehr: Project, viewer: User) -> None:
    response = signed_in(viewer).get(reverse("audit:project", args=["EHR-1"]), {"actor": "carol"})
    assert [e.actor for e in response.context["page"]] == ["carol"]
    by_model = _trail(viewer, model="portfolio.membership", action="create")
    assert "Membership" in by_model
    assert by_model.count('class="action action-create"') == 2
    assert "action-update" not in by_model


def test_unknown_filter_values_are_reported(ehr: Project, viewer: User) -> None:
    page = _trail(viewer, action="explode")
    assert "Select a valid choice." in page


def test_entry_fragment_shows_before_and_after(ehr: Project, viewer: User) -> None:
    entry = AuditEntry.objects.get(project_id=ehr.pk, actor="carol")
    url = reverse("audit:entry", args=["EHR-1", entry.seq])
    response = signed_in(viewer).get(url, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert '<td class="after">CNO</td>' in page
    assert '<td class="before">—</td>' in page


def test_entry_of_another_project_is_not_found_through_this_one(
    ehr: Project, other: Project, viewer: User
) -> None:
    foreign = AuditEntry.objects.filter(project_id=other.pk).first()
    assert foreign is not None
    url = reverse("audit:entry", args=["EHR-1", foreign.seq])
    assert signed_in(viewer).get(url).status_code == 404


def test_record_history_shows_every_version(ehr: Project, viewer: User) -> None:
    url = reverse("audit:object", args=["EHR-1", "portfolio.project", ehr.pk])
    page = signed_in(viewer).get(url).content.decode()
    assert "Project history" in page
    assert page.count('class="history-head"') == 2
    assert "by <strong>carol</strong>" in page


def test_history_of_a_record_outside_the_project_is_not_found(
    ehr: Project, other: Project, viewer: User
) -> None:
    url = reverse("audit:object", args=["EHR-1", "portfolio.project", other.pk])
    assert signed_in(viewer).get(url).status_code == 404


def test_trail_is_paginated(ehr: Project, viewer: User) -> None:
    for number in range(60):
        services.update_project(ehr, {"sponsor": f"Sponsor {number}"}, None)
    first = _trail(viewer, actor="system")
    assert "Page 1 of 2" in first
    assert "actor=system&amp;page=2" in first
    assert "Page 2 of 2" in _trail(viewer, actor="system", page="2")
