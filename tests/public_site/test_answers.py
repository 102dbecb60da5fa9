"""Answers at a glance: the indicator page says in words how many areas reached the target
and which, and how many differ from the nation; the map, the ranking and the words share one
colouring, which the reader can change; the region page has a spine chart and the regions
page a tartan table, both with their numbers."""

import re

import pytest

from naravard.presentation import charts
from naravard.publish.releases import release
from naravard.refdata import files
from tests.helpers import page_text, page_words, store, table_rows

pytestmark = pytest.mark.django_db

REACHED, UNCERTAIN, NOT_REACHED = 650, 550, 400  # of 1000: 65 %, 55 % (the target), 40 %


@pytest.fixture
def mixed():
    """Named doctors in 2021, released: the first five regions reach the 55 % target, the next
    five sit on it (uncertain), the other eleven are far below."""
    codes = [r.code for r in files.regions()]
    shares = {
        c: REACHED if i < 5 else UNCERTAIN if i < 10 else NOT_REACHED for i, c in enumerate(codes)
    }
    store("2021", shares)
    release("named_doctor_share", "2021", actor="test")
    names = {r.code: r.name for r in files.regions()}
    return {
        kind: sorted(names[c] for c, n in shares.items() if n == share)
        for kind, share in (("reached", REACHED), ("uncertain", UNCERTAIN), ("not", NOT_REACHED))
    }


def _answers(html: str) -> dict[str, str]:
    """Each answer sentence by its category, as words."""
    found = re.findall(r'<li data-category="(\w+)">(.*?)</li>', html, re.S)
    return {cat: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body)).strip() for cat, body in found}


def _fills(html: str) -> list[str]:
    """The server-drawn map's colours, one per area."""
    svg = re.search(r'<svg class="choropleth".*?</svg>', html, re.S)[0]
    return re.findall(r'<path d="[^"]*" fill="(#\w+)"', svg)


def test_the_answer_names_the_regions_that_reached_the_target(client, mixed):
    html = page_text(client.get("/statistik/named_doctor_share/"))
    said = _answers(html)
    assert said["reached"] == (
        "5 av 21 regioner har nått målet minst 55 % senast 31 december 2022: "
        + ", ".join(mixed["reached"][:-1])
        + " och "
        + mixed["reached"][-1]
        + "."
    )
    assert said["not_reached"].startswith("11 har inte nått det: " + mixed["not"][0] + ", ")
    assert said["uncertain"].startswith("För 5 är det osäkert om målet är nått: ")
    # against the nation (49,5 %): the 65 and 55 % regions are better, the 40 % ones worse
    assert said["better"].startswith("10 av 21 regioner är signifikant bättre än riket: ")
    assert said["worse"].startswith("11 av 21 regioner är signifikant sämre än riket: ")
    # each named area links to its page
    assert re.search(r'december 2022: <a href="/region/\d\d/">', html)


def test_map_ranking_and_words_share_the_colouring_the_reader_chooses(client, mixed):
    html = page_text(client.get("/statistik/named_doctor_share/"))
    colours = charts.JUDGEMENT_COLOURS
    fills = _fills(html)
    assert fills.count(colours["reached"]) == 5
    assert fills.count(colours["uncertain"]) == 5
    assert fills.count(colours["not_reached"]) == 11
    assert '<option value="mal" selected>' in html
    by_nation = _fills(page_text(client.get("/statistik/named_doctor_share/?farg=riket")))
    assert by_nation.count(colours["better"]) == 10 and by_nation.count(colours["worse"]) == 11
    fifths = _fills(page_text(client.get("/statistik/named_doctor_share/?farg=femtedelar")))
    assert set(fifths) <= set(charts.PALETTE) and len(set(fifths)) == 3  # three distinct values
    assert client.get("/statistik/named_doctor_share/?farg=lila").status_code == 404


def test_the_ranking_and_the_map_spec_colour_by_the_same_categories(client, mixed):
    from tests.public_site.test_statistics_pages import specs

    found = specs(client.get("/statistik/named_doctor_share/"))
    bars = found["ranking-spec"]
    rows = next(v for v in bars["datasets"].values() if v and "category" in v[0])
    by_name = {r["name"]: r["category"] for r in rows}
    assert {by_name[n] for n in mixed["reached"]} == {"Målet nått"}
    assert {by_name[n] for n in mixed["uncertain"]} == {"Osäkert om målet nåtts"}
    assert {by_name[n] for n in mixed["not"]} == {"Målet inte nått"}


def test_municipalities_are_ranked_among_municipalities_and_long_lists_fold(
    client, municipal_readmissions
):
    html = page_text(client.get("/statistik/readmission_30d/?niva=municipality&kon=K"))
    said = _answers(html)
    assert "Alla 290 kommuner rangordnade" in page_words(
        client.get("/statistik/readmission_30d/?niva=municipality&kon=K")
    )
    # Ale's women are too few: no value (nor for the two municipalities hidden with it, so
    # that Ale's cannot be worked out), and the answer says so by name
    assert said["no_value"].startswith("För 3 publiceras inget värde: Ale, ")
    # a sentence naming more than twelve municipalities folds them away
    folded = [cat for cat, body in said.items() if "Visa vilka" in body]
    assert folded and all(cat != "no_value" for cat in folded)
    assert "av 290 kommuner" in " ".join(said.values())
    assert "Regionerna rangordnade" not in html


