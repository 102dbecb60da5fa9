"""Trends that turn: the turning-point (joinpoint) analysis of a whole series, its wording on
the pages, in the report and the API, and the demo's digital contacts that rise to 2021 and
fall after."""

from types import SimpleNamespace

import numpy as np
import pytest
from django.utils import translation

from naravard.analysis import wording
from naravard.analysis.trend import trend
from naravard.analysis.turning import MAX_POINTS, MIN_POINTS, turning_point
from tests.helpers import store_turning_digital_shares

YEARS = list(range(2015, 2024))


def _values(values, years=YEARS):
    """An amount series (no counts) with its times and periods."""
    return [(v, None, None) for v in values], [float(y) for y in years], [str(y) for y in years]


def _words(result) -> str:
    return wording.trend(SimpleNamespace(trend=result))


def test_a_rise_then_a_fall_is_a_turn_at_the_right_year():
    # up two a year to 2019, then down about one and a half a year to 2023, with some noise
    series, times, periods = _values([10, 12.4, 13.6, 16.3, 17.8, 16.9, 14.5, 13.6, 11.2])
    result = trend("amount", series, "higher", times, periods)
    turn = result.turn
    assert turn.turns and turn.period == "2019" and turn.p_value < 0.05
    assert (turn.before.start, turn.before.end, turn.after.end) == ("2015", "2019", "2023")
    assert (turn.before.direction, turn.after.direction) == ("increasing", "decreasing")
    assert turn.before.slope == pytest.approx(2, abs=0.3)
    assert turn.after.slope == pytest.approx(-1.6, abs=0.3)
    assert turn.permutations == 5000 and not turn.weighted  # 9 points: drawn orderings
    # the last five points fall, but the turn is what is said
    assert result.direction == "decreasing"
    with translation.override("sv"):
        assert _words(result) == "ökade 2015–2019 och minskade därefter"
    with translation.override("en"):
        assert _words(result) == "increased 2015–2019 and decreased after that"


def test_the_turn_is_exact_for_short_series_and_found_where_it_is():
    # a fall to 2018 and a rise after: six points, every ordering of the residuals tried
    series, times, periods = _values([30, 27.5, 25.4, 22.6, 25.1, 28.2], YEARS[:6])
    turn = turning_point("amount", series, times, periods)
    assert turn.turns and turn.period == "2018" and turn.permutations == 720
    assert turn.p_value == pytest.approx(np.ceil(turn.p_value * 720) / 720)  # k of 720
    with translation.override("sv"):
        assert _words(trend("amount", series, "lower", times, periods)) == (
            "minskade 2015–2018 och ökade därefter"
        )


@pytest.mark.parametrize(
    "values",
    [
        [10, 11, 12, 13, 14, 15, 16, 17, 18],  # a straight line
        [10, 11.3, 11.8, 13.2, 13.9, 15.1, 16.2, 16.8, 18.1],  # a straight line with noise
        [50, 52, 49, 51, 50, 48, 51, 50, 52],  # flat with noise
    ],
)
def test_a_line_or_noise_is_no_turn_and_the_last_points_are_worded(values):
    series, times, periods = _values(values)
    result = trend("amount", series, "higher", times, periods)
    assert not result.turn.turns and result.turn.period is None and result.turn.p_value >= 0.05
    with translation.override("sv"):
        words = _words(result)
    assert (
        words
        == {"increasing": "ökar", "no_significant_change": "ingen säker förändring"}[
            result.direction
        ]
    )


def test_too_short_a_series_never_turns_and_falls_back():
    series, times, periods = _values([10, 14, 18, 14], YEARS[:4])
    assert MIN_POINTS == 5
    result = trend("amount", series, "higher", times, periods)
    assert result.turn.method == "not_enough_points" and not result.turn.turns
    with translation.override("sv"):
        assert _words(result) == "ingen säker förändring"  # the last points' test
    missing = [(None, None, None)] + series  # a missing value is not a point
    assert turning_point("amount", missing).points == 4


