"""A JSON client for the API tests: real HTTP stack (middleware, CSRF, transactions), no mocks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.test import Client

from hitpm.accounts.models import User
from hitpm.accounts.services import issue_token
from hitpm.audit.models import AuditEntry
from hitpm.core.tests.web_fixtures import PM, TEAM, VIEWER, make_project, make_user
from hitpm.portfolio.models import Project

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response
else:
    from django.http import HttpResponse as Response

API = "/api/v1"


class ApiClient:
    """Calls /api/v1 with a personal token (or none), sending and reading JSON."""

    def __init__(self, secret: str | None = None, client: Client | None = None) -> None:
        self.secret = secret
        self.client = client or Client()

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: str | None = None,
        if_match: str | None = None,
        query: dict[str, Any] | None = None,
    ) -> Response:
        headers: dict[str, str] = {}
        if self.secret:
            headers["Authorization"] = f"Bearer {self.secret}"
        if if_match is not None:
            headers["If-Match"] = if_match
        data: Any = raw if raw is not None else (json.dumps(body) if body is not None else "")
        if method == "get":
            return self.client.get(API + path, query or {}, headers=headers)
        send = getattr(self.client, method)
        return send(API + path, data, content_type="application/json", headers=headers)

    def get(self, path: str, **query: Any) -> Response:
        return self.call("get", path, query=query)

    def post(self, path: str, body: Any = None, **options: Any) -> Response:
        return self.call("post", path, body, **options)

    def put(self, path: str, body: Any = None, **options: Any) -> Response:
        return self.call("put", path, body, **options)

    def patch(self, path: str, body: Any = None, **options: Any) -> Response:
        return self.call("patch", path, body, **options)

    def delete(self, path: str, **options: Any) -> Response:
        return self.call("delete", path, None, **options)


def api_as(user: User) -> ApiClient:
    """A client authenticated with a fresh personal token of ``user``."""
    return ApiClient(issue_token(user, "tests").secret)


def error_fields(response: Response) -> set[str | None]:
    """The field names a 422 answer blames."""
    return {e["field"] for e in response.json()["errors"]}


def audit_count() -> int:
    return AuditEntry.objects.count()


@dataclass
class Team:
    """EHR-1 with a manager, a team member and a viewer; LAB-2 belongs to someone else."""

    admin: ApiClient
    pm: ApiClient
    member: ApiClient
    viewer: ApiClient
    stranger: ApiClient
    project: Project
    foreign: Project


def make_team() -> Team:
    admin, pm, member = make_user("admin", pmo_admin=True), make_user("pm"), make_user("member")
    viewer, stranger = make_user("viewer"), make_user("stranger")
    project = make_project("EHR-1", {pm: PM, member: TEAM, viewer: VIEWER})
    foreign = make_project("LAB-2", {stranger: PM}, portfolio="Laboratory")
    return Team(
        admin=api_as(admin),
        pm=api_as(pm),
        member=api_as(member),
        viewer=api_as(viewer),
        stranger=api_as(stranger),
        project=project,
        foreign=foreign,
    )
