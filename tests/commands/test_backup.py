"""Backups as the README's operations section makes them: a populated store dumped with pg_dump
and restored with pg_restore into a new database (on SQLite, copied with sqlite3's .backup)
answers `naravard results`, `naravard indicators show` and the open-data APIs byte for byte as
the original does. Everything naravard serves lives in the database."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# the commands read the store from other processes: the data must be committed
pytestmark = pytest.mark.django_db(transaction=True)
ENGINE = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]  # postgresql or sqlite3

OPEN_DATA = [
    "/api/open/indicators",
    "/api/open/indicators/named_doctor_share/values?period=2021",
    "/api/open/indicators/named_doctor_share/values?period=2021&format=csv",
    "/kolada/v3/data/?kpi_id=named_doctor_share&year=2021",
    "/api/v2/tables/named_doctor_share/metadata?lang=sv",
    "/api/v2/tables/named_doctor_share/data?lang=sv",
    "/statistik/named_doctor_share/",
]
# what naravard answers on DATABASE_URL, in a process of its own: two commands of the command
# line, then the open-data URLs through the whole application (middleware, cache, views)
ANSWER = """
import json, sys
from typer.testing import CliRunner
from naravard.cli import app

def command(*args):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout

answers = {
    "results": json.loads(command("results", "--form", "kommunenkat-2019", "--format", "json")),
    "indicators show": command(
        "indicators", "show", "named_doctor_share", "--period", "2021", "--format", "json"
    ),
}
from django.test import Client  # Django is set up by the command line

client = Client(SERVER_NAME="localhost")
for url in sys.argv[1:]:
    got = client.get(url)
    body = b"".join(got.streaming_content) if got.streaming else got.content
    answers[url] = [got.status_code, body.decode()]
print(json.dumps(answers))
"""


def _run(*args: str, env: dict | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, f"{' '.join(args)}: {done.stderr}"
    return done.stdout


def answers(database_url: str, data_dir: Path) -> dict[str, object]:
    """What naravard answers on this database (see ANSWER)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DATABASE_URL=database_url, NARAVARD_DATA_DIR=str(data_dir))
    return json.loads(_run(sys.executable, "-c", ANSWER, *OPEN_DATA, env=env))


def _postgresql_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


@pytest.fixture
def restored_postgresql(tmp_path):
    """The test's database dumped and restored into a new one, as the README says: the two
    databases' URLs. The new database is dropped after."""
    original = _postgresql_url(settings.DATABASES["default"]["NAME"])
    name = f"{settings.DATABASES['default']['NAME']}_restored_{os.getpid()}"
    restored = _postgresql_url(name)
    dump = tmp_path / "naravard.dump"
    maintenance = ("--maintenance-db", _postgresql_url("postgres"))
    _run("pg_dump", "--format=custom", f"--file={dump}", original)
    _run("dropdb", *maintenance, "--if-exists", "--force", name)
    _run("createdb", *maintenance, "--template=template0", name)
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump))
        yield original, restored
    finally:
        _run("dropdb", *maintenance, "--if-exists", "--force", name)


@pytest.mark.skipif(
    ENGINE != "postgresql",
    reason="pg_dump and pg_restore are PostgreSQL's; SQLite's backup is tested beside",
)
def test_a_restored_postgresql_dump_answers_as_the_original(
    survey_round, released_named_doctor, restored_postgresql, tmp_path
):
    original, restored = restored_postgresql
    before = answers(original, tmp_path / "a")
    after = answers(restored, tmp_path / "b")
    assert before["results"]["responded"] == 226
    assert all(before[url][0] == 200 for url in OPEN_DATA), before
    assert '"named_doctor_share"' in before["/api/open/indicators"][1]
    assert after == before


@pytest.mark.skipif(
    ENGINE != "sqlite3",
    reason="sqlite3's .backup is the demo's (SQLite) backup; PostgreSQL's is tested beside",
)
def test_a_copy_made_with_sqlites_backup_answers_as_the_original(
    survey_round, released_named_doctor, tmp_path
):
    live = tmp_path / "live.sqlite3"  # the test database (in memory) as a file the commands read
    connection.ensure_connection()
    with sqlite3.connect(live) as target:
        connection.connection.backup(target)
    target.close()
    _run("sqlite3", str(live), f".backup {tmp_path / 'backup.sqlite3'}")
    before = answers(f"sqlite:///{live}", tmp_path / "a")
    after = answers(f"sqlite:///{tmp_path / 'backup.sqlite3'}", tmp_path / "b")
    assert before["results"]["responded"] == 226
    assert all(before[url][0] == 200 for url in OPEN_DATA), before
    assert after == before
