"""Indicator data on the command line: import with aliases, show as JSON, refusals of bad and
huge files, listing and checks, run in this process on the test's database."""

import json
from importlib import resources

import pytest

from naravard.ingest.models import IndicatorValue

pytestmark = pytest.mark.django_db
TABELL_2 = resources.files("naravard.demo").joinpath("data", "tabell2-webbtidbok-2020-03.csv")


def test_command_line_import_show_and_refusals(cli, tmp_path):
    refused = cli("data", "import", str(TABELL_2))
    assert (
        refused.returncode == 1 and "Götaland" in refused.stderr and "Norrbottnen" in refused.stderr
    )
    ok = cli("data", "import", str(TABELL_2), "--alias", "Götaland=09", "--alias", "Norrbottnen=25")
    assert ok.returncode == 0 and "added 42" in ok.stdout
    shown = cli(
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

    def stored():
        return IndicatorValue.objects.count()

    before = stored()
    huge = cli("data", "import", str(big), "--indicator", "named_doctor_share")
    assert huge.returncode == 1 and "line 1 is longer than 4194304 characters" in huge.stderr
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text("org;period;value\n01;2022;sextio\n", encoding="utf-8")
    bad = cli("data", "import", str(semicolons), "--indicator", "named_doctor_share")
    assert bad.returncode == 1 and "'sextio' is not a number" in bad.stderr
    assert stored() == before
    listing = cli("indicators", "list")
    assert "online_booking_show\tcount" in listing.stdout
    assert cli("data", "check", "--period", "2020-03").returncode == 0
