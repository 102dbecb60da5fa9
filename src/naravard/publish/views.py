"""Public pages: home with all regions, one page per region and per municipality, search."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from naravard.refdata import geometry
from naravard.refdata import population as pop
from naravard.refdata.models import Municipality, Region
from naravard.refdata.resolve import AmbiguousName, Resolver, UnknownName


def home(request):
    """All 21 regions on a map and in a table, with their population."""
    year = pop.latest_year("region")
    totals = pop.totals("region", year)
    regions = [
        {"region": r, "population": totals.get(r.code)}
        for r in Region.objects.annotate(n_municipalities=Count("municipalities"))
    ]
    return render(request, "publish/home.html", {
        "regions": regions,
        "year": year,
        "national_population": sum(totals.values()) if totals else None,
        "map": geometry.svg_map("region", width=360),
    })


def region(request, code: str):
    """A region's reference facts, population trend and municipalities."""
    obj = get_object_or_404(Region, code=code)
    year = pop.latest_year("municipality")
    totals = pop.totals("municipality", year)
    municipalities = [
        {"municipality": m, "population": totals.get(m.code)} for m in obj.municipalities.all()
    ]
    return render(request, "publish/region.html", {
        "region": obj,
        "municipalities": municipalities,
        "municipality_year": year,
        **_population_context(obj),
        "map": geometry.svg_map("municipality", [m.code for m in obj.municipalities.all()]),
    })


def municipality(request, code: str):
    """A municipality's reference facts and population; its place in the county."""
    obj = get_object_or_404(Municipality.objects.select_related("region"), code=code)
    return render(request, "publish/municipality.html", {
        "municipality": obj,
        **_population_context(obj),
        "map": geometry.svg_map("municipality", [m.code for m in obj.region.municipalities.all()],
                                width=300),
    })


def _population_context(org) -> dict:
    """Population trend (with year-on-year change) and age pyramid for a page."""
    series = pop.series(org)
    year = pop.latest_age_year(org)
    rows = []
    for prev, cur in zip([None, *series], series):
        change = None if prev is None else cur.total - prev.total
        rows.append({"year": cur.year, "total": cur.total, "men": cur.men, "women": cur.women,
                     "change": change,
                     "change_pct": None if prev is None else 100 * change / prev.total})
    trend_points = ""
    if len(series) > 1:
        lo, hi = min(y.total for y in series), max(y.total for y in series)
        span_y, span_x = (hi - lo) or 1, series[-1].year - series[0].year
        trend_points = " ".join(
            f"{200 * (y.year - series[0].year) / span_x:.1f},{45 - 40 * (y.total - lo) / span_y:.1f}"
            for y in series
        )
    bands = pop.by_age(org, year) if year else []
    widest = max((max(b.men, b.women) for b in bands), default=0) or 1
    return {
        "year": year,
        "series": rows,
        "trend_points": trend_points,
        "latest": series[-1] if series else None,
        "bands": [
            {"band": b, "men_pct": round(100 * b.men / widest, 1),
             "women_pct": round(100 * b.women / widest, 1)}
            for b in reversed(bands)
        ],
    }


def search(request):
    """Find a region or municipality by any of its names or codes."""
    query = request.GET.get("q", "").strip()
    if not query:
        return render(request, "publish/search.html", {"query": query})
    if len(query) > 100:
        return render(request, "publish/search.html", {
            "query": query[:100], "error": _("Sökningen är för lång."),
        }, status=400)
    try:
        place = Resolver.default().resolve(query)
    except AmbiguousName as exc:
        return render(request, "publish/search.html", {
            "query": query, "candidates": exc.places,
            "error": _("Namnet passar flera: välj en."),
        })
    except UnknownName as exc:
        return render(request, "publish/search.html", {
            "query": query, "candidates": exc.places,
            "error": _("Ingen region eller kommun heter så."),
        }, status=404)
    target = "publish:region" if place.level == "region" else "publish:municipality"
    return redirect(target, code=place.code)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)
