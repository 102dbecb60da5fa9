"""The open API's indicator metadata says whether the latest published period is stale for the
newest published follow-up, with its label, and how many regions have a value in it; the
keys it had before stay as they were."""

import datetime as dt

import pytest

from naravard.report.models import PublishedReport
from tests.helpers import make_followup, store_stale_and_partial

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_2023():
    """Online booking for every region in March 2020, named doctors at the end of 2023 for 12
    regions (both released), and a published 2023 follow-up (data until 31 December 2023)."""
    store_stale_and_partial()
    make_followup("2023", dt.date(2023, 12, 31), dt.date(2024, 3, 1), published=True)


def test_a_stale_latest_period_in_the_metadata(client, published_2023):
    meta = client.get("/api/open/indicators/online_booking_show").json()
    assert meta["periods"] == ["2020-03"] and meta["id"] == "online_booking_show"  # as before
    assert meta["latest_period"] == "2020-03"
    assert meta["stale"] is True
    assert meta["latest_period_label"] == {
        "sv": "senaste tillgängliga: mars 2020",
        "en": "latest available: March 2020",
    }
    assert meta["followup"] == {"name": "2023", "data_until": "2023-12-31"}
    assert meta["coverage"] == [
        {
            "level": "region",
            "period": "2020-03",
            "reported": 21,
            "total": 21,
            "partial": False,
            "text": {
                "sv": "21 av 21 regioner har rapporterat för mars 2020",
                "en": "21 of 21 regions have reported for March 2020",
            },
        }
    ]


def test_an_up_to_date_indicator_with_partial_coverage(client, published_2023):
    listed = {i["id"]: i for i in client.get("/api/open/indicators").json()}
    meta = listed["named_doctor_share"]
    assert meta["stale"] is False
    assert meta["latest_period_label"] == {"sv": "31 december 2023", "en": "31 December 2023"}
    by_level = {c["level"]: c for c in meta["coverage"]}
    assert (by_level["region"]["reported"], by_level["region"]["total"]) == (12, 21)
    assert by_level["region"]["partial"] is True
    assert (
        by_level["region"]["text"]["sv"] == "12 av 21 regioner har rapporterat för 31 december 2023"
    )
    assert by_level["municipality"]["reported"] == 0
    assert listed["online_booking_show"]["stale"] is True


def test_without_a_published_follow_up_nothing_is_judged(client, published_2023):
    PublishedReport.objects.all().delete()
    meta = client.get("/api/open/indicators/online_booking_show").json()
    assert meta["stale"] is None and meta["followup"] is None
    assert meta["latest_period_label"] == {"sv": "mars 2020", "en": "March 2020"}
