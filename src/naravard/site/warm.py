"""Ready the public site before it answers, and again after every release.

The public pages are drawn from analyses and charts kept per release (publish/open_data.py,
publish/kept.py). :func:`warm_up` makes what the first visitors read: every published
indicator's analyses, the surveys' national results, and the charts of the overview, the
indicator pages and the regions in every language. The server runs it before it listens,
and :func:`watch_releases` runs the quick part of it (the analyses, the surveys, the
overview) again whenever the releases change (from any process); what a release did not
change is kept, so that takes a fraction of the first warm-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import translation

from naravard import presentation
from naravard.publish import open_data, surveys
from naravard.publish.open_data import LEVELS, public_indicators
from naravard.publish.releases import published_rounds, release_facts, release_key
from naravard.qualitative.frame import current_frame
from naravard.refdata import geometry
from naravard.refdata.models import Region
from naravard.site import in_flight
from naravard.site.statistics_views import indicator, org_indicators, overview_cards
from naravard.site.views import county_initiatives, county_surveys

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0  # how often the releases are looked at
# the public pages' templates and those they include (compiled once per process)
TEMPLATE_FOLDERS = {
    "site": Path(__file__).parent / "templates" / "site",
    "presentation": Path(presentation.__file__).parent / "templates" / "presentation",
}
TEMPLATES = sorted(
    f"{prefix}/{path.name}"
    for prefix, folder in TEMPLATE_FOLDERS.items()
    for path in folder.glob("*.html")
)
PAGE_TEMPLATES = sorted(
    f"site/{path.name}"
    for path in (Path(__file__).parent / "templates" / "site").glob("[!_]*.html")
)
PUBLIC_TEMPLATES = (
    "site/overview.html",
    "site/regions.html",
    "site/region.html",
    "site/municipality.html",
    "site/indicator.html",
    "site/compare.html",
    "site/theme.html",
    "site/quality.html",
    "site/calendar.html",
    "site/search.html",
)


def warm_up(pages: bool = True, pause: Callable[[], object] = lambda: None) -> int:
    """Load what every process reads once (the URLs, the templates, the maps, the published
    forms), analyse what is published, work out the surveys' national results, and draw the
    overview and (if ``pages``) the charts of the indicator pages released since they were
    last drawn and of the regions in each language; returns the number of published
    indicators. ``pause`` is called between the steps (to give way to visitors)."""
    get_resolver().url_patterns  # noqa: B018 - imports every view
    for name in ("base.html", *TEMPLATES):
        get_template(name)
    for level in LEVELS:
        geometry.svg_map(level)
    for rnd in published_rounds():
        rnd.form  # noqa: B018 - reads and checks the form's file
    current_frame()  # the coding frame a region page links its initiatives' themes by
    n = open_data.warm_up(pause)
    for rnd in surveys.municipal_rounds():
        pause()
        surveys.national_results(rnd)
    areas = list(Region.objects.order_by("code")) if pages else []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pause()
            overview_cards()
            if pages:
                indicator_pages()
            for region in areas:  # their charts: the largest pages there are 21 of
                org_indicators(region.code, "region", region.name)
                county_surveys(region)
                county_initiatives(region)
    # the overview once more, last: what is kept is bounded and the least recently used goes
    # first, and the home page must not be what the region pages pushed out
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            overview_cards()
    return n


# the releases each indicator's page was last readied for, by indicator and language
_readied: dict[tuple[str, str], tuple] = {}


def indicator_pages() -> int:
    """Each published indicator's page at each of its levels as its visitors first see it
    (the latest period, both sexes, all ages), in the active language, for the indicators
    released since it was last readied: its analyses and charts are then kept for them.
    Returns the number of indicators readied."""
    language = translation.get_language()
    factory = RequestFactory()
    done = 0
    for pub in public_indicators():
        ind = pub.indicator
        key = release_key(ind.id)
        if _readied.get((ind.id, language)) == key:
            continue
        for level in (lvl for lvl in LEVELS if lvl in ind.levels):
            request = factory.get(reverse("publish:indicator", args=[ind.id]), {"niva": level})
            try:
                indicator(request, ind.id)
            except Http404:
                continue  # nothing published at that level: the page is a 404 anyway
        _readied[(ind.id, language)] = key
        done += 1
    return done


def ready() -> tuple:
    """Warm up before serving; returns the releases it saw, for :func:`watch_releases`."""
    seen = release_facts()
    warm_up()
    return seen


def watch_releases(seen: tuple, stop: threading.Event, seconds: float = WATCH_SECONDS) -> None:
    """Warm up again each time the releases change from ``seen``, until ``stop`` is set (a
    thread's target). A failure is logged and the watch goes on: the pages are then made when
    asked for, only slower."""
    while not stop.wait(seconds):
        try:
            now = release_facts()
            if now != seen:
                seen = now
                # quickly, as visitors are already asking: the released indicators' pages
                # and the regions' charts are drawn again when asked for (drawing them here
                # made their first visitors wait behind it, up to 1,6 s); and giving way to
                # the requests being answered, which would share the interpreter with it
                warm_up(pages=False, pause=in_flight.give_way)
        except Exception:  # noqa: BLE001 - never take the server down for a warm-up
            log.exception("warming up after a release failed")
            connection.close()  # a broken connection is opened afresh next time
