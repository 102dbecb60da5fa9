"""Confidence intervals as in the Fingertips public-health profiles (re-implemented from formulas).

Shares: Wilson score interval. Rates: Byar's approximation, or the exact Poisson interval
when there are fewer than 10 events. Both are worked out from their formulas with the normal
quantile looked up once per level: a public table of a municipal indicator over twenty years
has some 40 000 intervals, and statsmodels' ``proportion_confint`` spent 0.12 ms on each
(tests/analysis/test_statistics.py checks the two agree).
"""

from __future__ import annotations

import math

from scipy.stats import chi2, norm

from naravard.catalog import units

LEVELS = {95: 0.05, 99.8: 0.002}
EXACT_BELOW = 10
# the normal quantile of each level's two-sided interval
Z = {level: float(norm.ppf(1 - alpha / 2)) for level, alpha in LEVELS.items()}


def wilson(count: float, total: float, level: float = 95) -> tuple[float, float]:
    """Wilson score interval for a proportion (0–1)."""
    z = Z[level]
    share = count / total
    spread = z * z / total
    centre = (share + spread / 2) / (1 + spread)
    half = z / (1 + spread) * math.sqrt(share * (1 - share) / total + spread / (4 * total))
    return max(0.0, centre - half), min(1.0, centre + half)


def exact_poisson(events: float, level: float = 95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count."""
    alpha = LEVELS[level]
    low = 0.0 if events == 0 else chi2.ppf(alpha / 2, 2 * events) / 2
    high = chi2.ppf(1 - alpha / 2, 2 * (events + 1)) / 2
    return float(low), float(high)


def byar(events: float, level: float = 95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval for a count."""
    z = Z[level]
    o = events
    low = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return float(low), float(high)


def poisson_count(events: float, level: float = 95) -> tuple[float, float]:
    """Interval for a count: exact below 10 events, Byar from 10 (as Fingertips does)."""
    return exact_poisson(events, level) if events < EXACT_BELOW else byar(events, level)


def interval(
    kind: str, unit: str, numerator: float | None, denominator: float | None, level: float = 95
) -> tuple[float | None, float | None]:
    """The interval of a value on its own scale (percent, per 100 000…), or (None, None)."""
    if numerator is None or denominator is None or denominator <= 0:
        return None, None
    if kind == "share":
        low, high = wilson(numerator, denominator, level)
        scale = units.UNITS[unit].scale
        return low * scale, high * scale
    if kind == "rate":
        low, high = poisson_count(numerator, level)
        scale = units.UNITS[unit].scale
        return scale * low / denominator, scale * high / denominator
    return None, None
