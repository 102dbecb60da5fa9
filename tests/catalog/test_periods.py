"""One rule for naming a period, wherever a person types or reads one: a year is the year, or
the point at its end for a point-in-time indicator (2022 is 31 December 2022); a month
likewise. People read "31 december 2022", "mars 2020", "2022"; machine outputs keep the codes."""

import json
import re
from importlib import resources

import pytest
from django.test import Client

from naravard.catalog.catalogue import PeriodError, get_indicator, period_code, period_label
from naravard.ingest.importer import import_file
from naravard.publish.releases import ReleaseError, release, withdraw
from naravard.refdata import files
from tests.helpers import answer_json

ISO = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")  # a period or day as a machine writes it
TABELL_2 = resources.files("naravard.demo").joinpath("data", "tabell2-webbtidbok-2020-03.csv")


# ---- the rule and the display form ------------------------------------------------------


def test_periods_read_as_people_write_them():
    assert period_label("2022-12-31", "sv") == "31 december 2022"
    assert period_label("2020-03", "sv") == "mars 2020"
    assert period_label("2022", "sv") == "2022"
    assert period_label("2022-12-31", "en") == "31 December 2022"
    assert period_label("2020-03", "en") == "March 2020"
    assert period_label("2020-03-05", "en") == "5 March 2020"


def test_typed_periods_follow_the_indicators_rule():
    point, month, year = (
        get_indicator("named_doctor_share"),
        get_indicator("care_guarantee_3d"),
        get_indicator("readmission_30d"),
    )
    stored = ["2020-03-31", "2021-12-31", "2022-12-31"]
    assert point.find_period("2022", stored) == "2022-12-31"
    assert point.find_period("2022-12-31", stored) == "2022-12-31"
    assert point.find_period("2020-03", stored) == "2020-03-31"  # the month's last day
    assert point.find_period("31 december 2022", stored) == "2022-12-31"  # as shown
    assert month.find_period("2020-03", ["2020-02", "2020-03"]) == "2020-03"
    assert month.find_period("mars 2020", ["2020-03"]) == "2020-03"
    assert month.find_period("2020M03", ["2020-03"]) == "2020-03"  # PxWeb's code
    assert year.find_period("2022", ["2021", "2022"]) == "2022"
    assert period_code("March 2020") == "2020-03"


def test_a_wrong_period_is_named_in_swedish_with_the_periods_there_are():
    point = get_indicator("named_doctor_share")
    with pytest.raises(PeriodError) as unknown:
        point.find_period("2023", ["2021-12-31", "2022-12-31"], published=True)
    message = unknown.value.message("sv")
    assert "inga publicerade värden för 31 december 2023" in message
    assert "Publicerade perioder: 31 december 2021, 31 december 2022." in message
    assert not ISO.search(message)
    with pytest.raises(PeriodError) as malformed:
        point.find_period("22-12", ["2022-12-31"])
    message = malformed.value.message("sv")
    assert message.startswith(
        "”22-12” är ingen period för named_doctor_share: ange ett år (2022 "
        "betyder 31 december 2022)"
    )
    assert "Lagrade perioder: 31 december 2022." in message
    with pytest.raises(PeriodError, match="ange en månad"):
        get_indicator("care_guarantee_3d").find_period("2020", ["2020-03"])
    with pytest.raises(PeriodError, match="ange ett år"):
        get_indicator("readmission_30d").find_period("2020-03", ["2020"])


def test_a_long_list_of_periods_is_shortened():
    months = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in range(1, 13)]
    with pytest.raises(PeriodError) as exc:
        get_indicator("care_guarantee_3d").find_period("2018-01", months)
    assert (
        "januari 2019, februari 2019, mars 2019 … oktober 2021, november 2021, december "
        "2021 (36 perioder)" in exc.value.message("sv")
    )


# ---- the command line -------------------------------------------------------------------


@pytest.mark.django_db
def test_command_line_finds_the_31_december_values_by_the_year(cli, tmp_path):
    data = tmp_path / "named.csv"
    data.write_text(
        "org,period,numerator,denominator\n01,2021,480,1000\n01,2022,500,1000\n03,2022,400,1000\n"
    )
    imported = cli("data", "import", str(data), "--indicator", "named_doctor_share")
    assert imported.returncode == 0, imported.stderr
    shown = cli("indicators", "show", "named_doctor_share", "--period", "2022")
    assert shown.returncode == 0, shown.stderr
    assert "31 December 2022" in shown.stdout.splitlines()[0]
    assert "Region Stockholm" in shown.stdout and "50.0" in shown.stdout
    as_json = cli(
        "indicators", "show", "named_doctor_share", "--period", "2022", "--format", "json"
    )
    assert {r["period"] for r in json.loads(as_json.stdout)} == {"2022-12-31"}  # the code
    same = cli("indicators", "show", "named_doctor_share", "--period", "2022-12-31")
    assert same.stdout == shown.stdout
    unknown = cli("indicators", "show", "named_doctor_share", "--period", "2023")
    assert unknown.returncode == 1
    assert "no stored values of named_doctor_share for 31 December 2023" in unknown.stderr
    assert "stored periods: 31 December 2021, 31 December 2022" in unknown.stderr
    assert not ISO.search(unknown.stderr)
    malformed = cli("indicators", "show", "named_doctor_share", "--period", "22")
    assert (
        malformed.returncode == 1
        and "'22' is not a period of named_doctor_share" in malformed.stderr
    )
    history = cli("data", "history", "named_doctor_share", "--org", "01", "--period", "2022")
    assert history.returncode == 0 and "current" in history.stdout
    released = cli("publish", "release", "named_doctor_share", "--period", "2022")
    assert released.returncode == 0 and "for 31 December 2022" in released.stdout
    withdrawn = cli(
        "publish", "withdraw", "named_doctor_share", "--period", "2022", "--note", "test"
    )
    assert withdrawn.returncode == 0 and "for 31 December 2022" in withdrawn.stdout
    checked = cli("data", "check", "--period", "2022")
    assert checked.returncode == 0 and "finding(s) for 2022" in checked.stdout


