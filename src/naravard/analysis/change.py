"""An area's change since the previous published period, and whether it is significant.

The difference of the two values with its 95 % interval, the two periods taken as
independent samples:

* a share: Newcombe's hybrid score interval for the difference of two proportions
  (statsmodels ``confint_proportions_2indep(method="newcomb", compare="diff")``), the
  method the survey comparisons use (analysis/round_change.py);
* a rate: the score interval for the difference of two Poisson rates (statsmodels
  ``confint_poisson_2indep(method="score", compare="diff")``).

The change is significant when the interval leaves out zero. Counts and amounts, indicators
without intervals (every unit counted, nothing sampled) and values without their counts are
not tested: their change is given without a judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.rates import confint_poisson_2indep

from naravard.analysis.profile import OrgResult
from naravard.catalog.catalogue import Indicator

LEVEL = 0.95


@dataclass(frozen=True)
class Change:
    """The later value minus the earlier in the indicator's unit (percentage points for a
    share), with its 95 % interval (None when not tested)."""

    difference: float
    low: float | None = None
    high: float | None = None

    @property
    def tested(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def direction(self) -> str:
        """'increase' or 'decrease' when significant, 'none' when not, 'untested'."""
        if not self.tested:
            return "untested"
        assert self.low is not None and self.high is not None
        if self.low > 0:
            return "increase"
        if self.high < 0:
            return "decrease"
        return "none"

    def words(self) -> str:
        """The judgement in words ('' when not tested)."""
        return {
            "increase": _("signifikant ökning"),
            "decrease": _("signifikant minskning"),
            "none": _("ingen signifikant förändring"),
        }.get(self.direction, "")


def _counts(row: OrgResult) -> tuple[float, float] | None:
    if row.numerator is None or not row.denominator:
        return None
    return row.numerator, row.denominator


def change(ind: Indicator, now: OrgResult, before: OrgResult) -> Change | None:
    """The change from ``before`` to ``now`` (None when either has no value)."""
    if now.value is None or before.value is None:
        return None
    difference = now.value - before.value
    counts_now, counts_before = _counts(now), _counts(before)
    if not ind.has_interval or counts_now is None or counts_before is None:
        return Change(difference)
    (n1, d1), (n2, d2) = counts_now, counts_before
    if ind.kind == "share":
        low, high = confint_proportions_2indep(
            n1, d1, n2, d2, method="newcomb", compare="diff", alpha=1 - LEVEL
        )
    elif ind.kind == "rate":
        low, high = confint_poisson_2indep(
            n1, d1, n2, d2, method="score", compare="diff", alpha=1 - LEVEL
        )
    else:
        return Change(difference)
    return Change(difference, low * ind.scale, high * ind.scale)


def changes(ind: Indicator, now: list[OrgResult], before: list[OrgResult]) -> dict[str, Change]:
    """Each area's change between two periods' rows, by area code."""
    earlier = {r.org: r for r in before}
    out = {}
    for row in now:
        found = change(ind, row, earlier[row.org]) if row.org in earlier else None
        if found is not None:
            out[row.org] = found
    return out
