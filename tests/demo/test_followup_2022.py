"""The demo's second follow-up (2022), built once for the module in the test database: the 2021
survey's synthetic answers, the eight regions' 2021 status reports carried from 2019, the notes
that say the answers are synthetic on every page that shows them and in the report, and the
change since 2019."""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest
from django.urls import reverse
from django.utils import translation

from naravard.accounts.models import Role
from naravard.analysis import transitions
from naravard.analysis.round_change import change_since_previous
from naravard.collect import initiatives, services, statusreport
from naravard.collect.models import STOCKHOLM, Response, Round
from naravard.demo import status_2021, survey_2021
from naravard.demo.followup_2022 import build_rounds_2021
from naravard.demo.indicators import build_all as build_indicators
from naravard.demo.report import build_followup_2020, build_followup_2022
from naravard.demo.rounds import build_all as build_rounds
from naravard.demo.rounds import survey_rows, survey_rows_2021, written_status_reports
from naravard.report.content import build_report
from naravard.report.models import FollowUp
from tests.helpers import kept_for_the_module


@pytest.fixture(scope="module")
def demo_of_the_module(django_db_setup, django_db_blocker):
    """The demo's rounds (2019, the practice round, 2021), survey indicators and both
    follow-ups, without the register and the published reports (slow; the console-script
    test builds the whole demo)."""
    with kept_for_the_module(django_db_blocker):
        rounds = build_rounds()
        survey, status = build_rounds_2021()
        build_indicators(survey_round=rounds[0], later_survey_rounds=[survey])
        build_followup_2020(survey_round=rounds[0], status_round=rounds[1])
        build_followup_2022(survey_round=survey, status_round=status)
        yield {"2019": rounds[0].pk, "survey": survey.pk, "status": status.pk}


@pytest.fixture
def demo(demo_of_the_module, db):
    return {k: Round.objects.get(pk=pk) for k, pk in demo_of_the_module.items()}


def _method(report):
    return next(s for s in report.sections if s.key == "metod")


def _note(body: str) -> list[str]:
    return re.findall(r'<p class="notice round-note" data-round="(\d+)">', body)


def test_two_followups_of_closed_rounds(demo):
    later = FollowUp.objects.get(name="2022")
    assert set(FollowUp.objects.values_list("name", flat=True)) == {"2020", "2022"}
    assert (later.survey_round, later.status_round) == (demo["survey"], demo["status"])
    assert later.data_until == dt.date(2021, 12, 31)
    assert later.published_on == dt.date(2022, 6, 15)
    assert later.title("en") == "The transition to good and close care – follow-up 2022"
    for rnd in (demo["survey"], demo["status"]):
        assert rnd.historical and rnd.is_locked and rnd.is_published and rnd.form_year == 2021


def test_the_2021_survey_is_synthetic_and_about_the_same_municipalities_answer(demo):
    rnd = demo["survey"]
    assert rnd.note_sv == survey_2021.NOTE_SV and rnd.note_en == survey_2021.NOTE_EN
    submitted = list(rnd.responses.filter(submitted_answers__isnull=False))
    before = {row.org for row in survey_rows()}
    now = {r.org_code for r in submitted}
    assert abs(len(now) - len(before)) <= 15 and len(now & before) >= 200
    assert 0 < len(now - before) <= 30 and 0 < len(before - now) <= 20
    for r in submitted:
        day = r.submitted_at.astimezone(STOCKHOLM).date()
        assert dt.date(2022, 1, 10) <= day <= rnd.deadline and day.weekday() < 5
        assert r.submitted_answers["5"] in ("ja", "nej")  # the new question: answered by all
        assert ("2a" in r.submitted_answers) == (r.submitted_answers["2"] == "saknas")
    shortage = sum(r.submitted_answers.get("3.sjukskoterska") == "brist" for r in submitted)
    assert shortage > len(submitted) / 2  # still widespread


def test_the_synthetic_answers_are_the_same_every_time_and_follow_the_2019_ones():
    rows_2019 = survey_rows()
    municipalities = [(f"{n:04d}", "01") for n in range(1, 40)] + [
        (row.org, row.org[:2]) for row in rows_2019
    ]
    first = survey_2021.synthetic_rows(rows_2019, municipalities)
    assert first == survey_2021.synthetic_rows(rows_2019, municipalities)
    assert first != survey_2021.synthetic_rows(rows_2019, municipalities, seed=7)
    # a 2019 respondent's answers do not depend on which others answer
    last = next(r for r in reversed(first) if r.org in {row.org for row in rows_2019})
    alone = survey_2021.synthetic_rows(rows_2019, [(last.org, last.org[:2])])
    assert [r.answers for r in alone] == [last.answers]
    # a municipality that had a shared goal in 2019 mostly keeps it (ja becomes finns)
    had = [survey_2021.answers_2021({"2": "ja"}, random.Random(n))["2"] for n in range(200)]
    assert had.count("finns") > 170 and set(had) == {"finns", "saknas"}


