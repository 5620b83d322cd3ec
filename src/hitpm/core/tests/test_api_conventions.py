"""Conventions every API route shares: authentication, error format, paging and the docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from hitpm.accounts.models import ApiToken
from hitpm.accounts.services import issue_token, revoke_token
from hitpm.audit.models import AuditEntry
from hitpm.core.tests.api_fixtures import API, ApiClient, api_as, audit_count, error_fields
from hitpm.core.tests.web_fixtures import PM, VIEWER, make_project, make_user, signed_in
from hitpm.portfolio.models import Project
from hitpm.site.api import api

pytestmark = pytest.mark.django_db

SAMPLE_PATH_VALUES = {
    "code": "EHR-1",
    "model": "portfolio.project",
    "object_id": "1",
}


def _every_route() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="")
    routes: list[tuple[str, str]] = []
    for path, operations in schema["paths"].items():
        concrete = re.sub(r"{(\w+)}", lambda m: SAMPLE_PATH_VALUES.get(m.group(1), "1"), path)
        routes.extend((method, concrete) for method in operations)
    return routes


@pytest.fixture
def project() -> Project:
    return make_project("EHR-1", {make_user("pm"): PM})


def _refused(client: ApiClient) -> list[str]:
    """Routes that did not answer 401 with the JSON error shape."""
    wrong = []
    for method, path in _every_route():
        response = client.call(method, path, {} if method != "get" else None, if_match='"1"')
        if response.status_code != 401 or "detail" not in response.json():
            wrong.append(f"{method.upper()} {path} -> {response.status_code}")
    return wrong


def test_every_route_needs_authentication(project: Project) -> None:
    assert len(_every_route()) >= 25
    assert _refused(ApiClient()) == []


def test_every_route_refuses_a_revoked_token(project: Project) -> None:
    user = project.memberships.get().user
    issued = issue_token(user, "laptop")
    assert ApiClient(issued.secret).get("/me").status_code == 200
    revoke_token(user, issued.token.pk)
    assert _refused(ApiClient(issued.secret)) == []


def test_unauthenticated_answer_says_how_to_authenticate() -> None:
    response = ApiClient().get("/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "secret", ["hitpm_deadbeef_nope", "garbage", "hitpm__", "Bearer", "hitpm_" + "x" * 500]
)
def test_malformed_and_unknown_tokens_get_401(secret: str) -> None:
    response = ApiClient(secret).get("/me")
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_inactive_user_token_gets_401() -> None:
    user = make_user("gone")
    client = api_as(user)
    user.is_active = False
    user.save()
    assert client.get("/me").status_code == 401


def test_bad_token_does_not_fall_back_to_the_session() -> None:
    session = signed_in(make_user("nurse"))
    response = ApiClient("hitpm_deadbeef_nope", client=session).get("/me")
    assert response.status_code == 401


def test_token_use_is_recorded() -> None:
    user = make_user("nurse")
    client = api_as(user)
    client.get("/me")
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_session_authenticates_reads() -> None:
    response = ApiClient(client=signed_in(make_user("nurse"))).get("/me")
    assert response.status_code == 200
    assert response.json()["username"] == "nurse"


def test_session_writes_need_the_csrf_token() -> None:
    user = make_user("nurse")
    session = ApiClient(client=signed_in(user, enforce_csrf_checks=True))
    refused = session.post("/tokens", {"name": "cli"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not ApiToken.objects.filter(user=user).exists()

    session.client.get("/api/v1/docs")  # any page that sets the csrftoken cookie
    csrf = session.client.cookies["csrftoken"].value
    accepted = session.client.post(
        f"{API}/tokens",
        json.dumps({"name": "cli"}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert accepted.status_code == 201
    assert ApiToken.objects.filter(user=user, name="cli").exists()


def test_token_writes_need_no_csrf_token() -> None:
    client = api_as(make_user("nurse"))
    client.client = Client(enforce_csrf_checks=True)
    assert client.post("/tokens", {"name": "cli"}).status_code == 201


def test_writes_are_audited_as_the_token_owner(project: Project) -> None:
    client = api_as(project.memberships.get().user)
    response = client.patch("/projects/EHR-1", {"health": "amber"}, if_match='"1"')
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(project_id=project.pk).order_by("-seq")[0]
    assert entry.actor == "pm"
    assert entry.changes["health"] == ["green", "amber"]


@pytest.mark.parametrize(
    "raw",
    ["{bad json", "{'single': 'quotes'}", '{"name": "x",}', "\xff\xfe", "[1, 2]", '"text"', "null"],
)
def test_malformed_bodies_are_422_and_change_nothing(project: Project, raw: str) -> None:
    client = api_as(project.memberships.get().user)
    before = audit_count()
    response = client.patch("/projects/EHR-1", raw=raw, if_match='"1"')
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert Project.objects.get().version == 1
    assert audit_count() == before


def test_schema_errors_name_each_field(project: Project) -> None:
    client = api_as(project.memberships.get().user)
    response = client.patch(
        "/projects/EHR-1",
        {"start_date": "soon", "health": "purple", "helth": "red"},
        if_match='"1"',
    )
    assert response.status_code == 422
    assert error_fields(response) == {"start_date", "health", "helth"}
    assert all(e["message"] for e in response.json()["errors"])


@pytest.mark.parametrize("header", ["*", "1", 'W/"1"', '"one"', '"1", "2"'])
def test_unusable_if_match_is_428(project: Project, header: str) -> None:
    client = api_as(project.memberships.get().user)
    response = client.patch("/projects/EHR-1", {"name": "Renamed"}, if_match=header)
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Project.objects.get().name == "EHR-1 project"


@pytest.fixture
def many_projects() -> ApiClient:
    viewer = make_user("viewer")
    for number in range(7):
        make_project(f"P-{number}", {viewer: VIEWER})
    return api_as(viewer)


def test_pages(many_projects: ApiClient) -> None:
    page = many_projects.get("/projects", page=2, page_size=3).json()
    assert [p["code"] for p in page["items"]] == ["P-3", "P-4", "P-5"]
    assert (page["count"], page["page"], page["page_size"], page["pages"]) == (7, 2, 3, 3)


def test_page_past_the_end_is_empty(many_projects: ApiClient) -> None:
    page = many_projects.get("/projects", page=9, page_size=3).json()
    assert page["items"] == []
    assert page["count"] == 7


@pytest.mark.parametrize(
    ("query", "field"),
    [({"page": 0}, "page"), ({"page": "two"}, "page"), ({"page_size": 201}, "page_size"),
     ({"page_size": 0}, "page_size"), ({"order": "sponsor; drop"}, "order")],
)  # fmt: skip
def test_bad_paging_is_422(many_projects: ApiClient, query: dict[str, object], field: str) -> None:
    response = many_projects.get("/projects", **query)
    assert response.status_code == 422
    assert error_fields(response) == {field}


def test_openapi_lists_every_route() -> None:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "hitpm API"
    paths = {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}
    foundation = {
        "GET /api/v1/me",
        "GET /api/v1/tokens",
        "POST /api/v1/tokens",
        "DELETE /api/v1/tokens/{token_id}",
        "GET /api/v1/portfolios",
        "POST /api/v1/portfolios",
        "GET /api/v1/portfolios/{portfolio_id}",
        "PUT /api/v1/portfolios/{portfolio_id}",
        "PATCH /api/v1/portfolios/{portfolio_id}",
        "DELETE /api/v1/portfolios/{portfolio_id}",
        "GET /api/v1/projects",
        "POST /api/v1/projects",
        "GET /api/v1/projects/{code}",
        "PUT /api/v1/projects/{code}",
        "PATCH /api/v1/projects/{code}",
        "DELETE /api/v1/projects/{code}",
        "GET /api/v1/projects/{code}/members",
        "POST /api/v1/projects/{code}/members",
        "GET /api/v1/projects/{code}/members/{member_id}",
        "PATCH /api/v1/projects/{code}/members/{member_id}",
        "DELETE /api/v1/projects/{code}/members/{member_id}",
        "GET /api/v1/projects/{code}/audit",
        "GET /api/v1/audit/{model}/{object_id}",
        "GET /api/v1/audit/verify",
        "GET /api/v1/projects/{code}/tasks",
        "GET /api/v1/projects/{code}/tasks/{task_id}",
        "GET /api/v1/projects/{code}/dependencies",
    }
    # Areas add their own routes; docs/api.md must list every one (test_every_route_is_documented).
    assert foundation <= paths, foundation - paths
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_docs_page_serves_every_asset_itself() -> None:
    client = Client()
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert not re.match(r"^(https?:)?//", asset), f"{asset} is loaded from another site"
        assert client.get(asset).status_code == 200, asset
    assert "/api/v1/openapi.json" in html


BIG = 10**20


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "field"),
    [
        ("get", f"/projects/EHR-1/tasks/{BIG}", {}, None, "task_id"),
        ("delete", "/tokens/0", {}, None, "token_id"),
        ("get", "/projects", {"page": BIG}, None, "page"),
        ("get", "/projects/EHR-1/tasks", {"parent": BIG}, None, "parent"),
        ("get", "/projects/EHR-1/tasks", {"outline_level": 10**6}, None, "outline_level"),
        ("get", "/projects", {"q": "a\x00b"}, None, "q"),
        ("get", "/projects/EH%00R", {}, None, "code"),
        ("get", "/audit/portfolio.project/1%002", {}, None, "object_id"),
        ("get", "/projects/EHR-1/audit", {"since": "9999-12-31T23:59:59-05:00"}, None, "since"),
        ("patch", "/projects/EHR-1", {}, {"name": "a\x00b"}, "name"),
        ("patch", "/projects/EHR-1", {}, {"sponsor": "\ud800"}, "sponsor"),
        ("patch", "/projects/EHR-1", {}, {"name": "x" * 10_000}, "name"),
        ("patch", "/projects/EHR-1", {}, {"name": ["EHR"]}, "name"),
        ("patch", "/projects/EHR-1", {}, {"portfolio_id": BIG}, "portfolio_id"),
        ("patch", "/projects/EHR-1", {}, {"portfolio_id": 1.5}, "portfolio_id"),
        ("post", "/projects/EHR-1/members", {}, {"username": "\x00", "role": "viewer"}, "username"),
    ],
)  # fmt: skip
def test_hostile_input_is_422_never_500(
    project: Project,
    method: str,
    path: str,
    query: dict[str, object],
    body: dict[str, object] | None,
    field: str,
) -> None:
    client = api_as(project.memberships.get().user)
    before = audit_count()
    response = client.call(method, path, body, if_match='"1"', query=query)
    assert response.status_code == 422, response.content
    assert error_fields(response) == {field}
    assert audit_count() == before
    assert Project.objects.get().version == 1


def test_every_route_is_documented() -> None:
    guide = (Path(__file__).parents[4] / "docs" / "api.md").read_text()
    schema = api.get_openapi_schema()
    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if f"`{method.upper()} {path}`" not in guide
    ]
    assert missing == [], "add these routes to docs/api.md"
