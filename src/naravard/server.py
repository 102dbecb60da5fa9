"""Serve the web application with Waitress (a production-grade pure-Python WSGI server)."""

from __future__ import annotations

import socket


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def serve(host: str, port: int, threads: int = 8) -> None:
    """Block, serving naravard on ``host:port`` until interrupted."""
    from waitress import serve as waitress_serve

    from naravard.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="naravard")
