"""Trends that turn: does an indicator's whole series change direction, and where?

The model is the segmented ("joinpoint") regression of the NCI Joinpoint program, cut
down to the one question naravard asks: no turning point, or one. With no turn the
values follow a straight line in time; with one they follow two straight lines that
meet at an observed period (the turn), a broken line with one bend:

    value = b0 + b1·t + b2·max(0, t − t_turn)

so the slope is b1 before the turn and b1 + b2 after it. Time ``t`` is in years, so
gaps between periods count.

**Choosing between the two models: a permutation test** (Kim, Fay, Feuer and Midthune
2000, the test Joinpoint uses by default). The straight line is fitted; its residuals
are shuffled over the periods and added back to the line, which gives series that
follow the straight line with the same spread as the data; each is fitted with and
without a turn (the best turn of each series, as for the data). The p-value is the
share of shuffled series whose broken line fits at least as much better than their
straight line as the data's does (the statistic is the ratio of the two residual sums
of squares, which orders series as Joinpoint's F statistic does). Up to
:data:`EXACT_UP_TO` points every ordering of the residuals is tried (5 points: 120), so
the p-value is exact; longer series use :data:`SAMPLED` orderings drawn with a fixed
seed, so a series always gets the same p-value. A turn is found at 5 %.

**Stopping when the answer is certain.** Most series do not bend, and for them a few hundred
orderings already say so. The orderings are tried :data:`BATCH` at a time in their fixed
order, and the test stops as soon as 5 % of *all* the orderings bend as clearly as the data:
the full test could then only give p ≥ 5 %, so the answer (no turn) is the one it would
give. The p-value is then the share among the orderings tried, the sequential Monte Carlo
p-value of Besag and Clifford (1991), and ``permutations`` says how many were tried. A
series that does bend is tried against every ordering, so its p-value is the full test's.
After a release the 290 municipalities' series are tested again; for series of twenty
points stopping early took that from 1,2 s to 58 ms.

Why a permutation test rather than an information criterion (BIC): with 5–10 yearly
points BIC's penalty is a rough large-sample approximation and it gives no p-value to
show readers; the permutation test needs no assumption about the distribution of the
residuals, only that they are exchangeable under the straight line, and says how
likely a bend this clear would be by chance.

**Weights.** A share or a rate with its counts is fitted by least squares weighted by
its denominator (its variance shrinks with the number counted), so a year with few
contacts moves the lines less; the residuals shuffled are the weighted ones. Other
values are fitted by ordinary least squares. The spread is always estimated from the
residuals, not taken from the binomial or Poisson model: registers vary more from year
to year than their counts alone explain, and with counts in the hundred thousands a
binomial model would call every wiggle significant.

**Before and after.** When the turn is significant, each line's slope is tested with a
t-test (weighted least squares, n − 3 degrees of freedom, the turn taken as given): a
slope that is not significant at 5 % is ``flat``. The series *turns* when the two
directions differ (increasing then decreasing, decreasing then flat, flat then
increasing …); two lines in the same direction are a change of pace, not a turn, and
the wording falls back to the test over the last points (:mod:`naravard.analysis.trend`).

**Limits.** A turn has at least :data:`MIN_SIDE` points on each side of it, the turn
not counted, so at least :data:`MIN_POINTS` (5) points in all; a shorter series is
never said to turn. With 5 points there is one place for the turn (the middle), the
smallest possible p-value is 1/120 (2/120 unweighted, where a series and its mirror
image bend alike), and each line is tested with 2 degrees of freedom, so only a clear
bend is found: a peak that is rounded rather than sharp (4, 10, 12, 8, 7 %) is not,
and a one-year dip or a single outlier is noise, not a turn. One turn at most: a series
that turns twice is described by its clearer turn. So the search looks at the last
:data:`MAX_POINTS` points (twenty years of a yearly series): one bend is a model for a
span of some years, not for decades (Joinpoint allows more joinpoints the longer the
series), and the search, a few milliseconds for 5–10 points, grows with the square of
the length, which for fifty years and 290 municipalities was seconds after every release.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
from scipy import stats

ALPHA = 0.05
MIN_SIDE = 2  # points on each side of the turn, the turn itself not counted
MIN_POINTS = 2 * MIN_SIDE + 1
MAX_POINTS = 20  # the last points searched for a turn: some years, not decades
EXACT_UP_TO = 7  # every ordering of the residuals up to 7 points (7! = 5 040)
SAMPLED = 4999  # orderings drawn for longer series (Joinpoint's default is 4 499)
SEED = 2000  # the draws are the same on every run, so a series gets one p-value
TIE = 1e-9  # relative: a shuffled fit as good as the data's (up to rounding) counts
BATCH = 500  # orderings tried at a time, until the answer is certain


@dataclass(frozen=True)
class Segment:
    """One straight line of the broken line: from ``start`` to ``end`` (periods)."""

    start: str
    end: str
    slope: float  # in the indicator's unit per year
    p_value: float
    direction: str  # increasing | decreasing | flat


@dataclass(frozen=True)
class Turn:
    """The turning-point analysis of a series (its last :data:`MAX_POINTS` points).

    ``period``, ``before`` and ``after`` are set when the bend is significant
    (``p_value`` < 5 %); ``turns`` when, moreover, the direction differs on the two sides.
    """

    points: int
    method: str  # permutation | not_enough_points
    weighted: bool  # least squares weighted by the denominator
    p_value: float | None
    permutations: int  # orderings of the residuals tried, the data's own included (0: the
    # values lie on a straight line, nothing to test)
    turns: bool
    period: str | None = None
    before: Segment | None = None
    after: Segment | None = None


def _bends(t: np.ndarray, root_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The weighted straight line's orthonormal basis, and each allowed turn's bend
    (max(0, t − t_turn), weighted) with the straight line taken out and scaled to length 1:
    a broken line's fit is the straight line's plus that of its bend."""
    q0, _r = np.linalg.qr(np.column_stack([root_w, t * root_w]))
    turns = np.arange(MIN_SIDE, len(t) - MIN_SIDE)
    bends = np.maximum(0.0, t[:, None] - t[turns][None, :]) * root_w[:, None]
    bends -= q0 @ (q0.T @ bends)
    return q0, bends / np.linalg.norm(bends, axis=0)


