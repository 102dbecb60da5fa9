"""Serve the web application with Waitress (a production-grade pure-Python WSGI server)."""

from __future__ import annotations

import logging
import socket
import threading

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


def _warm_up() -> None:
    """Analyse what is published once, in the background, so that the first visitors do not
    wait for it (a failure here only costs that time later). Imports wait until Django is
    set up, when the server starts."""
    from django.db import connection

    from naravard.publish.open_data import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001 - never take the server down for a warm-up
        logging.getLogger(__name__).exception("warming up the published analyses failed")
    finally:
        connection.close()


def serve(host: str, port: int, threads: int = 8, trusted_proxy: str | None = None) -> None:
    """Block, serving naravard on ``host:port`` until interrupted.

    Behind a TLS-terminating proxy, name its address in ``trusted_proxy``
    (NARAVARD_TRUSTED_PROXY): Waitress then takes the scheme, host and client
    address from that proxy's X-Forwarded-* headers (and from no one else's),
    so Django sees https, CSRF checks pass, HSTS is sent and login rate
    limiting counts real client addresses.
    """
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
    threading.Thread(target=_warm_up, name="naravard-warm-up", daemon=True).start()
    waitress_serve(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="naravard",
        max_request_body_size=MAX_REQUEST_BYTES,
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,
        **proxy,
    )
