"""Commands that work on a database, run as subprocesses against a fresh SQLite file."""

import os
import sqlite3
import subprocess
import sys

import pytest


def run(*args, env, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "naravard.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        input=stdin,
    )


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
    out = run("migrate", env=env)
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
    again = run("migrate", env=sqlite_env)
    assert again.returncode == 0
    assert "0 added, 0 changed" in again.stdout


def test_createuser_binds_role_to_organisation(sqlite_env):
    out = run(
        "createuser",
        "sam",
        "--role",
        "region_coordinator",
        "--org",
        "Region Sörmland",
        "--password-stdin",
        env=sqlite_env,
        stdin="Lingon-Sylt-2024\n",
    )
    assert out.returncode == 0, out.stderr
    assert query(
        sqlite_env,
        "select role, region_id, municipality_id from accounts_user where username='sam'",
    ) == [("region_coordinator", "04", None)]


def test_createuser_lets_the_role_decide_the_level_of_a_name(sqlite_env):
    out = run(
        "createuser",
        "stockholm-respondent",
        "--role",
        "municipality_respondent",
        "--org",
        "Stockholm",
        "--password-stdin",
        env=sqlite_env,
        stdin="Lingon-Sylt-2024\n",
    )
    assert out.returncode == 0, out.stderr  # 'Stockholm' as a municipality is unambiguous
    assert query(
        sqlite_env,
        "select municipality_id from accounts_user where username='stockholm-respondent'",
    ) == [("0180",)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "region_coordinator", "--org", "Götaland"], "Götaland"),
        (["--role", "municipality_respondent"], "needs --org"),
        (["--role", "chief"], "chief"),
    ],
)
def test_createuser_refuses_bad_input(sqlite_env, args, message):
    username = f"bad-{abs(hash(message))}"
    out = run(
        "createuser",
        username,
        *args,
        "--password-stdin",
        env=sqlite_env,
        stdin="Lingon-Sylt-2024\n",
    )
    assert out.returncode != 0
    assert message in out.stderr
    assert query(sqlite_env, f"select count(*) from accounts_user where username='{username}'") == [
        (0,)
    ]


def test_createuser_refuses_weak_password(sqlite_env):
    out = run(
        "createuser", "weak", "--role", "analyst", "--password-stdin", env=sqlite_env, stdin="123\n"
    )
    assert out.returncode != 0 and "too short" in out.stderr


def test_import_population_adds_a_year_all_or_nothing(sqlite_env, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "year;code;sex;population\n2020;Region Sörmland;total;300 000\n"
        "2020;Götaland;total;5\n2020;04;total;1\n2020;0180;both;-3\n",
        encoding="utf-8",
    )
    out = run("refdata", "import-population", str(bad), env=sqlite_env)
    assert out.returncode == 1
    assert "row 3, code" in out.stderr and "Götaland" in out.stderr
    assert "row 4, code: duplicate of row 2" in out.stderr
    assert "row 5, sex" in out.stderr and "row 5, population" in out.stderr
    assert query(sqlite_env, "select count(*) from refdata_population where year=2020") == [(0,)]

    good = tmp_path / "good.csv"
    good.write_text(
        "\ufeffyear,code,sex,population\n2020,Region Sörmland,total,299401\n"
        "2020,04,men,150000\n2020,04,women,149401\n",
        encoding="utf-8",
    )
    dry = run("refdata", "import-population", str(good), "--dry-run", env=sqlite_env)
    assert dry.returncode == 0 and "would add 3" in dry.stdout
    assert query(sqlite_env, "select count(*) from refdata_population where year=2020") == [(0,)]
    out = run("refdata", "import-population", str(good), env=sqlite_env)
    assert out.returncode == 0 and "added 3" in out.stdout
    again = run("refdata", "import-population", str(good), env=sqlite_env)
    assert "added 0 cells, changed 0" in again.stdout
    assert query(
        sqlite_env,
        "select population from refdata_population where year=2020 and "
        "region_id='04' and sex='total'",
    ) == [(299401,)]


def test_import_population_checks_that_men_and_women_add_up(sqlite_env, tmp_path):
    f = tmp_path / "sum.csv"
    f.write_text(
        "year,code,sex,population\n2021,0180,total,10\n2021,0180,men,4\n2021,0180,women,5\n",
        encoding="utf-8",
    )
    out = run("refdata", "import-population", str(f), env=sqlite_env)
    assert out.returncode == 1 and "is not men 4 + women 5" in out.stderr


