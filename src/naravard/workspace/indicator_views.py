"""Analyst pages for indicators: the catalogue with the latest values, and one indicator's analysis."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from naravard.accounts.permissions import analyst_view
from naravard.analysis.checks import check_period
from naravard.analysis.profile import periods, profile
from naravard.catalog.catalogue import CatalogueError, catalogue, get_indicator
from naravard.core.language import pick
from naravard.ingest.models import AGE_BANDS


@analyst_view
def indicator_list(request):
    rows = []
    for ind in catalogue().values():
        stored = periods(ind.id)
        latest = profile(ind.id, stored[-1], trends=False) if stored else None
        rows.append(
            {
                "ind": ind,
                "name": pick(ind.name),
                "periods": stored,
                "profile": latest,
                "target": ind.versions[-1].target,
            }
        )
    return render(request, "indicators/list.html", {"rows": rows})


@analyst_view
def indicator_detail(request, indicator_id: str):
    try:
        ind = get_indicator(indicator_id)
    except CatalogueError:
        raise Http404 from None
    stored = periods(ind.id)
    # one rule: ?period=2022 is 2022-12-31 for a point in time; a period not stored is a
    # PeriodError, the 404 page naming the stored ones (presentation/errors.py)
    period = (
        ind.find_period(request.GET["period"], stored)
        if request.GET.get("period")
        else (stored[-1] if stored else None)
    )
    sex = request.GET.get("kon", "T")
    age = request.GET.get("alder", "total")
    if sex not in ("T", "K", "M") or age not in AGE_BANDS:
        raise Http404
    p = profile(ind.id, period, sex, age_band=age) if period else None
    version = ind.version_at(period) if period else ind.versions[-1]
    findings = check_period(period, [ind.id]) if period else []
    return render(
        request,
        "indicators/detail.html",
        {
            "ind": ind,
            "p": p,
            "periods": stored,
            "period": period,
            "sex": sex,
            "age": age,
            "age_bands": AGE_BANDS,
            "version": version,
            "findings": findings,
            "name": pick(ind.name),
        },
    )
