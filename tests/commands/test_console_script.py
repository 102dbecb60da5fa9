"""The console script in a process of its own, where a process is what is tested: settings
read at start (secret key, demo flag, database URL), the database error caught at the top, a
fresh store migrated, the demo built and the server serving."""

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("naravard")  # installed by pip beside the interpreter


def naravard(*args, env, stdin=None):
    """Run the installed ``naravard`` script in a new process, as a user would."""
    if not SCRIPT.exists():
        pytest.fail(f"the console script is not installed at {SCRIPT}: pip install -e .")
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        input=stdin,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refusal_to_start_without_secret_key_outside_demo(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_SECRET_KEY", "NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.sqlite3"
    out = naravard("migrate", env=env)
    assert out.returncode != 0 and "NARAVARD_SECRET_KEY" in out.stderr
    env["NARAVARD_SECRET_KEY"] = "naravard-demo-only-not-secret"
    out = naravard("migrate", env=env)
    assert out.returncode != 0 and "demo secret key" in out.stderr


def _env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["NARAVARD_SECRET_KEY"] = "a-long-enough-secret-key-for-the-tests-0123456789"
    env.update(extra)
    return env


def test_unreachable_database_is_one_clear_line():
    out = naravard("migrate", env=_env(DATABASE_URL="postgresql://postgres@127.0.0.1:5999/none"))
    assert out.returncode == 1
    assert "the database cannot be used" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.splitlines()) <= 3


def test_short_secret_key_and_demo_flag_on_a_real_database_are_refused(tmp_path):
    out = naravard(
        "migrate",
        env=_env(NARAVARD_SECRET_KEY="short", DATABASE_URL=f"sqlite:///{tmp_path}/a.sqlite3"),
    )
    assert out.returncode != 0 and "too short" in out.stderr
    out = naravard(
        "migrate", env=_env(NARAVARD_DEMO="1", DATABASE_URL=f"sqlite:///{tmp_path}/a.sqlite3")
    )
    assert out.returncode != 0 and "demo's own SQLite file" in out.stderr


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    env = {
        k: v for k, v in os.environ.items() if k not in ("NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{folder}/store.sqlite3",
        NARAVARD_SECRET_KEY="cli-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        NARAVARD_DATA_DIR=str(folder),
    )
    out = naravard("migrate", env=env)
    assert out.returncode == 0, out.stderr
    assert "Database up to date" in out.stdout
    env["_DB"] = f"{folder}/store.sqlite3"
    return env


def query(env, sql):
    with sqlite3.connect(env["_DB"]) as conn:
        return conn.execute(sql).fetchall()


def test_migrate_creates_store_with_reference_data_and_is_repeatable(sqlite_env):
    assert query(sqlite_env, "select count(*) from refdata_region") == [(21,)]
    assert query(sqlite_env, "select count(*) from refdata_municipality") == [(290,)]
    again = naravard("migrate", env=sqlite_env)
    assert again.returncode == 0
    assert "0 added, 0 changed" in again.stdout


def test_demo_builds_without_serving(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    out = naravard("demo", "--no-serve", "--data-dir", str(tmp_path), env=env)
    assert out.returncode == 0, out.stderr
    assert "analytiker" in out.stdout and "password 'demo'" in out.stdout
    with sqlite3.connect(tmp_path / "demo.sqlite3") as conn:
        # two analysts (they code the same texts), a coordinator per region, a respondent each
        assert conn.execute("select count(*) from accounts_user").fetchone() == (2 + 21 + 290,)
        assert conn.execute(
            "select count(distinct coder_id) from qualitative_passage"
        ).fetchone() == (2,)


def test_serve_refuses_an_unmigrated_store_and_serves_a_migrated_one(sqlite_env, tmp_path):
    import time
    import urllib.request

    fresh = dict(sqlite_env, DATABASE_URL=f"sqlite:///{tmp_path}/empty.sqlite3")
    out = naravard("serve", "--port", str(_free_port()), env=fresh)
    assert out.returncode == 1 and "naravard migrate" in out.stderr

    port = _free_port()
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port)],
        env=dict(sqlite_env, NARAVARD_TRUSTED_PROXY="127.0.0.1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/region/04/", timeout=2) as r:
                    body = r.read().decode()
                    headers = r.headers
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("naravard serve did not answer")
        assert "Region Sörmland" in body
        assert "Demoversion" not in body  # not the demo
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Set-Cookie"] is None  # a public page is the same for everyone
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/konto/logga-in/", timeout=5) as r:
            cookie = r.headers["Set-Cookie"]
        assert "csrftoken=" in cookie and "Secure" in cookie
        assert "Strict-Transport-Security" not in headers  # plain http from the proxy's view
        behind_tls = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(behind_tls, timeout=5) as r:
            assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0].decode()
    assert "Ready in" in output  # the public pages were readied first (site/warm.py)
