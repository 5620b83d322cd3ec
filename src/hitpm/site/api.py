"""The REST API under /api/v1: one NinjaAPI, one router per area, conventions in core.api."""

from ninja import NinjaAPI, Swagger

from hitpm.accounts.api import router as accounts
from hitpm.agile.api import router as agile
from hitpm.audit.api import router as audit
from hitpm.core.api import SessionAuth, TokenAuth, install_conventions
from hitpm.exchange.api import router as exchange
from hitpm.notifications.api import router as notifications
from hitpm.planning.api import router as planning
from hitpm.portfolio.api import router as portfolio
from hitpm.reports.api import router as reports
from hitpm.risk.api import router as risk
from hitpm.stakeholders.api import router as stakeholders

api = NinjaAPI(
    title="hitpm API",
    version="1",
    description=(
        "Projects, plans and their audit trail. Authenticate with a personal API token "
        "(`Authorization: Bearer hitpm_...`) or a browser session. Writes need `If-Match` "
        "with the ETag of the record you read. See docs/api.md."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    # Served from ninja's bundled static files (ninja is in INSTALLED_APPS); no validator
    # badge, which Swagger UI would otherwise fetch from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_conventions(api)
for router in (
    accounts,
    portfolio,
    planning,
    audit,
    risk,
    agile,
    stakeholders,
    reports,
    notifications,
    exchange,
):
    api.add_router("", router)
