"""The pages' one place for errors: a :class:`~naravard.core.errors.NaravardError` that a view
lets through becomes the status page of its kind, with its message, not a server error.

A view that answers an error in its own way (a form shown again with the message, a message
and a redirect) still catches it; this is for the rest.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from naravard.core.errors import NaravardError

logger = logging.getLogger("django.request")


def error_page(request: HttpRequest, exc: NaravardError) -> HttpResponse:
    """The page for an error: 'page not found' for a 404, 'that could not be done' for the
    other kinds, each with the error's message in the page's language."""
    template = "404.html" if exc.status == 404 else "error.html"
    if exc.status >= 500:  # ours to fix: logged with its traceback, as Django logs a 500
        logger.error("%s: %s", request.path, exc, exc_info=exc)
    return render(request, template, {"message": exc.message()}, status=exc.status)


class ErrorPageMiddleware:
    """Answers a NaravardError raised by a view with :func:`error_page`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NaravardError):
            return error_page(request, exception)
        return None
