"""The signed-in indicator API's metadata judges the latest period the caller sees: analysts
their stored periods against the newest follow-up (published or not), everyone else the
released periods against the newest published one."""

import datetime as dt

import pytest

from naravard.ingest.importer import import_file
from naravard.publish.releases import release
from naravard.refdata import files
from naravard.report.models import FollowUp
from tests.helpers import make_followup

pytestmark = pytest.mark.django_db
INDICATOR = "online_booking_show"


def store(period: str, regions: int = 21):
    lines = ["org,period,value"]
    lines += [f"{r.code},{period},{10 + i}" for i, r in enumerate(files.regions()[:regions])]
    import_file("b.csv", INDICATOR, data="\n".join(lines).encode(), name="b.csv", actor="t")


def followup(name: str, until: dt.date, published: bool) -> FollowUp:
    return make_followup(name, until, until + dt.timedelta(days=60), published=published)


@pytest.fixture
def stored():
    """March 2020 released for every region; November 2023 stored, not released, for 12."""
    store("2020-03")
    release(INDICATOR, "2020-03", actor="t")
    store("2023-11", regions=12)
    followup("2023", dt.date(2023, 12, 31), published=True)


def test_an_analyst_sees_the_stored_latest_period_current_and_its_coverage(
    client, stored, token_for
):
    meta = client.get(f"/api/indicators/{INDICATOR}", **token_for("ana", "analyst")).json()
    assert meta["periods"] == ["2020-03", "2023-11"]
    assert meta["latest_period"] == "2023-11" and meta["stale"] is False
    assert meta["latest_period_label"]["sv"] == "november 2023"
    (region,) = meta["coverage"]
    assert (region["reported"], region["total"], region["partial"]) == (12, 21, True)
    assert region["text"]["sv"] == "12 av 21 regioner har rapporterat för november 2023"


def test_others_see_the_released_latest_period_as_the_latest_available(client, stored, token_for):
    auth = token_for("k0180", "municipality_respondent", "0180")
    meta = client.get(f"/api/indicators/{INDICATOR}", **auth).json()
    assert meta["periods"] == ["2020-03"]
    assert meta["stale"] is True
    assert meta["latest_period_label"]["sv"] == "senaste tillgängliga: mars 2020"
    assert meta["coverage"][0]["reported"] == 21
    listed = {i["id"]: i for i in client.get("/api/indicators", **auth).json()}
    assert listed[INDICATOR]["stale"] is True
    assert listed["care_guarantee_3d"]["latest_period"] is None  # nothing released
    assert listed["care_guarantee_3d"]["stale"] is None


def test_analysts_judge_by_the_follow_up_they_prepare(client, stored, token_for):
    followup("2024", dt.date(2024, 12, 31), published=False)
    auth = token_for("ana", "analyst")
    meta = client.get(f"/api/indicators/{INDICATOR}", **auth).json()
    assert meta["followup"] == {"name": "2024", "data_until": "2024-12-31"}
    assert meta["stale"] is True  # November 2023 is old for a follow-up until December 2024
    listed = {i["id"]: i for i in client.get("/api/indicators", **auth).json()}
    assert listed[INDICATOR]["latest_period_label"]["en"] == "latest available: November 2023"
    public = client.get(f"/api/open/indicators/{INDICATOR}").json()
    assert public["followup"]["name"] == "2023"  # the public: the newest published one
