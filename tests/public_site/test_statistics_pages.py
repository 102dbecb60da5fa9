"""The public statistics pages: what they show, and that only published data reaches any
public route (pages, open-data API, Kolada and PxWeb endpoints, downloads) for an anonymous
visitor."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from naravard.collect import services
from naravard.demo.rounds import status_report, survey_rows
from naravard.ingest.importer import import_file
from naravard.publish.releases import ReleaseError, publish_round, release
from naravard.refdata import files
from tests.helpers import answer_body

pytestmark = pytest.mark.django_db

UNRELEASED_VALUE = "92,8"  # region 01's men in the unreleased period, as a page would print it
UNRELEASED_RAW = "92.83"  # and as JSON or CSV would
SECRET_WOMEN = 4  # region 06's women: too few persons, suppressed everywhere


def _store(period: str, numerator_01: int):
    lines = ["org,period,sex,numerator,denominator"]
    for i, region in enumerate(files.regions()):
        women = SECRET_WOMEN if region.code == "06" else 300 + i
        men = numerator_01 if region.code == "01" else 310 + i
        lines += [
            f"{region.code},{period},K,{women},600",
            f"{region.code},{period},M,{men},600",
            f"{region.code},{period},T,{women + men},1200",
        ]
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )


@pytest.fixture
def published():
    """Named-doctor shares: 2020 and 2021 released, 2022 stored but not released (region 01's
    men at 557/600 = 92,8 %)."""
    _store("2020", 290)
    _store("2021", 300)
    _store("2022", 557)
    release("named_doctor_share", "2020", actor="test")
    release("named_doctor_share", "2021", actor="test")


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(
        "\xa0", " "
    )


def specs(response) -> dict[str, dict]:
    """The Vega-Lite specs served with a page, by their element id."""
    html = response.content.decode()
    return {
        m.group(1): json.loads(m.group(2))
        for m in re.finditer(
            r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S
        )
    }


def test_overview_shows_the_latest_national_value_against_the_target(client, published):
    response = client.get("/")
    assert response.status_code == 200
    body = text(response)
    assert "Andel invånare med fast läkarkontakt" in body
    assert "Riket, 31 december 2021" in body and "mål minst 55" in body
    assert "av 21 regioner har nått målet" in body
    spark = specs(response)["spark-named_doctor_share-spec"]
    assert [v["when"] for v in spark["datasets"][next(iter(spark["datasets"]))]] == [
        "31 december 2020",
        "31 december 2021",
    ]
    assert 'href="/region/01/"' in response.content.decode()


def test_indicator_page_has_map_ranking_trend_table_definition_and_downloads(client, published):
    response = client.get("/statistik/named_doctor_share/")
    assert response.status_code == 200
    html, body = response.content.decode(), text(response)
    charts = specs(response)
    assert {"map-spec", "ranking-spec", "trend-spec"} <= set(charts)
    assert charts["map-spec"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert charts["map-spec"]["data"]["url"] == "/granser/region.geojson"
    assert "transverseMercator" in json.dumps(charts["map-spec"])
    ranked = next(iter(charts["ranking-spec"]["datasets"].values()))
    assert len(ranked) == 21  # the hidden women of Jönköping hide their men, not the total
    assert html.count("<path d=") >= 21  # the map drawn on the server, for no JavaScript
    assert "Tabell" in body and "Riket" in body and "Definition" in body
    api = "/api/open/indicators/named_doctor_share/values?period=2021-12-31"
    assert f"{api}&amp;level=region&amp;sex=T&amp;age_band=total&amp;format=csv" in html
    for fmt in ("csv", "xlsx"):  # the table for Excel (site/downloads.py)
        assert f"/statistik/named_doctor_share/hamta.{fmt}?period=2021-12-31" in html
    assert '<option value="2021-12-31" selected>31 december 2021</option>' in html
    assert 'value="2022-12-31"' not in html and UNRELEASED_VALUE not in html


def test_indicator_page_refuses_what_is_not_published(client, published):
    assert client.get("/statistik/named_doctor_share/?period=2022-12-31").status_code == 404
    assert client.get("/statistik/care_guarantee_3d/").status_code == 404  # nothing released
    assert client.get("/statistik/no_such_indicator/").status_code == 404
    assert client.get("/statistik/named_doctor_share/?kon=X").status_code == 404
    assert client.get("/statistik/named_doctor_share/?niva=municipality").status_code == 404


def test_suppressed_cells_show_no_numbers(client, published):
    response = client.get("/statistik/named_doctor_share/?kon=K")
    body = text(response)
    table = body[body.index("Tabell") :]
    row = re.search(r"Region Jönköpings län (.{0,80})", table).group(1)
    assert row.startswith("skyddad")
    women = next(iter(specs(response)["ranking-spec"]["datasets"].values()))
    assert women and "Region Jönköpings län" not in {r["name"] for r in women}


def test_comparison_shows_chosen_regions_and_names_bad_choices(client, published):
    response = client.get("/jamfor/", {"region": ["01", "12"], "indikator": ["named_doctor_share"]})
    assert response.status_code == 200
    body = text(response)
    assert "Region Stockholm" in body and "Region Skåne" in body
    assert "comparison-spec" in specs(response)
    bad = client.get("/jamfor/", {"region": ["99", "<script>x</script>"], "indikator": ["nope"]})
    assert bad.status_code == 400
    assert "Okända val hoppades över" in text(bad)
    assert "<script>x</script>" not in bad.content.decode()
    empty = client.get("/jamfor/")
    assert empty.status_code == 200 and "comparison-spec" not in specs(empty)


def test_region_page_compares_with_nation_and_target(client, published):
    response = client.get("/region/01/")
    body = text(response)
    assert "Andel invånare med fast läkarkontakt" in body and "minst 55" in body
    assert "history-spec" in specs(response)
    assert UNRELEASED_VALUE not in body


def _survey_and_status_rounds():
    survey = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )
    services.import_rows(survey, survey_rows(), actor="test", require=False)
    status = services.open_round(
        "nulagesrapport-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )
    import random

    services.import_rows(
        status,
        [
            services.ImportRow(
                2, "01", status_report(files.regions()[0], 2_400_000, random.Random(1))
            )
        ],
        actor="test",
        require=False,
    )
    return survey, status


def test_survey_results_and_initiatives_appear_only_once_published(client, db):
    survey, status = _survey_and_status_rounds()
    before = text(client.get("/region/01/"))
    assert "Kommunernas svar" not in before and "Insatser enligt nulägesrapporten" not in before
    with pytest.raises(ReleaseError, match="still open"):
        publish_round(survey.pk, actor="test")
    services.lock_due_rounds(now=timezone.now() + dt.timedelta(days=40))  # past the deadline
    for rnd in (survey, status):
        publish_round(rnd.pk, actor="test")
    after = client.get("/region/01/")
    body = text(after)
    assert "Kommunernas svar: " in body and "Insatser enligt nulägesrapporten" in body
    assert "Andelar visas bara när minst 3 kommuner besvarat frågan." in body
    gotland = text(client.get("/region/09/"))  # one municipality: its answers stay private
    assert "för få svar" in gotland


def test_draft_rounds_never_reach_the_public(client, db):
    survey, _ = _survey_and_status_rounds()
    assert client.get("/api/open/surveys").json() == []
    assert client.get(f"/api/open/surveys/{survey.pk}/results").status_code == 404
    assert "Kommunernas svar" not in text(client.get("/region/14/"))


PUBLIC_ROUTES = [
    "/",
    "/en/",
    "/regioner/",
    "/region/01/",
    "/region/06/",
    "/kommun/0180/",
    "/statistik/named_doctor_share/",
    "/statistik/named_doctor_share/?kon=K",
    "/statistik/named_doctor_share/?kon=M",
    "/statistik/named_doctor_share/?niva=municipality",
    "/en/statistik/named_doctor_share/?period=2020-12-31&kon=M",
    "/jamfor/?region=01&region=06&indikator=named_doctor_share",
    "/api/open/indicators",
    "/api/open/indicators/named_doctor_share",
    "/api/open/indicators/named_doctor_share/values?sex=M",
    "/api/open/indicators/named_doctor_share/values?sex=K&format=csv",
    "/api/open/indicators/named_doctor_share/values?sex=M&format=csv&excel=true",
    "/kolada/v3/kpi",
    "/kolada/v3/data/kpi/named_doctor_share/year/2021,2022",
    "/kolada/v3/data?kpi_id=named_doctor_share&municipality_id=0001,0006&year=2022",
    "/api/v2/tables",
    "/api/v2/tables/named_doctor_share/metadata",
    "/api/v2/tables/named_doctor_share/data?valueCodes[Tid]=*&valueCodes[Region]=*"
    "&valueCodes[Kon]=*",
]


def test_no_public_route_shows_unreleased_or_suppressed_values(published):
    """An anonymous visitor sees 2020 and 2021 everywhere, never 2022 and never the hidden
    women of Jönköping (4 of 600)."""
    client = Client()
    for route in PUBLIC_ROUTES:
        response = client.get(route)
        assert response.status_code in (200, 404), route
        content = answer_body(response).decode("utf-8-sig")
        assert not re.search(r"^[^\n]*2022-12-31[;,]|\"period\": ?\"2022", content, re.M), route
        assert 'option value="2022-12-31"' not in content, route
        assert UNRELEASED_VALUE not in content and UNRELEASED_RAW not in content, route
        if response.status_code == 200 and "json" in response.get("Content-Type", ""):
            data = json.loads(content)
            rows = data if isinstance(data, list) else data.get("values", [])
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict) and row.get("org") == "06" and row.get("sex") == "K":
                    assert row["value"] is None and row["numerator"] is None, route
        if route.startswith("/api/v2/tables/"):
            periods = json.loads(content)["dimension"]["Tid"]["category"]["index"]
            assert set(periods) == {"2020", "2021"}, route
        assert f",{SECRET_WOMEN},600" not in content and f";{SECRET_WOMEN};600" not in content


def test_boundaries_are_served_for_the_maps(client):
    response = client.get("/granser/region.geojson")
    assert response.status_code == 200
    assert len(json.loads(b"".join(response.streaming_content))["features"]) == 21
    assert client.get("/granser/world.geojson").status_code == 404


def test_english_pages_are_in_english(client, published):
    body = text(client.get("/en/statistik/named_doctor_share/"))
    assert "Share of residents with a named regular doctor" in body
    assert "Definition and caveats" in body
    assert "Riket" not in body


def test_vendored_chart_libraries_match_the_npm_lock():
    """The copies in the package are the versions frontend/package-lock.json pins (re-run
    frontend/vendor.sh after changing them), and Altair's specs target that Vega-Lite."""
    from pathlib import Path

    import altair

    root = Path(__file__).parents[2]
    lock = json.loads((root / "frontend/package-lock.json").read_text())["packages"]
    vendor = root / "src/naravard/presentation/static/presentation/vendor"
    recorded = dict(line.split() for line in (vendor / "VERSIONS").read_text().splitlines())
    for package in ("vega", "vega-lite", "vega-embed"):
        assert recorded[package] == lock[f"node_modules/{package}"]["version"]
        assert (vendor / f"{package}.min.js").stat().st_size > 10_000
    assert recorded["vega-lite"].split(".")[0] == altair.SCHEMA_VERSION.lstrip("v").split(".")[0]


