"""Stale and partial data said aloud on the public pages: with a published 2023 follow-up, an
indicator whose latest released period is March 2020 is shown as "senaste tillgängliga: mars
2020", never as current; an up-to-date one is not; a period only some regions reported says
how many did."""

import datetime as dt
import re

import pytest

from naravard.report.models import FollowUp
from tests.helpers import make_followup, page_words, store_stale_and_partial

pytestmark = pytest.mark.django_db

STALE = "senaste tillgängliga: mars 2020"


@pytest.fixture
def data():
    """Online booking for every region in March 2020 and named doctors at the end of 2023 for
    12 regions, both released."""
    store_stale_and_partial()


def followup(published: bool) -> FollowUp:
    return make_followup("2023", dt.date(2023, 12, 31), dt.date(2024, 3, 1), published=published)


def test_a_stale_latest_period_is_the_latest_available(client, data):
    followup(published=True)
    body = page_words(client.get("/statistik/online_booking_show/"))
    assert (
        f"Äldre uppgifter – {STALE}. Uppföljning 2023 gäller perioder till och med 31 december 2023"
        in body
    )
    assert "har rapporterat för" not in body  # every region reported
    assert "Riket, " + STALE in page_words(client.get("/"))  # the overview's card
    region = page_words(client.get("/region/01/"))
    assert re.search(r"Mottagningar med webbtidbok som visar tider \([^)]*\) " + STALE, region)


def test_in_english(client, data):
    followup(published=True)
    body = page_words(client.get("/en/statistik/online_booking_show/"))
    assert "Older data – latest available: March 2020. Follow-up 2023 covers periods" in body


def test_an_up_to_date_indicator_has_no_such_note_and_says_how_many_reported(client, data):
    followup(published=True)
    body = page_words(client.get("/statistik/named_doctor_share/"))
    assert "senaste tillgängliga" not in body and "Äldre uppgifter" not in body
    assert "12 av 21 regioner har rapporterat för 31 december 2023." in body
    assert "12 av 21 regioner har rapporterat för 31 december 2023." in page_words(client.get("/"))
    english = page_words(client.get("/en/statistik/named_doctor_share/"))
    assert "12 of 21 regions have reported for 31 December 2023." in english


def test_before_a_follow_up_is_published_nothing_is_called_stale(client, data):
    followup(published=False)
    body = page_words(client.get("/statistik/online_booking_show/"))
    assert "senaste tillgängliga" not in body
    assert "mars 2020" in body
