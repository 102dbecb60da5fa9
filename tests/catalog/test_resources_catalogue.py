"""The later reports' indicators in the catalogue: costs, the shares with and without targeted
state grants, staffing, trust and specialist certificates, with what the faces need, and the
derivations that make the computed ones."""

import copy
from importlib import resources

import pytest
import yaml

from naravard.catalog.catalogue import CatalogueError, catalogue, derived_inputs, parse

NEW = {
    # id: (unit, direction, computed from)
    "health_care_cost_total": ("sek", "none", ()),
    "primary_care_state_grants": ("sek", "none", ()),
    "primary_care_cost_share": (
        "percent",
        "higher",
        ("primary_care_cost", "health_care_cost_total"),
    ),
    "primary_care_cost_share_excl_grants": (
        "percent",
        "higher",
        ("primary_care_cost", "health_care_cost_total", "primary_care_state_grants"),
    ),
    "primary_care_cost_fixed_per_inhabitant": (
        "sek_fixed_per_inhabitant",
        "none",
        ("primary_care_cost_fixed",),
    ),
    "doctors_regional_primary_care": ("count", "higher", ()),
    "doctors_regional_primary_care_per_100k": (
        "per_100k",
        "higher",
        ("doctors_regional_primary_care",),
    ),
    "nurses_regional_primary_care": ("count", "higher", ()),
    "nurses_regional_primary_care_per_100k": (
        "per_100k",
        "higher",
        ("nurses_regional_primary_care",),
    ),
    "nurses_municipal_health_care": ("count", "higher", ()),
    "nurses_municipal_health_care_per_100k": (
        "per_100k",
        "higher",
        ("nurses_municipal_health_care",),
    ),
    "gp_specialist_certificates": ("count", "higher", ()),
    "gp_specialist_certificates_per_100k": ("per_100k", "higher", ("gp_specialist_certificates",)),
    "trust_in_health_care": ("percent", "higher", ()),
}


def raw_catalogue() -> list[dict]:
    text = (
        resources.files("naravard.catalog")
        .joinpath("definitions", "indicators.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


@pytest.mark.parametrize("indicator_id", sorted(NEW))
def test_each_new_indicator_is_complete(indicator_id):
    ind = catalogue()[indicator_id]
    unit, direction, inputs = NEW[indicator_id]
    assert (ind.unit, ind.direction, derived_inputs(ind)) == (unit, direction, inputs)
    for text in (ind.name, ind.source, ind.versions[0].definition):
        assert text["sv"].strip() and text["en"].strip() and text["sv"] != text["en"]
    assert "region" in ind.levels and ind.period_type == "year"
    assert ind.unit_info.decimals == (
        0 if unit in ("sek", "count", "sek_fixed_per_inhabitant") else 1
    )


def test_municipal_nurses_exist_per_municipality_too_and_staff_belong_to_competence_supply():
    assert catalogue()["nurses_municipal_health_care_per_100k"].levels == (
        "region",
        "municipality",
    )
    staff = [i for i in NEW if "nurses" in i or "doctors" in i or "certificates" in i]
    assert all("kompetensforsorjning" in catalogue()[i].themes for i in staff)


def test_the_fixed_prices_name_their_base_year_and_price_index():
    ind = catalogue()["primary_care_cost_fixed_per_inhabitant"]
    assert "2022" in ind.versions[0].definition["sv"] and "LPIK" in ind.source["sv"]
    assert catalogue()["primary_care_cost_fixed"].derived_from["base_year"] == "2022"
    assert ind.unit_info.label("sv") == "kr per invånare (fast pris)"


def test_a_derivation_from_an_unknown_indicator_is_refused():
    raw = raw_catalogue()
    assert parse(copy.deepcopy(raw))  # the shipped catalogue parses
    broken = copy.deepcopy(raw)
    entry = next(e for e in broken if e["id"] == "primary_care_cost_share_excl_grants")
    entry["derived_from"]["minus"] = ["primary_care_grants"]
    with pytest.raises(CatalogueError, match="derived from unknown indicator primary_care_grants"):
        parse(broken)
