"""The caller's own account and personal API tokens."""

import datetime as dt
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import StringConstraints

from hitpm.accounts.models import User
from hitpm.accounts.services import issue_token, revoke_token
from hitpm.core.api import ERRORS, InputSchema, Page, PageQuery, RecordId, caller, paginate

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    job_title: str
    is_pmo_admin: bool

    @staticmethod
    def resolve_full_name(user: User) -> str:
        return user.get_full_name()

    @staticmethod
    def resolve_is_pmo_admin(user: User) -> bool:
        return user.sees_everything


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool


class TokenCreatedOut(TokenOut):
    secret: str


class TokenIn(InputSchema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class TokenQuery(Schema):
    active: bool | None = None


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> User:
    """The signed-in user or the owner of the token used."""
    return caller(request)


@router.get("/tokens", response={200: Page[TokenOut], **ERRORS})
def list_tokens(
    request: HttpRequest, filters: Query[TokenQuery], paging: Query[PageQuery]
) -> dict[str, object]:
    """Your own API tokens, newest first; secrets are never shown again."""
    tokens = caller(request).api_tokens.order_by("-created_at", "-pk")
    if filters.active is not None:
        tokens = tokens.filter(revoked_at__isnull=filters.active)
    return paginate(tokens, paging)


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """Create a token; the response holds its secret, the only time it is shown."""
    issued = issue_token(caller(request), payload.name)
    shown = TokenOut.model_validate(issued.token).model_dump()
    return Status(201, TokenCreatedOut(**shown, secret=issued.secret))


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS})
def revoke(request: HttpRequest, token_id: RecordId) -> Status[None]:
    """Revoke one of your active tokens; requests using it fail from then on."""
    if not revoke_token(caller(request), token_id):
        raise Http404(f"You have no active API token with id {token_id}.")
    return Status(204, None)
