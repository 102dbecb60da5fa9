"""The calls per time window the PxWeb API allows each client address, announced in its
``/config`` (``maxCallsPerTimeWindow``, ``timeWindow``) and enforced here: a client over the
limit gets 429 with ``Retry-After`` until its window ends.

Settings ``PXWEB_MAX_CALLS`` (default 30) and ``PXWEB_TIME_WINDOW`` (seconds, default 10), as
Statistics Sweden's own API. The count is kept in this server process (one process serves
naravard, with threads); it runs before the public cache, so a cached answer counts too.
"""

from __future__ import annotations

import math
import threading
import time

from django.conf import settings
from django.http import JsonResponse

PREFIX = "/api/v2/"
DEFAULT_MAX_CALLS = 30
DEFAULT_TIME_WINDOW = 10
MAX_CLIENTS = 100_000  # addresses remembered per window: the memory stays bounded


def max_calls() -> int:
    return int(getattr(settings, "PXWEB_MAX_CALLS", DEFAULT_MAX_CALLS))


def time_window() -> int:
    return int(getattr(settings, "PXWEB_TIME_WINDOW", DEFAULT_TIME_WINDOW))


class CallCounter:
    """Calls per client address in fixed windows of ``window`` seconds."""

    def __init__(self, clock=time.time):
        self.clock = clock
        self.lock = threading.Lock()
        self.slot = -1
        self.calls: dict[str, int] = {}

    def wait(self, address: str, limit: int, window: int) -> float:
        """0 if the call may go ahead (and it is counted), else the seconds until it may."""
        now = self.clock()
        slot = int(now // window)
        with self.lock:
            if slot != self.slot:
                self.slot, self.calls = slot, {}
            if len(self.calls) >= MAX_CLIENTS and address not in self.calls:
                return 0.0  # an address flood: let it through rather than grow without bound
            count = self.calls.get(address, 0) + 1
            if count > limit:
                return (slot + 1) * window - now
            self.calls[address] = count
            return 0.0


COUNTER = CallCounter()


class CallLimitMiddleware:
    """429 for a client address over the PxWeb API's calls per time window."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX) or request.method == "OPTIONS":
            return self.get_response(request)
        limit, window = max_calls(), time_window()
        wait = COUNTER.wait(request.META.get("REMOTE_ADDR", ""), limit, window)
        if not wait:
            return self.get_response(request)
        seconds = max(1, math.ceil(wait))
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": "Too many requests",
                "status": 429,
                "detail": f"at most {limit} calls per {window} s from one address "
                f"(maxCallsPerTimeWindow and timeWindow in /config); try again in {seconds} s",
                "instance": request.build_absolute_uri(),
            },
            status=429,
            content_type="application/problem+json",
        )
        response["Retry-After"] = str(seconds)
        response["Access-Control-Allow-Origin"] = "*"
        return response
