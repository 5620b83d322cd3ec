"""URL map: pages per area, the REST API under /api/v1, and a health check."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from hitpm.site.api import api


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("hitpm.accounts.urls")),
    path("p/<str:code>/plan/", include("hitpm.planning.urls")),
    path("p/<str:code>/audit/", include("hitpm.audit.urls")),
    path("p/<str:code>/agile/", include("hitpm.agile.urls")),
    path("p/<str:code>/risk/", include("hitpm.risk.urls")),
    path("p/<str:code>/stakeholders/", include("hitpm.stakeholders.urls")),
    path("p/<str:code>/reports/", include("hitpm.reports.urls")),
    path("p/<str:code>/exchange/", include("hitpm.exchange.urls")),
    path("import/", include("hitpm.exchange.job_urls")),
    path("calendar/", include("hitpm.exchange.feed_urls")),
    path("my/", include("hitpm.stakeholders.my_urls")),
    path("notifications/", include("hitpm.notifications.urls")),
    path("", include("hitpm.portfolio.urls")),
]
