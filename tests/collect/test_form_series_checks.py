"""Forms name their series (naravard.E024), and every form of the status-report series asks
what the report and the region pages read by role (naravard.E022)."""

from importlib import resources

import pytest
import yaml
from django.core.management import call_command

from naravard.collect import statusreport
from naravard.collect.definition import get_form, series_forms
from naravard.core.checks import failed_checks

DEFINITIONS = resources.files("naravard.collect").joinpath("definitions")


def shipped_raw(form_id: str) -> dict:
    return yaml.safe_load(DEFINITIONS.joinpath(f"{form_id}.yaml").read_text(encoding="utf-8"))


def dump(raw: dict) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def next_status_report(**changes) -> dict:
    """Next year's status report: this year's, renamed."""
    raw = shipped_raw("nulagesrapport-2019") | {"id": "nulagesrapport-2020"}
    return raw | changes


def question(raw: dict, question_id: str) -> dict:
    return next(q for s in raw["sections"] for q in s["questions"] if q["id"] == question_id)


def found() -> list[tuple[str, str]]:
    return [(m.id, m.msg) for m in failed_checks()]


def test_the_shipped_forms_pass_the_checks_and_name_their_series():
    call_command("check")
    assert [f.id for f in series_forms("kommunenkat")] == ["kommunenkat-2019", "kommunenkat-2021"]
    assert [f.id for f in series_forms(statusreport.SERIES)] == [
        "nulagesrapport-2019",
        "nulagesrapport-2021",
    ]
    assert statusreport.stage_field(get_form("nulagesrapport-2019")).codes[0] == "planerad"
    assert statusreport.area_field(get_form("kommunenkat-2019")) is None


def test_next_years_status_report_with_the_same_roles_passes(ship_form):
    ship_form(dump(next_status_report()))
    assert len(series_forms(statusreport.SERIES)) == 3
    call_command("check")


def test_a_status_report_that_renames_the_stage_field_is_error_e022(ship_form):
    raw = next_status_report()
    stage = next(f for f in question(raw, "insatser")["fields"] if f["id"] == "skede")
    stage["id"] = "fas"
    ship_form(dump(raw))
    assert found() == [
        (
            "naravard.E022",
            "form nulagesrapport-2020 of series nulagesrapport has no field insatser.skede "
            "(a choice)",
        )
    ]


def test_a_status_report_that_asks_the_strategy_year_as_text_is_error_e022(ship_form):
    raw = next_status_report()
    year = question(raw, "beslut.ar")
    year["type"] = "text"
    del year["min"], year["max"]
    ship_form(dump(raw))
    assert found() == [
        ("naravard.E022", "question beslut.ar of form nulagesrapport-2020 is a text, not a year")
    ]


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"id": "kommunenkat-extra"},
            "form kommunenkat-extra of series kommunenkat is not named kommunenkat-<year>",
        ),
        ({"series": None}, "form kommunenkat-2020 names no series"),
        (
            {"audience": "regions"},
            "the forms of series kommunenkat are addressed to municipalities and regions",
        ),
    ],
)
def test_a_form_outside_the_series_rules_is_error_e024(ship_form, changes, message):
    raw = shipped_raw("kommunenkat-2019") | {"id": "kommunenkat-2020"} | changes
    ship_form(dump({k: v for k, v in raw.items() if v is not None}))
    assert found() == [("naravard.E024", message)]
