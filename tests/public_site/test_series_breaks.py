"""A break in a series is marked wherever the public pages show values over time: the line of
each chart is split there with a labelled rule, the tables beside the charts mark the first
period after it with a note giving the reason (Swedish or English), and the trend is said to
run from the break on."""

import json
import re

import pytest

from naravard.report import render
from tests.helpers import SHORTAGE, store_shortage_across_the_break

pytestmark = pytest.mark.django_db

REASON_SV = "Frågan gällde november 2019 men gäller från 2021 hela året"
REASON_EN = "The question asked about November in 2019 and about the whole year from 2021"


@pytest.fixture
def published():
    store_shortage_across_the_break()


def specs(html: str) -> dict[str, dict]:
    """The Vega-Lite specs served with a page, by their element id."""
    return {
        m.group(1): json.loads(m.group(2))
        for m in re.finditer(
            r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S
        )
    }


def layers(spec: dict) -> list[dict]:
    """Every unit spec of a chart (layers, inside a facet too), its data resolved."""
    out = []
    for unit in spec.get("layer", []) or [spec.get("spec", {})]:
        if "layer" in unit:  # a layer, or a facet's: its data may be the facet's
            data = unit.get("data") or spec.get("data")
            out += layers(unit | {"datasets": spec.get("datasets", {}), "data": data})
            continue
        data = unit.get("data") or spec.get("data") or {}
        values = data.get("values") or spec.get("datasets", {}).get(data.get("name"), [])
        out.append({**unit, "rows": values})
    return out


def mark(unit: dict) -> str:
    return unit["mark"] if isinstance(unit["mark"], str) else unit["mark"]["type"]


def detail_fields(unit: dict) -> set[str]:
    detail = unit.get("encoding", {}).get("detail", [])
    return {d["field"] for d in (detail if isinstance(detail, list) else [detail])}


def assert_split_with_rule(spec: dict, labelled: bool = True) -> None:
    """The lines are split by ``segment`` (2019 in one, 2021 on in the next), and a dashed rule
    stands at 2021, labelled "Tidsseriebrott" unless the chart is too small for words."""
    units = layers(spec)
    line = next(u for u in units if mark(u) == "line")
    assert "segment" in detail_fields(line)
    segments = {(r["when"], r["segment"]) for r in line["rows"]}  # the period as shown
    assert {("2019", 0), ("2021", 1), ("2023", 1)} <= segments
    rule = next(u for u in units if mark(u) == "rule" and "break_label" in json.dumps(u))
    breaks = [r for r in rule["rows"] if r.get("break_label")]
    assert [(r["when"], r["break_label"]) for r in breaks] == [("2021", "Tidsseriebrott")]
    assert REASON_SV in breaks[0]["break_reason"]
    assert any(mark(u) == "text" for u in units) == labelled


def break_note(html: str, anchor: str) -> str:
    """The note a break mark links to, and check that a mark links to it."""
    assert f'href="#{anchor}"' in html
    found = re.search(rf'<li id="{anchor}"[^>]*>(.*?)</li>', html, re.S)
    assert found is not None, anchor
    return found.group(1)


def test_the_indicator_page_splits_its_trend_and_notes_the_break(client, published):
    html = client.get(f"/statistik/{SHORTAGE}/").content.decode()
    spec = specs(html)["trend-spec"]
    assert_split_with_rule(spec)
    assert "Tidsseriebrott" in render.svg(spec)  # the spec draws, with the label
    # the table beside the chart: 2021 is marked, the note under it gives the reason
    header = re.search(r"<thead><tr><th scope=\"col\">Område</th>(.*?)</tr></thead>", html, re.S)
    assert header is not None
    columns = re.findall(r"<th[^>]*>(.*?)</th>", header.group(1), re.S)
    assert [re.sub(r"<[^>]+>|\s+", "", c) for c in columns] == [
        "2019",
        "2021tidsseriebrott,senot1",
        "2022",
        "2023",
    ]
    assert break_note(html, "utveckling-brott-1").startswith(f"Tidsseriebrott 2021: {REASON_SV}")
    assert "Trenden i riket: ingen säker förändring sedan tidsseriebrottet 2021." in html
    assert f"<dd>2021: {REASON_SV}" in html  # under Definition och förbehåll


def test_in_english_the_note_and_the_trend_are_english(client, published):
    html = client.get(f"/en/statistik/{SHORTAGE}/").content.decode()
    assert break_note(html, "utveckling-brott-1").startswith(f"Break in series 2021: {REASON_EN}")
    assert "The national trend: no significant change since the break in series in 2021." in html
    rule = next(u for u in layers(specs(html)["trend-spec"]) if mark(u) == "text")
    assert rule["rows"][0]["break_label"] == "Break in series"


def test_a_regions_page_splits_its_small_multiples_and_notes_the_break(client, published):
    html = client.get("/region/01/").content.decode()
    assert_split_with_rule(specs(html)["history-spec"])
    cells = re.findall(r"<tr><th scope=\"row\">[^<]*</th><td>(.*?)</td>", html, re.S)
    marked = [re.sub(r"<[^>]+>|\s+", "", c) for c in cells if "break-mark" in c]
    assert marked == ["2021tidsseriebrott,senot1"]
    assert break_note(html, "historik-brott-1").startswith(f"Tidsseriebrott 2021: {REASON_SV}")
    assert "ingen säker förändring sedan tidsseriebrottet 2021" in html  # the trend column


def test_the_overview_splits_the_small_trend_and_notes_the_break(client, published):
    html = client.get("/").content.decode()
    assert_split_with_rule(specs(html)[f"spark-{SHORTAGE}-spec"], labelled=False)
    anchor = f"spark-{SHORTAGE}-brott-1"
    assert break_note(html, anchor).startswith(f"Tidsseriebrott 2021: {REASON_SV}")


def test_a_series_without_a_break_has_no_marks(client, released_named_doctor):
    html = client.get("/statistik/named_doctor_share/").content.decode()
    assert "break-mark" not in html and "break-notes" not in html
    assert "Tidsseriebrott" not in html
