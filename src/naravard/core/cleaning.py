"""Where text comes in over HTTP, cleaned by the rule of :mod:`naravard.core.text` before any
view reads it: the JSON API's parser, and a middleware for every page's query string, form post,
uploaded file names and URL parts. (Uploaded files' contents are cleaned where they are read:
``core/tables.py`` and ``qualitative/documents.py``.)"""

from __future__ import annotations

import json
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse, QueryDict
from ninja.parser import Parser
from ninja.types import DictStrAny

from naravard.core.text import clean_data, clean_text


class CleanParser(Parser):
    """django-ninja's parser, with every string of the body, the query and a form cleaned.

    A body that is not UTF-8 or not JSON raises here; django-ninja answers that with 400
    ``{"detail": "Cannot parse request body"}``, before any operation runs."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        return clean_data(json.loads(request.body))

    def parse_querydict(
        self, data: Any, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        return clean_data(super().parse_querydict(data, list_fields, request))


Q = TypeVar("Q", bound=QueryDict)


def cleaned(data: Q) -> Q:
    """``data`` with its keys and values cleaned, as an immutable QueryDict; the same object
    when nothing needed it."""
    original = list(data.lists())
    pairs = [
        (clean_text(key), [clean_text(v) if isinstance(v, str) else v for v in values])
        for key, values in original
    ]
    if pairs == original:
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in pairs:
        for value in values:
            clean.appendlist(key, value)
    clean._mutable = False
    return cast(Q, clean)


class CleanTextMiddleware:
    """Cleans what a page's view reads: ``request.GET``, the URL's named parts and, for a POST
    to a view that checks its CSRF token (which reads the form anyway), ``request.POST`` and
    the names of uploaded files. The JSON API's views are CSRF-exempt and read their input
    through :class:`CleanParser` instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        request.GET = cleaned(request.GET)
        for key, value in view_kwargs.items():
            if isinstance(value, str):
                view_kwargs[key] = clean_text(value)
        if request.method == "POST" and not getattr(view_func, "csrf_exempt", False):
            request.POST = cleaned(request.POST)
            for _field, uploads in request.FILES.lists():
                for upload in uploads:
                    if upload.name:
                        upload.name = clean_text(upload.name)
