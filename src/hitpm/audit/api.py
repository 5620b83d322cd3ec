"""The audit trail, read-only: per project, per record, and verification of the hash chain."""

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import FilterLookup, Query, Router, Schema
from pydantic import field_validator

from hitpm.audit.chain import VerifyResult, verify
from hitpm.audit.models import AuditEntry
from hitpm.core.api import ERRORS, Filters, Page, PageQuery, Text, caller, paginate
from hitpm.portfolio.access import project_for, require_pmo_admin, visible_projects

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    action: AuditEntry.Action
    model: str
    object_id: str
    object_repr: str
    project_id: int | None
    changes: dict[str, list[Any]]
    prev_hash: str
    entry_hash: str


class AuditQuery(Filters):
    model: Annotated[str | None, FilterLookup("model")] = None
    object_id: Annotated[str | None, FilterLookup("object_id")] = None
    action: Annotated[AuditEntry.Action | None, FilterLookup("action")] = None
    actor: Annotated[str | None, FilterLookup("actor")] = None
    since: Annotated[dt.datetime | None, FilterLookup("at__gte")] = None
    until: Annotated[dt.datetime | None, FilterLookup("at__lt")] = None

    @field_validator("since", "until")
    @classmethod
    def _utc_unless_zoned(cls, value: dt.datetime | None) -> dt.datetime | None:
        """A time without a zone is read as UTC, the zone every entry is stored in."""
        if value is None:
            return None
        try:
            return value.replace(tzinfo=value.tzinfo or dt.UTC).astimezone(dt.UTC)
        except OverflowError as exc:
            raise ValueError("This time is out of range.") from exc


class VerifyOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str


def _newest_first(entries: QuerySet[AuditEntry], filters: AuditQuery) -> QuerySet[AuditEntry]:
    return filters.filter(entries).order_by("-seq")


@router.get("/projects/{code}/audit", response={200: Page[AuditEntryOut], **ERRORS})
def project_audit(
    request: HttpRequest, code: Text, filters: Query[AuditQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """Every recorded change to the project and its records, newest first."""
    project, _ = project_for(caller(request), code)
    return paginate(
        _newest_first(AuditEntry.objects.filter(project_id=project.pk), filters), paging
    )


@router.get("/audit/verify", response={200: VerifyOut, **ERRORS})
def verify_chain(request: HttpRequest) -> VerifyResult:
    """Walk the whole hash chain and report the first entry that breaks it (PMO admins)."""
    require_pmo_admin(caller(request), "verify the audit trail")
    return verify()


@router.get("/audit/{model}/{object_id}", response={200: Page[AuditEntryOut], **ERRORS})
def record_audit(
    request: HttpRequest,
    model: Text,
    object_id: Text,
    filters: Query[AuditQuery],
    paging: Query[PageQuery],
) -> dict[str, Any]:
    """The history of one record (``model`` is app_label.model, e.g. portfolio.project).

    Entries of records outside your projects are left out; PMO administrators see all.
    """
    user = caller(request)
    entries = AuditEntry.objects.filter(model=model, object_id=object_id)
    if not user.sees_everything:
        entries = entries.filter(project_id__in=visible_projects(user).values("pk"))
    if not entries.exists():
        raise Http404(f"No audit entries you can see for {model} {object_id}.")
    return paginate(_newest_first(entries, filters), paging)
