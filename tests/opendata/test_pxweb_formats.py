"""The PxWeb face's output formats (csv, xlsx, px, json-px, html, parquet), each read back and
compared with the stored values of ``released_named_doctor``."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.test import Client
from openpyxl import load_workbook
from pyaxis import pyaxis

from naravard.opendata import pxweb_formats
from tests.opendata.test_pxweb import BASE, N_REGIONS, SEX, TABLE, cells, stored, suppressed

pytestmark = pytest.mark.django_db
REGIONS = {  # every region, each sex, the indicator's value, the latest period
    "codelist[Region]": "vs_Regioner",
    "valueCodes[Region]": "*",
    "valueCodes[Kon]": "*",
    "valueCodes[ContentsCode]": "value",
    "valueCodes[Tid]": "top(1)",
}
EVERY = {
    "valueCodes[Region]": "*",
    "valueCodes[Kon]": "*",
    "valueCodes[ContentsCode]": "*",
    "valueCodes[Tid]": "*",
}


def get(fmt: str, params: str | list[str] | None = None, query: dict | None = None, **kw):
    args = {**(REGIONS if query is None else query), "outputFormat": fmt, **kw}
    if params is not None:
        args["outputFormatParams"] = params
    return Client().get(f"{BASE}/tables/{TABLE}/data", args)


def check_values(found: dict[tuple[str, str], object]) -> None:
    """Region and Kon codes -> the value read back: the stored values, the hidden cell
    missing (its status, or None), never 0."""
    store, hidden = stored(), suppressed()
    assert ("06", "2") in hidden
    assert len(found) == N_REGIONS * 3
    for (region, kon), value in found.items():
        if (region, kon) in hidden:
            assert value in (None, "..", ""), (region, kon, value)
        else:
            assert float(value) == pytest.approx(store[(region, SEX[kon])])  # type: ignore[arg-type]


def test_config_lists_the_formats():
    body = Client().get(f"{BASE}/config").json()
    assert body["defaultDataFormat"] == "json-stat2"
    assert set(body["dataFormats"]) == {
        "json-stat2",
        "csv",
        "xlsx",
        "px",
        "json-px",
        "html",
        "parquet",
    }


def test_csv_with_codes(released_named_doctor):
    response = get("csv", "UseCodes")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="named_doctor_share.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["Region", "Kon", "value 2021"]
    check_values({(r[0], r[1]): r[2] for r in rows[1:]})
    assert dict(((r[0], r[1]), r[2]) for r in rows[1:])[("06", "2")] == ".."


def test_csv_params_change_names_separator_and_title(released_named_doctor):
    texts = get("csv", query={**REGIONS, "lang": "en"}).content.decode()
    rows = list(csv.reader(io.StringIO(texts)))
    assert rows[0][:2] == ["region", "sex"] and rows[0][2].endswith("2021")
    assert ("Region Stockholm", "women") in {(r[0], r[1]) for r in rows[1:]}
    semicolon = get("csv", ["SeparatorSemicolon", "IncludeTitle"], lang="en").content.decode()
    lines = semicolon.splitlines()
    title = Client().get(f"{BASE}/tables/{TABLE}/data", {**REGIONS, "lang": "en"}).json()["label"]
    assert next(csv.reader([lines[0]], delimiter=";")) == [title]
    assert next(csv.reader([lines[1]], delimiter=";"))[:2] == ["region", "sex"]
    both = get("csv", "UseCodesAndTexts,SeparatorTab", lang="en").content.decode()
    rows = list(csv.reader(io.StringIO(both), delimiter="\t"))
    assert ("01 Region Stockholm", "2 women") in {(r[0], r[1]) for r in rows[1:]}
    space = get("csv", ["UseCodes", "SeparatorSpace"]).content.decode()
    rows = list(csv.reader(io.StringIO(space), delimiter=" "))
    check_values({(r[0], r[1]): r[2] for r in rows[1:]})


def test_xlsx(released_named_doctor):
    response = get("xlsx", ["UseCodes", "IncludeTitle"])
    assert response.status_code == 200
    assert response["Content-Type"] == pxweb_formats.CONTENT_TYPES["xlsx"]
    assert 'filename="named_doctor_share.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1] == ["Region", "Kon", "value 2021"]
    table = [r for r in rows[2:] if r and r[0] and r[1] is not None]
    found = {(r[0], r[1]): r[2] for r in table}
    numbers = {k: v for k, v in found.items() if k not in suppressed()}
    assert all(isinstance(v, float | int) for v in numbers.values()), found
    check_values(found)


def _px(text: str) -> tuple[dict[str, str], list[str]]:
    head, data = text.split("DATA=", 1)
    keywords = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r'^([A-Z-]+(?:\("[^"]*"(?:,"[^"]*")?\))?)=(.*?);\s*$', head, re.M | re.S
        )
    }
    return keywords, data.strip().rstrip(";").split()


def _strings(value: str) -> list[str]:
    return re.findall(r'"([^"]*)"', value)


def test_px(released_named_doctor):
    response = get("px", query=REGIONS)
    assert response.status_code == 200
    assert 'filename="named_doctor_share.px"' in response["Content-Disposition"]
    keywords, data = _px(response.content.decode("utf-8"))
    for keyword in ("CHARSET", "AXIS-VERSION", "LANGUAGE", "MATRIX", "SUBJECT-CODE"):
        assert keyword in keywords
    for keyword in ("SUBJECT-AREA", "TITLE", "CONTENTS", "UNITS", "DECIMALS"):
        assert keyword in keywords
    assert _strings(keywords["MATRIX"]) == [TABLE]
    assert _strings(keywords["STUB"]) == ["region", "kön"]
    assert _strings(keywords["HEADING"]) == ["tabellinnehåll", "år"]
    regions = _strings(keywords['CODES("region")'])
    assert len(regions) == N_REGIONS and "Region Stockholm" in keywords['VALUES("region")']
    sexes = _strings(keywords['CODES("kön")'])
    assert sexes == ["1", "2", "1+2"]
    assert len(data) == N_REGIONS * 3
    found = {
        (r, k): (None if v == '".."' else v)
        for (r, k), v in zip(((r, k) for r in regions for k in sexes), data, strict=True)
    }
    assert '".."' in data
    check_values(found)


def test_px_read_by_pyaxis(released_named_doctor, tmp_path):
    """The PX file as a user reads it with pyaxis, the PC-Axis reader on PyPI: every value
    at full precision (DECIMALS 15), shown with the unit's decimals (SHOWDECIMALS)."""
    response = get("px")
    assert response.status_code == 200
    path = tmp_path / "named_doctor_share.px"
    path.write_bytes(response.content)
    px = pyaxis.parse(str(path), encoding="utf-8")
    assert px["METADATA"]["DECIMALS"] == "15" and px["METADATA"]["SHOWDECIMALS"] == "1"
    frame = px["DATA"]
    assert list(frame.columns) == ["region", "kön", "tabellinnehåll", "år", "DATA"]
    meta = px["METADATA"]
    code = {  # the labels pyaxis gives, back to the codes
        var: dict(zip(meta[f"VALUES({var})"], meta[f"CODES({var})"], strict=True))
        for var in ("region", "kön")
    }
    found = {
        (code["region"][row["region"]], code["kön"][row["kön"]]): (
            None if pd.isna(row["DATA"]) else row["DATA"]  # pyaxis reads ".." as missing
        )
        for _, row in frame.iterrows()
    }
    check_values(found)


