"""Dashboard, project home, project create/edit and members, through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hitpm.accounts.models import User
from hitpm.audit.models import AuditEntry
from hitpm.core.tests.web_fixtures import (
    PM,
    TEAM,
    VIEWER,
    at,
    make_project,
    make_task,
    make_user,
    signed_in,
)
from hitpm.portfolio.models import Membership, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm() -> User:
    return make_user("pat")


@pytest.fixture
def teammate() -> User:
    return make_user("tess")


@pytest.fixture
def viewer() -> User:
    return make_user("vic")


@pytest.fixture
def admin() -> User:
    return make_user("pmo", pmo_admin=True)


@pytest.fixture
def ehr(pm: User, teammate: User, viewer: User) -> Project:
    return make_project(
        "EHR-1",
        {pm: PM, teammate: TEAM, viewer: VIEWER},
        name="Epic ambulatory go-live",
        health=Project.Health.AMBER,
        sponsor="CMIO",
        status_date=dt.date(2027, 3, 1),
    )


def _edit_data(project: Project, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": project.name,
        "description": project.description,
        "phase": project.phase,
        "health": project.health,
        "status": project.status,
        "sponsor": project.sponsor,
        "start_date": project.start_date.isoformat(),
        "status_date": project.status_date.isoformat() if project.status_date else "",
        "target_go_live": project.target_go_live.isoformat() if project.target_go_live else "",
        "version": project.version,
    }
    data.update(overrides)
    return data


def _main(page: str) -> str:
    """The page below the top bar, whose project menu lists every visible project."""
    return page[page.index('<main id="main"') :]


# -- dashboard ------------------------------------------------------------------------------


def test_dashboard_lists_only_the_users_projects(ehr: Project, pm: User) -> None:
    make_project("LAB-2", {}, name="Lab interface rebuild", portfolio="Interfaces")
    page = signed_in(pm).get(reverse("portfolio:dashboard")).content.decode()
    assert "Epic ambulatory go-live" in page
    assert "LAB-2" not in page
    assert "Lab interface rebuild" not in page
    assert "Clinical IT" in page
    assert "Interfaces" not in page


def test_pmo_admin_sees_every_project_grouped_by_portfolio(ehr: Project, admin: User) -> None:
    make_project("LAB-2", {}, name="Lab interface rebuild", portfolio="Interfaces")
    response = signed_in(admin).get(reverse("portfolio:dashboard"))
    page = _main(response.content.decode())
    assert page.index("Clinical IT") < page.index("Epic ambulatory") < page.index("Interfaces")
    assert "Lab interface rebuild" in page
    assert "New project" in page


def test_dashboard_shows_the_next_open_milestone_and_counts(ehr: Project, pm: User) -> None:
    make_task(ehr, 1, "Kick-off", milestone=True, finish=at(dt.date(2027, 1, 4)))
    make_task(ehr, 2, "Build", finish=at(dt.date(2027, 2, 1)), percent_complete=50)
    make_task(ehr, 3, "Done early", finish=at(dt.date(2027, 2, 1)), percent_complete=100)
    make_task(
        ehr,
        4,
        "Already reached",
        milestone=True,
        finish=at(dt.date(2027, 3, 5)),
        percent_complete=100,
    )
    make_task(ehr, 5, "Go-live", milestone=True, finish=at(dt.date(2027, 10, 1)))
    make_task(ehr, 6, "Testing sign-off", milestone=True, finish=at(dt.date(2027, 6, 1)))
    response = signed_in(pm).get(reverse("portfolio:dashboard"))
    [row] = response.context["rows"]
    assert row.next_milestone.name == "Testing sign-off"
    assert row.task_count == 6
    assert row.overdue_count == 2  # "Kick-off" and "Build" are open and due before 1 Mar
    assert row.open_risks == 0


def test_dashboard_queries_do_not_grow_with_projects(
    admin: User, django_assert_max_num_queries
) -> None:
    for number in range(8):
        project = make_project(f"P-{number}", {})
        make_task(project, 1, "Go-live", milestone=True, finish=at(dt.date(2027, 9, 1)))
    client = signed_in(admin)
    with django_assert_max_num_queries(9):  # 8, and one for the open-risk counts
        client.get(reverse("portfolio:dashboard"))


def test_dashboard_for_someone_on_no_project(pm: User) -> None:
    page = signed_in(pm).get(reverse("portfolio:dashboard")).content.decode()
    assert "You are not on any project yet" in page


# -- project home ---------------------------------------------------------------------------


def test_project_home_shows_header_milestones_and_areas(ehr: Project, viewer: User) -> None:
    make_task(ehr, 1, "Go-live", milestone=True, finish=at(dt.date(2027, 10, 1)), critical=True)
    response = signed_in(viewer).get(reverse("portfolio:project", args=["EHR-1"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Epic ambulatory go-live" in page
    assert 'class="rag rag-amber"' in page
    assert "Viewer (read-only)" in page
    assert "Go-live" in page
    assert reverse("planning:tasks", args=["EHR-1"]) in page
    assert reverse("audit:project", args=["EHR-1"]) in page
    assert reverse("audit:object", args=["EHR-1", "portfolio.project", ehr.pk]) in page
    assert reverse("portfolio:project_edit", args=["EHR-1"]) not in page


# -- permissions ----------------------------------------------------------------------------

PROJECT_PAGES = [
    ("get", "portfolio:project", ()),
    ("get", "portfolio:project_edit", ()),
    ("post", "portfolio:project_edit", ()),
    ("get", "portfolio:members", ()),
    ("post", "portfolio:member_add", ()),
    ("post", "portfolio:member_role", ("member",)),
    ("get", "portfolio:member_remove", ("member",)),
    ("post", "portfolio:member_remove", ("member",)),
    ("get", "planning:tasks", ()),
    ("get", "audit:project", ()),
    ("get", "audit:entry", ("seq",)),
    ("get", "audit:object", ("portfolio.project", "project")),
]


def _url(name: str, extra: tuple[str, ...], project: Project, member: User) -> str:
    values = {
        "member": member.pk,
        "seq": AuditEntry.objects.filter(project_id=project.pk).values_list("seq", flat=True)[0],
        "project": project.pk,
    }
    return reverse(name, args=[project.code, *(values.get(x, x) for x in extra)])


@pytest.mark.parametrize(("method", "name", "extra"), PROJECT_PAGES)
def test_strangers_get_not_found_on_every_project_page_and_fragment(
    ehr: Project, pm: User, method: str, name: str, extra: tuple[str, ...]
) -> None:
    stranger = make_user("stranger")
    make_project("OTHER-1", {stranger: PM})
    client = signed_in(stranger)
    response = getattr(client, method)(_url(name, extra, ehr, pm), HTTP_HX_REQUEST="true")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "name", "extra"),
    [page for page in PROJECT_PAGES if page[1].startswith("portfolio:")],
)
def test_pmo_admins_reach_every_project_page(
    ehr: Project, pm: User, admin: User, method: str, name: str, extra: tuple[str, ...]
) -> None:
    response = getattr(signed_in(admin), method)(_url(name, extra, ehr, pm))
    assert response.status_code in {200, 302}


@pytest.mark.parametrize(
    ("method", "name", "extra"),
    [
        ("get", "portfolio:project_edit", ()),
        ("post", "portfolio:project_edit", ()),
        ("post", "portfolio:member_add", ()),
        ("post", "portfolio:member_role", ("member",)),
        ("post", "portfolio:member_remove", ("member",)),
    ],
)
@pytest.mark.parametrize("who", ["viewer", "teammate"])
def test_viewers_and_team_members_cannot_change_the_project_or_its_members(
    ehr: Project,
    request: pytest.FixtureRequest,
    method: str,
    name: str,
    extra: tuple[str, ...],
    who: str,
    pm: User,
) -> None:
    user = request.getfixturevalue(who)
    before = list(Membership.objects.values_list("user_id", "role", "version").order_by("pk"))
    data = {**_edit_data(ehr, name="Hijacked"), "username": "vic", "role": "project_manager"}
    response = getattr(signed_in(user), method)(_url(name, extra, ehr, pm), data)
    assert response.status_code == 403
    assert "cannot" in response.content.decode()
    ehr.refresh_from_db()
    assert ehr.name == "Epic ambulatory go-live"
    after = list(Membership.objects.values_list("user_id", "role", "version").order_by("pk"))
    assert after == before


def test_custom_not_found_page_looks_like_the_app(pm: User) -> None:
    response = signed_in(pm).get(reverse("portfolio:project", args=["NOPE"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Skip to content" in response.content.decode()


# -- project edit ---------------------------------------------------------------------------


def test_project_manager_edits_the_project(ehr: Project, pm: User) -> None:
    url = reverse("portfolio:project_edit", args=["EHR-1"])
    data = _edit_data(ehr, health="red", sponsor="Chief Nursing Officer")
    response = signed_in(pm).post(url, data, follow=True)
    assert "Project EHR-1 saved." in response.content.decode()
    ehr.refresh_from_db()
    assert (ehr.health, ehr.sponsor, ehr.version) == ("red", "Chief Nursing Officer", 2)
    entry = AuditEntry.objects.filter(model="portfolio.project").order_by("-seq").first()
    assert entry is not None
    assert entry.actor == "pat"
    assert entry.changes["health"] == ["amber", "red"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"health": "purple"}, "Select a valid choice."),
        ({"start_date": "04/31/2027"}, "Enter a valid date."),
        ({"target_go_live": "2026-01-01"}, "Target go-live cannot be before the project start."),
        ({"version": ""}, "lost track of the version you edited"),
        ({"version": "x"}, "lost track of the version you edited"),
    ],
)
def test_invalid_edits_show_errors_and_change_nothing(
    ehr: Project, pm: User, overrides: dict[str, str], message: str
) -> None:
    url = reverse("portfolio:project_edit", args=["EHR-1"])
    response = signed_in(pm).post(url, _edit_data(ehr, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    stored = Project.objects.get(pk=ehr.pk)
    assert (stored.name, stored.health, stored.version) == (ehr.name, ehr.health, ehr.version)


def test_an_empty_edit_post_shows_required_fields(ehr: Project, pm: User) -> None:
    response = signed_in(pm).post(reverse("portfolio:project_edit", args=["EHR-1"]), {})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    ehr.refresh_from_db()
    assert ehr.version == 1


def test_a_stale_edit_is_refused_instead_of_overwriting(ehr: Project, pm: User) -> None:
    url = reverse("portfolio:project_edit", args=["EHR-1"])
    stale = _edit_data(ehr, sponsor="Old plan")
    signed_in(make_user("other", pmo_admin=True)).post(url, _edit_data(ehr, sponsor="CFO"))
    response = signed_in(pm).post(url, stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in page
    assert "Load the current version" in page
    assert response.context["project"].sponsor == "CFO"  # stored, not the stale input
    ehr.refresh_from_db()
    assert (ehr.sponsor, ehr.version) == ("CFO", 2)


def test_project_edit_enforces_csrf(ehr: Project, pm: User) -> None:
    client = signed_in(pm, enforce_csrf_checks=True)
    url = reverse("portfolio:project_edit", args=["EHR-1"])
    assert client.post(url, _edit_data(ehr, name="No token")).status_code == 403
    ehr.refresh_from_db()
    assert ehr.name == "Epic ambulatory go-live"


# -- project create -------------------------------------------------------------------------


def _create_data(ehr: Project, **overrides: object) -> dict[str, object]:
    data = {
        **_edit_data(ehr),
        "portfolio": ehr.portfolio_id,
        "code": "HL7-9",
        "name": "ADT feed",
        "manager": "",
    }
    data.pop("version")
    data.update(overrides)
    return data


def test_pmo_admin_creates_a_project_with_its_manager(ehr: Project, admin: User, pm: User) -> None:
    url = reverse("portfolio:project_create")
    response = signed_in(admin).post(url, _create_data(ehr, manager="pat"))
    assert response.status_code == 302
    project = Project.objects.get(code="HL7-9")
    assert response["Location"] == reverse("portfolio:project", args=["HL7-9"])
    assert project.memberships.get().user == pm
    assert project.memberships.get().role == PM


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "EHR-1"}, "Project with this Code already exists."),
        ({"code": "lower case"}, "Use 2-24 capital letters"),
        ({"manager": "nobody"}, "No active user has this username."),
        ({"portfolio": "999999"}, "Select a valid choice."),
    ],
)
def test_invalid_new_projects_are_refused_with_errors(
    ehr: Project, admin: User, overrides: dict[str, str], message: str
) -> None:
    response = signed_in(admin).post(
        reverse("portfolio:project_create"), _create_data(ehr, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Project.objects.count() == 1


def test_only_pmo_admins_create_projects(ehr: Project, pm: User) -> None:
    client = signed_in(pm)
    assert client.get(reverse("portfolio:project_create")).status_code == 403
    assert client.post(reverse("portfolio:project_create"), _create_data(ehr)).status_code == 403
    assert Project.objects.count() == 1


# -- members --------------------------------------------------------------------------------


def _members_url(name: str, *args: object) -> str:
    return reverse(f"portfolio:{name}", args=["EHR-1", *args])


def test_members_page_lists_people_and_only_managers_see_controls(
    ehr: Project, pm: User, viewer: User
) -> None:
    as_viewer = signed_in(viewer).get(_members_url("members")).content.decode()
    as_pm = signed_in(pm).get(_members_url("members")).content.decode()
    for page in (as_viewer, as_pm):
        for username in ("pat", "tess", "vic"):
            assert f"<td>{username}</td>" in page
    assert "Add a member" not in as_viewer
    assert "Add a member" in as_pm


def test_manager_adds_a_member(ehr: Project, pm: User) -> None:
    newcomer = make_user("nina")
    response = signed_in(pm).post(_members_url("member_add"), {"username": "NINA", "role": TEAM})
    assert response.status_code == 302
    assert ehr.memberships.get(user=newcomer).role == TEAM


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "ghost", "role": TEAM}, "No active user has this username."),
        ({"username": "tess", "role": VIEWER}, "tess is already on this project"),
        ({"username": "nina", "role": "owner"}, "Select a valid choice."),
    ],
)
def test_adding_a_member_with_bad_input_changes_nothing(
    ehr: Project, pm: User, data: dict[str, str], message: str
) -> None:
    make_user("nina")
    before = list(ehr.memberships.values_list("user__username", "role").order_by("pk"))
    response = signed_in(pm).post(_members_url("member_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(ehr.memberships.values_list("user__username", "role").order_by("pk")) == before


def test_role_change_through_htmx_returns_the_row(ehr: Project, pm: User, viewer: User) -> None:
    url = _members_url("member_role", viewer.pk)
    response = signed_in(pm).post(url, {"role": TEAM}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith(f'<tr id="member-{viewer.pk}">')
    assert ehr.memberships.get(user=viewer).role == TEAM


def test_the_last_project_manager_cannot_be_demoted(ehr: Project, pm: User) -> None:
    client = signed_in(pm)
    url = _members_url("member_role", pm.pk)
    fragment = client.post(url, {"role": VIEWER}, HTTP_HX_REQUEST="true").content.decode()
    assert "A project needs at least one project manager." in fragment
    page = client.post(url, {"role": VIEWER}, follow=True).content.decode()
    assert "A project needs at least one project manager." in page
    assert ehr.memberships.get(user=pm).role == PM


def test_unknown_role_is_refused(ehr: Project, pm: User, viewer: User) -> None:
    url = _members_url("member_role", viewer.pk)
    fragment = signed_in(pm).post(url, {"role": "boss"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Choose one of the listed roles." in fragment
    assert ehr.memberships.get(user=viewer).role == VIEWER


def test_manager_removes_a_member_after_confirming(ehr: Project, pm: User, viewer: User) -> None:
    client = signed_in(pm)
    url = _members_url("member_remove", viewer.pk)
    assert "Remove vic from EHR-1?" in client.get(url).content.decode()
    assert ehr.memberships.filter(user=viewer).exists()
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content == b""
    assert not ehr.memberships.filter(user=viewer).exists()


def test_the_last_project_manager_cannot_be_removed(ehr: Project, pm: User) -> None:
    url = _members_url("member_remove", pm.pk)
    page = signed_in(pm).post(url, follow=True).content.decode()
    assert "A project needs at least one project manager." in page
    assert ehr.memberships.filter(user=pm, role=PM).exists()


def test_member_forms_enforce_csrf(ehr: Project, pm: User, viewer: User) -> None:
    client = signed_in(pm, enforce_csrf_checks=True)
    assert (
        client.post(_members_url("member_add"), {"username": "pmo", "role": TEAM}).status_code
        == 403
    )
    assert client.post(_members_url("member_role", viewer.pk), {"role": PM}).status_code == 403
    assert client.post(_members_url("member_remove", viewer.pk)).status_code == 403
    assert ehr.memberships.get(user=viewer).role == VIEWER


def test_members_of_another_project_are_not_found(ehr: Project, pm: User) -> None:
    outsider = make_user("olga")
    make_project("OTHER-1", {outsider: PM, pm: PM})
    url = _members_url("member_role", outsider.pk)
    assert signed_in(pm).post(url, {"role": VIEWER}).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(ehr: Project) -> None:
    response = Client().get(reverse("portfolio:project", args=["EHR-1"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_dashboard_offers_pmo_admins_new_and_imported_projects(ehr: Project, pm: User) -> None:
    admin = make_user("pmo.lead", pmo_admin=True)
    page = signed_in(admin).get(reverse("portfolio:dashboard")).content.decode()
    assert reverse("exchange-jobs:new_project") in page
    assert reverse("portfolio:project_create") in page
    other = signed_in(pm).get(reverse("portfolio:dashboard")).content.decode()
    assert reverse("exchange-jobs:new_project") not in other
