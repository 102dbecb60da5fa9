"""`naravard serve --processes N`: N forked servers share the port, answer together and stop
together (Python runs one thread at a time per process, so one process uses one core)."""

import os
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from tests.commands.test_database_restart import (
    SCRIPT,
    START_SECONDS,
    _database_url,
    _free_port,
    _status,
)

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


def test_two_processes_share_the_port_and_stop_together(tmp_path):
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DATABASE_URL=_database_url(), NARAVARD_DATA_DIR=str(tmp_path))
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(SCRIPT), "serve", "--port", str(port), "--processes", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"naravard serve exited early:\n{log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"naravard serve did not start in {START_SECONDS} s")
                time.sleep(0.3)
        children = _children(proc.pid)
        assert len(children) == 2

        url = f"http://127.0.0.1:{port}"
        paths = ["/api/open/regions", "/api/open/municipalities?region=01", "/"] * 20
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(lambda path: _status(url + path), paths))
        assert statuses == [200] * len(paths)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    assert proc.returncode == 0, log.read_text()
    assert not [pid for pid in children if _alive(pid)]
