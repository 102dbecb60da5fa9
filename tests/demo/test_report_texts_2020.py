"""The demo's texts of the 2020 report (demo/data/rapport-2020/): one Swedish file per chapter
of the standard outline with no number typed into it, stored with the demo's follow-up 2020 by
the author "demo" before its report is built, and every expression and figure they name found
in the demo's data, as ``naravard report text check`` finds them.

The demo is built once for the module, with the synthetic register (the texts read its
indicators), without the 2021 rounds and the published reports."""

from __future__ import annotations

import pytest
from django.utils import translation

from naravard.collect.results import summary
from naravard.demo.indicators import build_all as build_indicators
from naravard.demo.report import TEXT_AUTHOR, TEXTS_2020, build_followup_2020, store_texts_2020
from naravard.demo.rounds import build_all as build_rounds
from naravard.report import outline, prose, textdata, texts
from naravard.report.content import Builder
from naravard.report.models import FollowUp
from tests.helpers import kept_for_the_module


@pytest.fixture(scope="module")
def followup_of_the_module(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        rounds = build_rounds()
        build_indicators(survey_round=rounds[0], register=True)
        followup = build_followup_2020(survey_round=rounds[0], status_round=rounds[1])
        store_texts_2020(followup)
        yield followup.pk


@pytest.fixture
def followup(followup_of_the_module, db):
    return FollowUp.objects.get(pk=followup_of_the_module)


@pytest.fixture(scope="module")
def files() -> dict[tuple[str, str], str]:
    return texts.read_files(TEXTS_2020)


def test_every_chapter_of_the_standard_outline_has_a_swedish_text(files):
    chapters = [c.key for c in outline.standard().chapters]
    assert sorted(files) == sorted((key, "sv") for key in chapters)
    assert all(len(text.split()) > 50 for text in files.values())


def test_no_number_is_typed_into_the_texts(files):
    for (key, _lang), text in files.items():
        assert prose.typed_numbers(text) == [], key
    # the rare literal that is not data is allowed in its text, where it stands
    allowed = {key: prose.allowed_literals(text) for (key, _lang), text in files.items()}
    assert set().union(*allowed.values()) <= {"1", "100000"}


def test_the_foreword_says_the_report_is_a_demonstration_with_invented_data(files):
    foreword = files[("forord", "sv")]
    assert "demonstrationsrapport" in foreword and "påhittat" in foreword


def test_the_demo_stores_the_texts_with_its_follow_up_by_the_author_demo(followup, files):
    stored = texts.newest(followup)
    assert set(stored) == set(files)
    for key, t in stored.items():
        assert t.author == TEXT_AUTHOR == "demo"
        assert t.version == 1
        assert t.text.strip() == files[key].strip()
    assert store_texts_2020(followup) == []  # stored again: nothing changed, nothing added


def test_every_text_renders_against_the_demo_follow_up(followup, files):
    with translation.override("sv"):
        context = textdata.context(Builder(followup))
        rendered = {
            key: prose.render(text, f"{key}.{lang}.md", context, known=None)
            for (key, lang), text in files.items()
        }
    method = "".join(p for p in rendered["metod"].parts if isinstance(p, str))
    rate = prose.procent(summary(followup.survey_round).rate)
    assert f"svarsfrekvens på {rate}" in method
    assert rendered["samverkan"].placed == ["beslut-samverkan", "gemensam-malbild"]
    assert rendered["kompetensforsorjning"].placed == ["personal", "insatser-kompetensforsorjning"]
    assert "beslut-samverkan" in rendered["samverkan"].refs
    # the variation chapter's figures are the chapter's own: no text places or names them
    for r in rendered.values():
        assert not any(key.startswith("variation-") for key in [*r.placed, *r.refs])


def test_report_text_check_finds_no_problems(followup, cli):
    """The command builds the report: every expression evaluated, every figure placed and
    referred to found, no number typed."""
    result = cli("report", "text", "check", "--round", "2020")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "have no problems" in result.stdout


def test_the_demo_reports_pdf_reads_as_the_agency_writes_it(followup, tmp_path):
    """The 2020 report built with its PDF: the outline's chapters in order as bookmarks, the
    analysts' sentences with their numbers computed, every region's profile, the publisher."""
    from naravard.report import render
    from naravard.report.build import build
    from tests.report import structure_tree

    built = build("2020", tmp_path, pdf=True)
    pdf = tmp_path / "report.pdf"
    words = " ".join(render.pdf_text(pdf).split())
    chapters = [c.title["sv"] for c in outline.standard().chapters]
    marks = [title for level, title in structure_tree.read(pdf).bookmarks if level == 1]
    # every chapter of the outline (the foreword and the rest have text) as a bookmark, in order
    assert [m for m in marks if m in chapters] == chapters
    rate = prose.procent(summary(followup.survey_round).rate).replace("\u00a0", " ")
    assert f"svarsfrekvens på {rate}" in words  # the method's text, its number computed
    for region in built.report.profiles:
        assert region.title in words
    assert "Socialstyrelsen" in words  # the publisher on the cover and in the method
    assert "demonstrationsrapport" in words
