"""The one rule of stale data (analysis/freshness.py): an indicator's latest period is current
for a follow-up when it contains the follow-up's last day or is the period just before; older
is stale and said as "senaste tillgängliga: mars 2020"."""

import datetime as dt

import pytest

from naravard.analysis.freshness import (
    Coverage,
    coverage,
    current_from,
    is_stale,
    judge,
    latest_available,
)
from naravard.catalog.catalogue import get_indicator
from naravard.publish.releases import PublicValue

END_2023 = dt.date(2023, 12, 31)
MID_2023 = dt.date(2023, 6, 30)


@pytest.mark.parametrize(
    ("period_type", "period", "until", "stale"),
    [
        ("year", "2023", END_2023, False),  # contains the last day
        ("year", "2022", END_2023, False),  # the year before: one period of lag is normal
        ("year", "2021", END_2023, True),
        ("year", "2022", MID_2023, False),  # the last complete year
        ("year", "2021", MID_2023, True),
        ("year", "2024", END_2023, False),  # newer than the follow-up: never stale
        ("month", "2023-12", END_2023, False),
        ("month", "2023-11", END_2023, False),
        ("month", "2023-10", END_2023, True),
        ("month", "2020-03", END_2023, True),
        ("month", "2023-01", dt.date(2023, 1, 31), False),
        ("month", "2022-12", dt.date(2023, 1, 31), False),  # across the turn of the year
        ("month", "2022-11", dt.date(2023, 1, 31), True),
        ("point", "2022-12-31", END_2023, False),  # a point at the grain of a year
        ("point", "2022-01-01", END_2023, False),
        ("point", "2021-12-31", END_2023, True),
    ],
)
def test_stale_is_older_than_the_period_before_the_one_holding_the_last_day(
    period_type, period, until, stale
):
    assert is_stale(period_type, period, until) is stale


def test_the_oldest_current_period_starts():
    assert current_from("year", END_2023) == dt.date(2022, 1, 1)
    assert current_from("month", END_2023) == dt.date(2023, 11, 1)
    assert current_from("month", dt.date(2023, 1, 15)) == dt.date(2022, 12, 1)
    assert current_from("point", MID_2023) == dt.date(2022, 1, 1)


class Follow:
    name = "2023"
    data_until = END_2023


def test_a_stale_latest_period_is_labelled_the_latest_available():
    ind = get_indicator("online_booking_show")  # monthly
    fresh = judge(ind, ["2019-12", "2020-03"], Follow())
    assert fresh is not None and fresh.stale and fresh.period == "2020-03"
    assert fresh.labels() == {
        "sv": "senaste tillgängliga: mars 2020",
        "en": "latest available: March 2020",
    }
    assert fresh.shown("2020-03", "sv") == "senaste tillgängliga: mars 2020"
    assert fresh.shown("2019-12", "sv") == "december 2019"  # an older period is only history
    assert latest_available("2020", "en") == "latest available: 2020"


def test_a_current_latest_period_is_its_name_and_without_a_follow_up_nothing_is_judged():
    ind = get_indicator("online_booking_show")
    fresh = judge(ind, ["2023-11"], Follow())
    assert fresh is not None and not fresh.stale
    assert fresh.labels() == {"sv": "november 2023", "en": "November 2023"}
    assert judge(ind, ["2020-03"], None) is None
    assert judge(ind, [], Follow()) is None


def _value(org: str, period: str = "2022", value: float | None = 1.0, sex: str = "T"):
    return PublicValue(org, period, sex, "total", value, None, None)


def test_coverage_counts_the_areas_with_a_value_in_the_period():
    values = [_value(f"{code:02d}") for code in range(1, 13)]
    values += [
        _value("13", value=None),  # stored without a value: not reported
        _value("00"),  # the nation is not an area
        _value("0180"),  # a municipality, not a region
        _value("14", period="2021"),  # another period
        _value("15", sex="K"),  # another sex
    ]
    cover = coverage(values, "2022", "region", total=21)
    assert (cover.reported, cover.total, cover.partial) == (12, 21, True)
    assert cover.text("sv") == "12 av 21 regioner har rapporterat för 2022"
    assert cover.text("en") == "12 of 21 regions have reported for 2022"
    assert coverage(values, "2022", "municipality", total=290).text("sv") == (
        "1 av 290 kommuner har rapporterat för 2022"
    )
    assert Coverage("2022-03", "region", 1, 21).text("en") == (
        "1 of 21 regions has reported for March 2022"
    )


def test_full_and_empty_coverage_are_not_partial():
    assert not Coverage("2022", "region", 21, 21).partial
    assert not Coverage("2022", "region", 0, 21).partial
