"""`naravard report build`: the demo's 2020 report as HTML, PDF, CSV and manifest, the same
bytes from the same store, the PDF checked page by page."""

import hashlib
import json
import re
from html import escape

import pytest
from typer.testing import CliRunner

from naravard.report import render
from naravard.report.build import ReportError, build
from tests.report import structure_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(followup_of_the_module, django_db_blocker, tmp_path_factory):
    """The 2020 report built once (HTML, PDF, CSV, manifest): what it built and where."""
    out = tmp_path_factory.mktemp("report") / "a"
    with django_db_blocker.unblock():
        return build("2020", out), out


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_same_store_gives_the_same_report(built, tmp_path):
    _, first = built
    build("2020", tmp_path / "b")
    for name in ("report.html", "report.pdf", "manifest.json"):
        assert digest(first / name) == digest(tmp_path / "b" / name), name


def test_manifest_lists_every_input_table_and_output(built):
    result, out = built
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["published"] == "2020-06-15" and manifest["follow_up"] == "2020"
    inputs = manifest["inputs"]
    assert {
        "refdata/regions",
        "refdata/municipalities",
        "refdata/population",
        "forms/kommunenkat-2019",
        "forms/nulagesrapport-2019",
    } <= set(inputs)
    assert any(k.startswith("responses/kommunenkat-2019/") for k in inputs)
    assert "indicators/online_booking_show" in inputs
    assert all(len(v) == 64 for v in inputs.values())
    assert manifest["outputs"]["report.pdf"] == digest(out / "report.pdf")
    assert manifest["figures"] == len(result.report.figures)


def test_every_figure_and_table_has_its_csv(built):
    result, out = built
    csvs = sorted(p.name for p in (out / "data").iterdir())
    assert len(csvs) == len(result.report.figures) + len(result.report.tables)
    figure_5 = next(p for p in (out / "data").iterdir() if p.name.endswith("beslut-samverkan.csv"))
    assert figure_5.read_text().splitlines()[0] == 'Nivå,"Ja, %","Nej, %",Svar (n)'


def test_pdf_pages_are_drawn_and_hold_the_text(built, tmp_path):
    _, out = built
    pages = render.pdf_pages_to_png(out / "report.pdf", tmp_path / "png", dpi=30)
    assert len(pages) > 40
    from PIL import Image

    for page in pages[:3] + pages[-3:]:
        extrema = Image.open(page).convert("L").getextrema()
        assert extrema[0] < 128, f"{page.name} is blank"  # some dark ink on the page
    text = " ".join(render.pdf_text(out / "report.pdf").split())
    for heading in (
        "Sammanfattning",
        "Metod och underlag",
        "Skillnader mellan regionerna",
        "Regionprofiler",
        "Region Jämtland Härjedalen",
        "Bilaga",
    ):
        assert heading in text, heading
    assert "226 av 290 kommuner (78 %) besvarade enkäten." in text
    assert "28 % av kommunerna har kommit överens" in text
    assert "Specialistsjuksköterska 168 (74)" in text


def test_pdf_is_tagged_with_alt_text_language_and_bookmarks(built):
    """Issue 18 point 7: every figure of the real report is a tagged Figure whose /Alt is the
    alt text written from its numbers (the same text as the HTML's aria-label)."""
    result, out = built
    report = result.report
    tagged = structure_tree.read(out / "report.pdf")
    assert tagged.lang == "sv" and tagged.marked and tagged.display_title
    assert tagged.title == report.title and tagged.ua_part == "1"
    alts = [alt for _kind, alt in tagged.of_type("Figure")]
    assert alts == [f.alt for f in report.figures] and all(alts)
    html = (out / "report.html").read_text()
    for figure in report.figures:
        assert f'role="img" aria-label="{escape(figure.alt)}"' in html, figure.key
    assert any(re.search(r"var högst i Region .+ och lägst i Region ", a) for a in alts)
    assert tagged.of_type("TH") and tagged.of_type("Table")
    levels: dict[str, int] = {}
    for level, title in tagged.bookmarks:  # a chapter's own headings may repeat its title
        levels.setdefault(title, level)
    assert report.title not in levels  # the cover's title makes no bookmark
    for section in report.sections:
        assert levels[section.title] == 1, section.title
    assert levels["Regionprofiler"] == 1
    for profile in report.profiles:
        assert levels[profile.title] == 2, profile.title
    i = tagged.bookmarks.index((1, "Regionprofiler"))
    under = []  # the bookmarks one level under "Regionprofiler", up to the next chapter
    for level, title in tagged.bookmarks[i + 1 :]:
        if level == 1:
            break
        if level == 2:
            under.append(title)
    assert under == [p.title for p in report.profiles]


