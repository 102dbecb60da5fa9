"""The indicators as the JSON APIs give them: an indicator's metadata (:class:`IndicatorOut`,
with the periods the caller may see) and the rows of its analysis (:class:`AnalysisRowOut`).

The operations are in ``workspace/api.py`` (signed-in callers: analysts see every stored
period, everyone else the released ones, which only the publication layer knows) and in
``opendata/api.py`` (the public: published periods).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ninja import Schema

from naravard.analysis.freshness import LANGUAGES, Coverage, Freshness
from naravard.catalog.catalogue import Indicator, period_label


class FollowUpRefOut(Schema):
    """The follow-up the latest period is judged against."""

    name: str
    data_until: str


class CoverageOut(Schema):
    """How many regions (or municipalities) have a value in a period, of how many there are;
    `text`: "12 av 21 regioner har rapporterat för 2022" and its English."""

    level: str
    period: str
    reported: int
    total: int
    partial: bool
    text: dict[str, str]


class BreakOut(Schema):
    """A break in the indicator's series (`reason` in sv and en)."""

    period: str
    reason: dict[str, str]


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
    # the latest of `periods`, judged against a follow-up (analysis/freshness.py): `stale` is
    # true when it is older than the follow-up expects, and its label then reads "senaste
    # tillgängliga: mars 2020"; null without a period, `stale` null without a follow-up
    latest_period: str | None = None
    latest_period_label: dict[str, str] | None = None
    stale: bool | None = None
    followup: FollowUpRefOut | None = None
    # how many areas have a value in the latest period, at each of the indicator's levels
    coverage: list[CoverageOut] = []
    # where the series breaks: values from `period` on cannot be compared with earlier ones
    breaks: list[BreakOut] = []


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def indicator_out(
    ind: Indicator,
    shown_periods: list[str],
    freshness: Freshness | None = None,
    coverage: Sequence[Coverage] = (),
) -> IndicatorOut:
    """An indicator's metadata with the periods shown to the caller (stored, or released), the
    latest of them judged against a follow-up (``freshness``) and its ``coverage``."""
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
        latest_period=shown_periods[-1] if shown_periods else None,
        latest_period_label=(
            freshness.labels()
            if freshness is not None
            else {lang: period_label(shown_periods[-1], lang) for lang in LANGUAGES}
            if shown_periods
            else None
        ),
        stale=freshness.stale if freshness is not None else None,
        followup=FollowUpRefOut(
            name=freshness.followup, data_until=freshness.data_until.isoformat()
        )
        if freshness is not None
        else None,
        coverage=[CoverageOut(**c.as_dict()) for c in coverage],
        breaks=[BreakOut(period=b.period, reason=b.reason) for b in ind.breaks],
    )


class SegmentOut(Schema):
    """One line of a turning series: from one period to another (both included)."""

    start: str
    end: str
    slope: float  # in the indicator's unit per year
    p_value: float
    direction: str  # increasing | decreasing | flat


class TurnOut(Schema):
    """The turning-point analysis of the whole series (``analysis/turning.py``)."""

    points: int
    method: str  # permutation | not_enough_points
    weighted: bool  # least squares weighted by the denominator
    p_value: float | None  # of the permutation test: a turn against a straight line
    permutations: int
    turns: bool  # a significant turn with a different direction on its two sides
    period: str | None  # the turn, when significant
    before: SegmentOut | None
    after: SegmentOut | None
    words: str  # the turn in the request's language ('' when it does not turn)


class TrendOut(Schema):
    points: int
    slope_sign: int  # +1 rising, -1 falling, 0 flat
    p_value: float | None
    direction: str  # increasing | decreasing | no_significant_change | not_enough_points
    judgement: str | None  # getting_better | getting_worse | None
    turn: TurnOut | None = None
    words: str = ""  # the trend in words: the turn when it turns, else the last points' test
    # the break in the series the trend starts at (catalog/breaks.py): earlier values left out
    since_break: str | None = None


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
