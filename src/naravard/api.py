"""The JSON API (django-ninja), documented by OpenAPI at /api/docs.

Callers authenticate with a bearer token (``Authorization: Bearer nv_…``,
made with ``naravard tokens create``) or, from the browser, with their session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps

from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, reverse
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer, SessionAuth

from naravard.accounts.models import ApiToken
from naravard.core.cleaning import CleanParser
from naravard.core.errors import NaravardError
from naravard.presentation.api_docs import BundledSwagger


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
    parser=CleanParser(),  # every string of a body or query cleaned (core/text.py)
    docs=BundledSwagger(),  # swagger-ui from the package's static files, not a CDN
)


@api.exception_handler(NaravardError)
def one_line_error(request, exc: NaravardError):
    """Every NaravardError an operation raises: its kind's status and ``{"detail": message}``,
    the body django-ninja's own errors have, in the request's language."""
    return api.create_response(request, {"detail": exc.message()}, status=exc.status)


@api.exception_handler(Exception)
def unexpected_error(request, exc: Exception):
    """An error nobody meant (a bug, a lost database): reported as Django reports one (the
    ``django.request`` log, ``got_request_exception``) and answered 500 in the API's body,
    not with the site's page."""
    got_request_exception.send(sender=None, request=request)
    response = api.create_response(
        request, {"detail": "internal error: the request could not be answered"}, status=500
    )
    log_response(
        "Internal Server Error: %s", request.path, response=response, request=request, exception=exc
    )
    return response


@api.exception_handler(ValidationError)
def request_not_as_declared(request, exc: ValidationError):
    """A parameter or body that does not fit what the operation declares (a round id that is
    no number, a format not offered, a body without its version): 400, as every value sent
    that breaks a rule, with ``{"detail": ...}`` naming each place and what is wrong there."""
    problems = "; ".join(f"{_place(e['loc'])}: {e['msg']}" for e in exc.errors)
    return api.create_response(request, {"detail": problems}, status=400)


def _place(loc: Sequence) -> str:
    """Where in the request an error is: 'query parameter format', 'body field version'."""
    source, *names = [str(part) for part in loc]
    if source == "body":
        names = names[1:]  # the operation's argument (payload), not a part of the body
        return f"body field {'.'.join(names)}" if names else "body"
    return f"{source} parameter {'.'.join(names)}"


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/: the API's 404 in its own body, not the site's page."""
    return api.create_response(
        request,
        {"detail": f"{request.path} is no operation of the API; see {reverse('api:openapi-view')}"},
        status=404,
    )


def _json_not_allowed(view: Callable) -> Callable:
    """An operation's view whose 405 (a method the path does not answer) has the API's body."""

    @wraps(view)
    def inner(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        answer = api.create_response(
            request, {"detail": f"{request.path} answers {allowed}"}, status=405
        )
        answer["Allow"] = allowed
        return answer

    return inner


def urls() -> tuple[list, str, str]:
    """The API's URL patterns (``path("api/", urls())``), every error in the API's body: /api/
    itself (django-ninja's root, which raises the site's 404) is :func:`not_found` too."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            root = pattern.name == "api-root"
            pattern.callback = not_found if root else _json_not_allowed(pattern.callback)
    return patterns, app_name, namespace


from naravard.collect.api import router as collect_router  # noqa: E402
from naravard.opendata.api import router as open_router  # noqa: E402
from naravard.workspace.api import router as indicators_router  # noqa: E402

api.add_router("/collect/", collect_router, auth=[TokenAuth(), SessionAuth()])
api.add_router("/indicators", indicators_router, auth=[TokenAuth(), SessionAuth()])
api.add_router("/open/", open_router)  # public: only what has been published
