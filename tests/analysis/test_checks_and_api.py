"""Indicator checks (rules and outliers) and the indicators API for signed-in users."""

import pytest

from naravard.analysis.checks import check_period
from naravard.ingest.importer import import_file


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
