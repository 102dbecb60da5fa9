"""The report of a follow-up whose status report follows initiatives: each chapter shows how
its development area's initiatives moved since the status report before, as a figure with its
numbers, and the summary says it for the nation."""

import datetime as dt

import pytest
from django.utils import translation

from naravard.report.content import build_report
from tests.helpers import make_followup
from tests.status_reports import STOCKHOLM_MOVES, TRANSITIONS_HEADER, followed_into_2021

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_2021(db):
    _r2019, r2021 = followed_into_2021()
    followup = make_followup(
        "2022", dt.date(2021, 12, 31), dt.date(2022, 6, 15), status_round=r2021
    )
    with translation.override("sv"):
        return build_report(followup), r2021


def test_each_chapter_has_its_areas_transitions_as_a_figure_with_its_table(report_2021):
    report, r2021 = report_2021
    figures = {f.key: f for f in report.figures}
    moved = figures["skeden-omstallning"]
    assert moved.title.startswith("Insatsernas skeden i ")
    assert moved.header == TRANSITIONS_HEADER
    assert moved.rows == [
        ["Planerad", 0, 0, 0, 0, 0, 1, 1],
        ["Pilot", 0, 0, 1, 0, 0, 0, 1],
        ["Ny insats", 0, 1, 0, 0, 0, 0, 1],
    ]
    (cells,) = moved.spec["datasets"].values()  # the chart draws the table's numbers
    assert sorted((c["before"], c["after"], c["n"]) for c in cells if c["n"]) == [
        ("Ny insats", "Pilot", 1),
        ("Pilot", "Bred införing", 1),
        ("Planerad", "Sammanslagen", 1),
    ]
    assert figures["skeden-tillganglighet"].rows == [["Pilot", 0, 0, 0, 0, 1, 0, 1]]
    assert figures["skeden-it_stod"].rows == STOCKHOLM_MOVES  # the area's one initiative
    assert "skeden-arbetssituation" not in figures  # no initiatives in the area


def test_the_summary_says_where_the_nations_initiatives_went(report_2021):
    report, _r2021 = report_2021
    assert any(
        s.startswith("Av 4 insatser i ")
        and s.endswith(
            "har 1 kommit till ett senare skede, 1 står kvar i samma skede, 1 har avslutats "
            "och 1 har slagits samman med andra; 1 insatser är nya."
        )
        for s in report.summary
    ), report.summary


def test_the_figure_draws_as_svg_for_the_pdf(report_2021):
    from naravard.report.render import svg

    report, _r2021 = report_2021
    moved = next(f for f in report.figures if f.key == "skeden-omstallning")
    drawn = svg(moved.spec, locale="sv")
    assert drawn.startswith("<svg") and "Bred införing" in drawn and "Sammanslagen" in drawn
