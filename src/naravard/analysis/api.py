"""Indicators over the JSON API: the catalogue, and the analysis per indicator and period."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from naravard.accounts.permissions import Action, has_permission
from naravard.analysis.profile import contract_rows, periods, profile
from naravard.catalog.catalogue import catalogue, get_indicator
from naravard.ingest.models import AGE_BANDS

router = Router(tags=["indicators"])


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


def indicator_out(ind, shown_periods: list[str] | None = None) -> IndicatorOut:
    """An indicator's metadata with its stored periods (or the ones given, e.g. published)."""
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
        periods=periods(ind.id) if shown_periods is None else shown_periods,
    )


@router.get("", response=list[IndicatorOut], summary="The indicator catalogue")
def list_indicators(request):
    return [indicator_out(ind) for ind in catalogue().values()]


@router.get("/{indicator_id}", response=IndicatorOut, summary="One indicator's metadata")
def get_one(request, indicator_id: str):
    return indicator_out(get_indicator(indicator_id))  # an unknown id is a 404


@router.get("/{indicator_id}/analysis", summary="Values with intervals and judgements (analysts)")
def analysis(
    request, indicator_id: str, period: str | None = None, sex: str = "T", age_band: str = "total"
):
    if not has_permission(request.user, Action.ADMINISTER):
        raise HttpError(403, "the analysis of unpublished data is for analysts")
    ind = get_indicator(indicator_id)  # an unknown id is a 404
    stored = periods(indicator_id)
    if not stored:
        raise HttpError(404, f"no values of {indicator_id} are stored")
    # 2022 is the point 2022-12-31 for a point-in-time indicator; a period not stored is a 404
    period = ind.find_period(period, stored) if period else stored[-1]
    if sex not in ("T", "K", "M") or age_band not in AGE_BANDS:
        raise HttpError(404, f"no values for period {period}, sex {sex}, age band {age_band}")
    return contract_rows(profile(indicator_id, period, sex, age_band=age_band))
