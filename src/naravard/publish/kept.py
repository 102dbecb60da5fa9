"""What is made from published data, kept until that data changes.

A chart of a published indicator or a county's survey results take long to make (Altair
builds and copies a chart's whole specification; survey results count every answer) and are
the same for every reader until the next release. :func:`kept` makes each once per what it is
made from (:func:`of_indicator`, :func:`of_all_indicators`, :func:`of_surveys`) and the
language, and keeps the most recently used up to :data:`KEPT_BYTES` in all (their sizes
estimated by core/sizes.py); one larger than that is made and not kept. What is kept is
shared between requests and threads: callers never modify it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from cachetools import LRUCache
from django.utils import translation

from naravard.core.sizes import bounded_by_bytes
from naravard.publish.releases import published_facts, release_key, release_state

T = TypeVar("T")

# charts and pages' contents of some kB to a few hundred: a bounded share of the memory (on
# a store of 87 years the warm-up makes more than this; site/warm.py readies the overview last)
KEPT_BYTES = 64 * 1024 * 1024


_lock = threading.Lock()
_kept: LRUCache = bounded_by_bytes(KEPT_BYTES)


def kept(made_from: Hashable, what: Hashable, make: Callable[[], T], in_words: bool = True) -> T:
    """``make()``'s answer, made once per ``made_from`` (what it reads), ``what`` (what tells
    it from others made from the same: its kind, area, period …) and, if it is ``in_words``,
    the active language."""
    key = (made_from, what, translation.get_language() if in_words else None)
    with _lock:
        found = _kept.get(key, _kept)  # the store itself: not found (None may be kept)
        if found is not _kept:
            return found
    value = make()
    with _lock:
        try:
            _kept[key] = value
        except ValueError:  # larger than the whole store: made, not kept
            pass
    return value


def of_indicator(indicator_id: str) -> Hashable:
    """What one indicator's public analyses are made from: its releases."""
    return ("indicator", indicator_id, release_key(indicator_id))


def of_all_indicators() -> Hashable:
    """What a view of every published indicator is made from: every release."""
    return ("indicators", release_state())


def of_surveys() -> Hashable:
    """What published survey results are made from: the published rounds and their answers."""
    return ("surveys", published_facts())
