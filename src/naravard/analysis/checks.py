"""Checks an analyst runs on a period: rule violations and outliers, listed with the values.

Rules come from the catalogue (e.g. book time ≤ show time). Outliers are judged
against the organisation's own history (z-score over at least three earlier
values) and, for shares and rates, against the other regions (the modified
z-score of Iglewicz and Hoaglin, with the median and the median absolute deviation).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from naravard.catalog.catalogue import (
    Indicator,
    PeriodError,
    catalogue,
    get_indicator,
    period_code,
    period_label,
)
from naravard.ingest.models import NATION, IndicatorValue

HISTORY_Z = 3.0
REGIONS_Z = 3.5


@dataclass(frozen=True)
class Finding:
    kind: str  # rule | history | regions
    indicator: str
    org: str
    period: str
    value: float
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.kind:<8} {self.indicator} {self.org} {period_label(self.period, 'en')}: "
            f"{self.value:g} – {self.detail}"
        )


def _values(indicator_id: str, sex: str = "T") -> dict[tuple[str, str], float]:
    return {
        (v.org_code, v.period): v.value
        for v in IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True, sex=sex)
        if v.value is not None
    }


def _period_of(ind: Indicator, period: str) -> str | None:
    """``period`` by the indicator's rule (2022 is 2022-12-31 for a point in time), or None
    when it names no period of the indicator's type."""
    code = period_code(period)
    return ind.normal_period(code) if ind.valid_period(code) else None


def rule_violations(typed: str) -> list[Finding]:
    """Values that break a rule of their indicator (``typed``: the period as the user wrote it)."""
    found = []
    for ind in catalogue().values():
        period = _period_of(ind, typed)
        if not ind.rules or period is None:
            continue
        mine = _values(ind.id)
        for rule in ind.rules:
            other = _values(rule.other)
            for (org, p), value in sorted(mine.items()):
                if p != period or (org, p) not in other:
                    continue
                bad = (
                    value > other[(org, p)]
                    if rule.kind == "not_more_than"
                    else value < other[(org, p)]
                )
                if bad:
                    message = (rule.message or {}).get("en") or f"{rule.kind} {rule.other}"
                    found.append(
                        Finding(
                            "rule",
                            ind.id,
                            org,
                            p,
                            value,
                            f"{message} ({rule.other} = {other[(org, p)]:g})",
                        )
                    )
    return found


def outliers(indicator_id: str, period: str) -> list[Finding]:
    values = _values(indicator_id)
    found = []
    in_period = {org: v for (org, p), v in values.items() if p == period and org != NATION}
    for org, value in sorted(in_period.items()):
        earlier = [v for (o, p), v in sorted(values.items()) if o == org and p < period]
        if len(earlier) >= 3:
            mean, sd = statistics.fmean(earlier), statistics.stdev(earlier)
            if sd > 0 and abs(value - mean) / sd > HISTORY_Z:
                found.append(
                    Finding(
                        "history",
                        indicator_id,
                        org,
                        period,
                        value,
                        f"z = {(value - mean) / sd:.1f} against its own "
                        f"{len(earlier)} earlier values (mean {mean:g})",
                    )
                )
    peers = [v for org, v in in_period.items() if len(org) == 2]
    if len(peers) >= 5 and catalogue()[indicator_id].kind not in ("count", "amount"):
        # counts and amounts grow with the region's size: compare their per-capita versions
        median = statistics.median(peers)
        mad = statistics.median(abs(v - median) for v in peers)
        if mad > 0:
            for org, value in sorted(in_period.items()):
                z = 0.6745 * (value - median) / mad
                if len(org) == 2 and abs(z) > REGIONS_Z:
                    found.append(
                        Finding(
                            "regions",
                            indicator_id,
                            org,
                            period,
                            value,
                            f"modified z = {z:.1f} against the regions (median {median:g})",
                        )
                    )
    return found


def check_period(period: str, indicator_ids: list[str] | None = None) -> list[Finding]:
    """Every rule violation and outlier in ``period`` (all indicators, or the ones named),
    read by each indicator's rule: 2022 is 2022-12-31 for a point in time. Indicators of
    another period type are skipped; a named one the period cannot name is a PeriodError."""
    periods: dict[str, str] = {}
    for indicator_id in indicator_ids or list(catalogue()):
        ind = get_indicator(indicator_id)
        own = _period_of(ind, period)
        if own is not None:
            periods[ind.id] = own
        elif indicator_ids:
            raise PeriodError(ind, period, _stored_periods(ind.id), malformed=True)
    found = [f for f in rule_violations(period) if f.indicator in periods]
    for indicator_id, own in periods.items():
        found += outliers(indicator_id, own)
    return found


def _stored_periods(indicator_id: str) -> list[str]:
    from naravard.analysis.profile import periods

    return periods(indicator_id)
