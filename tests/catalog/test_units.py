"""One home for units: the units table (catalog/units.py) covers the catalogue
(naravard.E001), every row is complete (naravard.E002), and pages, charts, the report, PxWeb
and Kolada all take a unit's label and decimals from it."""

import dataclasses

import pytest
from django.test import Client
from django.utils import translation

from naravard.analysis.profile import OrgResult
from naravard.catalog import catalogue as catalogue_module
from naravard.catalog import units
from naravard.catalog.catalogue import CatalogueError, Target
from naravard.core.checks import failed_checks
from naravard.presentation import charts
from naravard.presentation.templatetags import statistics


def found() -> list[tuple[str, object]]:
    return [(m.id, m.obj) for m in failed_checks()]


SHIPPED = units.UNITS


def with_row(monkeypatch, key: str, **changes) -> None:
    """The shipped units table with row ``key`` changed, for one test."""
    table = dict(SHIPPED)
    table[key] = dataclasses.replace(SHIPPED[key], **changes)
    monkeypatch.setattr(units, "UNITS", table)


def test_a_unit_the_catalogue_uses_but_the_table_lacks_is_error_e001(monkeypatch):
    table = {code: unit for code, unit in SHIPPED.items() if code != "days"}
    monkeypatch.setattr(units, "UNITS", table)
    assert found() == [("naravard.E001", "days")]


def test_an_incomplete_row_is_error_e002(monkeypatch):
    with_row(monkeypatch, "sek", name={"sv": "kronor", "en": " "})
    assert found() == [("naravard.E002", "sek")]
    with_row(monkeypatch, "sek", decimals=-1)
    assert found() == [("naravard.E002", "sek")]


def test_a_row_filed_under_another_code_or_with_its_range_upside_down_is_error_e002(monkeypatch):
    with_row(monkeypatch, "ratio", minimum=2)
    assert [m.msg for m in failed_checks()] == [
        "Unit 'ratio' of the units table has a range whose minimum 2 is above its maximum 1."
    ]
    with_row(monkeypatch, "ratio", minimum=0, code="share")
    assert found() == [("naravard.E002", "ratio")]


def test_a_catalogue_that_does_not_load_is_error_e003(monkeypatch):
    def broken():
        raise CatalogueError("indicators.yaml: 3/unit: 'percentage' is not one of […]")

    monkeypatch.setattr(catalogue_module, "catalogue", broken)
    messages = failed_checks()
    assert [m.id for m in messages] == ["naravard.E003"]
    assert "'percentage' is not one of" in messages[0].msg


@pytest.fixture
def percent_to_three_decimals(monkeypatch):
    """The percent row renamed and written with three decimals: whatever reads the table
    shows it, whatever kept its own copy does not."""
    with_row(
        monkeypatch,
        "percent",
        name={"sv": "procentenheter", "en": "percentage points"},
        symbol={"sv": "%-e", "en": "pp"},
        decimals=3,
    )


def test_pages_charts_and_the_report_write_values_by_the_table(percent_to_three_decimals):
    row = OrgResult("14", "Västra Götaland", "2021", "T", 54.31234, 543, 1000)
    row.ci_low, row.ci_high = 51.2, 57.44449
    with translation.override("sv"):
        assert charts.with_interval(row, "percent") == "54,312 (51,200–57,444)"
        assert statistics.num(54.31234, "percent") == "54,312"
        assert statistics.unit("percent") == "%-e"
        assert charts.target_text(Target(55.5, ">="), "percent") == "minst 55,500 %-e"
        assert charts.target_text(Target(0.7, ">="), "ratio") == "minst 0,70"  # written bare
    with translation.override("en"):
        assert charts.unit_label("percent") == "pp"
    assert charts.value_format("percent") == ".3f"


def test_pxweb_and_kolada_describe_a_unit_by_the_table(
    percent_to_three_decimals, released_named_doctor
):
    client = Client()
    meta = client.get("/api/v2/tables/named_doctor_share/metadata", {"lang": "en"}).json()
    contents = meta["dimension"]["ContentsCode"]["category"]["unit"]["value"]
    assert contents == {"base": "percentage points", "decimals": 3}
    assert meta["extension"]["px"]["decimals"] == 3
    kpi = client.get("/kolada/v3/kpi/named_doctor_share").json()["values"][0]
    assert kpi["title"] == "Andel invånare med fast läkarkontakt, procentenheter"
