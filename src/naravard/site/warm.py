"""Ready the public site before it answers, and again after every release.

The public pages are drawn from analyses and charts kept per release (publish/open_data.py,
publish/kept.py). :func:`warm_up` makes what the first visitors read: every published
indicator's analyses, and the overview's cards in every language. The server runs it before
it listens, and :func:`watch_releases` runs it again whenever the releases change (from any
process), so the first visitor after a release does not wait for it either; what a release
did not change is kept, so that takes a fraction of the first warm-up.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection
from django.utils import translation

from naravard.publish import open_data
from naravard.publish.releases import release_facts
from naravard.site.statistics_views import overview_cards

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0  # how often the releases are looked at


def warm_up() -> int:
    """Analyse what is published and draw the overview in each language; returns the number
    of published indicators."""
    n = open_data.warm_up()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            overview_cards()
    return n


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
                warm_up()
        except Exception:  # noqa: BLE001 - never take the server down for a warm-up
            log.exception("warming up after a release failed")
            connection.close()  # a broken connection is opened afresh next time
