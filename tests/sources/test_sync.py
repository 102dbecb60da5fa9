"""Syncing sources served from recorded responses (tests/sources/fixtures/, see its README) by a
local HTTP server: what is stored, what an unchanged source costs, and every way a source can
fail without anything half-stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug import Response

from naravard.ingest.importer import import_file
from naravard.ingest.models import IndicatorValue
from naravard.refdata.models import Population
from naravard.sources.models import Sync
from naravard.sources.pxweb import chunks
from naravard.sources.registry import load
from naravard.sources.sync import sync_source

FIXTURES = Path(__file__).parent / "fixtures"
BLEKINGE = ["1060", "1080", "1081", "1082", "1083"]

pytestmark = pytest.mark.django_db


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def source_of(tmp_path, entry: str):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - publisher: test\n    licence: CC0\n    updated: yearly\n"
        "    name: {sv: Test, en: Test}\n" + entry,
        encoding="utf-8",
    )
    (source,) = load(path).values()
    return source


# ---------------------------------------------------------------------------- Kolada


def kolada_source(tmp_path, httpserver):
    return source_of(
        tmp_path,
        f"""    id: kolada-test
    kind: kolada
    url: {httpserver.url_for("/v3")}
    kpis: {{N00945: readmission_30d}}
    years: "2015-2020"
""",
    )


def serve_kolada(httpserver, etag: str = '"kpi-1"') -> None:
    """The KPI answer (with ETag, 304 when asked with it) and the two recorded data pages,
    their ``next_url`` pointing at this server."""
    kpis = fixture("kolada/kpi.json")
    # the recorded KPI objects' shape, for the KPI of the recorded data pages; a new ETag
    # comes with a new publication date, as when Kolada publishes
    kpis["values"].append(
        kpis["values"][-1]
        | {"id": "N00945", "municipality_type": "K", "publication_date": etag.strip('"')}
    )

    def kpi(request):
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(json.dumps(kpis), content_type="application/json", headers={"ETag": etag})

    pages = [fixture("kolada/data_N00945_page1.json"), fixture("kolada/data_N00945_page2.json")]
    pages[0]["next_url"] = httpserver.url_for("/v3/data") + "?page=2&per_page=40"

    def data(request):
        page = pages[int(request.args.get("page", 1)) - 1]
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request("/v3/kpi/N00945").respond_with_handler(kpi)
    httpserver.expect_request("/v3/data").respond_with_handler(data)


def test_kolada_pages_are_followed_and_the_values_stored_as_kolada_gave_them(tmp_path, httpserver):
    serve_kolada(httpserver)
    outcome = sync_source(kolada_source(tmp_path, httpserver), actor="test")
    assert outcome.result == "stored", outcome.line()
    # 3 municipalities × 2015–2020; the recorded pages hold 2000–2020 and the rest is left out
    assert (outcome.added, outcome.requests) == (18, 3)
    recorded = {
        (v["municipality"], str(v["period"])): v["values"][0]["value"]
        for page in ("page1", "page2")
        for v in fixture(f"kolada/data_N00945_{page}.json")["values"]
    }
    stored = IndicatorValue.objects.filter(indicator_id="readmission_30d", is_current=True)
    assert {(v.org_code, v.period): v.value for v in stored} == {
        key: value for key, value in recorded.items() if "2015" <= key[1] <= "2020"
    }
    batch = outcome.sync.batch
    assert batch.file_name == "källa kolada-test" and "kolada-test" in batch.note
    assert [r.status for r in outcome.sync.responses.all()] == [200, 200, 200]
    assert outcome.sync.responses.first().content.startswith(b"{")  # kept as it came


def test_an_unchanged_kolada_source_costs_one_request_and_a_changed_etag_reads_it_again(
    tmp_path, httpserver
):
    serve_kolada(httpserver)
    source = kolada_source(tmp_path, httpserver)
    sync_source(source, actor="test")
    again = sync_source(source, actor="test")
    assert (again.result, again.requests) == ("unchanged", 1)
    assert again.sync.responses.get().status == 304
    httpserver.clear()
    serve_kolada(httpserver, etag='"kpi-2"')
    changed = sync_source(source, actor="test")
    # the KPI answer changed: every page is read again, and every value is the same
    assert (changed.result, changed.requests, changed.unchanged) == ("unchanged", 3, 18)


def test_a_kpi_kolada_does_not_have_fails_naming_it(tmp_path, httpserver):
    httpserver.expect_request("/v3/kpi/N00945").respond_with_json(fixture("kolada/kpi.json"))
    outcome = sync_source(kolada_source(tmp_path, httpserver), actor="test")
    assert outcome.result == "failed" and "ingen KPI N00945" in outcome.message
    assert not IndicatorValue.objects.filter(indicator_id="readmission_30d").exists()


# ---------------------------------------------------------------------------- PxWeb 2.0


def population_source(tmp_path, httpserver, tid: str = '["2019"]'):
    return source_of(
        tmp_path,
        f"""    id: scb-test
    kind: pxweb2
    url: {httpserver.url_for("/api/v2")}
    table: TAB638
    target: population
    selection: {{Region: ["????"], Alder: "*", Kon: ["1", "2"], ContentsCode: [BE0101N1], Tid: {tid}}}
    columns: {{org: Region, period: Tid, sex: Kon, age: Alder, measure: ContentsCode}}
    measures: {{BE0101N1: population}}
