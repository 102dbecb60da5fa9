"""Stale and partial data said aloud in the report: a 2023 follow-up built from a store whose
online-booking figures end in March 2020 prints them as "senaste tillgängliga: mars 2020",
never as current, and says how many regions reported where only some did."""

import datetime as dt

import pytest
from django.utils import translation

from naravard.ingest.importer import import_file
from naravard.refdata import files
from naravard.report.content import build_report
from tests.helpers import make_followup

pytestmark = pytest.mark.django_db

STALE_SV = "senaste tillgängliga: mars 2020"
STALE_EN = "latest available: March 2020"
BOOKING = "Mottagningar som visar tider i webbtidbok per 100 000 invånare"
DIGITAL = "Andel digitala kontakter i primärvården"
NAMED_DOCTOR = "Andel invånare med fast läkarkontakt"


@pytest.fixture
def followup_2023(followup):
    """A follow-up covering periods until 31 December 2023, over the demo's store (online
    booking March 2020, named doctors 31 December 2022 for two regions) and digital contacts
    2023 from 12 of the 21 regions."""
    lines = ["org,period,numerator,denominator"]
    lines += [f"{r.code},2023,{300 + i},1000" for i, r in enumerate(files.regions()[:12])]
    import_file(
        "d.csv", "digital_contact_share", data="\n".join(lines).encode(), name="d.csv", actor="t"
    )
    return make_followup(
        "2023",
        dt.date(2023, 12, 31),
        dt.date(2024, 3, 1),
        survey_round=followup.survey_round,
        status_round=followup.status_round,
    )


def build(followup, lang="sv"):
    with translation.override(lang):
        return build_report(followup)


def block(report, key):
    return next(b for b in report.blocks() if b.key == key)


def row_of(table, name):
    return next(r for r in table.display_rows if r[0].startswith(name))


def everything(report) -> str:
    """Every word the report prints: summary, paragraphs, titles, notes and cells."""
    parts = list(report.summary)
    for part in (report.sections, report.profiles, report.appendices):
        for sec in part:
            parts += sec.paragraphs
            for b in sec.blocks:
                parts += [b.title, b.note] + [c for row in b.display_rows for c in row]
    return "\n".join(parts)


def test_a_stale_period_is_the_latest_available_in_chapters_profiles_and_the_method(
    followup_2023,
):
    report = build(followup_2023)
    national = block(report, "riket-tillganglighet")
    assert row_of(national, BOOKING)[1] == STALE_SV
    assert row_of(block(report, "riket-digitala-tjanster"), DIGITAL)[1] == "2023"  # no note
    assert STALE_SV in block(report, "webbtidbok").title
    profile = block(report, "profil-01-indikatorer")
    assert row_of(profile, BOOKING)[1] == STALE_SV
    assert row_of(profile, DIGITAL)[1] == "2023"
    assert STALE_SV in block(report, "variation-online_booking_show_per_100k").title
    method = next(s for s in report.sections if s.key == "metod")
    said = next(p for p in method.paragraphs if STALE_SV in p)
    assert BOOKING in said and DIGITAL not in said and NAMED_DOCTOR not in said
    # compared with the 2020 follow-up (data until 31 March 2020): March 2020 was current then
    compared = block(report, "riket-forandring-tillganglighet")
    then, value_then, now, value_now, change = row_of(compared, BOOKING)[1:6]
    assert (then, now, change) == ("mars 2020", STALE_SV, "ingen ny period")
    assert value_then == value_now
    for b in report.blocks():
        if "-forandring" in b.key:
            for row in b.rows:
                row[1] = None  # the period then
    method.paragraphs = [p for p in method.paragraphs if "förra uppföljningen" not in p]
    # nowhere else but in the list of every period is March 2020 printed as a period of its own
    listing = block(report, "indikatorkallor")
    listing.rows = []
    assert "mars 2020" not in everything(report).replace(STALE_SV, "")


def test_a_point_in_the_year_before_is_current(followup_2023):
    report = build(followup_2023)
    named = row_of(block(report, "riket-personcentrerad-vard"), NAMED_DOCTOR)
    assert named[1] == "31 december 2022"


def test_partial_coverage_says_how_many_regions_reported(followup_2023):
    report = build(followup_2023)
    twelve = "12 av 21 regioner har rapporterat för 2023."
    assert twelve in block(report, "riket-digitala-tjanster").note
    assert twelve in block(report, "profil-01-indikatorer").note
    assert twelve in block(report, "variation-digital_contact_share").note
    # named doctors: two regions only (the demo's file), said beside the summary's target count
    assert any(
        "2 av 21 regioner har rapporterat för 31 december 2022." in s for s in report.summary
    )
    assert "har rapporterat" not in block(report, "webbtidbok").note  # all 21 reported


def test_in_english(followup_2023):
    report = build(followup_2023, "en")
    national = block(report, "riket-tillganglighet")
    with translation.override("en"):  # a table's cells are words of the active language
        assert row_of(national, "Clinics showing times")[1] == STALE_EN
    assert (
        "12 of 21 regions have reported for 2023." in block(report, "riket-digitala-tjanster").note
    )


def test_an_up_to_date_follow_up_has_no_such_note(followup):
    text = everything(build(followup))  # 2020: data until March 2020, every region reported
    assert "senaste tillgängliga" not in text and "har rapporterat för" not in text
