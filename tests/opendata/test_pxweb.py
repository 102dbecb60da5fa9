"""The PxWeb API 2.0-compatible endpoint, read with the unmodified pxwebpy and pyjstat clients."""

import itertools
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.test import Client
from packaging.version import Version
from pxweb import PxApi
from pyjstat import pyjstat

from naravard.ingest.importer import import_file
from naravard.ingest.models import IndicatorValue
from naravard.opendata import pxweb
from naravard.publish.open_data import public_profile
from naravard.publish.releases import release
from naravard.refdata import files

pytestmark = pytest.mark.django_db
# the clients talk to a live server in another thread: the data must be committed
live = pytest.mark.django_db(transaction=True)
BASE = "/api/v2"
TABLE = "named_doctor_share"
SEX = {"1": "M", "2": "K", "1+2": "T"}  # PxWeb's Kon codes -> naravard's sexes
N_REGIONS = 21
N_MUNICIPALITIES = 290


def stored(period: str = "2021-12-31") -> dict[tuple[str, str], float]:
    return {
        (v.org_code, v.sex): v.value
        for v in IndicatorValue.objects.filter(indicator_id=TABLE, period=period, is_current=True)
    }


def suppressed(period: str = "2021-12-31") -> set[tuple[str, str]]:
    """The (org, Kon code) cells disclosure control hides, as the public pages show them."""
    hidden = set()
    for code, sex in SEX.items():
        p = public_profile(TABLE, period, sex, "region", trends=False)
        hidden |= {(r.org, code) for r in p.rows + [p.national] if r.suppressed}
    return hidden


def px(live_server, **kwargs) -> PxApi:
    return PxApi(f"{live_server.url}{BASE}", disable_cache=True, **kwargs)


def data_url() -> str:
    return f"{BASE}/tables/{TABLE}/data"


def cells(dataset: dict) -> dict[tuple, tuple]:
    """JSON-stat's dense values keyed by their codes: (value, status)."""
    dims = dataset["id"]
    indexes = [dataset["dimension"][d]["category"]["index"] for d in dims]
    codes = [sorted(index, key=index.get) for index in indexes]
    status = dataset.get("status") or {}
    return {
        tuple(sorted(zip(dims, combo, strict=True))): (dataset["value"][i], status.get(str(i)))
        for i, combo in enumerate(itertools.product(*codes))
    }


def cell(by_codes: dict, **codes) -> tuple:
    return by_codes[tuple(sorted(codes.items()))]


# --- the unmodified clients --------------------------------------------------------------


@live
def test_pxwebpy_reads_the_published_values(live_server, released_named_doctor):
    api = px(live_server)
    assert api.number_of_tables == 1
    assert [t["id"] for t in api.all_tables()] == [TABLE]
    variables = api.get_table_variables(TABLE)
    assert list(variables["Tid"]["category"]["label"]) == ["2021"]  # 2022 is not released
    assert variables["Region"]["elimination"] is True
    assert {c["id"] for c in variables["Region"]["codelists"]} == {
        "vs_Riket",
        "vs_Regioner",
        "vs_Kommuner",
        "agg_RegionNUTS2_2008",
        "agg_RegionKommungrupp2023",
    }
    groups = api.get_table_data(  # an aggregation, as pxwebpy asks for SCB's
        TABLE,
        value_codes={"Region": ["SE22", "SE23"], "Kon": "1+2"},
        code_list={"Region": "agg_RegionNUTS2_2008"},
        show="code_value",
    )
    assert [r["region"] for r in groups] == ["SE22: Sydsverige", "SE23: Västsverige"]
    assert all(r["value"] is not None for r in groups)
    rows = api.get_table_data(
        TABLE,
        value_codes={"Region": "??", "Kon": "*", "ContentsCode": "value", "Tid": "*"},
        show="code",
    )
    assert len(rows) == (1 + N_REGIONS) * 3
    assert {r["år"] for r in rows} == {"2021"}
    store = stored()
    for row in rows:
        if row["region"] != "00" and row["value"] is not None:
            assert row["value"] == pytest.approx(store[(row["region"], SEX[row["kön"]])])
    hidden = {(r["region"], r["kön"]) for r in rows if r["value"] is None}
    assert ("06", "2") in hidden  # three women: suppressed
    assert hidden == suppressed()  # and exactly what disclosure control hides besides
    regions = api.get_code_list("vs_Regioner")
    assert [v["code"] for v in regions["values"]] == [r.code for r in files.regions()]
    rows = api.get_table_data(
        TABLE, value_codes={"Region": ["*"]}, code_list={"Region": "vs_Regioner"}, show="code"
    )
    assert sorted(r["region"] for r in rows) == [r.code for r in files.regions()]
    assert {r["kön"] for r in rows} == {"1+2"}  # eliminated to the total
    default = api.get_table_data(TABLE, show="code")  # no selection: the default table
    assert len(default) == (1 + N_REGIONS) * 3


