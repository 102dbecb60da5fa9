"""A region's or municipality's page charts the last ten years of each indicator; the file of
its history holds every published period, with the numbers of the open API."""

import pytest

from naravard.site.statistics_views import AREA_HISTORY_YEARS, recent_periods
from tests.public_site.test_downloads import table_and_facts

pytestmark = pytest.mark.django_db
FIRST, LAST = 2008, 2023  # sixteen years of named-doctor shares, every one released


@pytest.fixture
def sixteen_years(db):
    from naravard.ingest.importer import import_file
    from naravard.publish.releases import release
    from naravard.refdata import files

    lines = ["org,period,sex,numerator,denominator"]
    for i, region in enumerate(files.regions()):
        for year in range(FIRST, LAST + 1):
            n = 300 + 10 * (year - FIRST) + i
            lines.append(f"{region.code},{year},T,{n},1000")
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )
    for year in range(FIRST, LAST + 1):
        release("named_doctor_share", str(year), actor="test")


def test_recent_periods_are_the_last_years_of_the_latest_whatever_their_length():
    years = [str(y) for y in range(2000, 2024)]
    assert recent_periods(years) == years[-AREA_HISTORY_YEARS:]
    months = [f"{y}-{m:02d}" for y in (2012, 2013, 2014) for m in range(1, 13)]
    assert recent_periods(months, years=2) == months[12:]
    assert recent_periods(["2001", "2023"]) == ["2023"]  # a gap: only what is recent
    assert recent_periods([]) == []


def test_the_region_page_charts_the_last_ten_years(client, sixteen_years):
    html = client.get("/region/05/").content.decode()
    assert f"De senaste {AREA_HISTORY_YEARS} åren." in html
    shown = [y for y in range(FIRST, LAST + 1) if f"<td>31 december {y}" in html]
    assert shown == list(range(LAST - AREA_HISTORY_YEARS + 1, LAST + 1))
    assert "/region/05/historik.csv" in html and "/region/05/historik.xlsx" in html
    english = client.get("/en/region/05/").content.decode()
    assert f"The last {AREA_HISTORY_YEARS} years." in english


def test_the_history_file_holds_every_period_with_the_apis_numbers(client, sixteen_years):
    response = client.get("/region/05/historik.csv")
    assert response.status_code == 200
    assert 'filename="05-historik.csv"' in response["Content-Disposition"]
    frame, about = table_and_facts(response.content, ";", ",")
    assert list(frame.columns) == [
        "Indikator", "Enhet", "Period", "Region Östergötland", "Riket", "Tidsseriebrott",
    ]  # fmt: skip
    assert len(frame) == LAST - FIRST + 1
    for year, row in zip(range(FIRST, LAST + 1), frame.itertuples(), strict=True):
        api = client.get(
            "/api/open/indicators/named_doctor_share/values", {"period": str(year)}
        ).json()
        by_org = {r["org"]: r for r in api}
        assert row.Period == f"31 december {year}"
        assert row[4] == round(by_org["05"]["value"], 1)
    assert about["Område"] == "Region Östergötland" and about["Licens"]
    english, _about = table_and_facts(client.get("/en/region/05/historik.csv").content, ",", ".")
    assert list(english.columns)[:3] == ["Indicator", "Unit", "Period"]
    assert len(english) == LAST - FIRST + 1


def test_a_page_with_a_short_history_says_no_years(client, released_named_doctor):
    html = client.get("/region/05/").content.decode()
    assert "De senaste" not in html


def test_a_municipality_history_file_has_its_group_and_even_one_period(
    client, municipal_readmissions
):
    frame, _about = table_and_facts(client.get("/kommun/0180/historik.csv").content, ";", ",")
    assert "Kommungruppen Storstäder" in frame.columns
    assert list(frame["Period"]) == [2021]  # a year, read as a number
    assert "/kommun/0180/historik.csv" not in client.get("/kommun/0180/").content.decode()
