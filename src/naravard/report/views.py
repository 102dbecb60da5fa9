"""The published reports on the public site: the list, each report's HTML and PDF."""

from __future__ import annotations

import base64
import hashlib
import re

from csp.constants import HEADER
from csp.utils import build_policy
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from naravard.accounts.permissions import Action, has_permission
from naravard.core.language import current
from naravard.report import render as report_render
from naravard.report.build import latest_published
from naravard.report.models import FollowUp, PublishedReport


def in_page_language(name: str | None = None) -> list[PublishedReport]:
    """The published reports in the page's language, or in Swedish where there is none."""
    lang = current()
    chosen: dict[str, PublishedReport] = {}
    for r in latest_published():
        if name is not None and r.followup.name != name:
            continue
        if r.lang == lang or (r.lang == "sv" and r.followup.name not in chosen):
            chosen[r.followup.name] = r
    return sorted(chosen.values(), key=lambda r: r.followup.published_on, reverse=True)


def reports(request):
    """Published reports; an analyst also sees every follow-up round with its fact-check."""
    followups = FollowUp.objects.all() if has_permission(request.user, Action.ADMINISTER) else []
    return render(
        request, "report/list.html", {"reports": in_page_language(), "followups": followups}
    )


def _one(name: str) -> PublishedReport:
    found = in_page_language(name)
    if not found:
        raise Http404
    return PublishedReport.objects.get(pk=found[0].pk)


STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


def policy_allowing_own_styles(html: str) -> str:
    """The site's Content-Security-Policy, with the ``<style>`` elements of ``html`` allowed by
    their hashes. report.html is a standalone file with its style sheet inside (the same
    HTML makes the PDF); the header is set here, not by the middleware, so that the public
    cache keeps it with the page."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in STYLE_ELEMENT.findall(html)
    ]
    return build_policy(update={"style-src": hashes})


def report_html(request, name: str):
    published = _one(name)
    response = HttpResponse(published.html, content_type="text/html; charset=utf-8")
    response["Content-Language"] = published.lang
    response[HEADER] = policy_allowing_own_styles(published.html)
    return response


def report_pdf(request, name: str):
    published = _one(name)
    response = HttpResponse(bytes(published.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="naravard-{published.followup.name}-{published.lang}.pdf"'
    )
    return response


def report_font(request, name: str, font: str):
    """The fonts the report's HTML names (the same files as in its PDF)."""
    if font not in {f[0] for f in report_render.FONT_FILES}:
        raise Http404
    return FileResponse((report_render.FONT_DIR / font).open("rb"), content_type="font/ttf")