""",
    )


def serve_scb(httpserver, data=None, data_status: int = 200) -> None:
    metadata = fixture("pxweb2/TAB638_metadata_blekinge_2019.json")
    httpserver.expect_request("/api/v2/config").respond_with_json(fixture("pxweb2/config.json"))
    httpserver.expect_request("/api/v2/tables/TAB638").respond_with_json(
        {"id": "TAB638", "label": metadata["label"], "updated": metadata["updated"]}
    )
    httpserver.expect_request("/api/v2/tables/TAB638/metadata").respond_with_json(metadata)
    body = data if data is not None else fixture("pxweb2/TAB638_data_blekinge_2019.json")
    handler = httpserver.expect_request("/api/v2/tables/TAB638/data", method="POST")
    if isinstance(body, bytes):
        handler.respond_with_data(body, status=data_status, content_type="application/json")
    else:
        handler.respond_with_json(body, status=data_status)


def test_population_by_single_year_is_stored_in_bands_with_regions_and_rates_derived_anew(
    tmp_path, httpserver
):
    Population.objects.filter(year=2019, region="10").delete()
    Population.objects.filter(year=2019, municipality__in=BLEKINGE).delete()
    import_file(
        "d.csv",
        "doctors_regional_primary_care",
        data=b"org,period,value\n10,2019,120\n",  # per 100 000 at the end of its year
        actor="test",
    )
    assert not IndicatorValue.objects.filter(
        indicator_id="doctors_regional_primary_care_per_100k", org_code="10"
    ).exists()
    serve_scb(httpserver)
    outcome = sync_source(population_source(tmp_path, httpserver), actor="test")
    assert outcome.result == "stored", outcome.line()
    # 6 areas (5 municipalities and their region) × 3 sexes × (21 bands and the total)
    assert outcome.added == 6 * 3 * 22 and outcome.requests == 4
    region = Population.objects.get(year=2019, region="10", sex="total", age_band="total")
    assert region.population == 159_606 and "scb-test" in region.source
    assert (
        Population.objects.get(
            year=2019, municipality="1080", sex="women", age_band="100+"
        ).population
        > 0
    )
    rate = IndicatorValue.objects.get(
        indicator_id="doctors_regional_primary_care_per_100k", org_code="10", is_current=True
    )
    assert rate.value == pytest.approx(120 * 100_000 / 159_606)


@pytest.mark.parametrize(
    "data, status, message",
    [
        (fixture("pxweb2/error_404_non_existent_table.json"), 404, "404"),
        (b'{"class": "dataset", "id": [', 200, "inte JSON"),
        (
            fixture("pxweb2/TAB638_data_blekinge_2019.json")
            | {"size": [0, 101, 2, 1, 1], "value": []}
            | {"dimension": {"Region": {"category": {"index": {}}}}},
            200,
            "stämmer inte",
        ),
    ],
    ids=["missing-table", "malformed-json", "no-region-dimension-categories"],
)
def test_a_source_that_fails_stores_nothing_and_says_why(
    tmp_path, httpserver, data, status, message
):
    before = Population.objects.count()
    serve_scb(httpserver, data, status)
    outcome = sync_source(population_source(tmp_path, httpserver), actor="test")
    assert outcome.result == "failed" and message in outcome.message, outcome.line()
    assert Population.objects.count() == before
    assert Sync.objects.get().result == "failed" and Sync.objects.get().fingerprint == ""


def test_an_empty_dataset_is_a_failure_not_an_empty_import(tmp_path, httpserver):
    empty = fixture("pxweb2/TAB638_data_blekinge_2019.json")
    empty["dimension"]["Region"]["category"] = {"index": {}, "label": {}}
    empty["size"][0] = 0
    empty["value"] = []
    serve_scb(httpserver, empty)
    outcome = sync_source(population_source(tmp_path, httpserver), actor="test")
    assert outcome.result == "failed" and "inga värden" in outcome.message


def test_a_selected_code_the_table_does_not_have_is_named(tmp_path, httpserver):
    serve_scb(httpserver)
    outcome = sync_source(population_source(tmp_path, httpserver, '["2030"]'), actor="test")
    assert outcome.result == "failed" and "Tid har inget värde '2030'" in outcome.message


def test_values_the_import_refuses_are_named_by_their_cell_and_nothing_is_stored(
    tmp_path, httpserver
):
    """SCB's monthly population (recorded) read as if it were shares: every value is out of
    range, and the problems name the source's cells."""
    httpserver.expect_request("/api/v2/config").respond_with_json(fixture("pxweb2/config.json"))
    httpserver.expect_request("/api/v2/tables/TAB6471").respond_with_json({"updated": "x"})
    httpserver.expect_request("/api/v2/tables/TAB6471/metadata").respond_with_json(
        fixture("pxweb2/TAB6471_metadata.json")
    )
    httpserver.expect_request("/api/v2/tables/TAB6471/data", method="POST").respond_with_json(
        fixture("pxweb2/TAB6471_data.json")
    )
    source = source_of(
        tmp_path,
        f"""    id: fel-matt
    kind: pxweb2
    url: {httpserver.url_for("/api/v2")}
    table: TAB6471
    selection: {{Region: ["??"], Alder: "*", Kon: "*", ContentsCode: "*", Tid: "*"}}
    columns: {{org: Region, period: Tid, sex: Kon, age: Alder, measure: ContentsCode}}
    measures: {{"000007SF": care_guarantee_3d}}
""",
    )
    outcome = sync_source(source, actor="test")
    assert outcome.result == "refused" and outcome.refused > 0, outcome.line()
    assert "Region=" in outcome.problems[0] and "Tid=2026M01" in outcome.problems[0]
    assert not IndicatorValue.objects.filter(indicator_id="care_guarantee_3d").exists()


