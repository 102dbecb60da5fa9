"""The annual report built from the demo's follow-up round 2020: the figures the 2020 report
printed, computed from the store."""

import re

import pytest
from django.utils import translation

from naravard.refdata import files
from naravard.report.content import build_report

pytestmark = pytest.mark.django_db

# Tabell 3 of the 2020 report: counts per profession (shortage, balance, surplus, don't know,
# not in the municipality's services)
TABELL_3 = {
    "Arbetsterapeut": (105, 114, 2, 4, 1),
    "Dietist": (8, 25, 1, 15, 177),
    "Farmaceut": (3, 3, 0, 15, 204),
    "Fysioterapeut": (119, 92, 1, 5, 9),
    "Sjuksköterska": (132, 90, 2, 1, 1),
    "Specialistsjuksköterska": (168, 38, 0, 6, 14),
}
# ... and the whole percentages it printed, except two misprints: 105 of 226 is 46 % (printed
# 47) and 1 of 226 rounds to 0 % (printed 0,5)
TABELL_3_PERCENT = {
    "Arbetsterapeut": ("46", "50", "1", "2", "0"),
    "Dietist": ("4", "11", "0", "7", "78"),
    "Farmaceut": ("1", "1", "0", "7", "91"),
    "Fysioterapeut": ("53", "41", "0", "2", "4"),
    "Sjuksköterska": ("58", "40", "1", "0", "0"),
    "Specialistsjuksköterska": ("74", "17", "0", "3", "6"),
}


def block(report, key):
    return next(b for b in report.blocks() if b.key == key)


def test_summary_has_the_response_rate_and_the_shared_vision(report):
    assert "226 av 290 kommuner (78 %) besvarade enkäten." in report.summary
    assert any(s.startswith("28 % av kommunerna har kommit överens") for s in report.summary)


def test_figure_5_decisions_per_level(report):
    fig = block(report, "beslut-samverkan")
    assert fig.kind == "figure" and fig.spec["mark"]["type"] == "bar"
    shares = {row[0]: (row[1], row[2], row[3]) for row in fig.display_rows}
    assert shares["Politisk nivå"] == ("38", "62", "221")
    assert shares["Hög tjänstemannanivå (kommunledning och regionledning)"] == ("48", "52", "223")
    assert shares["Verksamhetschefsnivå"] == ("37", "63", "222")
    assert shares["Professionsnivå i det dagliga arbetet"][:1] == ("31",)


def test_table_3_staff_balance(report):
    table = block(report, "personal")
    assert table.header[1:] == [
        "Brist",
        "Balans",
        "Överskott",
        "Vet inte",
        "Finns inte i kommunens verksamhet",
    ]
    for row in table.rows:
        counts = tuple(int(re.match(r"\d+", cell).group()) for cell in row[1:])
        percents = tuple(re.search(r"\((.+)\)", cell).group(1) for cell in row[1:])
        assert counts == TABELL_3[row[0]], row
        assert percents == TABELL_3_PERCENT[row[0]], row


def test_table_2_online_booking_for_all_regions(report):
    table = block(report, "webbtidbok")
    names = [row[0] for row in table.rows[:-1]]
    assert names == [r.name for r in files.regions()]
    assert table.rows[-1][0] == "Riket"
    assert all(v is not None for row in table.rows[:-1] for v in row[1:3])


def test_one_profile_per_region_and_numbered_blocks(report):
    assert [p.region.code for p in report.profiles] == [r.code for r in files.regions()]
    assert [f.number for f in report.figures] == list(range(1, len(report.figures) + 1))
    assert [t.number for t in report.tables] == list(range(1, len(report.tables) + 1))
    # one figure per indicator, map and ranking together (test_variation_figures.py)
    shown = [f.key.removeprefix("variation-") for f in report.figures if "variation-" in f.key]
    assert len(shown) == len(set(shown)) >= 4 and set(shown) <= set(report.indicator_ids)
    stockholm = report.profiles[0]
    assert any(b.key == "profil-01-insatser" for b in stockholm.blocks)
    assert any(b.key == "profil-01-enkat" for b in stockholm.blocks)


def test_english_report(followup):
    with translation.override("en"):
        report = build_report(followup)
    assert "226 of 290 municipalities (78 %) answered the survey." in report.summary
    assert report.title.startswith("The transition")


def test_profiles_show_coded_themes_beside_their_indicators(followup, report):
    from naravard.qualitative.link import region_themes

    themes = block(report, "profil-01-teman")
    coded = region_themes("01", followup.status_round_id)
    named = [row[0] for row in themes.rows if row[0]]
    assert named == [t.name for t in coded] and "Webbtidbok och digital tidsbokning" in named
    assert [row[1] for row in themes.rows if row[0]] == [len(t.passages) for t in coded]
    at = named.index("Webbtidbok och digital tidsbokning")
    start = [i for i, row in enumerate(themes.rows) if row[0]][at]
    rows = themes.rows[start : start + 4]
    assert {row[3] for row in rows} == {
        "Mottagningar med webbtidbok som visar tider",
        "Mottagningar med webbtidbok där invånare kan boka tid",
        "Mottagningar som visar tider i webbtidbok per 100 000 invånare",
        "Mottagningar där invånare kan boka tid per 100 000 invånare",
    }
    assert all(row[5].value is not None for row in rows)  # the region's value beside it
    assert not any(b.key == "profil-21-teman" for b in report.blocks())  # Gävleborg: no codes
