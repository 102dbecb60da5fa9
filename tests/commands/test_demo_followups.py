"""`naravard demo` as a user runs it, built once for the module and serving: its two follow-ups'
reports are published and listed, the 2022 report says that the 2021 answers are synthetic,
and the results command run on the demo's store gives the rise in the share with a shared
goal since 2019."""

import json
import os
import socket
import sqlite3
import subprocess
import time
import urllib.request

import pytest

from naravard.demo import status_2021, survey_2021
from tests.commands.test_console_script import SCRIPT, _free_port, naravard

BUILD_SECONDS = 600  # the demo is built before it serves, reports and PDFs included


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's URL and its SQLite file."""
    folder = tmp_path_factory.mktemp("demo")
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    log = folder / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(SCRIPT), "demo", "--port", str(port), "--data-dir", str(folder)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    deadline = time.monotonic() + BUILD_SECONDS
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"naravard demo exited:\n{log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"naravard demo did not serve in time:\n{log.read_text()}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", folder / "demo.sqlite3"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "2 follow-ups" in log.read_text()


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.status, r.read()


def _round_id(db, title: str) -> int:
    with sqlite3.connect(db) as conn:
        ((pk,),) = conn.execute("select id from collect_round where title = ?", (title,))
    return pk


def test_both_followups_reports_are_listed_and_shown(demo):
    url, _db = demo
    _status, listing = _get(url + "/rapporter/")
    page = listing.decode()
    assert "Omställningen till en god och nära vård – uppföljning 2022" in page
    assert "Omställningen till en god och nära vård – uppföljning 2020" in page
    assert page.index("uppföljning 2022") < page.index("uppföljning 2020")  # newest first
    _status, english = _get(url + "/en/rapporter/")  # no English reports: the Swedish ones
    assert "uppföljning 2022" in english.decode() and "uppföljning 2020" in english.decode()

    _status, later = _get(url + "/rapporter/2022/")
    later_html = later.decode()
    assert survey_2021.NOTE_SV in later_html and status_2021.NOTE_SV in later_html
    assert "Demon publicerar rapporten utan faktagranskning" in later_html
    _status, earlier = _get(url + "/rapporter/2020/")
    assert survey_2021.NOTE_SV not in earlier.decode()
    status, pdf = _get(url + "/rapporter/2022/rapport.pdf")
    assert status == 200 and pdf[:4] == b"%PDF"


def test_the_region_page_leads_to_both_reports_and_says_the_2021_answers_are_synthetic(demo):
    url, _db = demo
    _status, body = _get(url + "/region/05/")
    page = body.decode()
    assert '/rapporter/2022/#region-05"' in page and '/rapporter/2020/#region-05"' in page
    assert survey_2021.NOTE_SV in page and status_2021.NOTE_SV in page


def test_the_results_command_gives_the_rise_in_a_shared_goal_on_the_demo(demo):
    _url, db = demo
    env = {k: v for k, v in os.environ.items() if k not in ("NARAVARD_DEMO",)}
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        NARAVARD_SECRET_KEY="cli-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        DJANGO_SETTINGS_MODULE="naravard.settings",
    )
    out = naravard(
        "results",
        "--form",
        "kommunenkat-2021",
        "--round",
        str(_round_id(db, "Enkät till kommunerna 2021")),
        "--compare-with",
        "kommunenkat-2019",
        "--compare-round",
        str(_round_id(db, "Enkät till kommunerna 2019")),
        "--format",
        "json",
        env=env,
    )
    assert out.returncode == 0, out.stderr
    finns = json.loads(out.stdout)["questions"]["2"]["options"]["finns"]
    assert finns["previous_percent"] < 30 < 40 < finns["percent"]
    assert 0 < finns["change_ci_low"] < finns["change_pp"] < finns["change_ci_high"]
