"""A database restart costs no request: `naravard serve` keeps its connections for a minute
(CONN_MAX_AGE), and when PostgreSQL drops them (a restart, a failover, pg_terminate_backend)
every request checks its kept connection before using it (CONN_HEALTH_CHECKS) and opens a new
one, instead of failing once per server thread."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from naravard.accounts.models import ApiToken

pytestmark = [
    # the server process reads what this test stored: the data must be committed
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="pg_terminate_backend is PostgreSQL's; SQLite keeps no server connections",
    ),
]

SCRIPT = Path(sys.executable).with_name("naravard")
START_SECONDS = 300  # a busy machine takes its time to start Django and run the system checks
THREADS = 8  # naravard serve's threads per process, each with a connection of its own


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    """The test's own database (made by pytest-django), for the server in another process."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def _status(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _other_backends(sql: str) -> int:
    """Run ``sql`` over the server's connections to this database (not this test's own)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"select count({sql}) from pg_stat_activity "  # noqa: S608 - our own two expressions
            "where datname = current_database() and pid <> pg_backend_pid() "
            "and backend_type = 'client backend'"
        )
        return cursor.fetchone()[0]


@contextmanager
def serving(tmp_path, *options: str):
    """`naravard serve` with ``options`` on the test's database, as production runs it: yields
    the process and its URL once it listens, and stops it (SIGTERM) afterwards."""
    if not SCRIPT.exists():
        pytest.fail(f"the console script is not installed at {SCRIPT}: pip install -e .")
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DATABASE_URL=_database_url(), NARAVARD_DATA_DIR=str(tmp_path))
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(SCRIPT), "serve", "--port", str(port), *options],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_SECONDS
    try:
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
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=120)


@pytest.fixture
def server(tmp_path):
    with serving(tmp_path) as (_proc, url):
        yield url


def test_no_request_fails_after_the_database_drops_every_connection(
    released_named_doctor, make_user, server
):
    _, token = ApiToken.issue(make_user("ana", "analyst"), "test")
    urls = [
        (f"{server}/api/indicators/named_doctor_share/analysis?period=2021", token),
        (f"{server}/api/collect/rounds", token),
        (f"{server}/statistik/named_doctor_share/", None),
        (f"{server}/region/04/", None),
        (f"{server}/api/open/indicators/named_doctor_share/values?period=2021", None),
    ]

    def get(n: int) -> int:
        return _status(*urls[n % len(urls)])

    # every thread of the server takes a request, and with it a connection it keeps
    with ThreadPoolExecutor(2 * THREADS) as pool:
        for _ in range(10):
            assert set(pool.map(get, range(4 * THREADS))) == {200}
            if _other_backends("*") >= THREADS:
                break
    kept = _other_backends("*")
    assert kept >= THREADS // 2, "the server should hold a connection per busy thread"

    assert _other_backends("pg_terminate_backend(pid)") == kept  # the database drops them all

    statuses = [get(n) for n in range(50)]  # one by one: each thread's first request after
    with ThreadPoolExecutor(2 * THREADS) as pool:  # ... and many at once
        statuses += list(pool.map(get, range(150)))
    assert len(statuses) == 200
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}
