"""What the PDF is laid out from: tables at column widths worked out from their cells, drawings
as images beside the same table the web report has, and a region's small multiples that fit a
page with every indicator's whole name."""

import base64
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from naravard.presentation import charts
from naravard.report import content, render
from naravard.report.content import Figure, Num, Per, Table

NAME = "Dagar från utskrivning till första kontakt i primärvård eller kommun, 65 år och äldre"


def widths(table: Table) -> list[float]:
    with translation.override("sv"):
        out = table.column_widths
    assert sum(out) == pytest.approx(100, abs=0.05)
    return out


def test_a_narrow_table_shares_the_width_as_its_cells_do():
    table = Table(
        "t", "Liten", ["Region", "Värde"], [["Skåne", Num(61.2, 1)], ["Halland", Num(7.5, 1)]]
    )
    region, value = widths(table)
    pad, width = content.CELL_PADDING, render.text_width
    # each column as wide as its widest word, bold in the header, with a cell's padding
    expected = (max(width("Region", bold=True), width("Halland")) + pad) / (
        max(width("Värde", bold=True), width("61,2")) + pad
    )
    assert region / value == pytest.approx(expected, rel=1e-3)


def test_the_report_fonts_widths():
    assert render.text_width("") == 0
    assert render.text_width("1 500,0") == pytest.approx(4 * 0.636 + 2 * 0.318 + 0.636, abs=0.01)
    assert render.text_width("Förändring", bold=True) > render.text_width("Förändring") > 5


def test_numbers_keep_their_width_and_words_share_the_rest_never_below_their_longest_word():
    rows = [
        [NAME, Per("2021"), Num(1500.0, 1), "ingen säker förändring"],
        ["Förtroende för vården", Per("2021"), Num(68.2, 1), "ökade januari 2019–juni 2019"],
    ]
    table = Table("t", "Bred", ["Indikator", "Period", "Värde", "Trend"], rows)
    name, period, value, trend = widths(table)
    pad, total, width = content.CELL_PADDING, content.TABLE_WIDTH, render.text_width
    with translation.override("sv"):
        shown = charts.number(1500.0, 1)  # "1 500,0", the thousands apart by a thin space
    assert value == pytest.approx(100 * (width(shown) + pad) / total, abs=0.01)
    assert name > trend > period  # the longer a column's text, the more room it has
    assert period >= 100 * (width("Period", bold=True) + pad) / total - 0.01
    assert trend >= 100 * (width("förändring") + pad) / total - 0.01


def test_a_column_of_short_phrases_is_not_broken():
    rows = [[NAME * 2, Per("2021-12-31"), "ord " * 40]]  # more text than fits, all around it
    table = Table("t", "Punkt", ["Indikator", "Period", "Anmärkning"], rows)
    period = widths(table)[1]
    needed = render.text_width("31 december 2021") + content.CELL_PADDING
    assert period >= 100 * needed / content.TABLE_WIDTH - 0.01  # in per cent to 2 decimals


def test_the_pdf_has_images_and_fixed_columns_the_web_report_inline_drawings():
    figure = Figure(
        "f",
        "Figur",
        ["Region", "Värde"],
        [["Skåne", Num(61.2, 1)]],
        spec={},
        svg='<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Alt</title></svg>',
        alt="Högst i Skåne",
        number=3,
    )
    with translation.override("sv"):
        web = render_to_string("report/_block.html", {"block": figure})
        pdf = render_to_string("report/_block.html", {"block": figure, "for_pdf": True})
    assert "<svg" in web and "<img" not in web and "<colgroup>" not in web
    assert "<svg" not in pdf and 'alt="Högst i Skåne"' in pdf
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', pdf)
    assert uri and base64.b64decode(uri[1]).decode() == figure.svg
    assert 'class="data figure-data fixed"' in pdf
    assert re.findall(r'<col style="width: ([\d.]+)%">', pdf) == [
        f"{w:.2f}" for w in figure.column_widths
    ]


def small_multiples(region: str, names: list[str], periods: list[str]) -> dict:
    series = [
        {"indicator": name, "id": None, "unit": "percent", "period": period, "who": who}
        | {"value": 50.0 + i}
        for name in names
        for i, period in enumerate(periods)
        for who in (region, "Riket")
    ]
    with translation.override("sv"):
        return charts.region_vs_nation(series, "Över tid")


def test_each_area_keeps_its_colour_however_the_names_sort():
    for region in ("Region Halland", "Västra Götalandsregionen"):  # before and after "Riket"
        spec = small_multiples(region, ["A"], ["2019", "2020"])
        scale = spec["spec"]["layer"][0]["encoding"]["color"]["scale"]
        assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
            region: charts.REGION_COLOUR,
            "Riket": charts.NATION_COLOUR,
        }


def test_panels_have_whole_names_and_fit_four_to_a_row_when_there_are_many():
    few = small_multiples("Region Halland", [NAME, "B"], ["2019", "2020"])
    assert few["columns"] == 3
    header = few["facet"]["header"]
    assert header["labelLimit"] == 0  # nothing cut off with "…"
    panels = {row["panel"] for row in few["datasets"][few["data"]["name"]]}
    assert {panel.replace("\n", " ") for panel in panels} == {NAME, "B"}  # over several lines
    assert max(len(line) for panel in panels for line in panel.split("\n")) <= 32
    many = small_multiples("Region Halland", [f"Indikator {i}" for i in range(13)], ["2019"])
    assert many["columns"] == 4


def test_a_panel_of_months_names_each_years_first_and_draws_no_points():
    months = [f"{year}-{month:02d}" for year in (2019, 2020) for month in range(1, 13)]
    spec = small_multiples("Region Halland", ["Månader"], months)
    axis = spec["spec"]["layer"][0]["encoding"]["x"]["axis"]
    assert axis["values"] == ["januari 2019", "januari 2020"]
    rows = spec["datasets"][spec["data"]["name"]]
    assert not any(row["dot"] for row in rows)
    yearly = small_multiples("Region Halland", ["År"], ["2019", "2020", "2021"])
    assert yearly["spec"]["layer"][0]["encoding"]["x"]["axis"]["values"] == ["2019", "2020", "2021"]
    assert all(row["dot"] for row in yearly["datasets"][yearly["data"]["name"]])