@live
def test_pxwebpy_sees_neither_unreleased_periods_nor_suppressed_values(
    live_server, released_named_doctor
):
    api = px(live_server, language="en")
    with pytest.raises(requests.HTTPError, match="400"):
        api.get_table_data(TABLE, value_codes={"Tid": ["2022"]})
    rows = api.get_table_data(
        TABLE,
        value_codes={"Region": ["06"], "Kon": ["1", "2", "1+2"], "Tid": "top(5)"},
        show="code",
    )
    assert {r["year"] for r in rows} == {"2021"}
    by_sex = {r["sex"]: r["value"] for r in rows}
    assert set(by_sex) == {"1", "2", "1+2"}
    assert by_sex["2"] is None  # three women: suppressed


@live
def test_pxwebpy_splits_a_big_query_under_max_data_cells(
    live_server, released_named_doctor, settings
):
    settings.PXWEB_MAX_DATA_CELLS = 500  # the whole table is 312 regions × 3 × 3 = 2808 cells
    api = px(live_server, max_workers=1)
    assert api.get_config()["maxDataCells"] == 500
    rows = api.get_table_data_all(TABLE, show="code")
    assert len(rows) == (1 + N_REGIONS + N_MUNICIPALITIES) * 3 * 3
    store = stored()
    values = {(r["region"], r["kön"]): r["value"] for r in rows if r["tabellinnehåll"] == "value"}
    assert values[("14", "1+2")] == pytest.approx(store[("14", "T")])
    assert values[("06", "2")] is None
    assert all(values[(m.code, "1")] is None for m in files.municipalities())  # none stored


@live
def test_pyjstat_reads_the_data_url(live_server, released_named_doctor):
    url = (
        f"{live_server.url}{BASE}/tables/{TABLE}/data?lang=en&outputFormat=json-stat2"
        "&valueCodes[Region]=*&codelist[Region]=vs_Regioner&valueCodes[Kon]=1,2"
        "&valueCodes[Tid]=top(1)&valueCodes[ContentsCode]=value"
    )
    frame = pyjstat.Dataset.read(url).write("dataframe", naming="id")
    assert len(frame) == N_REGIONS * 2
    store, hidden = stored(), suppressed()
    assert ("06", "2") in hidden
    for row in frame.itertuples():
        if (row.Region, row.Kon) in hidden:
            assert row.value != row.value  # NaN: no value
        else:
            assert row.value == pytest.approx(store[(row.Region, SEX[row.Kon])])
    labelled = pyjstat.Dataset.read(url).write("dataframe")
    assert set(labelled["sex"]) == {"men", "women"}
    assert "Region Stockholm" in set(labelled["region"])


# --- the endpoints, with Django's client -------------------------------------------------


def test_config():
    body = Client().get(f"{BASE}/config").json()
    assert Version(body["apiVersion"]) >= Version("2.0.0")
    assert body["languages"] == [{"id": "sv", "label": "Svenska"}, {"id": "en", "label": "English"}]
    assert body["defaultLanguage"] == "sv"
    assert body["defaultDataFormat"] == "json-stat2" and "json-stat2" in body["dataFormats"]
    for key in (
        "appVersion",
        "maxDataCells",
        "maxCallsPerTimeWindow",
        "timeWindow",
        "sourceReferences",
        "cors",
        "license",
        "features",
    ):
        assert key in body
    assert Client().get(f"{BASE}/config/").status_code == 200  # with a final slash too


