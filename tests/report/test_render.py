"""The report's rendering layer: Vega-Lite to SVG (vl-convert) and HTML to a reproducible PDF
(WeasyPrint), checked with poppler-utils."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

import altair as alt
import pytest

from naravard.report import render
from tests.report import structure_tree

PUBLISHED = dt.date(2026, 3, 15)
REGIONS = [
    "Region Skåne",
    "Västra Götalandsregionen",
    "Region Örebro län",
    "Region Jämtlands län",
    "Region Gävleborg",
    "Region Västerbotten",
]


def bars_spec(title: str = "Andel med fast läkarkontakt, 2025") -> dict:
    rows = [
        {"name": n, "value": 61.2 + 3.35 * i, "ci_low": 58.0 + 3.35 * i, "ci_high": 64.1 + 3.35 * i}
        for i, n in enumerate(REGIONS)
    ]
    y = alt.Y("name:N", sort="-x", title=None)
    chart = alt.layer(
        alt.Chart().mark_bar(color="#2c6fbb").encode(x=alt.X("value:Q", title="%"), y=y),
        alt.Chart().mark_rule().encode(x="ci_low:Q", x2="ci_high:Q", y=y),
        data=alt.InlineData(values=rows),
    ).properties(title=title, width=420)
    return chart.configure(font="system-ui, sans-serif").to_dict()


def gradient_spec() -> dict:
    """Clipping and a gradient legend: the ids Vega numbers per process."""
    rows = [{"x": i / 10, "y": (i * 37) % 11, "c": i * 1.5} for i in range(30)]
    return (
        alt.Chart(alt.InlineData(values=rows))
        .mark_point(clip=True)
        .encode(
            x=alt.X("x:Q", scale=alt.Scale(domain=[0, 2]), axis=alt.Axis(format=".1f")),
            y="y:Q",
            color="c:Q",
        )
        .properties(title="Spridning")
        .to_dict()
    )


def run_python(code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    ).stdout


# -------------------------------------------------------------------------------------- SVG


def test_svg_is_valid_with_title_and_only_the_bundled_font():
    text = render.svg(bars_spec(), locale="sv")
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.get("width")) > 400 and root.get("viewBox")
    words = " ".join(t for el in root.iter() for t in [el.text] if t)
    assert "Andel med fast läkarkontakt, 2025" in words
    assert "Region Jämtlands län" in words
    fonts = {el.get("font-family") for el in root.iter() if el.get("font-family")}
    assert fonts == {"DejaVu Sans"}
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )


def test_svg_uses_the_report_language_for_numbers():
    sv = render.svg(gradient_spec(), locale="sv")
    en = render.svg(gradient_spec(), locale="en")
    assert ">0,2<" in sv and ">0.2<" not in sv
    assert ">0.2<" in en and ">0,2<" not in en


def test_svg_same_bytes_in_process_and_in_another_process(tmp_path):
    specs = [bars_spec(), gradient_spec()]
    first = [render.svg(s, locale="sv") for s in specs]
    again = [render.svg(s, locale="sv") for s in specs]  # Vega's id counters have moved on
    assert first == again
    assert 'id="vl' in first[1] and "gradient_" not in first[1] and "clip1" not in first[1]
    (tmp_path / "specs.json").write_text(json.dumps(specs))
    other = run_python(
        "import json, sys; from naravard.report import render; "
        "specs = json.load(open(sys.argv[1])); "
        "print(json.dumps([render.svg(s, locale='sv') for s in specs]))",
        str(tmp_path / "specs.json"),
    )
    assert json.loads(other) == first


def test_svg_leaves_out_only_what_draws_nothing():
    """The pointer's background and foreground paths Vega gives every group go; the picture
    stays the same to the pixel."""
    import vl_convert

    spec = bars_spec()
    drawn = render.svg(spec, locale="sv")
    kept = re.findall(r'<path class="(?:background|foreground)"[^>]*>', drawn)
    assert kept and all(" stroke=" in path or " fill=" in path for path in kept)  # the frame
    whole = render._vlc().vegalite_to_svg(
        {**spec, "config": {**spec.get("config", {}), "font": render.FONT_FAMILY}},
        format_locale="sv-SE",
    )
    assert whole.count('class="background"') > 2  # what there was to leave out
    assert render._drawn_only(whole) != whole
    assert vl_convert.svg_to_png(render._drawn_only(whole)) == vl_convert.svg_to_png(whole)


def test_chart_drawer_draws_in_workers_what_svg_draws_here():
    specs = [(bars_spec(), "Staplar"), (gradient_spec(), ""), (bars_spec("Annan"), "Andra")]
    here = [render.svg(spec, locale="sv", title=title) for spec, title in specs]
    with render.ChartDrawer(workers=2) as drawer:
        assert drawer.draw(specs, locale="sv") == here  # in order, byte for byte
    with render.ChartDrawer(workers=1) as drawer:
        assert drawer.draw(specs, locale="sv") == here


def test_chart_drawer_reports_a_chart_it_cannot_draw():
    broken = {"mark": "bar", "data": {"url": "data/saknas.csv"}}
    with render.ChartDrawer(workers=2) as drawer, pytest.raises(render.ChartDataError):
        drawer.draw([(bars_spec(), ""), (broken, "")], locale="sv")


def test_cycle_collection_paused_restores_what_it_found():
    import gc

    assert gc.isenabled()
    with render.cycle_collection_paused():
        assert not gc.isenabled()
        with render.cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), render.cycle_collection_paused():
        raise ValueError
    assert gc.isenabled()


def test_svg_title_is_the_first_child_and_the_rest_unchanged():
    spec = bars_spec()
    plain, titled = render.svg(spec), render.svg(spec, title="Högst i A & B <62 %>")
    root = ET.fromstring(titled)
    first = root[0]
    assert first.tag == "{http://www.w3.org/2000/svg}title"
    assert first.text == "Högst i A & B <62 %>"
    root.remove(first)
    assert ET.tostring(root) == ET.tostring(ET.fromstring(plain))
    assert "<title>" not in plain


def test_svg_ids_are_unique_per_chart():
    a = render.svg(gradient_spec(), locale="sv")
    b = render.svg({**gradient_spec(), "title": "Annan"}, locale="sv")

    def ids(text: str) -> set[str]:
        return {el.get("id") for el in ET.fromstring(text).iter() if el.get("id")}

    assert ids(a) and ids(b) and not ids(a) & ids(b)


def test_svg_never_fetches_data(tmp_path):
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"url": "/static/report/andelar.csv"},
        "mark": "bar",
        "encoding": {
            "x": {"field": "value", "type": "quantitative"},
            "y": {"field": "name", "type": "nominal"},
        },
        "title": "Från fil",
    }
    with pytest.raises(render.ChartDataError, match="/static/report/andelar.csv"):
        render.svg(spec)
    (tmp_path / "andelar.csv").write_text("name,value\nSkåne,78\nÖrebro,64\n", encoding="utf-8")
    from_dir = render.svg(spec, data_dir=tmp_path, locale="sv")
    assert "Skåne" in from_dir and "Örebro" in from_dir
    assert (
        render.svg(spec, inline=lambda url: "name,value\nSkåne,78\nÖrebro,64\n", locale="sv")
        == from_dir
    )
    with pytest.raises(render.ChartDataError, match="not in"):
        render.svg({**spec, "data": {"url": "../../etc/passwd"}}, data_dir=tmp_path / "x")


def test_svg_of_the_public_pages_charts():
    from naravard.presentation import charts

    rows = [
        {"indicator": "Fast läkarkontakt", "period": str(y), "who": w, "value": v + y - 2020}
        for y in range(2020, 2026)
        for w, v in (("Region Skåne", 60), ("Riket", 63))
    ]
    text = render.svg(charts.region_vs_nation(rows, "Skåne och riket"), locale="sv")
    ET.fromstring(text)
    assert "Fast läkarkontakt" in text and 'font-family="DejaVu Sans"' in text


# -------------------------------------------------------------------------------------- PDF

ALT = "Andelen med fast läkarkontakt var högst i Region Jämtlands län (77,9 %)."

PDF_SCRIPT = """
import datetime as dt, sys
from pathlib import Path
from naravard.report import render
html = Path(sys.argv[1]).read_text(encoding="utf-8")
render.pdf(html, Path(sys.argv[2]), base_url=Path(sys.argv[1]).parent,
           title="Nära vård – uppföljning 2025", lang="sv", published=dt.date(2026, 3, 15))
