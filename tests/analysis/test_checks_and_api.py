"""Indicator output: the CLI contract, the API, the analyst pages, checks, large files."""

import json
import os
import subprocess
import sys
from importlib import resources

import pytest

from naravard.analysis.checks import check_period
from naravard.ingest.importer import import_file

TABELL_2 = resources.files("naravard.demo").joinpath("data", "tabell2-webbtidbok-2020-03.csv")


@pytest.fixture
def tabell_2(db):
    data = TABELL_2.read_bytes()
    return import_file(
        "t.csv",
        None,
        data=data,
        name="t.csv",
        aliases=["Götaland=09", "Norrbottnen=25"],
        actor="test",
    )


def test_checks_find_the_rule_violation_and_the_outlier(tabell_2):
    import_file(
        "bad.csv",
        "online_booking_book",
        data=b"org,period,value\n03,2020-03,500\n",
        name="bad.csv",
        actor="test",
    )
    findings = check_period("2020-03")
    rules = [f for f in findings if f.kind == "rule"]
    assert [(f.indicator, f.org) for f in rules] == [("online_booking_book", "03")]  # once
    assert any(
        f.kind == "regions" and f.org == "13" and f.indicator.endswith("per_100k") for f in findings
    )  # Halland stands out per 100 000 residents


@pytest.mark.django_db
def test_api_catalogue_and_analysis(client, tabell_2, make_user):
    catalogue = client.get("/api/indicators")
    assert catalogue.status_code == 401  # an account is needed (public open data is later)
    client.force_login(make_user("k", "municipality_respondent", "0180"))
    ids = {i["id"] for i in client.get("/api/indicators").json()}
    assert "named_doctor_share" in ids
    meta = client.get("/api/indicators/named_doctor_share").json()
    assert meta["versions"][0]["target"]["value"] == 55
    assert client.get("/api/indicators/online_booking_book/analysis").status_code == 403
    client.force_login(make_user("ana", "analyst"))
    rows = client.get("/api/indicators/online_booking_book_per_100k/analysis?period=2020-03").json()
    assert len(rows) == 22 and rows[-1]["org"] == "00"
    assert client.get("/api/indicators/nonexistent").status_code == 404


@pytest.mark.django_db
def test_analyst_pages(client, tabell_2, make_user):
    assert client.get("/indikatorer/").status_code == 302
    client.force_login(make_user("k", "region_coordinator", "01"))
    assert client.get("/indikatorer/").status_code == 403
    client.force_login(make_user("ana", "analyst"))
    listing = client.get("/indikatorer/").content.decode()
    assert 'href="/indikatorer/online_booking_show/"' in listing
    page = client.get("/indikatorer/online_booking_book_per_100k/?period=2020-03")
    html = page.content.decode().replace("\xa0", " ")
    assert page.status_code == 200 and "Region Halland" in html and "148,0" in html
    assert client.get("/indikatorer/online_booking_book/?period=1999").status_code == 404
    assert client.get("/indikatorer/online_booking_book/?alder=99-100").status_code == 404
    assert client.get("/indikatorer/online_booking_book/?alder=65-79").status_code == 200
    assert client.get("/indikatorer/okand/").status_code == 404


def _cli_env(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        NARAVARD_DATA_DIR=str(tmp_path),
        NARAVARD_SECRET_KEY="indicator-cli-secret-0123456789-abcdefghijkl",
    )
    return env


def cli(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "naravard.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_command_line_import_show_and_refusals(tmp_path):
    env = _cli_env(tmp_path)
    assert cli(env, "migrate").returncode == 0
    refused = cli(env, "data", "import", str(TABELL_2))
    assert (
        refused.returncode == 1 and "Götaland" in refused.stderr and "Norrbottnen" in refused.stderr
    )
    ok = cli(
        env, "data", "import", str(TABELL_2), "--alias", "Götaland=09", "--alias", "Norrbottnen=25"
    )
    assert ok.returncode == 0 and "added 42" in ok.stdout
    shown = cli(
        env,
        "indicators",
        "show",
        "online_booking_show_per_100k",
        "--period",
        "2020-03",
        "--format",
        "json",
    )
    rows = json.loads(shown.stdout)
    assert {r["org"] for r in rows} >= {"01", "09", "25", "00"}
    for key in (
        "org",
        "period",
        "sex",
        "value",
        "numerator",
        "denominator",
        "ci_low",
        "ci_high",
        "vs_national",
        "target_reached",
        "suppressed",
    ):
        assert key in rows[0]
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    import sqlite3

    def stored():
        with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
            return conn.execute("select count(*) from ingest_indicatorvalue").fetchone()[0]

    before = stored()
    huge = cli(env, "data", "import", str(big), "--indicator", "named_doctor_share")
    assert huge.returncode == 1 and "larger than 10 MB" in huge.stderr
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text("org;period;value\n01;2022;sextio\n", encoding="utf-8")
    bad = cli(env, "data", "import", str(semicolons), "--indicator", "named_doctor_share")
    assert bad.returncode == 1 and "'sextio' is not a number" in bad.stderr
    assert stored() == before
    listing = cli(env, "indicators", "list")
    assert "online_booking_show\tcount" in listing.stdout
    assert cli(env, "data", "check", "--period", "2020-03").returncode == 0
