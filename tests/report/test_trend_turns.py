"""The report words a trend that turns where it words trends: each region's profile."""

import datetime as dt

import pytest
from django.utils import translation

from naravard.report.content import build_report
from tests.helpers import make_followup, store_turning_digital_shares

pytestmark = pytest.mark.django_db

NAME = {
    "sv": "Andel digitala kontakter i primärvården",
    "en": "Share of primary-care contacts that are digital",
}


def _trend_of(report, region: str) -> str:
    table = next(b for b in report.blocks() if b.key == f"profil-{region}-indikatorer")
    row = next(r for r in table.rows if r[0] == NAME[report.lang])
    return row[table.header.index("Trend")]


def test_a_regions_profile_says_the_turn():
    store_turning_digital_shares()
    followup = make_followup("2024", dt.date(2023, 12, 31), dt.date(2024, 6, 15))
    with translation.override("sv"):
        swedish = build_report(followup)
    assert _trend_of(swedish, "14") == "ökade 2019–2021 och minskade därefter"
    assert _trend_of(swedish, "01") == "ökar"  # no turn: the last points' test
    with translation.override("en"):
        english = build_report(followup)
    assert _trend_of(english, "14") == "increased 2019–2021 and decreased after that"
    assert _trend_of(english, "01") == "increasing"
