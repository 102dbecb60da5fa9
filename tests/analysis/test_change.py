"""Change since the previous period: the difference with its interval, and its judgement."""

import pytest

from naravard.analysis.change import change
from naravard.analysis.profile import OrgResult
from naravard.catalog.catalogue import get_indicator


def _row(period, value, numerator=None, denominator=None):
    return OrgResult("01", "Region Stockholm", period, "T", value, numerator, denominator)


def test_a_share_uses_newcombes_interval_for_two_independent_proportions():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 against 48/80,
    # method 10 (hybrid score): 0.0524 to 0.3339
    share = get_indicator("named_doctor_share")
    found = change(share, _row("2021", 80.0, 56, 70), _row("2020", 60.0, 48, 80))
    assert found.difference == pytest.approx(20.0)
    assert found.low == pytest.approx(5.24, abs=0.01)
    assert found.high == pytest.approx(33.39, abs=0.01)
    assert found.direction == "increase" and found.words() == "signifikant ökning"


def test_a_small_change_is_not_significant_and_a_fall_is_a_decrease():
    share = get_indicator("named_doctor_share")
    small = change(share, _row("2021", 51.0, 510, 1000), _row("2020", 50.0, 500, 1000))
    assert small.direction == "none" and small.words() == "ingen signifikant förändring"
    fall = change(share, _row("2021", 40.0, 400, 1000), _row("2020", 50.0, 500, 1000))
    assert fall.direction == "decrease" and fall.difference == pytest.approx(-10.0)


def test_a_rate_uses_the_score_interval_for_two_poisson_rates():
    rate = get_indicator("avoidable_hospitalisations_per_100k")
    # 1 000 against 900 events per million: 10 more per 100 000, normal approximation
    # ± 1,96 × √1900 per million, about ± 8,5 per 100 000
    found = change(rate, _row("2021", 100.0, 1000, 1_000_000), _row("2020", 90.0, 900, 1_000_000))
    assert found.low == pytest.approx(10 - 8.54, abs=0.3)
    assert found.high == pytest.approx(10 + 8.54, abs=0.3)
    assert found.direction == "increase"


def test_counts_and_values_without_counts_are_not_judged():
    count = get_indicator("online_booking_show")
    found = change(count, _row("2021-03", 120.0, None, None), _row("2020-03", 100.0, None, None))
    assert found.difference == 20 and not found.tested and found.words() == ""
    share = get_indicator("named_doctor_share")
    assert change(share, _row("2021", None), _row("2020", 50.0, 500, 1000)) is None
