"""The signed-in users' indicator API: only analysts see periods that are not released."""

import pytest

from naravard.catalog.catalogue import catalogue
from tests.helpers import store

pytestmark = pytest.mark.django_db
INDICATOR = "named_doctor_share"
RELEASED, UNRELEASED = "2021-12-31", "2022-12-31"


def periods_seen(client, auth: dict) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """The indicator's periods in its metadata and in the catalogue, and every indicator's
    periods in the catalogue, as the caller gets them."""
    one = client.get(f"/api/indicators/{INDICATOR}", **auth)
    listed = client.get("/api/indicators", **auth)
    assert one.status_code == listed.status_code == 200
    everything = {i["id"]: i["periods"] for i in listed.json()}
    return one.json()["periods"], everything[INDICATOR], everything


def test_a_municipality_token_sees_released_periods_only(client, released_named_doctor, token_for):
    auth = token_for("k0180", "municipality_respondent", "0180")
    one, listed, everything = periods_seen(client, auth)
    assert one == listed == [RELEASED]
    assert set(everything) == set(catalogue())  # the catalogue itself is not secret
    assert not any(p for i, p in everything.items() if i != INDICATOR)  # nothing else released


def test_a_region_coordinators_session_sees_released_periods_only(
    client, released_named_doctor, make_user
):
    client.force_login(make_user("r04", "region_coordinator", "04"))
    one, listed, _ = periods_seen(client, {})
    assert one == listed == [RELEASED]
    analysis = client.get(f"/api/indicators/{INDICATOR}/analysis", {"period": "1999"})
    assert analysis.status_code == 403  # before any period is named back to them
    assert UNRELEASED[:4] not in analysis.json()["detail"]


def test_an_analyst_sees_every_stored_period(client, released_named_doctor, token_for):
    auth = token_for("ana", "analyst")
    one, listed, _ = periods_seen(client, auth)
    assert one == listed == [RELEASED, UNRELEASED]
    rows = client.get(f"/api/indicators/{INDICATOR}/analysis", **auth).json()
    assert {r["period"] for r in rows} == {UNRELEASED}
    missing = client.get(f"/api/indicators/{INDICATOR}/analysis", {"period": "1999"}, **auth)
    assert missing.status_code == 404 and "2022" in missing.json()["detail"]  # stored periods


def test_stored_periods_stay_hidden_until_one_is_released(client, token_for):
    for year in range(2000, 2025):
        store(str(year))
    respondent = token_for("k0180", "municipality_respondent", "0180")
    assert periods_seen(client, respondent)[:2] == ([], [])
    analyst = token_for("ana", "analyst")
    assert len(periods_seen(client, analyst)[0]) == 25