"""


def sample_html() -> str:
    chart = render.svg(bars_spec(), locale="sv", title=ALT)
    rows = "".join(
        f"<tr><th scope='row'>{n} {k}</th><td>{61.2 + k:.1f} %</td><td>{1200 + k}</td></tr>"
        for k in range(12)
        for n in REGIONS
    )
    chapters = []
    for i, title in enumerate(
        [
            "Tillgänglighet i primärvården",
            "Kontinuitet och fast kontakt",
            "Hälsofrämjande och förebyggande arbete",
        ],
        1,
    ):
        chapters.append(f"""
<section class="chapter" id="kap-{i}"><h2>{title}</h2>
<p>Åtta av tio patienter (78 %) fick kontakt med vårdcentralen samma dag. Skillnaderna mellan
regionerna är större än förra året; väntetiderna är längst i glesbygdsområden, där även
tillgången till fast läkarkontakt är lägst. Även äldre med omfattande behov påverkas.</p>
<figure class="chart"><figcaption>Figur {i}. Andel med fast läkarkontakt per region</figcaption>
<div class="svg">{chart}</div></figure>
<table class="data"><caption>Tabell {i}. Värden per region</caption>
<thead><tr><th scope="col">Region</th><th scope="col">Andel</th><th scope="col">Antal</th></tr>
</thead><tbody>{rows}</tbody></table></section>""")
    return f"""<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>ignored: the title comes from the arguments</title>