def test_a_change_of_pace_is_no_turn():
    # rising all along, faster after 2019: a significant bend, the same direction
    series, times, periods = _values([10, 11, 12, 13, 14, 17, 20, 23, 26])
    result = trend("amount", series, "higher", times, periods)
    assert result.turn.p_value < 0.05 and result.turn.period == "2019"
    assert (result.turn.before.direction, result.turn.after.direction) == (
        "increasing",
        "increasing",
    )
    assert not result.turn.turns
    with translation.override("sv"):
        assert _words(result) == "ökar"


def test_a_levelling_off_is_a_turn_to_no_change():
    series, times, periods = _values([10, 13, 16, 19, 22, 22.2, 21.9, 22.1, 21.8])
    turn = turning_point("amount", series, times, periods)
    assert turn.turns and (turn.before.direction, turn.after.direction) == ("increasing", "flat")
    with translation.override("sv"):
        assert wording.turn(SimpleNamespace(turn=turn)) == (
            "ökade 2015–2019, därefter ingen säker förändring"
        )
    with translation.override("en"):
        assert wording.turn(SimpleNamespace(turn=turn)) == (
            "increased 2015–2019, no significant change after that"
        )


def test_a_long_series_is_searched_over_its_last_points_only():
    # a clear rise and fall in the first years, then forty years on a straight line
    years = list(range(1974, 2024))
    old = [10, 14, 18, 22, 26, 22, 18, 14, 10, 6]
    values = old + [20 + 0.5 * i + (0.3 if i % 2 else -0.3) for i in range(len(years) - 10)]
    series, times, periods = _values(values, years)
    whole = turning_point("amount", series, times, periods)
    last = turning_point("amount", series[-MAX_POINTS:], times[-MAX_POINTS:], periods[-MAX_POINTS:])
    assert whole == last and whole.points == MAX_POINTS and not whole.turns


def test_a_share_is_weighted_by_its_denominator():
    # 20 % rising four points a year to 2019, falling three after, from 10 000 persons a year;
    # two years counted from a handful of persons are far off the lines
    values = [20, 24, 60, 32, 36, 33, 5, 27, 24]
    persons = [10_000, 10_000, 20, 10_000, 10_000, 10_000, 25, 10_000, 10_000]
    series = [(v, v * d / 100, d) for v, d in zip(values, persons, strict=True)]
    times, periods = [float(y) for y in YEARS], [str(y) for y in YEARS]
    share = turning_point("share", series, times, periods)
    assert share.weighted and share.turns and share.period == "2019"
    assert share.before.slope == pytest.approx(4, abs=0.1)
    assert share.after.slope == pytest.approx(-3, abs=0.1)
    # the same values unweighted: the two small years hide the turn
    unweighted = turning_point("amount", series, times, periods)
    assert not unweighted.weighted and not unweighted.turns


def test_gaps_between_periods_count():
    # 2015–2019 yearly, then 2021 and 2023: the fall after 2019 is slower per year
    years = [2015, 2016, 2017, 2018, 2019, 2021, 2023]
    series, times, periods = _values([10, 12, 14, 16, 18, 16, 14], years)
    turn = turning_point("amount", series, times, periods)
    assert turn.turns and turn.period == "2019"
    assert turn.after.slope == pytest.approx(-1)


