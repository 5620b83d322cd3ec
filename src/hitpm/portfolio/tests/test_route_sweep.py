"""Every project-scoped page, fragment and API route, swept: a stranger never sees a project
it is not a member of, and a viewer changes nothing, whatever the route and method.

The routes come from the URL resolver and the OpenAPI schema, so a route added later is
swept without anyone listing it here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from hitpm.audit.models import AuditEntry
from hitpm.core.tests.web_fixtures import PM, VIEWER, make_project, make_user, signed_in
from hitpm.portfolio.models import Project

pytestmark = pytest.mark.django_db
CODE = "SWEEP-1"
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _filled(route: str) -> str:
    """A route with the project's code and id 1 for every other parameter."""

    def value(match: re.Match[str]) -> str:
        kind, name = match.group(1) or "str", match.group(2)
        if name == "code":
            return CODE
        return "1" if kind == "int" or name.endswith("id") else "x"

    return "/" + PARAM.sub(value, route).lstrip("^").rstrip("$")


def _page_routes() -> list[str]:
    routes = {_filled(r) for r in _patterns(get_resolver().url_patterns) if "<code>" in r
              or "<str:code>" in r or "<slug:code>" in r}  # fmt: skip
    return sorted(r for r in routes if not r.startswith("/api/"))


def _api_routes(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    found: list[tuple[str, str]] = []
    for path, methods in schema["paths"].items():
        if "{code}" not in path:
            continue
        filled = re.sub(r"\{(\w+)\}", lambda m: CODE if m.group(1) == "code" else "1", path)
        found.extend((method.upper(), filled) for method in methods)
    return sorted(found)


@pytest.fixture
def project() -> Project:
    return make_project(CODE, {make_user("owner"): PM, make_user("vic"): VIEWER})


def test_the_sweep_finds_the_areas_routes(project: Project) -> None:
    pages = _page_routes()
    assert len(pages) > 100
    for area in ("/plan/", "/risk/", "/agile/", "/stakeholders/", "/reports/", "/exchange/"):
        assert any(area in route for route in pages), area
    assert len(_api_routes(signed_in(make_user("pmo", pmo_admin=True)))) > 60


def test_a_stranger_gets_404_from_every_page_and_api_route(project: Project) -> None:
    stranger = signed_in(make_user("stranger"))
    head = AuditEntry.objects.count()
    for route in _page_routes():
        for method in ("get", "post"):
            response = getattr(stranger, method)(route)
            # 405: the route takes only the other method, decided before any project lookup.
            assert response.status_code in (404, 405), (method, route, response.status_code)
    for method, route in _api_routes(stranger):
        response = stranger.generic(method, route, "{}", content_type="application/json")
        # A body the route cannot read is refused (422) before the project is looked up; any
        # other answer must not tell the project exists.
        assert response.status_code in (404, 422), (method, route, response.status_code)
        if response.status_code == 422:
            assert CODE not in response.content.decode(), (method, route)
    assert AuditEntry.objects.count() == head


def test_a_viewer_changes_nothing_through_any_route(project: Project) -> None:
    viewer = signed_in(project.memberships.get(role=VIEWER).user)
    owner = signed_in(project.memberships.get(role=PM).user)
    for route in _page_routes():  # defaults made on first use (the risk scale) exist now
        owner.get(route)
    head = AuditEntry.objects.count()
    for route in _page_routes():
        assert viewer.get(route).status_code < 500, route
        response = viewer.post(route)
        # Refused (403), not found (404), GET only (405), or a page that ignores POST; never
        # an error, and never a recorded change.
        assert response.status_code < 500, (route, response.status_code)
        assert AuditEntry.objects.count() == head, route
    for method, route in _api_routes(viewer):
        if method == "GET":
            continue
        response = viewer.generic(method, route, "{}", content_type="application/json")
        assert response.status_code in (403, 404, 405, 422), (method, route, response.status_code)
    assert AuditEntry.objects.count() == head
