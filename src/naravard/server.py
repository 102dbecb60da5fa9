"""Serve the web application with Waitress (a production-grade pure-Python WSGI server)."""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import threading
import time

MAX_REQUEST_BYTES = 20 * 1024 * 1024  # uploads are at most 10 MB; anything larger is refused
# Open connections served at once. At a deadline every municipality and region (311) may hold
# one; past Waitress's default of 100 a client could not even connect until another left, however
# idle the worker threads. Waitress then needs poll(), as select() takes at most 1024 sockets.
CONNECTION_LIMIT = 500


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


def serve(
    host: str,
    port: int,
    threads: int = 8,
    trusted_proxy: str | None = None,
    processes: int = 1,
) -> None:
    """Block, serving naravard on ``host:port`` until interrupted.

    Behind a TLS-terminating proxy, name its address in ``trusted_proxy``
    (NARAVARD_TRUSTED_PROXY): Waitress then takes the scheme, host and client
    address from that proxy's X-Forwarded-* headers (and from no one else's),
    so Django sees https, CSRF checks pass, HSTS is sent and login rate
    limiting counts real client addresses.

    ``processes`` > 1 forks that many servers sharing one listening socket: Python runs one
    thread at a time per process, so one process uses one core however many threads it has.
    The processes share nothing but the database (the public cache's version is read from
    it, see ``site/caching.py``); if one ends, the others are stopped and the command fails.
    """
    seen = _ready()  # before forking: the server processes share what it made
    if processes <= 1:
        _serve_here(threads, trusted_proxy, seen, host=host, port=port)
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host.strip("[]"), port), family=family, backlog=1024)
    from django.db import connections

    connections.close_all()  # no connection may be shared by the forked processes
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:  # a server process
            code = 0
            try:
                # Ctrl+C reaches the whole group: the first process stops the others
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                _serve_here(threads, trusted_proxy, seen, sockets=[listener])
            except BaseException:  # noqa: BLE001 - reported, then the process ends
                logging.getLogger(__name__).exception("a server process failed")
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    listener.close()
    _supervise(children)


def _supervise(children: list[int]) -> None:
    """Wait for the server processes; stop all when one ends or this process is told to stop."""

    def stop(signum, frame):  # noqa: ARG001 - a signal handler's signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    failed = False
    try:
        _pid, status = os.wait()  # the first to end, on its own: something went wrong
        failed = True
        logging.getLogger(__name__).error("a server process ended (status %s)", status)
    except KeyboardInterrupt:
        pass
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    if failed:
        raise SystemExit(1)


def _serve_here(threads: int, trusted_proxy: str | None, seen: tuple | None, **where) -> None:
    """Serve in this process, on ``host`` and ``port`` or on open ``sockets``."""
    from waitress import serve as waitress_serve

    from naravard.wsgi import application

    proxy = {}
    if trusted_proxy:
        proxy = dict(
            trusted_proxy=trusted_proxy,
            trusted_proxy_count=1,
            trusted_proxy_headers="x-forwarded-for x-forwarded-host x-forwarded-proto",
            clear_untrusted_proxy_headers=True,
        )
    _watch(seen)
    waitress_serve(
        application,
        threads=threads,
        ident="naravard",
        max_request_body_size=MAX_REQUEST_BYTES,
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,
        **where,
        **proxy,
    )