@pytest.mark.django_db
def test_the_demos_digital_contacts_rise_to_2021_and_fall_after(tmp_path):
    """The demo's synthetic register (its scale, years and seed), through the register engine
    into the store: the nation's and the regions' trends say the turn, as do the API's rows."""
    from naravard.analysis.profile import contract_rows, profile
    from naravard.demo.indicators import REGISTER_SCALE, REGISTER_SEED, REGISTER_YEARS
    from naravard.engine.compute import run, store_cells
    from naravard.synth.generator import Spec, generate

    years = list(REGISTER_YEARS)
    generate(tmp_path, Spec(REGISTER_SCALE, REGISTER_YEARS, REGISTER_SEED))
    report = run(tmp_path, years, "duckdb", ["digital_contact_share"], validate=False)
    store_cells(report, tmp_path, "duckdb", years, actor="test")
    with translation.override("sv"):
        p = profile("digital_contact_share", "2023")
        rows = contract_rows(p)
    national = p.national
    assert national is not None
    values = [profile("digital_contact_share", str(y), trends=False).national.value for y in years]
    assert values[0] < values[1] < values[2] > values[3] > values[4]  # the demo's shape
    turn = national.trend.turn
    assert turn.weighted and turn.turns and turn.period == "2021"
    assert (turn.before.direction, turn.after.direction) == ("increasing", "decreasing")
    said = "ökade 2019–2021 och minskade därefter"
    with translation.override("sv"):
        assert wording.trend(national) == said
        regions_saying_it = [r.org for r in p.rows if wording.trend(r) == said]
    assert len(regions_saying_it) >= 15  # small regions' noise may hide the fall, not the rise
    nation_row = next(r for r in rows if r["org"] == "00")
    assert nation_row["trend"]["words"] == said
    assert nation_row["trend"]["turn"]["period"] == "2021"
    assert nation_row["trend"]["turn"]["words"] == said
    assert nation_row["trend"]["points"] == 5  # the last points' test is still there


@pytest.mark.django_db
def test_the_analysis_api_gives_the_turn_beside_the_last_points(client, make_user):
    store_turning_digital_shares()
    client.force_login(make_user("ana", "analyst"))
    rows = {
        r["org"]: r
        for r in client.get("/api/indicators/digital_contact_share/analysis?period=2023").json()
    }
    nation = rows["00"]["trend"]
    # the keys the API had before are all there
    assert {"points", "slope_sign", "p_value", "direction", "judgement"} <= set(nation)
    assert nation["points"] == 5
    turn = nation["turn"]
    assert turn["turns"] and turn["period"] == "2021" and turn["weighted"]
    assert turn["p_value"] < 0.05 and turn["permutations"] == 120
    assert turn["before"] == {
        "start": "2019",
        "end": "2021",
        "slope": pytest.approx(4, abs=0.1),
        "p_value": pytest.approx(0, abs=0.05),
        "direction": "increasing",
    }
    assert (turn["after"]["start"], turn["after"]["end"]) == ("2021", "2023")
    assert turn["after"]["direction"] == "decreasing"
    assert nation["words"] == turn["words"] == "ökade 2019–2021 och minskade därefter"
    straight = rows["01"]["trend"]
    assert not straight["turn"]["turns"] and straight["turn"]["period"] is None
    assert straight["turn"]["words"] == "" and straight["words"] == "ökar"
    earlier = client.get("/api/indicators/digital_contact_share/analysis?period=2022").json()
    assert earlier[-1]["trend"]["turn"]["method"] == "not_enough_points"  # four points by 2022


def test_the_test_stops_once_no_turn_is_certain_and_answers_as_the_full_test(monkeypatch):
    rng = np.random.default_rng(7)
    years = [float(y) for y in range(2004, 2024)]
    # straight lines with noise (no bend) and broken lines (a clear bend at 2014)
    lines = [50 + 0.3 * np.arange(20) + rng.normal(0, 1, 20) for _ in range(30)]
    bent = [50 + np.minimum(np.arange(20), 10) * 1.5 + rng.normal(0, 1, 20) for _ in range(5)]
    series = [[(float(v), None, None) for v in ys] for ys in lines + bent]
    stopped = [turning_point("amount", s, years) for s in series]
    monkeypatch.setattr("naravard.analysis.turning.BATCH", 10**6)  # every ordering at once
    full = [turning_point("amount", s, years) for s in series]
    assert [(t.turns, t.period) for t in stopped] == [(t.turns, t.period) for t in full]
    assert [t.p_value < 0.05 for t in stopped] == [t.p_value < 0.05 for t in full]
    quiet = [t for t in stopped[:30] if t.p_value >= 0.05]
    assert len(quiet) > 20 and all(t.permutations < 5000 for t in quiet)
    assert all(
        t.p_value == pytest.approx(f.p_value, abs=0.1) for t, f in zip(stopped, full, strict=True)
    )
    assert all(t.p_value < 0.05 and t.permutations == 5000 for t in stopped[30:])  # a bend
    assert all(t.p_value == f.p_value for t, f in zip(stopped[30:], full[30:], strict=True))
