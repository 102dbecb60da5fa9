"""Where a series breaks, as charts, tables, trends and open data mark it (catalog/breaks.py)."""

from dataclasses import replace

from naravard.catalog.breaks import first_after_breaks, note, segment, since_last_break
from naravard.catalog.catalogue import Break, get_indicator

REASON = {"sv": "Definitionen ändrades.", "en": "The definition changed."}


def with_breaks(*periods: str, period_type: str = "year"):
    ind = get_indicator("digital_contact_share")
    return replace(ind, period_type=period_type, breaks=tuple(Break(p, REASON) for p in periods))


def test_the_first_period_shown_after_a_break_is_marked():
    ind = with_breaks("2021")
    assert first_after_breaks(ind, ["2022", "2019", "2021", "2020"]) == {"2021": list(ind.breaks)}
    assert first_after_breaks(ind, ["2019", "2022"]) == {"2022": list(ind.breaks)}  # 2021 missing
    assert first_after_breaks(ind, ["2021", "2022"]) == {}  # nothing shown before the break
    assert first_after_breaks(ind, ["2018", "2019", "2020"]) == {}


def test_points_in_time_and_months_break_by_the_same_rule():
    point = with_breaks("2021", period_type="point")
    assert list(first_after_breaks(point, ["2020-12-31", "2021-12-31"])) == ["2021-12-31"]
    month = with_breaks("2021", period_type="month")
    assert list(first_after_breaks(month, ["2020-11", "2020-12", "2021-01"])) == ["2021-01"]


def test_segments_split_a_line_at_each_break():
    ind = with_breaks("2021", "2023")
    assert [segment(ind, p) for p in ("2019", "2020", "2021", "2022", "2023")] == [0, 0, 1, 1, 2]


def test_a_trend_takes_the_points_from_the_latest_break_on():
    ind = with_breaks("2020", "2022")
    points = [("2018", 1), ("2019", 2), ("2020", 3), ("2021", 4), ("2022", 5), ("2023", 6)]
    kept, brk = since_last_break(ind, points, lambda p: p[0])
    assert kept == points[-2:] and brk == ind.breaks[1]
    kept, brk = since_last_break(ind, points[:4], lambda p: p[0])  # up to 2021
    assert kept == points[2:4] and brk == ind.breaks[0]
    kept, brk = since_last_break(ind, points[4:], lambda p: p[0])  # all after the breaks
    assert kept == points[4:] and brk is None
    assert since_last_break(ind, [], lambda p: p[0]) == ([], None)


def test_the_note_names_the_break_and_its_reason():
    ind = with_breaks("2021")
    assert note(ind.breaks[0], "sv") == "Tidsseriebrott 2021: Definitionen ändrades."
    assert note(ind.breaks[0], "en") == "Break in series 2021: The definition changed."