# ---- the web: open data, PxWeb, Kolada, pages -------------------------------------------


def _store(period: str, base: int):
    lines = ["org,period,sex,numerator,denominator"]
    for i, region in enumerate(files.regions()):
        lines += [
            f"{region.code},{period},K,{base + i},600",
            f"{region.code},{period},M,{base + 10 + i},600",
            f"{region.code},{period},T,{2 * base + 10 + 2 * i},1200",
        ]
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )


@pytest.fixture
def published(db):
    """Named-doctor shares (a point in time) for 2020, 2021 released and 2022 stored only;
    clinics with online booking (a month) for March 2020, released."""
    _store("2020", 290)
    _store("2021", 300)
    _store("2022", 400)
    release("named_doctor_share", "2020", actor="test")
    release("named_doctor_share", "2021", actor="test")
    import_file(
        "t.csv",
        None,
        data=TABELL_2.read_bytes(),
        name="t.csv",
        aliases=["Götaland=09", "Norrbottnen=25"],
        actor="test",
    )
    release("online_booking_show", "2020-03", actor="test")


VALUES = "/api/open/indicators/named_doctor_share/values"


def test_open_data_takes_the_year_of_a_point_in_time(published):
    client = Client()
    by_year = client.get(VALUES, {"period": "2021"})
    assert by_year.status_code == 200
    assert {r["period"] for r in by_year.json()} == {"2021-12-31"}  # the field keeps the code
    assert by_year.json() == client.get(VALUES, {"period": "2021-12-31"}).json()
    assert client.get(VALUES, {"period": "2021", "format": "csv"}).status_code == 200
    unknown = client.get(VALUES, {"period": "2022"})  # stored, not published
    assert unknown.status_code == 404
    detail = unknown.json()["detail"]
    assert "named_doctor_share har inga publicerade värden för 31 december 2022." in detail
    assert "Publicerade perioder: 31 december 2020, 31 december 2021." in detail
    malformed = client.get(VALUES, {"period": "tjugotjugo"})
    assert malformed.status_code == 404 and "är ingen period" in malformed.json()["detail"]


def test_analysts_api_takes_the_year_too(published, make_user):
    client = Client()
    client.force_login(make_user("a", "analyst"))
    rows = client.get("/api/indicators/named_doctor_share/analysis", {"period": "2022"})
    assert rows.status_code == 200 and {r["period"] for r in rows.json()} == {"2022-12-31"}
    missing = client.get("/api/indicators/named_doctor_share/analysis", {"period": "2019"})
    assert (
        missing.status_code == 404
        and "Lagrade perioder: 31 december 2020" in missing.json()["detail"]
    )


def test_pxweb_takes_its_codes_and_naravards(published):
    client = Client()
    url = "/api/v2/tables/named_doctor_share/data"
    answers = [
        client.get(url, {"valueCodes[Tid]": tid, "valueCodes[Region]": "01"})
        for tid in ("2021", "2021-12-31", "31 december 2021")
    ]
    assert all(a.status_code == 200 for a in answers)
    assert answers[0].json()["dimension"]["Tid"]["category"]["index"] == {"2021": 0}  # the code
    assert answers[0].json()["value"] == answers[1].json()["value"] == answers[2].json()["value"]
    refused = client.get(url, {"valueCodes[Tid]": "2022-12-31"})
    assert refused.status_code == 400
    detail = refused.json()["detail"]
    assert "Publicerade perioder: 31 december 2020, 31 december 2021." in detail
    assert "Tid-koder: 2020, 2021" in detail
    english = client.get(url, {"valueCodes[Tid]": "1999", "lang": "en"}).json()["detail"]
    assert "published periods: 31 December 2020, 31 December 2021" in english


