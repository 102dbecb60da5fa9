"""The indicator analysis: intervals equal statsmodels, comparisons, targets, trends, profiles."""

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from naravard.analysis.compare import target_status, vs_national
from naravard.analysis.intervals import byar, exact_poisson, interval, poisson_count, wilson
from naravard.analysis.trend import trend


@pytest.mark.parametrize(
    "count, total", [(84, 221), (0, 50), (50, 50), (1, 226), (132, 226), (1_300_000, 2_377_081)]
)
@pytest.mark.parametrize("level, alpha", [(95, 0.05), (99.8, 0.002)])
def test_wilson_equals_statsmodels(count, total, level, alpha):
    expected = proportion_confint(count, total, alpha=alpha, method="wilson")
    assert wilson(count, total, level) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("events", [0, 1, 3, 9])
@pytest.mark.parametrize("level, alpha", [(95, 0.05), (99.8, 0.002)])
def test_exact_poisson_equals_statsmodels(events, level, alpha):
    low, high = confint_poisson(events, 1, method="exact-c", alpha=alpha)
    ours = exact_poisson(events, level)
    assert ours[1] == pytest.approx(high, abs=1e-9)
    assert ours[0] == pytest.approx(0.0 if events == 0 else low, abs=1e-9)
    assert poisson_count(events, level) == ours  # fewer than 10 events: exact


@pytest.mark.parametrize("events", [10, 50, 100, 1000])
def test_byar_is_close_to_exact_and_used_from_10_events(events):
    approx, exact = byar(events), exact_poisson(events)
    assert approx == pytest.approx(exact, rel=0.01)
    assert poisson_count(events) == approx
    o, z = 100, 1.959963984540054
    assert byar(100)[0] == pytest.approx(o * (1 - 1 / (9 * o) - z / (3 * o**0.5)) ** 3, abs=1e-9)


def test_interval_scales():
    low, high = interval("share", "percent", 84, 221)
    assert (low, high) == pytest.approx(
        [100 * x for x in proportion_confint(84, 221, method="wilson")]
    )
    low, high = interval("rate", "per_100k", 660, 2_377_081)
    assert low < 660 / 2_377_081 * 1e5 < high
    assert interval("count", "count", None, None) == (None, None)


@pytest.mark.parametrize(
    "low, high, national, direction, expected",
    [
        (40, 50, 45, "higher", "similar"),
        (50, 60, 45, "higher", "better"),
        (30, 40, 45, "higher", "worse"),
        (30, 40, 45, "lower", "better"),
        (50, 60, 45, "none", None),
    ],
)
def test_comparison_with_the_nation(low, high, national, direction, expected):
    assert vs_national((low + high) / 2, low, high, national, direction) == expected


@pytest.mark.parametrize(
    "low, high, expected", [(56, 60, True), (50, 54.9, False), (53, 57, None), (55, 58, True)]
)
def test_target_reached_uncertain_or_not(low, high, expected):
    assert target_status((low + high) / 2, low, high, 55, ">=") is expected


def test_target_without_interval_uses_the_value():
    assert target_status(54, None, None, 55) is False
    assert target_status(55, None, None, 55) is True


def test_trend_of_shares_is_the_chi_squared_test_for_trend():
    series = [
        (None, 400, 1000),
        (None, 420, 1000),
        (None, 450, 1000),
        (None, 470, 1000),
        (None, 500, 1000),
    ]
    series = [(100 * n / d, n, d) for _, n, d in series]
    result = trend("share", series, "higher")
    table = np.array([[n, d - n] for _, n, d in series])
    expected = (
        Table(table)
        .test_ordinal_association(row_scores=np.arange(5.0), col_scores=np.array([1.0, 0.0]))
        .pvalue
    )
    assert result.p_value == pytest.approx(expected, abs=1e-9)
    assert (result.direction, result.judgement) == ("increasing", "getting_better")
    flat = trend("share", [(50, 500, 1000)] * 5, "higher")
    assert flat.direction == "no_significant_change"
    assert trend("share", series[:2], "higher").direction == "not_enough_points"
    worse = trend("share", list(reversed(series)), "higher")
    assert (worse.direction, worse.judgement) == ("decreasing", "getting_worse")


@pytest.mark.django_db
def test_profile_national_value_ranks_and_suppression():
    from naravard.analysis.profile import contract_rows, profile
    from naravard.ingest.importer import import_file
    from naravard.refdata import files

    codes = [r.code for r in files.regions()]
    counts = {code: (400_000 + 10_000 * i, 1_000_000) for i, code in enumerate(codes)}
    counts["04"] = (3, 297_540)  # three persons: must not be published
    counts["01"] = (900_000, 1_000_000)
    lines = ["org,period,numerator,denominator"] + [
        f"{c},2022,{n},{d}" for c, (n, d) in counts.items()
    ]
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )
    p = profile("named_doctor_share", "2022-12-31")
    by_org = {r.org: r for r in p.rows}
    total_n = sum(n for n, _ in counts.values())
    total_d = sum(d for _, d in counts.values())
    assert p.national.value == pytest.approx(100 * total_n / total_d)
    assert by_org["04"].suppressed and by_org["04"].value is None  # disclosure control
    second = by_org["03"]  # the next smallest count is suppressed too (complementary)
    assert second.suppressed
    hidden = [r for r in p.rows if r.suppressed]
    assert len(hidden) == 2  # the nation minus the shown regions leaves two unknowns, not one
    assert by_org["01"].rank == 1 and by_org["01"].target_reached is True
    assert by_org["05"].target_reached is False and by_org["05"].vs_national == "worse"
    rows = contract_rows(p)
    assert rows[-1]["org"] == "00"
    assert set(rows[0]) >= {
        "org",
        "period",
        "sex",
        "value",
        "numerator",
        "denominator",
        "ci_low",
        "ci_high",
        "vs_national",
        "target_reached",
        "suppressed",
    }
    assert sum(p.target_counts.values()) == 19


@pytest.mark.django_db
def test_no_national_value_from_part_of_the_country():
    from naravard.analysis.profile import profile
    from naravard.ingest.importer import import_file

    import_file(
        "n.csv",
        "named_doctor_share",
        data=b"org,period,value\n01,2022,40\n",
        name="n.csv",
        actor="test",
    )
    p = profile("named_doctor_share", "2022-12-31")
    assert p.national is None and p.rows[0].vs_national is None


@pytest.mark.django_db
def test_trends_added_to_a_kept_analysis_equal_the_analysis_with_trends():
    from naravard.analysis.profile import profile, with_trends
    from naravard.ingest.importer import import_file
    from naravard.ingest.models import IndicatorValue
    from naravard.refdata import files

    codes = [r.code for r in files.regions()]
    lines = ["org,period,numerator,denominator"] + [
        f"{c},{year},{300_000 + 9_000 * i + (year - 2015) ** 2 * (700 + 50 * i)},1000000"
        for i, c in enumerate(codes)
        for year in range(2015, 2024)
    ]
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )
    whole = profile("named_doctor_share", "2022-12-31")
    plain = profile("named_doctor_share", "2022-12-31", trends=False)
    values = list(IndicatorValue.objects.filter(indicator_id="named_doctor_share", is_current=True))
    added = with_trends(plain, values, "region")
    assert [r.as_dict() for r in added.rows] == [r.as_dict() for r in whole.rows]
    assert added.national.as_dict() == whole.national.as_dict()
    assert whole.national.trend.points == 5 and whole.national.trend.turn.points == 8
    assert all(r.trend is None for r in plain.rows) and plain.national.trend is None
