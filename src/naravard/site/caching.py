"""HTTP caching of what is public: the open-data APIs and the public pages.

Public data changes only when something is published: an analyst releases or withdraws an
indicator's period (``publish.models.Release``), publishes a survey round, or reference data
(population) is imported. ``publication_version()`` is a short token over exactly those
facts plus the deployed code; every cached response is filed under it, so the moment a
release is made the next request misses the cache and shows it. Nothing is purged and no
stale copy can be served by this process after the version has changed.

``PublicCacheMiddleware`` serves anonymous GET/HEAD requests to public paths from Django's
cache, answers ``If-None-Match`` with 304 and marks the responses ``Cache-Control: public,
max-age=NARAVARD_PUBLIC_MAX_AGE`` so that nginx (``deploy/nginx.conf``) and browsers keep
them that long. It never stores a response that sets a cookie (a CSRF token in a form makes
a page personal), that is not a 200, or that was made for someone signed in, and it never
answers a request that carries a session cookie or an Authorization header from the cache.
A streamed open-data answer (``core.streaming.StreamedAnswer``) is kept once it has been sent
whole, if it is no larger than :data:`MAX_BODY`; a streamed file never is.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from types import MappingProxyType

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max, Sum
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

from naravard import __version__
from naravard.collect.models import Round
from naravard.core.brief import Brief, in_transaction
from naravard.core.streaming import StreamedAnswer
from naravard.publish.models import PlannedRelease, Release
from naravard.publish.releases import published_facts, release_facts
from naravard.qualitative.models import Passage
from naravard.refdata.models import Population
from naravard.report.models import PublishedReport

# Paths whose GET answers are the same for every anonymous visitor. The pages also under the
# English prefix /en/. Anything else is never cached here (NOT_CACHED below says why).
PUBLIC_API_PREFIXES = ("/api/open/", "/api/v2/", "/kolada/v3/")
PUBLIC_PAGE_PREFIXES = (
    "/regioner/",
    "/statistik/",
    "/jamfor/",
    "/granser/",
    "/sok/",
    "/region/",
    "/kommun/",
    "/rapporter/",
    "/publiceringskalender/",
    "/tema/",
)
PUBLIC_PAGES = ("/",)
# Every other URL of the site starts with one of these, and this is why it is not cached. A
# URL with no decision, above or here, fails the system check naravard.E010 (site/checks.py).
NOT_CACHED = MappingProxyType(
    {
        "/admin/": "staff only",
        "/konto/": "personal: signing in and out, and a signed-in user's own pages",
        "/insamling/": "collection: each respondent's own answers",
        "/kodning/": "coding of free text: analysts only",
        "/indikatorer/": "the analysts' indicator pages, periods not yet published included",
        "/api/": "the token and session APIs answer per caller (/api/open/, /api/v2/ are cached)",
        "/i18n/": "switches the language: a POST that sets a cookie",
        "/favicon.ico": "a streamed file, which the cache never keeps",
    }
)
PUBLIC = "public"  # the decision for a URL that is cached

VERSION_TTL = 1.0  # seconds a process reuses its version token (other processes' releases)
MAX_BODY = 4 * 1024 * 1024  # larger responses (big downloads) are not kept in memory
CACHE_HEADER = "X-Naravard-Cache"

_BOOT = f"{time.time_ns()}"  # a restart (new code, catalogue, templates) is a new version


def caching_decision(start: str, whole: bool = True) -> str | None:
    """Whether URLs that begin with ``start`` (a path without its language prefix) are cached:
    :data:`PUBLIC` if they are, the reason from :data:`NOT_CACHED` if not, None if nothing
    decides. ``whole``: ``start`` is a whole path, not only the beginning of some."""
    if start.startswith(PUBLIC_API_PREFIXES + PUBLIC_PAGE_PREFIXES):
        return PUBLIC
    if whole and start in PUBLIC_PAGES:
        return PUBLIC
    return next((why for prefix, why in NOT_CACHED.items() if start.startswith(prefix)), None)


def is_public_path(path: str) -> bool:
    if path.startswith(PUBLIC_API_PREFIXES):
        return True
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            path = path[len(prefix) - 1 :]
            break
    return path in PUBLIC_PAGES or path.startswith(PUBLIC_PAGE_PREFIXES)


def _compute_version() -> str:
    codes = Passage.objects.filter(text__round__is_published=True).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    reports = PublishedReport.objects.aggregate(n=Count("pk"), last=Max("pk"))
    plans = PlannedRelease.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    population = Population.objects.aggregate(n=Count("pk"), total=Sum("population"))
    facts = repr(
        (
            __version__,
            _BOOT,
            release_facts(),
            sorted(plans.items()),
            timezone.localdate(),  # the release calendar says what is late from the day on
            sorted(reports.items()),
            published_facts(),
            sorted(population.items()),
            sorted(codes.items()),
        )
    )
    return hashlib.sha256(facts.encode()).hexdigest()[:20]


_version: Brief[str] = Brief(_compute_version, ttl=VERSION_TTL)


def publication_version() -> str:
    """A token that changes whenever what is public may have changed.

    A process reuses it for at most ``VERSION_TTL`` seconds; a release made in the same
    process drops it at once (signals below). Inside a transaction it is always computed
    afresh, since the transaction may see its own uncommitted changes."""
    return _version.get()


def invalidate(**kwargs) -> None:
    """Forget the process's version token (now, and again when the transaction commits)."""
    _version.forget(**kwargs)