def test_kolada_takes_the_year(published):
    client = Client()
    answer = answer_json(
        client.get(
            "/kolada/v3/data",
            {"kpi_id": "named_doctor_share", "year": "2021", "municipality_id": "0001"},
        )
    )
    assert answer["count"] == 1 and answer["values"][0]["period"] == 2021
    assert {v["gender"] for v in answer["values"][0]["values"]} == {"T", "K", "M"}
    not_yet = client.get("/kolada/v3/data", {"kpi_id": "named_doctor_share", "year": "2022"})
    assert answer_json(not_yet)["count"] == 0  # not published
    bad = client.get("/kolada/v3/data", {"kpi_id": "named_doctor_share", "year": "21"})
    assert bad.status_code == 400 and "årtal med fyra siffror" in bad.json()["error"]


def _shown_to_people(response) -> list[str]:
    """Headings, captions, table headers, options, the lead and the charts' titles and axes."""
    html = response.content.decode()
    out = [
        re.sub(r"<[^>]+>", "", m.group(2))
        for m in re.finditer(
            r"<(h1|h2|h3|caption|th|figcaption|option|title|p class=\"lead\")[^>]*>(.*?)</",
            html,
            re.S,
        )
    ]
    for m in re.finditer(r'<script id="[^"]+" type="application/json">(.*?)</script>', html, re.S):
        spec = json.loads(m.group(1))
        out.append(spec.get("description", ""))
        for rows in spec.get("datasets", {}).values():
            out += [row["when"] for row in rows if isinstance(row, dict) and "when" in row]
    return out


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(
        "\xa0", " "
    )


def test_indicator_page_names_periods_as_people_read_them(published):
    client = Client()
    page = client.get("/statistik/named_doctor_share/", {"period": "2020"})
    assert page.status_code == 200
    assert "Riket 31 december 2020:" in _text(page)
    html = page.content.decode()
    assert '<option value="2020-12-31" selected>31 december 2020</option>' in html
    assert "values?period=2020-12-31" in html  # the download link keeps the code
    shown = _shown_to_people(page)
    assert "31 december 2021" in shown  # a column of the trend table, a point of its chart
    assert not [s for s in shown if ISO.search(s)]
    english = client.get("/en/statistik/named_doctor_share/", {"period": "2020"})
    assert "31 December 2020" in _text(english)
    assert not [s for s in _shown_to_people(english) if ISO.search(s)]


def test_a_month_reads_as_its_name(published):
    client = Client()
    page = client.get("/statistik/online_booking_show/", {"period": "2020-03"})
    assert page.status_code == 200 and "Riket mars 2020:" in _text(page)
    assert not [s for s in _shown_to_people(page) if ISO.search(s)]
    assert "March 2020" in _text(client.get("/en/statistik/online_booking_show/"))


def test_overview_region_and_comparison_show_no_iso_periods(published):
    client = Client()
    overview = client.get("/")
    assert "Riket, 31 december 2021" in _text(overview)
    region = client.get("/region/01/")
    assert "31 december 2021" in _text(region) and "mars 2020" in _text(region)
    compare = client.get("/jamfor/", {"region": "01", "indikator": "named_doctor_share"})
    assert "31 december 2021" in _text(compare)
    for page in (overview, region, compare):
        assert not [s for s in _shown_to_people(page) if ISO.search(s)]


def test_a_wrong_period_on_a_page_is_named(published):
    page = Client().get("/statistik/named_doctor_share/", {"period": "2022"})
    assert page.status_code == 404
    body = _text(page)
    assert "named_doctor_share har inga publicerade värden för 31 december 2022." in body
    assert "Publicerade perioder: 31 december 2020, 31 december 2021." in body


def test_analyst_page_takes_the_year(published, make_user):
    client = Client()
    client.force_login(make_user("a", "analyst"))
    page = client.get("/indikatorer/named_doctor_share/", {"period": "2022"})
    assert page.status_code == 200
    assert '<option value="2022-12-31" selected>31 december 2022</option>' in page.content.decode()
    listing = _text(client.get("/indikatorer/"))
    assert "31 december 2020–31 december 2022" in listing


def test_release_and_withdraw_read_the_year(published):
    withdrawn = withdraw("named_doctor_share", "2021", actor="test", note="test")
    assert withdrawn.period == "2021-12-31"
    with pytest.raises(
        ReleaseError,
        match="no stored values of named_doctor_share for "
        "31 December 2019; stored periods: 31 December 2020",
    ):
        release("named_doctor_share", "2019", actor="test")


# ---- the report ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_names_periods_as_people_read_them_and_its_data_keep_the_codes(report):
    blocks = {b.key: b for b in report.blocks()}
    assert blocks["webbtidbok"].title.endswith("per region, mars 2020")
    sources = blocks["indikatorkallor"]
    assert "mars 2020" in [row[2] for row in sources.display_rows]
    assert "2020-03" in [row[2].value for row in sources.rows]  # the CSV's cell
    text = report.summary + [p for s in report.sections + report.profiles for p in s.paragraphs]
    text += [b.title for b in report.blocks()] + [h for b in report.blocks() for h in b.header]
    text += [
        cell
        for b in report.blocks()
        if b.key != "svarsfrekvens"
        for row in b.display_rows
        for cell in row
    ]
    assert not [t for t in text if ISO.search(t)]