def test_tables_page_through_the_published_indicators(released_named_doctor):
    lines = ["org,period,numerator,denominator"] + [
        f"{r.code},2021,{100 + i},1000" for i, r in enumerate(files.regions())
    ]
    import_file(
        "d.csv", "digital_contact_share", data="\n".join(lines).encode(), name="d.csv", actor="test"
    )
    release("digital_contact_share", "2021", actor="test")
    client = Client()
    first = client.get(f"{BASE}/tables", {"pageSize": 1}).json()
    assert first["page"]["totalElements"] == 2 and first["page"]["totalPages"] == 2
    assert len(first["tables"]) == 1
    assert [link["rel"] for link in first["page"]["links"]] == ["next", "last"]
    second = client.get(f"{BASE}/tables", {"pageSize": 1, "pageNumber": 2}).json()
    assert {first["tables"][0]["id"], second["tables"][0]["id"]} == {TABLE, "digital_contact_share"}
    table = next(t for t in first["tables"] + second["tables"] if t["id"] == TABLE)
    assert table["firstPeriod"] == table["lastPeriod"] == "2021"
    assert table["timeUnit"] == "Annual" and table["updated"].endswith("Z")
    assert table["variableNames"] == ["region", "kön", "tabellinnehåll", "år"]
    assert {link["rel"] for link in table["links"]} >= {"self", "metadata", "data"}
    found = client.get(f"{BASE}/tables", {"query": "digitala"}).json()
    assert [t["id"] for t in found["tables"]] == ["digital_contact_share"]
    assert client.get(f"{BASE}/tables", {"pageSize": "many"}).status_code == 400
    one = client.get(f"{BASE}/tables/{TABLE}", {"lang": "en"}).json()
    assert one["language"] == "en" and one["id"] == TABLE
    assert one["label"] == (
        "Share of residents with a named regular doctor by region, sex and year 2021"
    )


def test_metadata_is_json_stat(released_named_doctor):
    meta = Client().get(f"{BASE}/tables/{TABLE}/metadata", {"outputFormat": "json-stat2"}).json()
    assert meta["version"] == "2.0" and meta["class"] == "dataset"
    assert meta["id"] == ["Region", "Kon", "ContentsCode", "Tid"]
    assert meta["role"] == {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]}
    for dim, size in zip(meta["id"], meta["size"], strict=True):
        category = meta["dimension"][dim]["category"]
        assert isinstance(category["index"], dict)
        assert sorted(category["index"].values()) == list(range(size))
        assert set(category["label"]) == set(category["index"])
    region = meta["dimension"]["Region"]
    assert meta["size"][0] == 1 + N_REGIONS + N_MUNICIPALITIES
    assert region["category"]["label"]["00"] == "Riket"
    assert region["extension"]["elimination"] is True
    assert region["extension"]["eliminationValueCode"] == "00"
    assert list(meta["dimension"]["Kon"]["category"]["label"]) == ["1", "2", "1+2"]
    assert meta["dimension"]["Tid"]["extension"]["elimination"] is False
    assert list(meta["dimension"]["Tid"]["category"]["index"]) == ["2021"]
    assert list(meta["dimension"]["ContentsCode"]["category"]["index"]) == [
        "value",
        "ci_low",
        "ci_high",
    ]
    assert meta["extension"]["px"]["tableid"] == TABLE
    assert meta["value"] == []  # JSON-stat 2.0: a list, empty in the metadata
    assert (
        Client().get(f"{BASE}/tables/{TABLE}/metadata", {"outputFormat": "px"}).status_code == 400
    )