def test_published_survey_results_download_as_csv_and_xlsx(client, db):
    survey, _ = _survey_and_status_rounds()
    services.lock_due_rounds(now=timezone.now() + dt.timedelta(days=40))
    publish_round(survey.pk, actor="test")
    as_json = client.get(f"/api/open/surveys/{survey.pk}/results").json()
    csv_text = client.get(
        f"/api/open/surveys/{survey.pk}/results", {"format": "csv", "excel": "true"}
    ).content.decode("utf-8-sig")
    header, *rows = [line.split(";") for line in csv_text.strip().splitlines()]
    assert header == ["question", "field", "option", "count", "percent", "n"]
    yes = as_json["questions"]["2"]["options"]["ja"]
    assert ["2", "", "ja", str(yes["count"])] == rows[[r[0] for r in rows].index("2")][:4]
    xlsx = client.get(f"/api/open/surveys/{survey.pk}/results", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client.get(f"/api/open/surveys/{survey.pk}/results", {"format": "pdf"}).status_code == 400
    )


def test_a_national_value_that_cannot_be_known_is_explained_in_words(client, db):
    """One region's published share without counts: the nation cannot be summed, and every
    page says why instead of a bare dash."""
    counted = ["org,period,numerator,denominator"] + [
        f"{r.code},2021,{500 + i},1000" for i, r in enumerate(files.regions()) if r.code != "05"
    ]
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(counted).encode(), name="n.csv", actor="test"
    )
    import_file(
        "o.csv",
        "named_doctor_share",
        data=b"org,period,value\n05,2021,54\n",
        name="o.csv",
        actor="test",
    )
    release("named_doctor_share", "2021", actor="test")
    why = "Riket kan inte beräknas: täljare och nämnare saknas för Region Östergötland."
    assert why in text(client.get("/"))
    assert why in text(client.get("/statistik/named_doctor_share/"))
    assert why in text(client.get("/region/01/"))


def test_the_demos_release_note_is_swedish(client):
    from naravard.demo.indicators import build_all

    build_all()
    text = page_text(client.get("/statistik/named_doctor_share/"))
    assert "(demons årliga publicering)" in text
    assert "annual release" not in text and "demo data" not in text


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def test_a_charts_data_holds_what_it_draws_and_its_letters_as_they_are(client, published):
    response = client.get("/region/06/")
    html = response.content.decode()
    history = specs(response)["history-spec"]
    rows = next(iter(history["datasets"].values()))
    assert rows and {"when", "who", "value", "shown", "panel", "segment"} <= set(rows[0])
    assert not {"period", "unit", "id"} & {k for r in rows for k in r}  # never drawn
    assert all(round(r["value"], 4) == r["value"] for r in rows)
    assert '"Region Jönköpings län"' in html and "\\u00f6" not in html
