"""The register engine and the catalogue agree: every definition has a catalogue entry
(naravard.E004), every indicator the catalogue says naravard computes has a definition
(naravard.E005), and one computed by region of care is not listed for municipalities
(naravard.E006)."""

import dataclasses

from naravard.core.checks import failed_checks
from naravard.engine import indicators
from naravard.engine.indicators import get_definition


def found() -> list[tuple[str, object]]:
    return [(m.id, m.obj) for m in failed_checks()]


def with_definitions(monkeypatch, definitions) -> None:
    monkeypatch.setattr(indicators, "DEFINITIONS", tuple(definitions))


def test_a_definition_without_a_catalogue_entry_is_error_e004(monkeypatch):
    extra = dataclasses.replace(get_definition("readmission_30d"), indicator_id="readmission_90d")
    with_definitions(monkeypatch, (*indicators.DEFINITIONS, extra))
    assert found() == [("naravard.E004", "readmission_90d")]


def test_an_indicator_computed_by_naravard_without_a_definition_is_error_e005(monkeypatch):
    kept = [d for d in indicators.DEFINITIONS if d.indicator_id != "continuity_coc"]
    with_definitions(monkeypatch, kept)
    assert found() == [("naravard.E005", "continuity_coc")]


def test_an_indicator_by_region_of_care_listed_for_municipalities_is_error_e006(monkeypatch):
    changed = [
        dataclasses.replace(d, by_care_region=True) if d.indicator_id == "readmission_30d" else d
        for d in indicators.DEFINITIONS
    ]
    with_definitions(monkeypatch, changed)
    assert found() == [("naravard.E006", "readmission_30d")]


def test_a_definition_scales_its_value_by_its_catalogue_unit():
    assert get_definition("named_doctor_share").scale == 100.0
    assert get_definition("avoidable_hospitalisations_per_100k").scale == 100_000.0
    assert get_definition("continuity_upc").scale == 1.0
