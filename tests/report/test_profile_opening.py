"""The generated opening paragraph of each region's profile (report/profile_text.py), and the
analyst's profile text after it."""

from collections import Counter

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from naravard.analysis.profile import OrgResult, Profile
from naravard.catalog.catalogue import Target, get_indicator
from naravard.collect import statusreport
from naravard.ingest.models import IndicatorValue
from naravard.report import profile_text, texts
from naravard.report.content import Report, Section, build_report

pytestmark = pytest.mark.django_db


def test_stockholm_opens_with_its_own_numbers(report, followup):
    stockholm = next(p for p in report.profiles if p.region.code == "01")
    opening = stockholm.paragraphs[0]
    # the trust survey: Stockholm's stored share against the nation's, to one decimal
    stored = IndicatorValue.objects.get(
        indicator_id="trust_in_health_care", org_code="01", period="2019", sex="T", is_current=True
    )
    assert round(stored.value, 1) == 65.7
    assert (
        "Jämfört med riket ligger regionen signifikant bättre för förtroende för hälso- och "
        "sjukvården (65,7 % mot rikets 62,8 %)." in opening
    )
    # the status report as Stockholm submitted it: three initiatives in two areas
    answers = followup.status_round.responses.get(region="01").submitted_answers
    rows = statusreport.initiative_rows(answers)
    assert Counter(r[statusreport.STAGE] for r in rows) == {"bred_inforing": 2, "pilot": 1}
    assert len({r[statusreport.AREA] for r in rows}) == 2
    assert (
        "Nulägesrapporten beskriver 3 insatser inom 2 utvecklingsområden, i skedena pilot (1) "
        "och bred införing (2)." in opening
    )
    assert "Analytikernas kodning finner 7 av kodningsramens 12 teman i nulägesrapporten" in opening
    assert 3 <= opening.count(". ") + 1 <= 5
    # what Stockholm's approval covers: its own figures, not the comparison with the nation
    own = stockholm.own_paragraphs[0]
    assert "rikets" not in own and own.startswith("Nulägesrapporten beskriver 3 insatser")
    # every region's profile opens with one, and the same store gives the same words
    assert all(
        p.paragraphs and p.paragraphs[0].startswith(("Jämfört", "Regionen"))
        for p in report.profiles
    )
    with translation.override("sv"):
        again = build_report(followup)
    assert [p.paragraphs[0] for p in again.profiles] == [p.paragraphs[0] for p in report.profiles]


def test_a_region_without_significant_differences_says_so(report):
    jonkoping = next(p for p in report.profiles if p.region.code == "06")
    assert jonkoping.paragraphs[0].startswith(
        "Regionen skiljer sig inte signifikant från riket på den indikator som jämförs."
    )


def _row(value, reached, vs=None):
    return OrgResult(
        "01",
        "Region Stockholm",
        "2021",
        "T",
        value,
        None,
        None,
        vs_national=vs,
        target_reached=reached,
    )


def test_targets_reached_missed_and_uncertain_are_named_with_their_numbers():
    ind = get_indicator("named_doctor_share")
    target = Target(55.0, ">=")
    national = _row(61.24, None)
    rows = [
        (ind, Profile(ind, "2021", "T", target, national), _row(72.04, True, "better")),
        (ind, Profile(ind, "2021", "T", target, national), _row(41.96, False, "worse")),
        (ind, Profile(ind, "2021", "T", target, national), _row(55.3, None, "similar")),
        (ind, Profile(ind, "2021", "T", None, national), _row(1502.0, None)),
    ]
    with translation.override("sv"):
        sentences = profile_text._targets(rows)
        versus = profile_text._versus(rows)
    assert sentences == [
        "Regionen har nått målet för 1 av 3 indikatorer med mål: andel invånare med fast "
        "läkarkontakt.",
        "Målet är inte nått för andel invånare med fast läkarkontakt (42,0 %; målet är minst "
        "55 %); för andel invånare med fast läkarkontakt går det inte att säga säkert.",
    ]
    assert versus == (
        "Jämfört med riket ligger regionen signifikant bättre för andel invånare med fast "
        "läkarkontakt (72,0 % mot rikets 61,2 %) och sämre för andel invånare med fast "
        "läkarkontakt (42,0 % mot rikets 61,2 %)."
    )
    with translation.override("sv"):
        none_reached = profile_text._targets([rows[1]])
    assert none_reached[0] == (
        "Regionen har inte säkert nått målet för den indikator som har ett mål."
    )


def test_the_opening_comes_before_the_analysts_text(followup):
    texts.save(followup, "profil-01", "sv", "Stockholm *skriver* själv.", "anna")
    with translation.override("sv"):
        report = build_report(followup)
    stockholm = next(p for p in report.profiles if p.region.code == "01")
    assert "<em>skriver</em>" in "".join(p for p in stockholm.body if isinstance(p, str))
    profiles = Section("profiler", "Regionprofiler", kind="profiles")
    small = Report(followup, "sv", "x", [], [profiles], [stockholm], [])
    stockholm.blocks = []
    html = render_to_string("report/report.html", {"report": small, "css": ""})
    assert html.index(stockholm.paragraphs[0]) < html.index("<em>skriver</em>")


def test_the_opening_in_english(followup):
    from naravard.refdata.models import Region
    from naravard.report.content import Builder

    with translation.override("en"):
        opening = profile_text.opening(Builder(followup), Region.objects.get(code="01"))
    assert (
        "Compared with the nation, the region is significantly better for trust in health care "
        "(65.7 % against the nation's 62.8 %)." in opening.text
    )
    assert "The status report describes 3 initiatives in 2 development areas" in opening.text
