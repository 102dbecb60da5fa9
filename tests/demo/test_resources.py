"""The demo's values for costs, staffing, trust and specialist certificates: every region (and
municipality, for the municipal nurses) for 2019–2023, plausible, the same on every build, and
said to be demo values where they are stored."""

from __future__ import annotations

import pytest

from naravard.demo import resources
from naravard.ingest.models import NATION, ImportBatch, IndicatorValue
from naravard.refdata.models import Municipality, Region

pytestmark = pytest.mark.django_db

YEARS = {str(y) for y in resources.YEARS}
REGIONAL = (
    "health_care_cost_total",
    "primary_care_cost",
    "primary_care_state_grants",
    "primary_care_cost_share",
    "primary_care_cost_share_excl_grants",
    "primary_care_cost_fixed",
    "primary_care_cost_fixed_per_inhabitant",
    "doctors_regional_primary_care_per_100k",
    "nurses_regional_primary_care_per_100k",
    "gp_specialist_certificates_per_100k",
    "trust_in_health_care",
)


def values(indicator_id: str) -> dict[tuple[str, str], float]:
    return {
        (v.org_code, v.period): v.value
        for v in IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True)
    }


@pytest.fixture
def built(db) -> int:
    return resources.build_resources()


def test_every_region_has_every_year_and_every_municipality_its_nurses(built):
    regions = set(Region.objects.values_list("code", flat=True))
    for indicator_id in REGIONAL:
        got = values(indicator_id)
        assert {(r, y) for r in regions for y in YEARS} <= got.keys(), indicator_id
    municipal = values("nurses_municipal_health_care_per_100k")
    municipalities = set(Municipality.objects.values_list("code", flat=True))
    assert len(municipalities) == 290
    assert {(m, y) for m in municipalities for y in YEARS} <= municipal.keys()
    counts = values("nurses_municipal_health_care")
    county = dict(Municipality.objects.values_list("code", "region_id"))
    for year in YEARS:  # a county's nurses are its municipalities' nurses
        assert counts[("25", year)] == sum(
            n for (m, y), n in counts.items() if y == year and county.get(m) == "25"
        )
    assert built == IndicatorValue.objects.count()


def test_the_values_are_plausible(built):
    with_grants, without = (
        values("primary_care_cost_share"),
        values("primary_care_cost_share_excl_grants"),
    )
    for key, share in without.items():
        assert 14 < share < with_grants[key] < 25
    per_resident = values("primary_care_cost_fixed_per_inhabitant")
    assert all(3_500 < v < 9_000 for v in per_resident.values())
    assert all(45 < v < 90 for v in values("doctors_regional_primary_care_per_100k").values())
    assert all(90 < v < 170 for v in values("nurses_regional_primary_care_per_100k").values())
    assert all(0 <= v < 15 for v in values("gp_specialist_certificates_per_100k").values())
    assert all(50 < v < 78 for v in values("trust_in_health_care").values())
    # the grants grow from 2019 on, regional staff grow while municipal nurses shrink
    grants = values("primary_care_state_grants")
    assert grants[("01", "2022")] > grants[("01", "2019")]
    doctors = values("doctors_regional_primary_care")
    nurses = values("nurses_municipal_health_care")
    assert sum(v for (o, y), v in doctors.items() if y == "2023") > sum(
        v for (o, y), v in doctors.items() if y == "2019"
    )
    assert sum(v for (o, y), v in nurses.items() if y == "2023" and len(o) == 2) < sum(
        v for (o, y), v in nurses.items() if y == "2019" and len(o) == 2
    )
    assert NATION not in {o for o, _y in per_resident}  # the nation is computed, not stored


def test_the_same_values_on_every_build_and_said_to_be_demo_values(built):
    regions, municipalities = resources._populations()
    assert resources.cost_file(regions) == resources.cost_file(regions)
    assert resources.municipal_nurses_file(municipalities) == resources.municipal_nurses_file(
        municipalities
    )
    imports = ImportBatch.objects.filter(kind="import", actor=resources.ACTOR)
    assert imports.count() == 5
    for batch in imports:
        assert batch.file_name.startswith("demovarden-") and resources.NOTE in batch.note
    assert resources.build_resources() == 0  # a second build stores nothing new
