"""Answers checked against a definition: types, codes, skip logic, required items, soft checks."""

import re

from django.utils import translation

from naravard.collect.definition import get_form
from naravard.collect.validation import DRAFT, SUBMIT, validate
from tests.helpers import COMPLETE

SURVEY = get_form("kommunenkat-2019")
REPORT = get_form("nulagesrapport-2019")


def run(form, raw, mode=SUBMIT, **kw):
    with translation.override("en"):
        return validate(form, raw, mode, **kw)


def test_a_complete_answer_is_valid_and_clean():
    result = run(SURVEY, COMPLETE)
    assert result.ok, result.errors
    assert result.clean["3.dietist"] == "finns_ej"
    assert "2a" in result.not_applicable


def test_labels_in_either_language_become_codes():
    result = run(SURVEY, {**COMPLETE, "2": "Nej", "2a": "yes", "3.farmaceut": "Vet inte"})
    assert result.clean["2"] == "nej" and result.clean["2a"] == "ja"
    assert result.clean["3.farmaceut"] == "vet_inte"


def test_unknown_code_and_unknown_question_are_errors():
    result = run(SURVEY, {**COMPLETE, "3.dietist": "lite", "5": "ja"})
    where = {p.item_id for p in result.errors}
    assert where == {"3.dietist", "5"}


def test_skip_logic_strict_for_files_and_lenient_for_the_web_form():
    raw = {**COMPLETE, "2": "ja", "2a": "ja"}
    strict = run(SURVEY, raw)
    assert [p.item_id for p in strict.errors] == ["2a"]
    assert strict.errors[0].message in (
        "besvaras bara om svaret på fråga 2 är ”Nej”",
        "only asked if the answer to question 2 is “No”",
    )
    lenient = run(SURVEY, raw, strict_skips=False)
    assert lenient.ok and "2a" not in lenient.clean


def test_2a_is_required_only_after_no_on_2():
    result = run(SURVEY, {**COMPLETE, "2": "nej"})
    assert [p.item_id for p in result.errors] == ["2a"]


def test_required_items_block_submit_but_not_a_draft():
    partial = {"2": "ja"}
    assert len(run(SURVEY, partial).errors) == 10
    assert run(SURVEY, partial, DRAFT).errors == []
    assert run(SURVEY, partial, require=False).errors == []  # historical item non-response


def test_numbers_money_and_years():
    base = {
        "beslut.strategi": "ja",
        "beslut.beskrivning": "x",
        "organisation.samordnare": "ja",
        "organisation.beskrivning": "x",
        "forandringar.beskrivning": "x",
        "insatser": [{"omrade": "omstallning", "beskrivning": "Mobilt team", "skede": "pilot"}],
    }
    ok = run(
        REPORT,
        {
            **base,
            "beslut.ar": "2019",
            "medel.erhallna": "1 500 000",
            "medel.anvanda": "1\u00a0200\u00a0000",
        },
    )
    assert ok.ok, ok.errors
    assert ok.clean["medel.erhallna"] == 1_500_000 and ok.clean["beslut.ar"] == 2019
    bad = run(
        REPORT, {**base, "beslut.ar": "1850", "medel.erhallna": "12,5", "medel.anvanda": "mycket"}
    )
    assert {p.item_id for p in bad.errors} == {"beslut.ar", "medel.erhallna", "medel.anvanda"}


def test_group_rows_are_checked_field_by_field():
    raw = {
        "insatser": [
            {
                "omrade": "omstallning",
                "beskrivning": "Mobilt team",
                "skede": "pilot",
                "startar": "2019",
            },
            {"omrade": "", "beskrivning": "", "skede": ""},  # a blank row is ignored
            {"omrade": "rymden", "beskrivning": "Raket", "skede": "pilot", "kostnad": "-5"},
            {"omrade": "tillganglighet", "skede": "bred_inforing"},
        ]
    }
    result = run(REPORT, raw)
    group_problems = {(p.row, p.field) for p in result.errors if p.item_id == "insatser"}
    # rows are numbered as the person sees them, the blank row 2 included
    assert group_problems == {(3, "omrade"), (3, "kostnad"), (4, "beskrivning")}
    assert len(result.clean["insatser"]) == 3
    assert run(REPORT, {"insatser": []}).problems_for("insatser")  # at least one row


def test_soft_check_warns_and_a_reason_accepts_it():
    base = {
        "beslut.strategi": "nej",
        "beslut.beskrivning": "x",
        "organisation.samordnare": "ja",
        "organisation.beskrivning": "x",
        "forandringar.beskrivning": "x",
        "insatser": [{"omrade": "omstallning", "beskrivning": "Team", "skede": "pilot"}],
        "medel.erhallna": "100",
        "medel.anvanda": "250",
    }
    warned = run(REPORT, base)
    assert not warned.errors and [w.item_id for w in warned.warnings] == ["medel.anvanda"]
    assert not warned.ok
    accepted = run(REPORT, base, overrides={"medel.anvanda": "Sparade medel från 2018 användes."})
    assert accepted.ok and accepted.overridden == {
        "medel.anvanda": "Sparade medel från 2018 användes."
    }


def test_change_from_last_year_is_a_soft_check():
    base = {
        "beslut.strategi": "nej",
        "beslut.beskrivning": "x",
        "organisation.samordnare": "ja",
        "organisation.beskrivning": "x",
        "forandringar.beskrivning": "x",
        "insatser": [{"omrade": "omstallning", "beskrivning": "Team", "skede": "pilot"}],
        "medel.erhallna": "10000000",
        "medel.anvanda": "1000000",
    }
    result = run(REPORT, base, previous={"medel.erhallna": 2_000_000, "medel.anvanda": 900_000})
    assert [w.item_id for w in result.warnings] == ["medel.erhallna"]
    assert re.sub(r"[\s,]", "", result.warnings[0].message).endswith("2000000)")  # 2 000 000


def test_hostile_numbers_are_refused_not_crashed_on():
    result = run(
        REPORT,
        {
            "beslut.strategi": "ja",
            "beslut.ar": "inf",
            "medel.erhallna": "nan",
            "medel.anvanda": "1e400",
        },
        DRAFT,
    )
    assert {p.item_id for p in result.errors} == {"beslut.ar", "medel.erhallna", "medel.anvanda"}
    assert run(REPORT, {"medel.erhallna": 10**400}, DRAFT).errors
    assert run(REPORT, {"medel.erhallna": True}, DRAFT).errors


def test_text_longer_than_allowed_is_refused():
    result = run(SURVEY, {**COMPLETE, "4": "x" * 4001})
    assert [p.item_id for p in result.errors] == ["4"]
