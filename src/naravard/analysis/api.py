"""The indicators as the JSON APIs give them: an indicator's metadata (:class:`IndicatorOut`,
with the periods the caller may see) and the rows of its analysis (:class:`AnalysisRowOut`).

The operations are in ``workspace/api.py`` (signed-in callers: analysts see every stored
period, everyone else the released ones, which only the publication layer knows) and in
``opendata/api.py`` (the public: published periods).
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

from naravard.catalog.catalogue import Indicator


class IndicatorOut(Schema):
    id: str
    name: dict[str, str]
    unit: str
    kind: str
    levels: list[str]
    period_type: str
    direction: str
    source: dict[str, str]
    caveats: list[dict[str, Any]]  # text (sv, en) and the periods it holds for (ISO days or null)
    numerator: dict[str, str] | None
    denominator: dict[str, str] | None
    versions: list[dict[str, Any]]
    periods: list[str]


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def indicator_out(ind: Indicator, shown_periods: list[str]) -> IndicatorOut:
    """An indicator's metadata with the periods shown to the caller (stored, or released)."""
    versions = [
        {
            "valid_from": v.valid_from.isoformat(),
            "valid_to": _iso(v.valid_to),
            "definition": v.definition,
            "target": {
                "value": v.target.value,
                "comparison": v.target.comparison,
                "by": v.target.by.isoformat() if v.target.by else None,
            }
            if v.target
            else None,
        }
        for v in ind.versions
    ]
    caveats = [
        {"text": c.text, "valid_from": _iso(c.valid_from), "valid_to": _iso(c.valid_to)}
        for c in ind.caveats
    ]
    return IndicatorOut(
        id=ind.id,
        name=ind.name,
        unit=ind.unit,
        kind=ind.kind,
        levels=list(ind.levels),
        period_type=ind.period_type,
        direction=ind.direction,
        source=ind.source,
        caveats=caveats,
        numerator=ind.numerator,
        denominator=ind.denominator,
        versions=versions,
        periods=shown_periods,
    )


class TrendOut(Schema):
    points: int
    slope_sign: int  # +1 rising, -1 falling, 0 flat
    p_value: float | None
    direction: str  # increasing | decreasing | no_significant_change | not_enough_points
    judgement: str | None  # getting_better | getting_worse | None


class AnalysisRowOut(Schema):
    """One organisation's (or the nation's, org "00") value with its intervals and judgements."""

    org: str
    name: str
    period: str
    sex: str
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None
    ci_high: float | None
    ci99_low: float | None
    ci99_high: float | None
    vs_national: str | None
    target_reached: bool | None
    suppressed: bool
    rank: int | None
    trend: TrendOut | None
