"""Only naravard's own code runs on its pages: a strict Content-Security-Policy and the other
security headers on every response (pages, API, static files, the published report), the API
documentation served from the package, and templates that need no inline script or style.
tests/browser/test_content_security_policy.py opens every kind of page in Chromium."""

import base64
import hashlib
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client

from naravard.report import render as report_render
from naravard.report.models import FollowUp, PublishedReport
from naravard.site import caching

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "src" / "naravard"
VENDOR = PACKAGE / "presentation" / "static" / "presentation" / "vendor"

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(response) -> dict[str, str]:
    """The response's Content-Security-Policy as {directive: sources}."""
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";"))
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def assert_security_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/regioner/",
        "/region/01/",
        "/konto/logga-in/",
        "/api/open/indicators",
        "/api/docs",
        "/api/openapi.json",
        "/static/presentation/charts.js",
        "/static/naravard/site.css",
        "/static/presentation/vendor/swagger-ui-bundle.js",
        "/favicon.ico",
        "/finns-inte/",
    ],
)
def test_every_response_has_the_strict_policy_and_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/finns-inte/" else 200)
    assert directives(response) == STRICT
    assert_security_headers(response)


@pytest.mark.django_db
def test_signed_in_pages_and_api_answers_have_the_policy(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    for path in ("/konto/oversikt/", "/indikatorer/", "/kodning/", "/api/indicators"):
        response = client.get(path)
        assert response.status_code < 500, path
        assert directives(response) == STRICT, path
        assert_security_headers(response)


def test_nginx_sends_the_same_headers_with_the_static_files_it_serves():
    """In production nginx serves /static/ itself (deploy/nginx.conf), without the application."""
    from csp.utils import build_policy

    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    static = re.search(r"location /static/ \{(.*?)\n    \}", conf, re.DOTALL)
    assert static is not None
    headers = dict(re.findall(r'add_header ([\w-]+) "?(.*?)"? always;', static.group(1)))
    policy = dict(p.strip().split(" ", 1) for p in headers["Content-Security-Policy"].split(";"))
    assert policy == STRICT == dict(p.split(" ", 1) for p in build_policy().split("; "))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


class _Loads(HTMLParser):
    """What a page loads: (tag, attribute, URL) of scripts, style sheets, icons and images, and
    the text of its inline scripts."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.inline_scripts: list[str] = []
        self._in_script = self._json = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        for attr in ("src", "href"):
            if found.get(attr) and (tag != "a" or attr != "href"):
                self.urls.append((tag, attr, found[attr]))
        self._in_script = tag == "script" and "src" not in found
        self._json = found.get("type") == "application/json"

    def handle_data(self, data):
        if self._in_script and not self._json and data.strip():
            self.inline_scripts.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


@pytest.mark.django_db
def test_api_docs_load_only_the_packages_own_files(client):
    html = client.get("/api/docs").content.decode()
    page = _Loads()
    page.feed(html)
    assert page.inline_scripts == []
    loaded = [url for _tag, _attr, url in page.urls]
    assert "/static/presentation/vendor/swagger-ui-bundle.js" in loaded
    assert "/static/presentation/vendor/swagger-ui.css" in loaded
    assert "/static/presentation/api-docs.js" in loaded
    for url in loaded:
        assert url.startswith("/static/"), url  # no CDN, no other origin
        assert client.get(url).status_code == 200, url
    settings = re.search(
        r'<script id="swagger-settings" type="application/json">(.*?)</script>', html
    )
    assert settings is not None
    swagger = json.loads(settings.group(1))
    assert swagger["url"] == "/api/openapi.json"
    assert swagger["validatorUrl"] is None  # no badge from validator.swagger.io


def test_swagger_ui_is_the_version_the_npm_lock_pins_and_no_source_maps_are_shipped():
    lock = json.loads((ROOT / "frontend/package-lock.json").read_text())["packages"]
    package = json.loads((ROOT / "frontend/package.json").read_text())["dependencies"]
    recorded = dict(line.split() for line in (VENDOR / "VERSIONS").read_text().splitlines())
    assert package["swagger-ui-dist"] == lock["node_modules/swagger-ui-dist"]["version"]
    assert recorded["swagger-ui-dist"] == package["swagger-ui-dist"]
    assert (VENDOR / "swagger-ui-bundle.js").stat().st_size > 100_000
    assert (VENDOR / "LICENSE.swagger-ui-dist").exists()
    for file in VENDOR.iterdir():
        assert not file.name.endswith(".map"), file
        if file.suffix in (".js", ".css"):
            assert "sourceMappingURL" not in file.read_text(encoding="utf-8"), file


# What the policy forbids, as it would be written in a template.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "resource from another origin": re.compile(
        r"<(?:script|img|link|iframe|source|video|audio)\b[^>]*\b(?:src|href)=\"(?:https?:)?//",
        re.I,
    ),
}
# report.html is a standalone file (its PDF is made from the same HTML): its one <style> is
# allowed by its hash when the site serves it (report/views.py).
# _columns.html's widths go only into the HTML the PDF is made from (for_pdf), which no browser
# loads (tests/report/test_pdf_layout.py: the web report has no <colgroup>).
ALLOWED = {
    ("report/templates/report/report.html", "style element"),
    ("report/templates/report/_columns.html", "style attribute"),
}


def test_no_template_needs_inline_script_or_style():
    found = []
    for template in sorted(PACKAGE.glob("**/templates/**/*.html")):
        name = str(template.relative_to(PACKAGE))
        source = template.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            if pattern.search(source) and (name, what) not in ALLOWED:
                found.append(f"{name}: {what}")
    assert found == []


def test_the_checks_above_catch_what_they_look_for():
    assert INLINE["inline script"].search("<script>alert(1)</script>")
    assert not INLINE["inline script"].search('<script src="/static/a.js" defer></script>')
    assert INLINE["style attribute"].search('<span style="width: 5%">')
    assert INLINE["event handler attribute"].search('<button onclick="go()">')
    assert INLINE["resource from another origin"].search(
        '<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js">'
    )
    assert not INLINE["resource from another origin"].search('<a href="https://scb.se/">')


class _Styles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.styles: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "style"
        if self._in:
            self.styles.append("")

    def handle_data(self, data):
        if self._in:
            self.styles[-1] += data

    def handle_endtag(self, tag):
        self._in = False


def _published_report() -> str:
    report = SimpleNamespace(
        lang="sv",
        title="Uppföljning 2020",
        published=date(2020, 12, 15),
        summary=["En mening."],
        sections=[],
        profiles=[],
        appendices=[],
    )
    html = render_to_string(
        "report/report.html", {"report": report, "css": report_render.report_css()}
    )
    followup = FollowUp.objects.create(
        name="2020",
        title_sv="Uppföljning 2020",
        title_en="Follow-up 2020",
        published_on=date(2020, 12, 15),
        data_until=date(2020, 6, 30),
    )
    PublishedReport.objects.create(
        followup=followup, lang="sv", html=html, pdf=b"%PDF", manifest={}, actor="test"
    )
    return html


@pytest.fixture
def kept_by_the_cache(monkeypatch):
    """The public cache in use inside the test's transaction, empty before and after."""
    monkeypatch.setattr(caching, "in_transaction", lambda: False)
    cache.clear()
    caching.invalidate()
    yield
    cache.clear()
    caching.invalidate()


@pytest.mark.django_db
def test_the_published_report_may_use_its_own_style_sheet_and_nothing_else(kept_by_the_cache):
    html = _published_report()
    parser = _Styles()
    parser.feed(html)
    assert len(parser.styles) == 1 and "@font-face" in parser.styles[0]
    digest = base64.b64encode(hashlib.sha256(parser.styles[0].encode()).digest()).decode()
    client = Client()
    for expected in ("MISS", "HIT"):  # the public cache keeps the page's own policy
        response = client.get("/rapporter/2020/")
        assert response.status_code == 200 and response[caching.CACHE_HEADER] == expected
        assert response.content.decode() == html
        policy = directives(response)
        assert policy["style-src"] == f"'self' 'sha256-{digest}'"
        assert {k: v for k, v in policy.items() if k != "style-src"} == {
            k: v for k, v in STRICT.items() if k != "style-src"
        }
        assert_security_headers(response)
