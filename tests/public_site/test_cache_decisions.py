"""Every URL of the site is cached as public or says why not (naravard.E010), every prefix
the public cache decides on is a URL of the site (naravard.E011), and the middleware caches
exactly what the decisions call public."""

from types import ModuleType

from django.http import HttpResponse
from django.urls import include, path

from naravard import urls as root_urls
from naravard.core.checks import failed_checks
from naravard.site import caching
from naravard.site.checks import url_starts


def found() -> list[tuple[str, object]]:
    return [(m.id, m.obj) for m in failed_checks()]


def view(request):
    return HttpResponse("")


def test_a_new_url_prefix_without_a_decision_is_error_e010(settings):
    news = [path("", view), path("<int:year>/", view)]
    urlconf = ModuleType("urls_with_news")
    urlconf.urlpatterns = [*root_urls.urlpatterns, path("nyheter/", include(news))]
    settings.ROOT_URLCONF = urlconf
    assert found() == [("naravard.E010", "/nyheter/")]


def test_a_decision_on_no_url_is_error_e011(monkeypatch):
    decisions = {**caching.NOT_CACHED, "/borttagen/": "a page that is gone"}
    monkeypatch.setattr(caching, "NOT_CACHED", decisions)
    monkeypatch.setattr(
        caching, "PUBLIC_PAGE_PREFIXES", (*caching.PUBLIC_PAGE_PREFIXES, "/gammal/")
    )
    assert found() == [("naravard.E011", "/gammal/"), ("naravard.E011", "/borttagen/")]


def test_the_middleware_caches_what_the_decisions_call_public():
    starts = [u for u in url_starts() if u.whole]
    assert len(starts) > 20
    for url in starts:
        public = caching.caching_decision(url.start) == caching.PUBLIC
        assert caching.is_public_path(url.start) == public, url.start
