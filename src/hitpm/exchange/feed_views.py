"""The public calendar feed: works without signing in, for the holder of a live token."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from hitpm.exchange.feeds import feed_for_token, project_calendar


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The project's milestones as iCalendar; 404 for unknown or revoked tokens."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        project_calendar(feed.project), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
