"""Serve the web application with Granian: worker processes whose HTTP is handled in Rust,
each running the Django application in a pool of Python threads.

Chosen by measurement (README, "The application alone"): on two cores it answered the API
and the indicator page two to four times as fast as Waitress, with or without forked
processes, and well ahead of gunicorn's threaded workers.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable

MAX_REQUEST_BYTES = 20 * 1024 * 1024  # uploads are at most 10 MB; anything larger is refused
# Connections waiting to be accepted. At a deadline every municipality and region (311) may
# hold one, and a page's visitors come in bursts.
BACKLOG = 1024
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _ready() -> tuple | None:
    """Ready the public pages before listening (site/warm.py); a failure only costs the
    first visitors time. Returns the releases seen, or None if it failed. Imports wait until
    Django is set up, when the server starts."""
    from django.db import connections

    from naravard.site.warm import ready

    started = time.monotonic()
    print("Readying the public pages …", flush=True)
    try:
        seen = ready()
    except Exception:  # noqa: BLE001 - never take the server down for a warm-up
        logging.getLogger(__name__).exception("warming up the public pages failed")
        return None
    finally:
        connections.close_all()  # no connection may be shared by forked processes
    # What was readied lives as long as the process: moved out of the garbage collector's
    # sight, so that no full collection over it stalls a request (and forked processes
    # share its memory pages instead of copying them as the collector touches them).
    gc.collect()
    gc.freeze()
    print(f"Ready in {time.monotonic() - started:.1f} s.", flush=True)
    return seen


def _watch(seen: tuple | None) -> None:
    """Ready the public pages again after every release, in a thread of this process."""
    from naravard.publish.releases import release_facts
    from naravard.site.warm import watch_releases

    if seen is None:
        seen = release_facts()
    threading.Thread(
        target=watch_releases,
        args=(seen, threading.Event()),
        name="naravard-release-watch",
        daemon=True,
    ).start()


def cores() -> int:
    """The cores this process may run on: the default number of server processes."""
    return len(os.sched_getaffinity(0))


def serve(
    host: str,
    port: int,
    threads: int = 8,
    trusted_proxy: str | None = None,
    processes: int | None = None,
) -> None:
    """Block, serving naravard on ``host:port`` until interrupted (SIGINT or SIGTERM).

    ``processes`` worker processes (one per core by default) share the port: Python runs one
    thread at a time per process, so one process uses one core however many ``threads`` it
    has. They are forked after the public pages are readied, so they share what was made;
    they share nothing else but the database (the public cache's version is read from it, see
    ``site/caching.py``). A worker that dies is replaced; one that keeps dying stops the
    server, which then exits with status 1.

    Behind a TLS-terminating proxy, name its address in ``trusted_proxy``
    (NARAVARD_TRUSTED_PROXY): the scheme, host and client address are then taken from that
    proxy's X-Forwarded-* headers (and from no one else's), so Django sees https, CSRF checks
    pass, HSTS is sent and login rate limiting counts real client addresses.
    """
    from granian.constants import Interfaces
    from granian.server import Server

    seen = _ready()  # before forking: the worker processes share what it made
    # Granian forks its workers if fork is the start method, and spawns them otherwise
    # (which would import and ready everything again in each).
    multiprocessing.set_start_method("fork", force=True)
    server = Server(
        "naravard.wsgi:application",
        address=host.strip("[]"),
        port=port,
        interface=Interfaces.WSGI,
        workers=processes or cores(),
        blocking_threads=threads,
        backlog=BACKLOG,
        respawn_failed_workers=True,
        websockets=False,
        log_access=False,
    )
    server.serve(target_loader=lambda: _worker_application(seen, trusted_proxy), wrap_loader=False)


def _worker_application(seen: tuple | None, trusted_proxy: str | None) -> WSGIApp:
    """In each worker process: watch for releases, and the application to serve."""
    from naravard.wsgi import application

    _watch(seen)
    app: WSGIApp = _limit_body(application)
    if trusted_proxy:
        return _from_proxy(app, trusted_proxy)
    return _without_forwarded(app)


def _limit_body(app: WSGIApp) -> WSGIApp:
    """Refuse a request whose body is larger than :data:`MAX_REQUEST_BYTES` before reading it
    (Django reads no body it is not told the length of)."""

    def limited(environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES:
            status = "400 Bad Request" if length < 0 else "413 Content Too Large"
            text = (
                "Ogiltig längd på förfrågan."
                if length < 0
                else f"Förfrågan är för stor (högst {MAX_REQUEST_BYTES // 2**20} MB)."
            )
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [text.encode()]
        return app(environ, start_response)

    return limited


def _without_forwarded(app: WSGIApp) -> WSGIApp:
    """No proxy is trusted: X-Forwarded-* headers are anyone's word, and dropped."""

    def plain(environ: dict, start_response: Callable) -> Iterable[bytes]:
        for name in FORWARDED:
            environ.pop(name, None)
        return app(environ, start_response)

    return plain


def _from_proxy(app: WSGIApp, proxy: str) -> WSGIApp:
    """Take the client's address, the host and the scheme from the X-Forwarded-* headers of
    a request that came from ``proxy``, the last value of each (the one the proxy added); a
    request from any other address has them dropped."""

    def last(environ: dict, name: str) -> str:
        return environ.get(name, "").rsplit(",", 1)[-1].strip()

    def forwarded(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REMOTE_ADDR") == proxy:
            client, host = last(environ, FORWARDED[0]), last(environ, FORWARDED[1])
            scheme = last(environ, FORWARDED[2]).lower()
            if client:
                environ["REMOTE_ADDR"] = client
            if host:
                environ["HTTP_HOST"] = host
            if scheme in ("http", "https"):
                environ["wsgi.url_scheme"] = scheme
        for name in FORWARDED:
            environ.pop(name, None)
        return app(environ, start_response)

    return forwarded
