"""The indicators over the JSON API for signed-in callers (``/api/indicators``): the catalogue,
one indicator's metadata, and the analysis of unpublished values (analysts only).

Which periods a caller sees is decided here, as on the pages: an analyst every stored
period, everyone else (region coordinators, municipality respondents) the released ones
only, in the catalogue and an indicator's metadata alike.
"""

from __future__ import annotations

from ninja import Router
from ninja.errors import HttpError

from naravard.accounts.permissions import Action, has_permission
from naravard.analysis.api import AnalysisRowOut, IndicatorOut, indicator_out
from naravard.analysis.freshness import judge, stored_coverage
from naravard.analysis.profile import contract_rows, periods, profile
from naravard.catalog.catalogue import Indicator, catalogue, get_indicator, period_end
from naravard.core.apischema import errors
from naravard.ingest.models import AgeBand, Sex
from naravard.publish.open_data import public_coverage
from naravard.publish.releases import latest_releases
from naravard.report.models import FollowUp
from naravard.report.newest import public_followup, working_followup

router = Router(tags=["indicators"])


def sees_unreleased(user) -> bool:
    """May ``user`` see periods that are not released (the analysts)?"""
    return has_permission(user, Action.ADMINISTER)


def released() -> dict[str, list[str]]:
    """Every indicator's released periods, in time order (one read for the whole catalogue)."""
    out: dict[str, list[str]] = {}
    for indicator_id, period in latest_releases():
        out.setdefault(indicator_id, []).append(period)
    return {indicator_id: sorted(pers, key=period_end) for indicator_id, pers in out.items()}


def visible_periods(user, indicator_id: str) -> list[str]:
    """The periods of the indicator ``user`` may see: stored (analysts) or released."""
    if sees_unreleased(user):
        return periods(indicator_id)
    return released().get(indicator_id, [])


def followup_for(user) -> FollowUp | None:
    """The follow-up the latest period is judged against: for analysts the newest one (the one
    they prepare), for everyone else the newest published one (report/newest.py)."""
    return working_followup() if sees_unreleased(user) else public_followup()


def metadata(
    ind: Indicator, shown: list[str], followup: FollowUp | None, analyst: bool
) -> IndicatorOut:
    """The metadata with ``shown`` periods, the latest judged against ``followup``, and how
    many areas have a value in it (stored for analysts, released for others)."""
    if not shown:
        return indicator_out(ind, shown)
    latest = shown[-1]
    cover = (
        stored_coverage(ind, latest)
        if analyst
        else [public_coverage(ind.id, latest, level) for level in ind.levels]
    )
    return indicator_out(ind, shown, judge(ind, shown, followup), cover)


@router.get(
    "",
    response={200: list[IndicatorOut], **errors(401)},
    summary="The indicator catalogue (periods: stored for analysts, released for others)",
)
def list_indicators(request):
    """`latest_period` is the latest period the caller sees; `stale` says whether it is older
    than the follow-up expects (analysts: the newest follow-up; others: the newest published
    one; null without one), `coverage` how many areas have a value in it."""
    analyst = sees_unreleased(request.user)
    followup = followup_for(request.user)
    if analyst:
        return [metadata(ind, periods(ind.id), followup, True) for ind in catalogue().values()]
    public = released()
    return [metadata(ind, public.get(ind.id, []), followup, False) for ind in catalogue().values()]


@router.get(
    "/{indicator_id}",
    response={200: IndicatorOut, **errors(401, 404)},
    summary="One indicator's metadata (periods: stored for analysts, released for others)",
)
def get_one(request, indicator_id: str):
    ind = get_indicator(indicator_id)  # an unknown id is a 404
    return metadata(
        ind,
        visible_periods(request.user, ind.id),
        followup_for(request.user),
        sees_unreleased(request.user),
    )


@router.get(
    "/{indicator_id}/analysis",
    response={200: list[AnalysisRowOut], **errors(400, 401, 403, 404)},
    summary="Values with intervals and judgements, released or not (analysts)",
)
def analysis(
    request,
    indicator_id: str,
    period: str | None = None,
    sex: Sex = "T",
    age_band: AgeBand = "total",
):
    """One stored period (the latest if none is given), for one sex (T both, K women, M men)
    and age band."""
    if not sees_unreleased(request.user):
        raise HttpError(403, "the analysis of unpublished data is for analysts")
    ind = get_indicator(indicator_id)  # an unknown id is a 404
    stored = periods(indicator_id)
    if not stored:
        raise HttpError(404, f"no values of {indicator_id} are stored")
    # 2022 is the point 2022-12-31 for a point-in-time indicator; a period not stored is a 404
    period = ind.find_period(period, stored) if period else stored[-1]
    return contract_rows(profile(indicator_id, period, sex, age_band=age_band))
