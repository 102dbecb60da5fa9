"""The later reports' new content in the demo's 2020 report: the costs and the shares with and
without targeted state grants in the chapter on resources, staffing and specialist
certificates in the chapter on competence supply, trust in the goals chapter, and all of them
in the region profiles (the demo's values for 2019, the year before the follow-up)."""

import pytest

from naravard.catalog.catalogue import get_indicator
from naravard.catalog.units import UNITS
from naravard.ingest.models import IndicatorValue

pytestmark = pytest.mark.django_db

CHAPTERS = {
    "resurser": (
        "primary_care_cost_fixed_per_inhabitant",
        "primary_care_cost_share",
        "primary_care_cost_share_excl_grants",
    ),
    "kompetensforsorjning": (
        "doctors_regional_primary_care_per_100k",
        "nurses_regional_primary_care_per_100k",
        "nurses_municipal_health_care_per_100k",
        "gp_specialist_certificates_per_100k",
    ),
    "mal-och-strategier": ("trust_in_health_care",),
}


def block(report, key):
    return next(b for b in report.blocks() if b.key == key)


def national_row(report, chapter: str, indicator_id: str) -> list:
    ind = get_indicator(indicator_id)
    label = f"{ind.name['sv']} ({UNITS[ind.unit].label('sv')})"
    return next(r for r in block(report, f"riket-{chapter}").rows if r[0] == label)


def test_each_chapter_shows_its_new_indicators_for_the_nation(report):
    for chapter, ids in CHAPTERS.items():
        for indicator_id in ids:
            row = national_row(report, chapter, indicator_id)
            assert row[1].value == "2019"
            values = IndicatorValue.objects.filter(
                indicator_id=indicator_id, is_current=True, period="2019", org_code__regex=r"^\d\d$"
            ).exclude(org_code="00")
            assert values.count() == 21
            # the nation from the regions' numerators and denominators, not typed
            num = sum(v.numerator for v in values)
            den = sum(v.denominator for v in values)
            expected = get_indicator(indicator_id).scale * num / den
            assert row[2].value == pytest.approx(expected), indicator_id


def test_the_share_without_grants_is_below_the_share_with_them(report):
    with_grants = national_row(report, "resurser", "primary_care_cost_share")[2].value
    without = national_row(report, "resurser", "primary_care_cost_share_excl_grants")[2].value
    assert 10 < without < with_grants < 30


def test_every_region_profile_shows_the_new_indicators_with_its_own_values(report):
    wanted = [i for ids in CHAPTERS.values() for i in ids]
    for section in report.profiles:
        code = section.region.code
        table = block(report, f"profil-{code}-indikatorer")
        shown = {ref[0]: row for ref, row in zip(table.refs, table.rows, strict=True) if ref}
        for indicator_id in wanted:
            own = IndicatorValue.objects.get(
                indicator_id=indicator_id, is_current=True, period="2019", org_code=code, sex="T"
            )
            assert shown[indicator_id][2].value == pytest.approx(own.value), (code, indicator_id)