<style>{render.report_css()}</style></head><body>
<header class="cover"><p class="publisher">naravard</p><h1>Nära vård – uppföljning 2025</h1>
<p class="date">Publicerad 2026-03-15</p></header>
<nav class="toc"><h2>Innehåll</h2><ol>
{"".join(f'<li><a href="#kap-{i}">Kapitel {i}</a></li>' for i in range(1, 4))}</ol></nav>
{"".join(chapters)}</body></html>"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample report built twice, each in a process of its own."""
    where = tmp_path_factory.mktemp("report")
    (where / "report.html").write_text(sample_html(), encoding="utf-8")
    outs = [where / "a.pdf", where / "b.pdf"]
    for out in outs:
        run_python(PDF_SCRIPT, str(where / "report.html"), str(out))
    return where, outs


def test_pdf_is_the_same_bytes_in_two_processes(built):
    _, (a, b) = built
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"\n".join(parts)


def test_pdf_does_not_depend_on_the_clock_where_fonttools_subsets_the_fonts(tmp_path, monkeypatch):
    """Without Debian's libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools, which
    stamps each subset with the time unless SOURCE_DATE_EPOCH names the day."""
    import time

    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    html = "<html lang=sv><body><h1>Nära vård</h1><p>Åtta av 21 regioner.</p></body></html>"
    made = []
    for clock in (1_700_000_000.0, 1_800_000_000.0):
        with monkeypatch.context() as clocked:
            clocked.setattr(time, "time", lambda clock=clock: clock)
            out = tmp_path / f"{int(clock)}.pdf"
            render.pdf(
                html, out, base_url=tmp_path, title="t", lang="sv", published=dt.date(2026, 3, 15)
            )
        made.append(out.read_bytes())
    assert made[0] == made[1]
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_pdf_metadata_is_fixed(built):
    _, (a, _b) = built
    data = a.read_bytes()
    assert data.startswith(b"%PDF-1.7")
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(a)], check=True, capture_output=True, text=True
    ).stdout
    assert "Title:           Nära vård – uppföljning 2025" in info
    assert "CreationDate:    2026-03-15T00:00:00Z" in info
    assert "ModDate:         2026-03-15T00:00:00Z" in info
    assert "Author:          naravard" in info and "Producer:        WeasyPrint" in info
    objects = pdf_objects(data)
    assert b"/Lang (sv)" in objects
    assert b"ignored: the title" not in objects
    assert re.search(rb"/ID \[\(([0-9a-f]{32})\) \(\1\)\]", data)  # MD5 of the content


def test_pdf_pages_are_not_blank(built, tmp_path):
    from PIL import Image

    _, (a, _b) = built
    pages = render.pdf_pages_to_png(a, tmp_path, dpi=40)
    assert len(pages) >= 6
    for page in pages:
        with Image.open(page) as im:
            grey = im.convert("L")
            dark = sum(grey.histogram()[:200])  # pixels clearly darker than white
            assert dark > 100, page.name


def test_pdf_text_has_headings_figures_and_page_numbers(built):
    _, (a, _b) = built
    text = render.pdf_text(a)
    for words in (
        "Nära vård – uppföljning 2025",
        "Tillgänglighet i primärvården",
        "Kontinuitet och fast kontakt",
        "Andel med fast läkarkontakt, 2025",
        "78 %",
        "Åtta av tio",
        "Region Jämtlands län",
        "Tabell 2. Värden per region",
    ):
        assert words in text, words
    pages = text.split("\f")[:-1]
    assert len(pages) >= 6
    assert pages[0].split()[-1] != "1"  # no number on the cover
    for number, page in enumerate(pages[1:], 2):
        assert page.split()[-1] == str(number), f"page {number}: {page.split()[-3:]}"
    # running header: the report title on the pages after the cover
    assert pages[2].lstrip().startswith("Nära vård – uppföljning 2025")
    # table of contents with the chapters' page numbers
    for i, heading in enumerate(
        ("Tillgänglighet i primärvården", "Kontinuitet och fast kontakt"), 1
    ):
        number = int(re.search(rf"Kapitel {i} \.+ (\d+)", pages[1])[1])
        assert heading in pages[number - 1].split("\n", 1)[1], (heading, number)