@functools.lru_cache(maxsize=32)
def _orderings(n: int) -> np.ndarray:
    """Orderings of n residuals, one per row, the data's own (identity) first; the same for
    every series of n points (kept, read-only, for the next one)."""
    if n <= EXACT_UP_TO:
        orders = np.array(list(itertools.permutations(range(n))))
    else:
        rng = np.random.default_rng(SEED)
        drawn = rng.permuted(np.tile(np.arange(n), (SAMPLED, 1)), axis=1)
        orders = np.vstack([np.arange(n), drawn])
    orders.flags.writeable = False
    return orders


def _ratios(q0: np.ndarray, bends: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Per column of ``ys``: the best broken line's residual sum of squares over the
    straight line's (1 where the straight line already fits exactly)."""
    residuals = ys - q0 @ (q0.T @ ys)
    sse0 = (residuals**2).sum(axis=0)
    sse1 = sse0 - ((bends.T @ residuals) ** 2).max(axis=0)
    exact = sse0 <= 1e-12 * (ys**2).sum(axis=0)
    return np.where(exact, 1.0, sse1 / np.where(exact, 1.0, sse0))


def _p_value(
    q0: np.ndarray, bends: np.ndarray, residuals: np.ndarray, orders: np.ndarray
) -> tuple[float, int]:
    """The permutation test's p-value and the number of orderings tried: the share of the
    orderings (the data's own first) whose best broken line bends at least as clearly as the
    data's. They are tried :data:`BATCH` at a time, in their fixed order, and the test stops
    once so many bend as clearly that the p-value over all of them cannot fall below
    :data:`ALPHA`; the p-value is then the share among those tried."""
    as_clear = tried = 0
    data = 0.0
    for start in range(0, len(orders), BATCH):
        ratios = _ratios(q0, bends, residuals[orders[start : start + BATCH]].T)
        if start == 0:
            data = ratios[0] * (1 + TIE) + 1e-15
        as_clear += int(np.count_nonzero(ratios <= data))
        tried += len(ratios)
        if as_clear / len(orders) >= ALPHA:
            break
    return as_clear / tried, tried


def _segment(estimate: float, se: float, df: int, start: str, end: str) -> Segment:
    if se > 0:
        p = float(2 * stats.t.sf(abs(estimate / se), df))
    else:  # the broken line fits exactly
        p = 0.0 if abs(estimate) > 1e-12 else 1.0
    direction = "flat" if p >= ALPHA else ("increasing" if estimate > 0 else "decreasing")
    return Segment(start, end, estimate, p, direction)


def turning_point(
    kind: str,
    series: list[tuple[float | None, float | None, float | None]],
    times: list[float] | None = None,
    periods: list[str] | None = None,
) -> Turn:
    """``series``: (value, numerator, denominator) oldest first; the last :data:`MAX_POINTS`
    with a value are searched.

    ``times`` places the points in time (years as numbers; evenly spaced without it),
    ``periods`` names them (their positions, from 1, without it).
    """
    keep = [i for i, p in enumerate(series) if p[0] is not None][-MAX_POINTS:]
    n = len(keep)
    weighted = kind in ("share", "rate") and n > 0 and all(series[i][2] for i in keep)
    if n < MIN_POINTS:
        return Turn(n, "not_enough_points", weighted, None, 0, False)
    t = np.array([times[i] for i in keep] if times else keep, dtype=float)
    names = [periods[i] if periods else str(i + 1) for i in keep]
    y = np.array([series[i][0] for i in keep], dtype=float)
    w = np.array([series[i][2] for i in keep], dtype=float) if weighted else np.ones(n)
    root_w = np.sqrt(w / w.mean())
    q0, bends = _bends(t, root_w)
    wy = y * root_w
    residuals = wy - q0 @ (q0.T @ wy)
    if (residuals**2).sum() <= 1e-12 * ((wy - wy.mean()) ** 2).sum():
        return Turn(n, "permutation", weighted, 1.0, 0, False)  # a straight line exactly
    p_value, tried = _p_value(q0, bends, residuals, _orderings(n))
    if p_value >= ALPHA:
        return Turn(n, "permutation", weighted, p_value, tried, False)
    k = MIN_SIDE + int(np.argmax((bends.T @ residuals) ** 2))
    x = np.column_stack([np.ones(n), t, np.maximum(0.0, t - t[k])]) * root_w[:, None]
    beta, *_ = np.linalg.lstsq(x, wy, rcond=None)
    df = n - 3
    sigma2 = float(((wy - x @ beta) ** 2).sum()) / df
    cov = sigma2 * np.linalg.inv(x.T @ x)
    slope_after = np.array([0.0, 1.0, 1.0])  # b1 + b2
    before = _segment(float(beta[1]), float(np.sqrt(max(cov[1, 1], 0.0))), df, names[0], names[k])
    after = _segment(
        float(slope_after @ beta),
        float(np.sqrt(max(slope_after @ cov @ slope_after, 0.0))),
        df,
        names[k],
        names[-1],
    )
    return Turn(
        n,
        "permutation",
        weighted,
        p_value,
        tried,
        before.direction != after.direction,
        names[k],
        before,
        after,
    )