def connect_signals() -> None:
    """Releases, withdrawals and published rounds made in this process show at once."""

    for model in (Release, PlannedRelease, Round, PublishedReport, Passage):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"public-cache-{model.__name__}")
        post_delete.connect(
            invalidate, sender=model, dispatch_uid=f"public-cache-del-{model.__name__}"
        )


def max_age() -> int:
    return int(getattr(settings, "NARAVARD_PUBLIC_MAX_AGE", 60))


class PublicCacheMiddleware:
    """Cache public, anonymous GET/HEAD responses under the publication version.

    Sits after LocaleMiddleware (the language is part of the key) and before
    CsrfViewMiddleware (so a CSRF cookie set by a page is seen and the page is not kept)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[getattr(settings, "NARAVARD_PUBLIC_CACHE_ALIAS", "default")]

    def __call__(self, request):
        if not self._candidate(request):
            response = self.get_response(request)
            if is_public_path(request.path_info) and response.status_code == 200:
                patch_cache_control(response, private=True)  # personal: no shared cache
            return response

        version = publication_version()
        language = translation.get_language() or settings.LANGUAGE_CODE
        uri = request.build_absolute_uri()
        digest = hashlib.sha256(f"{version}|{language}|{uri}".encode()).hexdigest()[:24]
        etag = f'W/"{digest}"'
        if _matches(request.META.get("HTTP_IF_NONE_MATCH"), etag):
            return self._public(HttpResponseNotModified(), etag)

        # A response made inside a surrounding transaction may show uncommitted data.
        shared = not in_transaction() and not settings.DEBUG
        key = (
            f"naravard:public:{version}:{request.method}:{language}:"
            + hashlib.sha256(uri.encode()).hexdigest()
        )
        if shared:
            stored = self.cache.get(key)
            if stored is not None:
                response = HttpResponse(stored[1], status=200)
                for name, value in stored[0]:
                    response[name] = value
                response[CACHE_HEADER] = "HIT"
                return response

        response = self.get_response(request)
        if not self._cacheable(request, response):
            if response.status_code == 200:
                patch_cache_control(response, private=True)
            return response
        self._public(response, etag)
        headers = [(k, v) for k, v in response.items() if k != CACHE_HEADER]
        if shared and response.streaming:  # kept as it is sent, if it is small enough
            response.streaming_content = _kept_as_sent(
                response.streaming_content, lambda body: self.cache.set(key, (headers, body))
            )
        elif shared and len(response.content) <= MAX_BODY:
            self.cache.set(key, (headers, response.content))
        response[CACHE_HEADER] = "MISS"
        return response

    @staticmethod
    def _candidate(request) -> bool:
        """Could the answer be the same for every anonymous visitor?"""
        return (
            request.method in ("GET", "HEAD")
            and is_public_path(request.path_info)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def _cacheable(request, response) -> bool:
        if response.status_code != 200 or response.cookies:
            return False
        if response.streaming and not isinstance(response, StreamedAnswer):  # a file, say
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-store", "no-cache")):
            return False
        return "*" not in response.get("Vary", "")

    @staticmethod
    def _public(response, etag: str):
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=max_age())
        patch_vary_headers(response, ("Cookie",))
        return response


def _kept_as_sent(chunks: Iterable[bytes], keep: Callable[[bytes], object]) -> Iterator[bytes]:
    """``chunks`` passed on as they come; once all are sent, ``keep`` is given the whole body
    if it is no larger than :data:`MAX_BODY`. A larger one is not held beyond that size, and
    one whose sending broke off (the client left) is not kept."""
    held: list[bytes] | None = []
    size = 0
    for chunk in chunks:
        if held is not None:
            size += len(chunk)
            if size <= MAX_BODY:
                held.append(chunk)
            else:
                held = None  # too large to keep: sent, not held
        yield chunk
    if held is not None:
        keep(b"".join(held))


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = parse_etags(header)
    bare = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == bare for tag in tags)