def test_pdf_is_tagged_for_assistive_technology(built):
    """PDF/UA-1: a structure tree with the figures' alt text, table headers, the language,
    the title shown as the window's title, bookmarks for the chapters and not the cover."""
    _, (a, _b) = built
    tagged = structure_tree.read(a)
    assert tagged.lang == "sv" and tagged.marked and tagged.display_title
    assert tagged.title == "Nära vård – uppföljning 2025" and tagged.ua_part == "1"
    assert tagged.of_type("Figure") == [("Figure", ALT)] * 3
    rows = 3 * 12 * len(REGIONS)
    assert len(tagged.of_type("TD")) == 2 * rows
    # a row header per row, and the column headers of each page's part of a table (repeated)
    headers = len(tagged.of_type("TH")) - rows
    assert headers >= 3 * 3 and headers % 3 == 0
    assert [kind for kind, _alt in tagged.elements if kind[0] == "H"] == ["H1"] + ["H2"] * 4
    assert tagged.bookmarks == [
        (1, "Innehåll"),
        (1, "Tillgänglighet i primärvården"),
        (1, "Kontinuitet och fast kontakt"),
        (1, "Hälsofrämjande och förebyggande arbete"),
    ]


def test_pdf_without_alt_text_has_figures_without_alt(tmp_path):
    """The check above can fail: an SVG without a title is a Figure without /Alt."""
    html = f"""<html lang="en"><body><figure class="chart"><div class="svg">
{render.svg(bars_spec(), locale="sv")}</div></figure></body></html>"""
    render.pdf(
        html, tmp_path / "x.pdf", base_url=tmp_path, title="t", lang="en", published=PUBLISHED
    )
    tagged = structure_tree.read(tmp_path / "x.pdf")
    assert tagged.of_type("Figure") == [("Figure", None)] and tagged.lang == "en"


def test_pdf_embeds_only_dejavu(built):
    _, (a, _b) = built
    fonts = render.pdf_fonts(a)
    assert fonts and all(f["embedded"] and f["subset"] for f in fonts)
    assert all(f["name"].split("+")[-1].startswith("DejaVu-Sans") for f in fonts), fonts
    assert any(f["name"].endswith("DejaVu-Sans-Bold") for f in fonts)


def test_pdf_ignores_the_machines_fonts(tmp_path):
    html = (
        '<html lang="sv"><body><p style="font-family: serif">Serif</p>'
        '<p style="font-family: monospace">Mono</p><p style="font-family: Arial">Arial</p>'
        "</body></html>"
    )
    render.pdf(
        html, tmp_path / "x.pdf", base_url=tmp_path, title="x", lang="sv", published=PUBLISHED
    )
    names = [f["name"].split("+")[-1] for f in render.pdf_fonts(tmp_path / "x.pdf")]
    assert names == ["DejaVu-Sans"]


def test_pdf_refuses_remote_and_missing_resources(tmp_path):
    for src, words in (
        ("https://example.org/logo.png", "only use local files"),
        ("saknas.png", "cannot read"),
    ):
        with pytest.raises(render.RenderError, match=words):
            render.pdf(
                f'<html><body><img src="{src}"></body></html>',
                tmp_path / "x.pdf",
                base_url=tmp_path,
                title="x",
                lang="sv",
                published=PUBLISHED,
            )
    assert not (tmp_path / "x.pdf").exists()


def test_missing_poppler_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(render.MissingTool, match="poppler-utils"):
        render.pdf_text(tmp_path / "x.pdf")


def test_fonts_are_bundled_with_their_licence(tmp_path):
    for file, *_ in render.FONT_FILES:
        assert (render.FONT_DIR / file).read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert "Bitstream" in (render.FONT_DIR / "LICENSE").read_text()
    copied = render.copy_fonts(tmp_path / "fonts")
    assert {p.name for p in copied} >= {"DejaVuSans.ttf", "LICENSE"}
    css = render.report_css()
    assert (
        'src: local("DejaVu Sans Bold"), local("DejaVuSans-Bold"), '
        'url("fonts/DejaVuSans-Bold.ttf")' in css
    )
    assert "file:" not in css and str(render.FONT_DIR) not in css