def test_a_selection_is_split_to_keep_under_the_servers_cell_limit():
    chosen = {"Region": [f"{i:04d}" for i in range(290)], "Alder": list("abc"), "Tid": ["1", "2"]}
    parts = chunks(chosen, 1000)
    assert all(len(p["Region"]) * 3 * 2 <= 1000 for p in parts)
    assert [code for p in parts for code in p["Region"]] == chosen["Region"]
    # a single value of the largest variable still too many: the next is split too
    parts = chunks({"A": ["1", "2"], "B": list("abcdef")}, 2)
    assert all(len(p["A"]) * len(p["B"]) <= 2 for p in parts) and len(parts) == 6


# ---------------------------------------------------------------------------- files at a URL


def test_a_csv_export_is_read_with_its_column_mapping(tmp_path, httpserver):
    """A waiting-time export as the regions' statistics portals give it: semicolons, Swedish
    headers, decimal commas, region names (the layout is the source's; the numbers are made
    up for the test)."""
    csv = "Region;Månad;Andel inom 3 dagar (%)\nRegion Stockholm;2023-01;81,5\nRegion Gotland;2023-01;90,2\n"
    httpserver.expect_request("/export.csv").respond_with_data(
        csv.encode("utf-8"), content_type="text/csv", headers={"ETag": '"a"'}
    )
    source = source_of(
        tmp_path,
        f"""    id: vantetider
    kind: table
    format: csv
    url: {httpserver.url_for("/export.csv")}
    indicator: care_guarantee_3d
    columns: {{org: Region, period: Månad, value: "Andel inom 3 dagar (%)"}}
""",
    )
    outcome = sync_source(source, actor="test")
    assert outcome.result == "stored" and outcome.added == 2, outcome.line()
    stored = IndicatorValue.objects.filter(indicator_id="care_guarantee_3d", is_current=True)
    assert {(v.org_code, v.period, v.value) for v in stored} == {
        ("01", "2023-01", 81.5),
        ("09", "2023-01", 90.2),
    }
    # the same file again: one request, nothing read further
    again = sync_source(source, actor="test")
    assert (again.result, again.requests) == ("unchanged", 1)


