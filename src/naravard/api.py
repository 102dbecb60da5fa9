"""The JSON API (django-ninja), documented by OpenAPI at /api/docs.

Callers authenticate with a bearer token (``Authorization: Bearer nv_…``,
made with ``naravard tokens create``) or, from the browser, with their session.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from naravard.accounts.models import ApiToken
from naravard.core.errors import NaravardError


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="naravard API",
    version="1",
    description="Open data (`/api/open/`, no login): published indicators with intervals, "
    "reference data and survey results, as JSON, CSV or XLSX. With a token or a "
    "session: collection of the status reports and the municipal survey, and the "
    "analysts' indicator analysis.",
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(NaravardError)
def one_line_error(request, exc: NaravardError):
    """Every NaravardError an operation raises: its kind's status and ``{"detail": message}``,
    the body django-ninja's own errors have, in the request's language."""
    return api.create_response(request, {"detail": exc.message()}, status=exc.status)


from naravard.analysis.api import router as indicators_router  # noqa: E402
from naravard.collect.api import router as collect_router  # noqa: E402
from naravard.opendata.api import router as open_router  # noqa: E402

api.add_router("/collect/", collect_router, auth=[TokenAuth(), SessionAuth()])
api.add_router("/indicators", indicators_router, auth=[TokenAuth(), SessionAuth()])
api.add_router("/open/", open_router)  # public: only what has been published
