"""The spread of areas around the nation that a spine chart draws."""

import pytest

from naravard.analysis.profile import OrgResult
from naravard.analysis.spread import spread


def _rows(*values):
    return [OrgResult(str(i), str(i), "2021", "T", v, None, None) for i, v in enumerate(values)]


def test_quartiles_lie_within_the_values_and_none_is_left_out():
    found = spread(_rows(10, 20, 30, 40, 50, None))
    assert (found.lowest, found.q1, found.q3, found.highest, found.n) == (10, 20, 40, 50, 5)


def test_fewer_than_two_values_have_no_spread():
    assert spread(_rows(3, None)) is None


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [("higher", 50, 1.0), ("higher", 20, -0.5), ("lower", 50, -1.0), ("none", 50, 1.0)],
)
def test_the_nation_in_the_middle_the_farther_end_at_the_edge_better_to_the_right(
    direction, value, expected
):
    found = spread(_rows(10, 30, 50))  # nation 30: the farther end is 20 away
    assert found.position(value, 30, direction) == pytest.approx(expected)


def test_every_area_equal_to_the_nation_stands_in_the_middle():
    assert spread(_rows(5, 5)).position(5, 5, "higher") == 0