def test_the_share_with_a_shared_goal_rises_since_2019(demo, cli):
    out = cli(
        "results",
        "--form",
        "kommunenkat-2021",
        "--round",
        str(demo["survey"].pk),
        "--compare-with",
        "kommunenkat-2019",
        "--compare-round",
        str(demo["2019"].pk),
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    goal = json.loads(out.stdout)["questions"]["2"]
    assert goal["comparable"]
    finns = goal["options"]["finns"]
    assert finns["previous_count"] == 62 and finns["previous_percent"] < 30  # 2019's "ja"
    assert finns["percent"] > 40
    assert 0 < finns["change_ci_low"] < finns["change_pp"] < finns["change_ci_high"]
    staff = json.loads(out.stdout)["questions"]["3.sjukskoterska"]
    assert not staff["comparable"] and staff["options"]["brist"]["change_pp"] is None


def test_the_eight_regions_carry_their_2019_initiatives_with_their_ids(demo):
    written = written_status_reports()
    answers = dict(
        Response.objects.filter(round=demo["status"], submitted_answers__isnull=False).values_list(
            "region_id", "submitted_answers"
        )
    )
    assert sorted(answers) == sorted(written)
    plans = status_2021.plans()
    for code, report in written.items():
        rows = answers[code][statusreport.INITIATIVES]
        ids = [row[statusreport.INITIATIVE_ID] for row in rows]
        carried = [f"{code}-2019-{n}" for n in range(1, len(report["insatser"]) + 1)]
        assert ids[: len(carried)] == carried
        assert ids[len(carried) :] == [
            f"{code}-2021-{n}" for n in range(1, len(plans[code]["nya"]) + 1)
        ]
        for row, before in zip(rows, report["insatser"], strict=False):
            assert row[statusreport.DESCRIPTION] == plans[code]["insatser"][
                row[statusreport.INITIATIVE_ID]
            ].get(statusreport.DESCRIPTION, before[statusreport.DESCRIPTION])


def test_the_national_transitions_move_pilots_to_broad_rollout(demo):
    following = initiatives.follow(demo["status"])
    assert following is not None and following.previous.form_id == "nulagesrapport-2019"
    assert len(following.compared) == 8 and following.missing == []
    stages = statusreport.stage_field(demo["status"].form).codes
    nation = transitions.transitions(following, stages).nation
    assert nation.count("pilot", "bred_inforing") >= 5
    assert nation.count("bred_inforing", "ordinarie_drift") >= 3
    assert nation.count("pilot", statusreport.ENDED) >= 2
    assert nation.count("pilot", statusreport.MERGED) == 1
    assert nation.moved()["back"] == 0 and nation.moved()[statusreport.NEW] == 8


def test_an_error_in_the_plan_is_found_when_the_demo_is_built(demo):
    response = Response.objects.get(round=demo["status"], region_id="13")  # reported none
    plan = dict(status_2021.plans()["03"])  # another region's initiatives
    with pytest.raises(status_2021.PlanError, match="region 13"):
        status_2021.status_report_2021(
            response, plan, services.previous_answers(response), random.Random(1)
        )


def test_the_public_region_page_says_the_2021_answers_are_synthetic(demo, client):
    body = client.get(reverse("publish:region", args=["03"])).content.decode()
    assert set(_note(body)) == {str(demo["survey"].pk), str(demo["status"].pk)}
    assert survey_2021.NOTE_SV in body and status_2021.NOTE_SV.replace("'", "&#x27;") in body
    assert "Kommunernas svar: Enkät till kommunerna 2021" in body
    assert "Insatsernas skeden i Nulägesrapporter 2021 jämfört med Nulägesrapporter 2019" in body
    english = client.get("/en" + reverse("publish:region", args=["03"])).content.decode()
    assert survey_2021.NOTE_EN.replace("'", "&#x27;") in english
    assert survey_2021.NOTE_SV not in english


def test_the_analysts_round_pages_say_so_and_compare_with_2019(demo, client, make_user):
    client.force_login(make_user("ann", Role.ANALYST))
    for rnd in (demo["survey"], demo["status"]):
        body = client.get(reverse("collect:round", args=[rnd.pk])).content.decode()
        assert _note(body) == [str(rnd.pk)]
    page = client.get(reverse("workspace:round_initiatives", args=[demo["status"].pk]))
    assert _note(page.content.decode()) == [str(demo["status"].pk)]
    one = client.get(reverse("collect:response", args=[demo["survey"].pk, "0114"]))
    assert _note(one.content.decode()) == [str(demo["survey"].pk)]
    # the practice round (the same form, open) is no earlier round: 2021 compares with 2019
    change = change_since_previous(demo["survey"])
    assert change is not None and change.previous == demo["2019"]
    practice = Round.objects.get(title="Enkät till kommunerna – övningsomgång i demon")
    assert practice.form_id == "kommunenkat-2021" and practice.note_sv
    answered = set(
        practice.responses.filter(submitted_answers__isnull=False).values_list(
            "municipality_id", flat=True
        )
    )
    # of the synthetic answers, only municipalities that answered in 2019 (the browser tests
    # answer as one that did not)
    assert len(answered) == 30 and answered <= {row.org for row in survey_rows()}
    assert answered <= {row.org for row in survey_rows_2021()}


def test_the_2022_report_says_in_its_method_section_that_the_answers_are_synthetic(demo):
    later, earlier = FollowUp.objects.get(name="2022"), FollowUp.objects.get(name="2020")
    for lang, notes in (
        ("sv", (survey_2021.NOTE_SV, status_2021.NOTE_SV)),
        ("en", (survey_2021.NOTE_EN, status_2021.NOTE_EN)),
    ):
        with translation.override(lang):
            method = _method(build_report(later))
        assert all(note in method.paragraphs for note in notes)
    with translation.override("sv"):
        method = _method(build_report(earlier))
    assert not any("syntetiska" in p or "påhittade för demon" in p for p in method.paragraphs)