# ---------------------------------------------------------------------------- PxWeb API v1


def test_a_pxweb_v1_table_is_found_in_its_folder_and_queried_as_v1_asks(tmp_path, httpserver):
    """SCB's v1 answers as recorded (config, the population table's metadata, a json-stat 1.x
    answer); the folder listing is in the shape SCB's v1 lists tables."""
    base = "/OV0104/v1/doris/en/ssd"
    folder = f"{base}/BE/BE0101/BE0101A"
    httpserver.expect_request(folder).respond_with_json(
        [
            {
                "id": "BefolkningNy",
                "type": "t",
                "text": "Population",
                "updated": "2023-02-09T07:57:00",
            }
        ]
    )
    httpserver.expect_request(f"{base}/", query_string="config").respond_with_json(
        fixture("pxweb1/config.json")
    )
    table = f"{folder}/BefolkningNy"
    httpserver.expect_request(table, method="GET").respond_with_json(
        fixture("pxweb1/BefolkningNy_metadata_en.json")
    )
    recorded = fixture("pxweb1/BefolkningNy_query_jsonstat.json")
    httpserver.expect_request(table, method="POST").respond_with_json(
        fixture("pxweb1/BefolkningNy_data_jsonstat.json")
    )
    source = source_of(
        tmp_path,
        f"""    id: scb-v1
    kind: pxweb1
    url: {httpserver.url_for(base)}
    table: BE/BE0101/BE0101A/BefolkningNy
    selection: {{Civilstand: "*", Kon: ["1", "2"], ContentsCode: [BE0101N1], Tid: ["2015", "2016", "2017"]}}
    columns: {{org: Civilstand, period: Tid, sex: Kon, measure: ContentsCode}}
    measures: {{BE0101N1: readmission_30d}}
""",
    )
    from naravard.sources.fetch import Fetcher
    from naravard.sources.pxweb import PxWeb1

    with Fetcher() as fetcher:
        reader = PxWeb1(source, fetcher)
        assert reader.probe(None).version == "2023-02-09T07:57:00"
        assert reader.describe()[1] == "24 celler i 1 fråga/frågor (högst 110000 per fråga)"
        cells = list(reader.cells())
    posted = json.loads(fetcher.log[-1].request_body)
    # the query as v1 asks for it: item filters with the codes the selection expanded to
    assert [q["code"] for q in posted["query"]] == [q["code"] for q in recorded["query"]]
    assert posted["query"][0]["selection"] == {
        "filter": "item",
        "values": ["OG", "G", "ÄNKL", "SK"],
    }
    assert len(cells) == 24 and {c.period for c in cells} == {"2015", "2016", "2017"}
    assert fetcher.limit is not None and fetcher.limit.calls == 30


def test_a_sync_waits_as_a_busy_server_asks_and_goes_on(tmp_path, httpserver):
    from naravard.sources.fetch import Fetcher

    httpserver.expect_ordered_request("/export.csv").respond_with_data(
        "", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/export.csv").respond_with_data(
        "Region;Månad;Andel\nRegion Gotland;2023-02;88\n", content_type="text/csv"
    )
    source = source_of(
        tmp_path,
        f"""    id: upptagen
    kind: table
    format: csv
    url: {httpserver.url_for("/export.csv")}
    indicator: care_guarantee_3d
    columns: {{org: Region, period: Månad, value: Andel}}
""",
    )
    waits: list[float] = []
    outcome = sync_source(source, actor="test", fetcher=Fetcher(sleep=waits.append))
    assert (outcome.result, outcome.added, outcome.requests, waits) == ("stored", 1, 2, [2.0])
    assert [r.status for r in outcome.sync.responses.all()] == [429, 200]