def test_region_page_spine_chart_and_its_numbers(client, mixed):
    response = client.get("/region/01/")
    html = page_text(response)
    rows = table_rows(html, "spine-table")
    assert rows[0][:2] == ["Indikator", "Period"]
    named = next(r for r in rows[1:] if r[0].startswith("Andel invånare med fast läkarkontakt"))
    # Stockholm (01) is among the first five: 65 %; the regions range from 40 to 65 %
    assert named[2].startswith("65,0") and named[3] == "bättre"
    assert named[5:9] == ["40,0", "40,0", "55,0", "65,0"]
    from tests.public_site.test_statistics_pages import specs

    spine = specs(response)["spine-spec"]
    drawn = next(v for v in spine["datasets"].values() if v and "own" in v[0])
    assert drawn[0]["own"] == 1.0  # the highest region, better to the right, at the edge
    assert drawn[0]["range_to"] == 1.0
    assert drawn[0]["range_from"] == pytest.approx(
        (40 - 10400 / 210) / (65 - 10400 / 210), abs=1e-4
    )


def test_regions_page_tartan_colours_each_region_against_the_nation(client, mixed):
    html = page_text(client.get("/regioner/"))
    row = re.search(r'<tr data-indicator="named_doctor_share">(.*?)</tr>', html, re.S)[1]
    cells = re.findall(r'<td class="judged-(\w+)" data-region="(\d\d)">', row)
    assert len(cells) == 21
    codes = [r.code for r in files.regions()]
    assert [cat for cat, _code in cells] == ["better"] * 10 + ["worse"] * 11
    assert [code for _cat, code in cells] == codes
    assert "Bättre än riket" in html and "Sämre än riket" in html  # the legend


def test_indicator_table_names_each_change_since_the_previous_period_significant_or_not(client):
    store("2020")  # every region 500 of 1000
    store("2021", {"01": 600, "03": 510})
    for year in ("2020", "2021"):
        release("named_doctor_share", year, actor="test")
    html = page_text(client.get("/statistik/named_doctor_share/"))
    rows = table_rows(html, "profile-table")
    header = rows[0]
    assert header[-1].startswith("Förändring sedan 31 december 2020")
    by_area = {r[1]: r[-1] for r in rows[1:]}
    assert by_area["Region Stockholm"] == "+10,0 (signifikant ökning)"
    assert by_area["Region Uppsala"] == "+1,0 (ingen signifikant förändring)"
    assert by_area["Region Skåne"] == "0,0 (ingen signifikant förändring)"
    nation = re.search(r'<tr class="nation">(.*?)</tr>', html, re.S)[1]
    assert re.sub(r"\s+|<[^>]+>", "", nation).endswith("+0,5(ingensignifikantförändring)")
    # the first period has nothing to change from
    first = table_rows(
        page_text(client.get("/statistik/named_doctor_share/?period=2020")), "profile-table"
    )
    assert not first[0][-1].startswith("Förändring")


def test_a_value_changed_since_its_first_release_is_marked_revised_with_date_and_reason(client):
    from django.utils import timezone

    store("2021")  # every region 500 of 1000
    release("named_doctor_share", "2021", actor="test")
    store("2021", {"05": 520})  # a correction of Östergötland, released again
    release("named_doctor_share", "2021", actor="test", note="Östergötland rättade sin listning")
    html = page_text(client.get("/statistik/named_doctor_share/"))
    rows = {r[1]: r[2] for r in table_rows(html, "profile-table")[1:]}
    assert rows["Region Östergötland"] == "52,0 reviderad"
    assert rows["Region Stockholm"] == "50,0"  # unchanged: no mark
    nation = re.search(r'<tr class="nation">(.*?)</tr>', html, re.S)[1]
    assert "reviderad" in nation  # computed from the regions, one of them revised
    today = timezone.localdate()
    notes = re.search(r'<ul class="revision-notes"[^>]*>(.*?)</ul>', html, re.S)[1]
    assert re.sub(r"<[^>]+>", "", notes) == (
        f"Reviderad {today.day} {MONTHS[today.month - 1]} {today.year}: "
        "Östergötland rättade sin listning."
    )


def test_a_revision_is_dated_by_the_day_in_sweden_not_in_utc():
    import datetime as dt

    from naravard.publish.models import Release
    from naravard.publish.revisions import revisions

    store("2021")
    release("named_doctor_share", "2021", actor="test")
    store("2021", {"05": 520})
    release("named_doctor_share", "2021", actor="test", note="rättad")
    # half past eleven in the evening UTC is half past midnight in Stockholm, the next day
    late = dt.datetime.now(dt.UTC).replace(hour=23, minute=30) + dt.timedelta(days=1)
    Release.objects.filter(note="rättad").update(published_at=late)
    (revision,) = {r.revised_on for r in revisions("named_doctor_share").values()}
    assert revision == late.date() + dt.timedelta(days=1)


MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


def test_the_download_says_which_values_were_revised_when_and_why(client):
    import io

    import pandas as pd

    store("2021")
    release("named_doctor_share", "2021", actor="test")
    store("2021", {"05": 520})
    release("named_doctor_share", "2021", actor="test", note="rättad listning")
    body = client.get("/statistik/named_doctor_share/hamta.csv").content.decode("utf-8-sig")
    table = pd.read_csv(io.StringIO(body.split("\r\n\r\n")[0]), sep=";", decimal=",")
    by_area = dict(zip(table["Område"], table["Reviderad"].fillna(""), strict=True))
    assert by_area["Region Östergötland"].endswith(": rättad listning")
    assert by_area["Region Stockholm"] == ""
