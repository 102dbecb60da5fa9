"""Trend over the last points: is there a significant change, and is it for the better?

Shares: the chi-squared test for linear trend (Cochran–Armitage, the linear-by-linear
association test of statsmodels). Rates: a Poisson regression with the population as
exposure. Other values: least squares on time. Significance at 5 %.

Beside it, the series (its last twenty points) is searched for a turning point
(:func:`naravard.analysis.turning.turning_point`, in ``Trend.turn``); the wording says the
turn when there is one and this test's result otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import statsmodels.api as sm
from statsmodels.stats.contingency_tables import Table

from naravard.analysis.turning import Turn, turning_point

POINTS = 5
ALPHA = 0.05


@dataclass(frozen=True)
class Trend:
    points: int
    slope_sign: int  # +1 rising, -1 falling, 0 flat
    p_value: float | None
    direction: str  # increasing | decreasing | no_significant_change | not_enough_points
    judgement: str | None  # getting_better | getting_worse | None
    turn: Turn | None = None  # the turning-point analysis of the series (turning.MAX_POINTS)


def trend(
    kind: str,
    series: list[tuple[float | None, float | None, float | None]],
    better: str,
    times: list[float] | None = None,
    periods: list[str] | None = None,
) -> Trend:
    """``series``: (value, numerator, denominator) oldest first; the last POINTS are tested,
    and the series (its last turning.MAX_POINTS) is searched for a turn.

    ``times`` places the points in time (years as numbers), so gaps count; without
    it the points are taken as evenly spaced. ``periods`` names the points, for the turn.
    """
    return replace(
        _last_points(kind, series, better, times), turn=turning_point(kind, series, times, periods)
    )


def _last_points(
    kind: str,
    series: list[tuple[float | None, float | None, float | None]],
    better: str,
    times: list[float] | None,
) -> Trend:
    keep = [i for i, p in enumerate(series) if p[0] is not None][-POINTS:]
    pts = [series[i] for i in keep]
    if len(pts) < 3:
        return Trend(len(pts), 0, None, "not_enough_points", None)
    t = np.array([times[i] for i in keep] if times else range(len(pts)), dtype=float)
    have_counts = all(p[1] is not None and p[2] for p in pts)
    if kind == "share" and have_counts:
        yes = np.array([p[1] for p in pts])
        no = np.array([p[2] for p in pts]) - yes
        result = Table(np.column_stack([yes, no]), shift_zeros=False).test_ordinal_association(
            row_scores=t, col_scores=np.array([1.0, 0.0])
        )
        p_value = float(result.pvalue)
        rate = yes / (yes + no)
        slope = float(np.polyfit(t, rate, 1)[0])
    elif kind == "rate" and have_counts:
        events = np.array([p[1] for p in pts])
        exposure = np.array([p[2] for p in pts])
        model = sm.GLM(
            events, sm.add_constant(t), family=sm.families.Poisson(), exposure=exposure
        ).fit()
        p_value, slope = float(model.pvalues[1]), float(model.params[1])
    else:
        values = np.array([p[0] for p in pts])
        if np.ptp(values) == 0:
            return Trend(len(pts), 0, 1.0, "no_significant_change", None)
        model = sm.OLS(values, sm.add_constant(t)).fit()
        p_value, slope = float(model.pvalues[1]), float(model.params[1])
    sign = (slope > 0) - (slope < 0)
    if p_value >= ALPHA or sign == 0:
        return Trend(len(pts), sign, p_value, "no_significant_change", None)
    direction = "increasing" if sign > 0 else "decreasing"
    judgement = None
    if better in ("higher", "lower"):
        judgement = "getting_better" if (sign > 0) == (better == "higher") else "getting_worse"
    return Trend(len(pts), sign, p_value, direction, judgement)
