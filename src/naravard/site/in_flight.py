"""The requests this process is answering, so that work in the background gives way to them.

Python runs one thread at a time per process. When the release watch readies the pages again
after a release (site/warm.py), a visitor's request that arrives meanwhile shares the
interpreter with it and takes about twice as long. So the watch asks :func:`give_way` between
its steps: it waits while any request is being answered, up to a limit, so that a steady
stream of visitors delays the readying but never stops it.

A request is counted by the thread that answers it, from Django's ``request_started`` to its
``request_finished`` (sent when the server closes the response, after its last byte). A
thread that somehow missed its ``request_finished`` is cleared at its next request's end.
"""

from __future__ import annotations

import threading

from django.core.signals import request_finished, request_started

GIVE_WAY_SECONDS = 1.0  # at most this long per step: the readying goes on under load

_answering: set[int] = set()  # the threads answering a request now
_changed = threading.Condition()


def _started(**_kwargs) -> None:
    with _changed:
        _answering.add(threading.get_ident())


def _finished(**_kwargs) -> None:
    with _changed:
        _answering.discard(threading.get_ident())
        if not _answering:
            _changed.notify_all()


def answering() -> int:
    """How many requests this process is answering now."""
    with _changed:
        return len(_answering)


def give_way(longest: float = GIVE_WAY_SECONDS) -> bool:
    """Wait until no request is being answered, or ``longest`` seconds; True if none is."""
    with _changed:
        return _changed.wait_for(lambda: not _answering, timeout=longest)


def follow() -> None:
    """Count the requests from now on (once per process; a second call changes nothing)."""
    request_started.connect(_started, dispatch_uid="naravard.site.in_flight.started")
    request_finished.connect(_finished, dispatch_uid="naravard.site.in_flight.finished")