def test_post_selection_and_placement(released_named_doctor):
    client = Client(enforce_csrf_checks=True)  # anonymous, and no CSRF token needed
    query = {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["01", "03"]},
            {"variableCode": "Kon", "valueCodes": ["1", "2"]},
            {"variableCode": "ContentsCode", "valueCodes": ["*"]},
            {"variableCode": "Tid", "valueCodes": ["2021"]},
        ],
        "placement": {"heading": ["Region"], "stub": ["Tid", "Kon", "ContentsCode"]},
    }
    response = client.post(data_url(), json.dumps(query), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == ["Tid", "Kon", "ContentsCode", "Region"]
    assert body["size"] == [1, 2, 3, 2] and len(body["value"]) == 12
    by_codes = cells(body)
    store = stored()
    value, status = cell(by_codes, Region="03", Kon="2", ContentsCode="value", Tid="2021")
    assert value == pytest.approx(store[("03", "K")]) and status is None
    low, _ = cell(by_codes, Region="03", Kon="2", ContentsCode="ci_low", Tid="2021")
    high, _ = cell(by_codes, Region="03", Kon="2", ContentsCode="ci_high", Tid="2021")
    assert low < value < high
    assert body["extension"]["px"]["heading"] == ["Region"]
    assert body["role"]["time"] == ["Tid"] and body["updated"].endswith("Z")


def test_get_selection_with_expressions(released_named_doctor):
    client = Client()
    body = client.get(
        data_url(),
        {
            "valueCodes[Region]": "range(01,05)",
            "valueCodes[Kon]": "top(2)",
            "valueCodes[Tid]": "from(2021)",
        },
    ).json()
    assert list(body["dimension"]["Region"]["category"]["index"]) == ["01", "03", "04", "05"]
    assert list(body["dimension"]["Kon"]["category"]["index"]) == ["1", "2"]
    suppressed = client.get(data_url(), {"valueCodes[Region]": "06", "valueCodes[Kon]": "2"})
    body = suppressed.json()
    assert body["value"] == [None] and body["status"] == {"0": ".."}
    nation = client.get(data_url(), {"valuecodes[region]": "00", "valuecodes[kon]": "1+2"}).json()
    assert nation["value"][0] is not None  # the nation, computed from every region
    assert client.get(data_url()).json()["size"] == [1 + N_REGIONS, 3, 1, 1]  # default table


def test_unpublished_periods_are_neither_listed_nor_selectable(released_named_doctor):
    client = Client()
    meta = client.get(f"{BASE}/tables/{TABLE}/metadata").json()
    assert "2022" not in meta["dimension"]["Tid"]["category"]["index"]
    for period in ("2022", "2022-12-31"):  # a point in time: both name 31 December 2022
        response = client.get(data_url(), {"valueCodes[Tid]": period})
        assert response.status_code == 400
        assert "inga publicerade värden för 31 december 2022" in response.json()["detail"]
    body = client.get(data_url(), {"valueCodes[Tid]": "*", "valueCodes[Region]": "14"}).json()
    assert list(body["dimension"]["Tid"]["category"]["index"]) == ["2021"]
    store_2022 = stored("2022-12-31")[("14", "T")]
    assert store_2022 not in body["value"]


def test_errors_are_problems(released_named_doctor):
    client = Client()
    response = client.post(data_url(), "{not json", content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Invalid query"
    missing = client.get(f"{BASE}/tables/no_such_table/data")
    assert missing.status_code == 404 and missing.json()["title"] == "Non-existent table"
    assert client.get(f"{BASE}/tables/digital_contact_share").status_code == 404  # not released
    assert client.get(f"{BASE}/tables/no_such_table/metadata").status_code == 404
    unknown = client.get(data_url(), {"valueCodes[Region]": "01,99"})
    assert unknown.status_code == 400 and "'99'" in unknown.json()["detail"]
    variable = client.get(data_url(), {"valueCodes[Alder]": "*"})
    assert variable.status_code == 400 and "Alder" in variable.json()["detail"]
    assert client.get(data_url(), {"outputFormat": "pdf"}).status_code == 400
    assert client.get(data_url(), {"valueCodes[Tid]": "top(x)"}).status_code == 400
    assert client.get(data_url(), {"codelist[Region]": "vs_Fylker"}).status_code == 400
    assert client.get(f"{BASE}/codelists/vs_Fylker").status_code == 404
    assert client.get(f"{BASE}/navigation").status_code == 404
    assert client.put(data_url()).status_code == 405


def test_languages(released_named_doctor):
    client = Client()
    english = client.get(data_url(), {"lang": "en", "valueCodes[Region]": "00"}).json()
    assert english["dimension"]["Region"]["category"]["label"] == {"00": "Sweden"}
    assert english["dimension"]["Kon"]["label"] == "sex"
    assert english["dimension"]["ContentsCode"]["category"]["label"]["value"].startswith("Share")
    swedish = client.get(data_url(), {"valueCodes[Region]": "00"}).json()
    assert swedish["dimension"]["Region"]["category"]["label"] == {"00": "Riket"}
    assert swedish["dimension"]["Kon"]["category"]["label"]["1+2"] == "totalt"
    bad = client.get(f"{BASE}/tables", {"lang": "fi"})
    assert bad.status_code == 400 and "fi" in bad.json()["detail"]
    assert client.get(f"{BASE}/codelists/vs_Riket", {"lang": "en"}).json()["values"] == [
        {"code": "00", "label": "Sweden", "valueMap": ["00"]}
    ]


def test_too_many_cells_are_refused(released_named_doctor, settings):
    settings.PXWEB_MAX_DATA_CELLS = 100
    client = Client()
    response = client.get(data_url(), {"valueCodes[Region]": "*", "valueCodes[Kon]": "*"})
    assert response.status_code == 403
    assert response.json()["title"] == "Too many cells selected"
    assert "936" in response.json()["detail"]  # 312 regions × 3 sexes
    assert client.get(data_url(), {"valueCodes[Region]": "??"}).status_code == 200


@live
def test_anonymous_concurrent_requests_without_accept_header(live_server, released_named_doctor):
    for path in (
        "config",
        "tables",
        f"tables/{TABLE}",
        f"tables/{TABLE}/metadata",
        f"tables/{TABLE}/data",
        "codelists/vs_Regioner",
    ):
        response = requests.get(f"{live_server.url}{BASE}/{path}", headers={"Accept": None})
        assert response.status_code == 200, path
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(f"{live_server.url}{BASE}/tables/{TABLE}/data")
    assert (
        preflight.status_code == 204 and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    )

    if connection.vendor == "sqlite":  # the live server shares one in-memory connection
        pytest.skip("concurrent requests need a database with a connection per thread")

    def fetch(region: str) -> tuple[str, list]:
        body = requests.get(
            f"{live_server.url}{BASE}/tables/{TABLE}/data",
            params={
                "valueCodes[Region]": region,
                "valueCodes[Kon]": "*",
                "lang": "en" if region < "10" else "sv",
            },
        ).json()
        return region, body["value"]

    regions = [r.code for r in files.regions()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(fetch, regions * 2))
    store, hidden = stored(), suppressed()
    assert len(answers) == 2 * N_REGIONS
    for region, values in answers:
        for value, code in zip(values, ("1", "2", "1+2"), strict=True):
            if (region, code) in hidden:
                assert value is None
            else:
                assert value == pytest.approx(store[(region, SEX[code])])
    assert answers[:N_REGIONS] == answers[N_REGIONS:]


def test_a_large_answer_is_streamed_and_says_what_the_whole_one_says(
    released_named_doctor, monkeypatch
):
    """Above STREAMED_FROM cells the JSON-stat answer is sent as its values are made: the
    same dataset, byte for byte, status of hidden and missing cells included."""
    query = {"valueCodes[Region]": "*", "valueCodes[Kon]": "*", "valueCodes[Tid]": "*"}
    whole = Client().get(data_url(), query)
    assert not whole.streaming
    monkeypatch.setattr(pxweb, "STREAMED_FROM", 10)
    streamed = Client().get(data_url(), query)
    assert streamed.status_code == 200 and streamed.streaming
    assert streamed["Content-Type"] == whole["Content-Type"]
    body = b"".join(streamed.streaming_content)
    assert body == whole.content
    dataset = json.loads(body)
    assert len(dataset["value"]) > 10 and ".." in dataset["status"].values()
    small = Client().get(data_url(), {"valueCodes[Region]": "01", "valueCodes[Tid]": "2021"})
    assert not small.streaming  # ten cells or fewer are sent whole
