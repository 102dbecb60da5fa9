"""A trend never runs across a break in the series: it is computed from the latest break on,
for each region and for the nation, and its words say so."""

import pytest
from django.utils import translation

from naravard.analysis.profile import contract_rows, profile
from naravard.catalog.catalogue import get_indicator
from tests.helpers import SHORTAGE, store_shortage_across_the_break

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortages():
    store_shortage_across_the_break(release_them=False)


def test_the_trend_starts_at_the_break(shortages):
    assert [b.period for b in get_indicator(SHORTAGE).breaks] == ["2021"]
    p = profile(SHORTAGE, "2023")
    for row in [*p.rows, p.national]:
        # 10 % in 2019, about 60 % after: across the break a leap, after it no change
        assert row.trend.points == 3, row.org
        assert row.trend.direction == "no_significant_change", row.org
        assert row.trend_since.period == "2021"
    with translation.override("sv"):
        assert contract_rows(p)[-1]["trend"]["words"] == (
            "ingen säker förändring sedan tidsseriebrottet 2021"
        )
        assert contract_rows(p)[-1]["trend"]["since_break"] == "2021"
    with translation.override("en"):
        assert contract_rows(p)[0]["trend"]["words"] == (
            "no significant change since the break in series in 2021"
        )


def test_too_few_values_after_the_break_are_said_to_be(shortages):
    with translation.override("sv"):
        row = contract_rows(profile(SHORTAGE, "2022"))[-1]
    assert row["trend"]["direction"] == "not_enough_points"
    assert row["trend"]["words"] == "för få värden sedan tidsseriebrottet 2021"


def test_a_series_that_does_not_cross_the_break_is_not_cut(shortages):
    p = profile(SHORTAGE, "2019")
    assert p.national.trend.points == 1 and p.national.trend_since is None
