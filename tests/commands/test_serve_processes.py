"""`naravard serve --processes N`: N forked servers share the port, answer together and stop
together (Python runs one thread at a time per process, so one process uses one core)."""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from tests.commands.test_database_restart import _status, serving

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the server processes need a database another process can open (SQLite's test "
        "database is in memory)",
    ),
]


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def _forked(pid: int, n: int, seconds: float = 120) -> list[int]:
    """The server's children once there are ``n`` (the first may answer on the port before
    the others are forked, on a busy machine), or what there is after ``seconds``."""
    deadline = time.monotonic() + seconds
    children = _children(pid)
    while len(children) < n and time.monotonic() < deadline:
        time.sleep(0.2)
        children = _children(pid)
    return children


def test_two_processes_share_the_port_and_stop_together(tmp_path):
    with serving(tmp_path, "--processes", "2") as (proc, url):
        children = _forked(proc.pid, 2)
        assert len(children) == 2
        paths = ["/api/open/regions", "/api/open/municipalities?region=01", "/"] * 20
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(lambda path: _status(url + path), paths))
        assert statuses == [200] * len(paths)
    assert proc.returncode == 0  # stopped by SIGTERM, as asked
    assert not [pid for pid in children if _alive(pid)]
