"""Where a warm request's time goes in the application: the middleware, the public cache, the
view, the database, the response.

    python bench/request_profile.py --data-dir /tmp/wb              # the demo web_bench built
    python bench/request_profile.py --data-dir /tmp/wb --requests 5000 --top 25

Serves ``--path`` (by default the API and the indicator page web_bench.py loads) through
Django's WSGI handler in this process, with no HTTP server in front, first once to make the
page and fill the public cache, then ``--requests`` times. Prints:

* the time a warm request takes (the best of five rounds);
* the time each middleware takes of its own, and the view's (which a request the public
  cache answers never reaches): the chain of middleware is timed at each link, and a
  middleware's own time is its time less the time of those it calls;
* the functions with the most time of their own under cProfile.

What the HTTP server adds (parsing, sockets, threads) is not in these figures: compare them
with web_bench.py's requests per second per core for that share.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import io
import os
import pstats
import sys
import time
from pathlib import Path

PATHS = ("/api/open/indicators/named_doctor_share/values", "/statistik/named_doctor_share/")
ROUNDS = 5


def _environ(path: str) -> dict:
    from io import BytesIO

    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _request(app, path: str) -> str:
    statuses: list[str] = []
    body = app(_environ(path), lambda status, headers: statuses.append(status))
    for _chunk in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return statuses[0]


def _per_request(app, path: str, requests: int) -> float:
    """Seconds a warm request takes: the best of :data:`ROUNDS` rounds."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(requests):
            _request(app, path)
        best = min(best, (time.perf_counter() - started) / requests)
    return best


class ChainTimes:
    """Times each link of the application's middleware chain: ``links[i]`` is the seconds
    spent in the i-th middleware and everything after it (the last is the view)."""

    def __init__(self, handler) -> None:
        self.names: list[str] = []
        self.links: list[float] = []
        link = handler._middleware_chain
        while True:
            middleware = inspect.getclosurevars(link).nonlocals.get("get_response")
            if middleware is None or not hasattr(middleware, "get_response"):
                break
            self.names.append(type(middleware).__module__ + "." + type(middleware).__name__)
            self.links.append(0.0)
            middleware.get_response = self._timed(middleware.get_response, len(self.names))
            link = middleware.get_response.__wrapped__  # type: ignore[attr-defined]
        self.names.append("the view (on a miss)")
        self.links.append(0.0)
        self.top = handler._middleware_chain
        handler._middleware_chain = self._timed(handler._middleware_chain, 0)

    def _timed(self, get_response, index: int):
        def timed(request):
            started = time.perf_counter()
            try:
                return get_response(request)
            finally:
                self.links[index] += time.perf_counter() - started

        timed.__wrapped__ = get_response  # type: ignore[attr-defined]
        return timed

    def own(self) -> list[tuple[str, float]]:
        """Each middleware's own seconds, and the view's."""
        after = [*self.links[1:], 0.0]
        return [(n, t - a) for n, t, a in zip(self.names, self.links, after, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="holds demo.sqlite3")
    parser.add_argument("--path", action="append", help="a public path (repeatable)")
    parser.add_argument("--requests", type=int, default=2000, help="profiled requests per path")
    parser.add_argument("--top", type=int, default=15, help="functions listed per path")
    args = parser.parse_args()

    db = args.data_dir / "demo.sqlite3"
    if not db.exists():
        sys.exit(f"error: no {db}: run bench/web_bench.py --data-dir {args.data_dir} first")
    os.environ.pop("NARAVARD_DEMO", None)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("NARAVARD_SECRET_KEY", "request-profile-" + "x" * 50)
    os.environ.setdefault("NARAVARD_ALLOWED_HOSTS", "127.0.0.1")

    from django.core.handlers.wsgi import WSGIHandler  # after naravard.wsgi set Django up

    from naravard.wsgi import application

    for path in args.path or PATHS:
        if not (status := _request(application, path)).startswith("200"):
            sys.exit(f"error: {path} answered {status}")
        whole = _per_request(application, path, args.requests)
        print(f"\n{path}: {whole * 1e6:.0f} µs a warm request, all middleware")
        timed = WSGIHandler()
        chain = ChainTimes(timed)
        for _ in range(args.requests):
            _request(timed, path)
        for name, seconds in chain.own():
            print(f"  {seconds / args.requests * 1e6:6.1f} µs  {name}")
        outside = whole - chain.links[0] / args.requests
        print(f"  {outside * 1e6:6.1f} µs  Django's WSGI handler around the chain (at most)")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            _request(application, path)
        profile.disable()
        listing = io.StringIO()
        pstats.Stats(profile, stream=listing).sort_stats("tottime").print_stats(args.top)
        print("\n".join(line for line in listing.getvalue().splitlines() if "/" in line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