def test_json_px(released_named_doctor):
    response = get("json-px", query={**REGIONS, "lang": "en"})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert set(body) == {"columns", "comments", "data", "metadata"}
    assert [(c["code"], c["type"]) for c in body["columns"]] == [
        ("Region", "d"),
        ("Kon", "d"),
        ("Tid", "t"),
        ("value", "c"),
    ]
    check_values({(d["key"][0], d["key"][1]): d["values"][0] for d in body["data"]})
    assert body["metadata"][0]["infofile"] == TABLE


class _Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.caption, self.rows, self.where = "", [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        if tag in ("caption", "th", "td"):
            self.where = tag
            if tag != "caption":
                self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag in ("caption", "th", "td"):
            self.where = None

    def handle_data(self, data):
        if self.where == "caption":
            self.caption += data
        elif self.where:
            self.rows[-1][-1] += data


def test_html(released_named_doctor):
    response = get("html", ["UseCodes", "IncludeTitle"])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    title = Client().get(f"{BASE}/tables/{TABLE}/data", REGIONS).json()["label"]
    parser = _Table()
    parser.feed(response.content.decode("utf-8"))
    assert parser.caption == title
    assert parser.rows[0] == ["Region", "Kon", "value 2021"]
    check_values({(r[0], r[1]): r[2] for r in parser.rows[1:]})
    texts = _Table()
    texts.feed(get("html", lang="en").content.decode())
    assert ("Region Stockholm", "women") in {(r[0], r[1]) for r in texts.rows[1:]}


def test_html_escapes():
    dataset = {
        "label": "<script>x</script> & co",
        "id": ["A", "B"],
        "size": [1, 1],
        "dimension": {
            "A": {"label": "a<b", "category": {"index": {"1": 0}, "label": {"1": "<i>"}}},
            "B": {"label": "b", "category": {"index": {"2": 0}, "label": {"2": "&"}}},
        },
        "value": [None],
        "status": {"0": ".."},
        "extension": {"px": {"stub": ["A"], "heading": ["B"], "tableid": "t"}},
    }
    body = pxweb_formats.render(dataset, "html").content.decode()
    assert "<script>" not in body and "<i>" not in body and "&lt;script&gt;" in body
    assert "<td>..</td>" in body


def test_parquet_holds_the_same_cells_as_json_stat(released_named_doctor):
    response = get("parquet", query=EVERY)
    assert response.status_code == 200
    assert 'filename="named_doctor_share.parquet"' in response["Content-Disposition"]
    table = pq.read_table(io.BytesIO(response.content))
    rows = table.to_pylist()
    dataset = Client().get(f"{BASE}/tables/{TABLE}/data", EVERY).json()
    expected = cells(dataset)
    assert len(rows) == len(expected)
    dims = dataset["id"]
    for row in rows:
        key = tuple(sorted((d, row[d]) for d in dims))
        assert (row["value"], row["status"]) == expected[key]
    assert str(table.schema.field("value").type) == "double"
    assert any(r["status"] == ".." and r["value"] is None for r in rows)
    assert table.schema.metadata[b"title"].decode() == dataset["label"]
    regions = get("parquet", query=REGIONS)
    read = pq.read_table(io.BytesIO(regions.content)).to_pylist()
    check_values({(r["Region"], r["Kon"]): r["value"] for r in read})
    assert {"Region_text", "Kon_text", "ContentsCode_text", "Tid_text"} <= set(read[0])


def test_post_takes_the_format(released_named_doctor):
    query = {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["*"], "codelist": "vs_Regioner"},
            {"variableCode": "Kon", "valueCodes": ["*"]},
        ]
    }
    response = Client().post(
        f"{BASE}/tables/{TABLE}/data?outputFormat=csv&outputFormatParams=UseCodes",
        json.dumps(query),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    check_values({(r[0], r[1]): r[2] for r in rows[1:]})


@pytest.mark.parametrize(
    ("fmt", "params", "named"),
    [
        ("csv", "UseNames", "UseCodes"),
        ("csv", "UseCodes,UseTexts", "UseCodes"),
        ("csv", ["SeparatorTab", "SeparatorSpace"], "SeparatorTab"),
        ("px", "UseCodes", "px"),
        ("xlsx", "SeparatorTab", "csv"),
        ("json-stat2", "IncludeTitle", "json-stat2"),
        ("", None, "parquet"),
        ("pdf", None, "json-px"),
    ],
)
def test_bad_formats_and_params_are_problems(released_named_doctor, fmt, params, named):
    response = get(fmt, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert named in response.json()["detail"]


def test_metadata_stays_json_stat(released_named_doctor):
    for fmt in ("json-px", "csv"):
        response = Client().get(f"{BASE}/tables/{TABLE}/metadata", {"outputFormat": fmt})
        assert response.status_code == 400 and "json-stat2" in response.json()["detail"]
