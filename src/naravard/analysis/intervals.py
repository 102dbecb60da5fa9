"""Confidence intervals as in the Fingertips public-health profiles (re-implemented from formulas).

Shares: Wilson score interval (statsmodels). Rates: Byar's approximation,
or the exact Poisson interval when there are fewer than 10 events.
"""

from __future__ import annotations

import math

from scipy.stats import chi2, norm
from statsmodels.stats.proportion import proportion_confint

from naravard.catalog import units

LEVELS = {95: 0.05, 99.8: 0.002}
EXACT_BELOW = 10


def wilson(count: float, total: float, level: float = 95) -> tuple[float, float]:
    """Wilson score interval for a proportion (0–1)."""
    low, high = proportion_confint(count, total, alpha=LEVELS[level], method="wilson")
    return float(low), float(high)


def exact_poisson(events: float, level: float = 95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count."""
    alpha = LEVELS[level]
    low = 0.0 if events == 0 else chi2.ppf(alpha / 2, 2 * events) / 2
    high = chi2.ppf(1 - alpha / 2, 2 * (events + 1)) / 2
    return float(low), float(high)


def byar(events: float, level: float = 95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval for a count."""
    z = norm.ppf(1 - LEVELS[level] / 2)
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