def test_english_report(followup, tmp_path):
    built = build("2020", tmp_path / "en", lang="en", pdf=False)
    html = (tmp_path / "en" / "report.html").read_text()
    assert '<html lang="en">' in html and "Region profiles" in html
    alts = [f.alt for f in built.report.figures]
    assert any(" was highest in Region " in a for a in alts)
    assert not any("högst" in a or "ökade" in a for a in alts)


def test_unknown_round_and_language_are_refused(followup, tmp_path):
    with pytest.raises(ReportError, match="no follow-up round '2019'.*known: 2020"):
        build("2019", tmp_path / "x")
    with pytest.raises(ReportError, match="sv or en"):
        build("2020", tmp_path / "x", lang="de")


def test_command_line(followup, tmp_path):
    from naravard.cli import app

    result = CliRunner().invoke(
        app, ["report", "build", "--round", "2020", "--out", str(tmp_path / "cli"), "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    assert "report.html" in result.output
    bad = CliRunner().invoke(
        app, ["report", "build", "--round", "1999", "--out", str(tmp_path / "cli")]
    )
    assert bad.exit_code == 1 and "no follow-up round '1999'" in bad.output


def test_published_report_is_listed_and_linked_from_the_region_pages(followup, client):
    from naravard.report.build import publish

    assert "Ingen rapport är publicerad ännu." in client.get("/rapporter/").content.decode()
    publish("2020", "sv", actor="test", override="Provpublicering utan faktagranskning.")
    listing = client.get("/rapporter/").content.decode()
    assert "Omställningen till en god och nära vård – uppföljning 2020" in listing
    assert 'href="/rapporter/2020/"' in listing and 'href="/rapporter/2020/rapport.pdf"' in listing
    html = client.get("/rapporter/2020/")
    assert html.status_code == 200 and 'id="region-05"' in html.content.decode()
    pdf = client.get("/rapporter/2020/rapport.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get("/rapporter/2020/fonts/DejaVuSans.ttf").status_code == 200
    assert client.get("/rapporter/2020/fonts/..%2Fsecret").status_code == 404
    assert client.get("/rapporter/2019/").status_code == 404
    region = client.get("/region/05/").content.decode()
    assert 'href="/rapporter/2020/#region-05"' in region
    english = client.get("/en/rapporter/").content.decode()  # no English yet: the Swedish one
    assert 'hreflang="sv"' in english


def test_the_data_files_hold_no_live_formula(followup, tmp_path):
    """A region's initiative typed like a formula is inert in the report's data/*.csv."""
    import csv

    from naravard.core.tables import formula_like

    response = followup.status_round.responses.filter(region="05").get()
    answers = response.submitted_answers
    typed = '=HYPERLINK("http://evil.example","klicka")'
    answers["insatser"][0]["beskrivning"] = typed
    response.submitted_answers = answers
    response.save(update_fields=["submitted_answers"])
    build("2020", tmp_path, pdf=False)
    cells = [
        cell
        for path in sorted((tmp_path / "data").iterdir())
        for row in csv.reader(path.open(encoding="utf-8"))
        for cell in row
    ]
    assert "'" + typed in cells
    assert [c for c in cells if formula_like(c)] == []
