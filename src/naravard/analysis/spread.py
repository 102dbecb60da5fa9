"""How the areas of one indicator in one period spread around the nation: the lowest and
highest value and the quartiles between, what a spine chart draws an area against."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from naravard.analysis.profile import OrgResult


@dataclass(frozen=True)
class Spread:
    """The published values of the areas of one profile: ``lowest``, the first and third
    quartiles (``q1``, ``q3``, inclusive method: within the values) and ``highest``, of
    ``n`` areas with a value."""

    lowest: float
    q1: float
    q3: float
    highest: float
    n: int

    def position(self, value: float, centre: float, direction: str) -> float:
        """Where ``value`` stands on a spine centred on ``centre`` (the nation): -1 to 1,
        the farther of the lowest and highest at one end, better to the right (higher to
        the right where neither direction is better). 0 when every area equals the centre."""
        half = max(abs(self.lowest - centre), abs(self.highest - centre))
        if half == 0:
            return 0.0
        shown = (value - centre) / half
        return -shown if direction == "lower" else shown


def spread(rows: list[OrgResult]) -> Spread | None:
    """The spread of the areas' published values (None with fewer than two)."""
    values = sorted(r.value for r in rows if r.value is not None)
    if len(values) < 2:
        return None
    q1, _median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(values[0], q1, q3, values[-1], len(values))
