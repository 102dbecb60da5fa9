"""The API's documentation page (/api/docs): Swagger UI from naravard's own static files.

The viewer is the swagger-ui-dist that ``frontend/package.json`` pins and ``frontend/vendor.sh``
copies into ``presentation/static/presentation/vendor``; its start-up code is a static file
(``api-docs.js``), so the page needs nothing from another origin and no inline script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI

SETTINGS: dict[str, Any] = {
    "layout": "BaseLayout",
    "deepLinking": True,
    "validatorUrl": None,  # no badge from validator.swagger.io: nothing leaves the site
}


class BundledSwagger(Swagger):
    """django-ninja's Swagger docs, rendered from naravard's template and static files (django-ninja
    itself would load swagger-ui from a CDN when ``ninja`` is not an installed app)."""

    template = "presentation/api_docs.html"

    def __init__(self) -> None:
        super().__init__(SETTINGS)

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": settings})
