"""Survey indicators belong to the form series: a round of next year's form derives them, and
system check naravard.E020 refuses a form of the series that silently lost a question."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from naravard.catalog.catalogue import catalogue
from naravard.collect import definition, services
from naravard.core.checks import failed_checks
from naravard.ingest.derive import derive_survey, survey_indicators_of
from naravard.ingest.models import IndicatorValue
from naravard.refdata.models import Municipality

NEXT_YEAR = Path(__file__).parent / "forms" / "kommunenkat-2023.yaml"


def next_year_raw() -> dict:
    return yaml.safe_load(NEXT_YEAR.read_text(encoding="utf-8"))


def dump(raw: dict) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def grid_rows(raw: dict, question_id: str) -> list[dict]:
    return next(
        q["rows"] for s in raw["sections"] for q in s["questions"] if q["id"] == question_id
    )


def error_ids() -> set[str]:
    return {m.id for m in failed_checks()}


def test_the_shipped_forms_pass_the_checks():
    call_command("check")
    assert "naravard.E020" not in error_ids()


def test_next_years_form_names_the_series_indicators_and_passes_the_checks(ship_form):
    before = {i for i in catalogue() if i.startswith("survey_")}
    ship_form(NEXT_YEAR.read_text(encoding="utf-8"))
    after = {i for i in catalogue() if i.startswith("survey_")}
    assert after == before | {"survey_shortage_logoped_share"}
    politisk = catalogue()["survey_decision_politisk_share"]
    assert politisk.name["sv"].endswith("politisk nivå (nämnd eller fullmäktige)")
    assert politisk.derived_from == {
        "series": "kommunenkat",
        "question": "1.politisk",
        "answer": "ja",
    }
    # the dropped row keeps its indicator (earlier years), named from the form that asked it
    assert catalogue()["survey_shortage_dietist_share"].name["en"].endswith("dietitian")
    call_command("check")


@pytest.mark.django_db
def test_a_round_of_next_years_form_derives_the_series_indicators_for_its_year(ship_form):
    form = ship_form(NEXT_YEAR.read_text(encoding="utf-8"))
    derivable = {i.id for i, _item, _codes in survey_indicators_of(form)}
    assert "survey_shortage_logoped_share" in derivable
    assert "survey_shortage_dietist_share" not in derivable
    assert {"survey_decision_politisk_share", "survey_shared_vision_share"} <= derivable
    rnd = services.open_round(
        "kommunenkat-2023", timezone.localdate() + dt.timedelta(days=30), actor="test", year=2023
    )
    stockholm = list(Municipality.objects.filter(region="01").order_by("code")[:4])
    uppsala = list(Municipality.objects.filter(region="03").order_by("code")[:3])
    answers = [("ja", "brist"), ("ja", "balans"), ("ja", "brist"), ("nej", "brist")]
    answers += [("ja", "balans"), ("nej", "balans"), ("nej", "brist")]
    rows = [
        services.ImportRow(n, m.code, {"1.politisk": politisk, "3.logoped": logoped})
        for n, (m, (politisk, logoped)) in enumerate(
            zip(stockholm + uppsala, answers, strict=True), start=2
        )
    ]
    services.import_rows(rnd, rows, actor="test", require=False)

    done = derive_survey(rnd, actor="test")

    assert set(done) == derivable
    assert (
        done["survey_decision_politisk_share"] == 2 and done["survey_shortage_logoped_share"] == 2
    )
    shares = {
        (v.indicator_id, v.org_code): (v.period, v.numerator, v.denominator, v.value)
        for v in IndicatorValue.objects.filter(is_current=True)
    }
    assert shares[("survey_decision_politisk_share", "01")] == ("2023", 3, 4, 75.0)
    assert shares[("survey_shortage_logoped_share", "03")] == ("2023", 1, 3, pytest.approx(100 / 3))
    assert not IndicatorValue.objects.filter(indicator_id="survey_shortage_dietist_share").exists()


def test_a_question_dropped_without_saying_so_is_error_e020(ship_form):
    raw = next_year_raw()
    del raw["dropped"]
    ship_form(dump(raw))
    found = failed_checks()
    assert {m.id for m in found} == {"naravard.E020"}
    assert [m.msg for m in found] == [
        "survey_shortage_dietist_share: form kommunenkat-2023 no longer asks question "
        "3.dietist and does not list it under dropped"
    ]


def test_a_question_without_the_counted_answer_is_error_e020(ship_form):
    raw = next_year_raw()
    raw["choice_sets"]["balance"] = [
        c for c in raw["choice_sets"]["balance"] if c["code"] != "brist"
    ]
    ship_form(dump(raw))
    found = failed_checks()
    # the lineage (E026) also says the answers changed without a mapping
    assert {m.id for m in found} == {"naravard.E020", "naravard.E026"}
    derived = [m for m in found if m.id == "naravard.E020"]
    assert len(derived) == len(grid_rows(raw, "3"))  # one per profession the form asks about
    assert all("has no answer 'brist'" in m.msg for m in derived)
    assert [m.msg for m in found if m.id == "naravard.E026"] == [
        "kommunenkat-2023 question 3: its answers differ from kommunenkat-2021 question 3 "
        "(brist, balans, overskott, vet_inte, finns_ej → balans, overskott, vet_inte, finns_ej); "
        "map the old codes (lineage.codes) or say it is not comparable"
    ]


def test_a_single_question_asked_as_text_is_error_e020(ship_form):
    raw = next_year_raw()
    vision = next(q for s in raw["sections"] for q in s["questions"] if q["id"] == "2")
    vision["type"] = "text"
    del vision["choices"]
    raw["sections"][0]["questions"] = [
        q
        for q in raw["sections"][0]["questions"]
        if q["id"] != "2a"  # its skip refers to 2
    ]
    ship_form(dump(raw))
    assert error_ids() == {"naravard.E020", "naravard.E026"}  # E026: answers changed
    assert [m.msg for m in failed_checks() if m.id == "naravard.E020"] == [
        "survey_shared_vision_share: question 2 of form kommunenkat-2023 is a text, not a choice"
    ]


def test_a_form_may_not_say_it_dropped_a_question_it_asks():
    raw = next_year_raw()
    raw["dropped"] = ["3"]
    with pytest.raises(
        definition.DefinitionError, match="dropped names 3, which the form still asks"
    ):
        definition.load_text(dump(raw))


@pytest.mark.django_db
def test_the_command_line_derives_from_the_latest_round_of_a_survey_series(
    ship_form, cli, survey_round
):
    ship_form(NEXT_YEAR.read_text(encoding="utf-8"))
    later = services.open_round(
        "kommunenkat-2023", timezone.localdate() + dt.timedelta(days=30), actor="test", year=2023
    )
    latest = cli("data", "derive-survey")
    assert latest.returncode == 0 and latest.stdout.startswith(f"Round {later.pk} ")
    assert "survey_shortage_logoped_share 0 stored" in latest.stdout  # nobody has answered yet
    chosen = cli("data", "derive-survey", "--form", "kommunenkat-2019")
    assert chosen.returncode == 0 and chosen.stdout.startswith(f"Round {survey_round.pk} ")
    assert "survey_decision_politisk_share 21 stored" in chosen.stdout


def test_a_form_stored_before_forms_named_their_series_takes_the_shipped_forms_series():
    shipped = definition.get_form("kommunenkat-2019")
    stored = definition.load_text(shipped.source.replace("series: kommunenkat\n", ""))
    assert stored.series is None and definition.series_of(stored) == "kommunenkat"
    assert survey_indicators_of(stored) == survey_indicators_of(shipped) != []


@pytest.mark.django_db
def test_a_recoded_question_derives_its_indicator_through_the_lineage():
    """The 2021 survey asks question 2 with new answer codes mapped from 2019's (ja → finns):
    its shares continue the 2019 indicator; question 3 breaks the shortage series in 2021."""
    rnd = services.open_round(
        "kommunenkat-2021", timezone.localdate() + dt.timedelta(days=30), actor="test", year=2021
    )
    kalmar = list(Municipality.objects.filter(region="08").order_by("code")[:4])
    rows = [
        services.ImportRow(n, m.code, {"2": vision, "3.sjukskoterska": "brist"})
        for n, (m, vision) in enumerate(
            zip(kalmar, ["finns", "finns", "saknas", "finns"], strict=True), start=2
        )
    ]
    services.import_rows(rnd, rows, actor="test", require=False)

    derive_survey(rnd, actor="test")

    vision = IndicatorValue.objects.get(
        indicator_id="survey_shared_vision_share", org_code="08", is_current=True
    )
    assert (vision.period, vision.numerator, vision.denominator) == ("2021", 3, 4)
    assert "2 = finns" in vision.batch.note
    shortage = catalogue()["survey_shortage_sjukskoterska_share"]
    assert [b.period for b in shortage.breaks] == ["2021"]
    assert shortage.break_between("2019", "2021") is not None
    assert shortage.break_between("2021", "2023") is None
    assert catalogue()["survey_shared_vision_share"].breaks == ()