def test_import_population_refuses_missing_columns(sqlite_env, tmp_path):
    f = tmp_path / "cols.csv"
    f.write_text("år,kommun,antal\n2020,0180,1\n", encoding="utf-8")
    out = run("refdata", "import-population", str(f), env=sqlite_env)
    assert out.returncode == 1 and "missing column(s) year, code, sex, population" in out.stderr


def test_demo_builds_without_serving(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    out = run("demo", "--no-serve", "--data-dir", str(tmp_path), env=env)
    assert out.returncode == 0, out.stderr
    assert "analytiker" in out.stdout and "password 'demo'" in out.stdout
    with sqlite3.connect(tmp_path / "demo.sqlite3") as conn:
        # two analysts (they code the same texts), a coordinator per region, a respondent each
        assert conn.execute("select count(*) from accounts_user").fetchone() == (2 + 21 + 290,)
        assert conn.execute(
            "select count(distinct coder_id) from qualitative_passage"
        ).fetchone() == (2,)


def test_serve_refuses_an_unmigrated_store_and_serves_a_migrated_one(sqlite_env, tmp_path):
    import socket
    import time
    import urllib.request

    fresh = dict(sqlite_env, DATABASE_URL=f"sqlite:///{tmp_path}/empty.sqlite3")
    out = run("serve", "--port", "8799", env=fresh)
    assert out.returncode == 1 and "naravard migrate" in out.stderr

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "naravard.cli", "serve", "--port", str(port)],
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
        proc.wait(timeout=20)


def test_publish_release_list_and_withdraw(sqlite_env, tmp_path):
    data = tmp_path / "named.csv"
    data.write_text("org,period,numerator,denominator\n01,2021,500,1000\n")
    assert (
        run(
            "data", "import", str(data), "--indicator", "named_doctor_share", env=sqlite_env
        ).returncode
        == 0
    )
    assert "Nothing is published" in run("publish", "list", env=sqlite_env).stdout
    refused = run(
        "publish",
        "release",
        "named_doctor_share",
        "--period",
        "2021",
        "--period",
        "2020",
        env=sqlite_env,
    )
    assert refused.returncode == 1
    assert "no stored values of named_doctor_share for 31 December 2020" in refused.stderr
    assert query(sqlite_env, "select count(*) from publish_release") == [(0,)]  # all or nothing
    done = run(
        "publish",
        "release",
        "named_doctor_share",
        "--period",
        "2021",
        "--note",
        "annual",
        env=sqlite_env,
    )
    assert done.returncode == 0
    assert "Released named_doctor_share for 31 December 2021" in done.stdout
    assert "named_doctor_share\t2021-12-31" in run("publish", "list", env=sqlite_env).stdout
    gone = run(
        "publish",
        "withdraw",
        "named_doctor_share",
        "--period",
        "2021-12-31",
        "--note",
        "wrong",
        env=sqlite_env,
    )
    assert gone.returncode == 0
    assert "Nothing is published" in run("publish", "list", env=sqlite_env).stdout


def test_coding_refresh_collects_texts_of_earlier_submissions(sqlite_env):
    """Texts submitted before coding existed are collected once; the index is rebuilt."""
    import json

    db = sqlite_env["_DB"]
    answers = {"3.kommentar": "Vi har startat mobila team med hemsjukvården."}
    with sqlite3.connect(db) as conn:
        conn.execute(
            "insert into collect_round (form_id, form_version, form_sha256, form_source,"
            " title, deadline, opened_at, is_published) values ('kommunenkat-2019', 1,"
            " '', '', 'Äldre omgång', '2020-01-27', '2019-12-16', 0)"
        )
        rnd = conn.execute("select max(id) from collect_round").fetchone()[0]
        conn.execute(
            "insert into collect_response (round_id, municipality_id, status, version,"
            " submitted_answers) values (?, '2584', 'submitted', 1, ?)",
            (rnd, json.dumps(answers)),
        )
    first = run("coding", "refresh", env=sqlite_env)
    assert first.returncode == 0, first.stderr
    assert "1 new texts" in first.stderr
    again = run("coding", "refresh", env=sqlite_env)
    assert "0 new texts" in again.stderr and "1 sentences in the search index" in again.stderr
    with sqlite3.connect(db) as conn:
        hit = conn.execute(
            "select rowid from qualitative_segment_fts where "
            "qualitative_segment_fts match 'hemsjukvård'"
        ).fetchall()
        suggested = conn.execute("select themes from qualitative_suggestion").fetchall()
    assert len(hit) == 1 and suggested == [('["mobila_team"]',)]
