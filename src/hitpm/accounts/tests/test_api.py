"""/api/v1/me and /api/v1/tokens: your account and your own API tokens."""

from __future__ import annotations

import pytest

from hitpm.accounts.models import ApiToken
from hitpm.audit.models import AuditEntry
from hitpm.core.tests.api_fixtures import ApiClient, api_as, error_fields
from hitpm.core.tests.web_fixtures import make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse() -> ApiClient:
    user = make_user("nurse")
    user.first_name, user.last_name, user.job_title = "Ada", "Nightingale", "Informaticist"
    user.save()
    return api_as(user)


def test_me(nurse: ApiClient) -> None:
    body = nurse.get("/me").json()
    assert body == {
        "id": body["id"],
        "username": "nurse",
        "full_name": "Ada Nightingale",
        "email": "nurse@example.org",
        "job_title": "Informaticist",
        "is_pmo_admin": False,
    }
    assert api_as(make_user("boss", pmo_admin=True)).get("/me").json()["is_pmo_admin"] is True


def test_create_token_shows_the_secret_once(nurse: ApiClient) -> None:
    response = nurse.post("/tokens", {"name": "  CI pipeline  "})
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "CI pipeline"
    assert created["secret"].startswith("hitpm_")
    assert ApiClient(created["secret"]).get("/me").json()["username"] == "nurse"
    listed = nurse.get("/tokens").json()["items"]
    assert {t["name"] for t in listed} == {"tests", "CI pipeline"}
    assert all("secret" not in t for t in listed)


@pytest.mark.parametrize(
    ("body", "field"), [({}, "name"), ({"name": "   "}, "name"), ({"name": "x" * 101}, "name"),
                        ({"name": "ok", "scope": "all"}, "scope")],
)  # fmt: skip
def test_invalid_token_requests_are_422(nurse: ApiClient, body: dict[str, str], field: str) -> None:
    before = ApiToken.objects.count()
    response = nurse.post("/tokens", body)
    assert response.status_code == 422
    assert error_fields(response) == {field}
    assert ApiToken.objects.count() == before


def test_tokens_list_only_your_own(nurse: ApiClient) -> None:
    api_as(make_user("other"))
    assert nurse.get("/tokens").json()["count"] == 1


def test_revoke_a_token(nurse: ApiClient) -> None:
    created = nurse.post("/tokens", {"name": "laptop"}).json()
    assert nurse.delete(f"/tokens/{created['id']}").status_code == 204
    assert ApiClient(created["secret"]).get("/me").status_code == 401
    assert nurse.get("/tokens", active=False).json()["items"][0]["name"] == "laptop"
    assert [t["name"] for t in nurse.get("/tokens", active=True).json()["items"]] == ["tests"]
    again = nurse.delete(f"/tokens/{created['id']}")
    assert again.status_code == 404


def test_cannot_revoke_someone_elses_token(nurse: ApiClient) -> None:
    other = make_user("other")
    api_as(other)
    theirs = ApiToken.objects.get(user=other)
    response = nurse.delete(f"/tokens/{theirs.pk}")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).active


def test_unknown_and_malformed_token_ids(nurse: ApiClient) -> None:
    assert nurse.delete("/tokens/9999").status_code == 404
    response = nurse.delete("/tokens/abc")
    assert response.status_code == 422
    assert error_fields(response) == {"token_id"}


def test_browser_session_manages_tokens() -> None:
    session = ApiClient(client=signed_in(make_user("nurse")))
    assert session.post("/tokens", {"name": "from the browser"}).status_code == 201


def test_token_revocation_is_audited_as_its_owner(nurse: ApiClient) -> None:
    created = nurse.post("/tokens", {"name": "laptop"}).json()
    nurse.delete(f"/tokens/{created['id']}")
    entry = AuditEntry.objects.filter(model="accounts.apitoken").order_by("-seq")[0]
    assert (entry.action, entry.actor) == ("update", "nurse")
    assert "key_hash" not in entry.changes
