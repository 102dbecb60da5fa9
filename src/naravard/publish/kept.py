"""What is made from published data, kept until that data changes.

A chart of a published indicator or a county's survey results take long to make (Altair
builds and copies a chart's whole specification; survey results count every answer) and are
the same for every reader until the next release. :func:`kept` makes each once per what it is
made from (:func:`of_indicator`, :func:`of_all_indicators`, :func:`of_surveys`) and the
language, and keeps the most recently used :data:`MAX_KEPT`. What is kept is shared between
requests and threads: callers never modify it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.utils import translation

from naravard.publish.releases import published_facts, release_key, release_state

T = TypeVar("T")

MAX_KEPT = 4096  # charts of some hundred kB at most: a bounded share of the server's memory

_lock = threading.Lock()
_kept: OrderedDict[Hashable, object] = OrderedDict()


def kept(made_from: Hashable, what: Hashable, make: Callable[[], T], in_words: bool = True) -> T:
    """``make()``'s answer, made once per ``made_from`` (what it reads), ``what`` (what tells
    it from others made from the same: its kind, area, period …) and, if it is ``in_words``,
    the active language."""
    key = (made_from, what, translation.get_language() if in_words else None)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[return-value]
    value = make()
    with _lock:
        _kept[key] = value
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
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
