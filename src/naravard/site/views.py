"""Public pages: one page per region and per municipality, search."""

from __future__ import annotations

from functools import partial

from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from naravard.analysis import wording
from naravard.collect.models import Round
from naravard.core.language import pick
from naravard.presentation import charts
from naravard.publish import initiatives as published_initiatives
from naravard.publish import surveys
from naravard.publish.kept import kept, of_surveys
from naravard.publish.open_data import public_indicators
from naravard.qualitative import link
from naravard.refdata import geometry
from naravard.refdata import population as pop
from naravard.refdata.models import Municipality, Region
from naravard.refdata.resolve import AmbiguousName, Resolver, UnknownName
from naravard.report.views import in_page_language
from naravard.site import downloads, find
from naravard.site.statistics_views import (
    area_history,
    area_rows,
    download_format,
    history_table,
    org_indicators,
    sheet_links,
    tartan,
)


def regions(request):
    """All 21 regions on a map and in a table, with their population."""
    year = pop.latest_year("region")
    totals = pop.totals("region", year)
    all_regions = list(
        Region.objects.annotate(n_municipalities=Count("municipalities")).order_by("code")
    )
    rows = [{"region": r, "population": totals.get(r.code)} for r in all_regions]
    indicators = tartan(all_regions)
    return render(
        request,
        "site/regions.html",
        {
            "regions": rows,
            "year": year,
            "national_population": sum(totals.values()) if totals else None,
            "map": geometry.svg_map("region", width=360),
            "tartan": indicators,
            "tartan_categories": [
                (c, charts.judgement_label(c))
                for c in charts.NATION_JUDGEMENTS
                if any(cat == c for item in indicators for _r, _v, cat in item["cells"])
            ],
        },
    )


def region(request, code: str):
    """A region's indicators against the nation and the target, its municipalities and their
    survey results, its status-report initiatives, reference facts and population."""
    obj = get_object_or_404(Region, code=code)
    year = pop.latest_year("municipality")
    totals = pop.totals("municipality", year)
    municipalities = [
        {"municipality": m, "population": totals.get(m.code)} for m in obj.municipalities.all()
    ]
    indicators = org_indicators(obj.code, "region", obj.name)
    indicators["table_downloads"] = sheet_links(
        reverse("publish:region-download", args=[obj.code, "csv"])
    )
    indicators["history_downloads"] = sheet_links(
        reverse("publish:region-history-download", args=[obj.code, "csv"])
    )
    return render(
        request,
        "site/region.html",
        {
            "region": obj,
            "municipalities": municipalities,
            "municipality_year": year,
            **_population_context(obj),
            "map": geometry.svg_map("municipality", [m.code for m in obj.municipalities.all()]),
            **indicators,
            **theme_links(obj.code, indicators["indicator_rows"]),
            "surveys": county_surveys(obj),
            **county_initiatives(obj),
            "min_responses": surveys.MIN_RESPONSES,
            "reports": [
                (
                    r,
                    reverse("report:html", args=[r.followup.name]) + f"#region-{obj.code}",
                    r.followup.title(r.lang),
                )
                for r in in_page_language()
            ],
        },
    )


def theme_links(code: str, indicator_rows: list[dict]) -> dict:
    """The region's coded initiatives per theme, from its latest published status report,
    beside that theme's published indicators with their comparison and trend in words."""
    round_id = link.latest_published_round(code)
    rows = {r["ind"].id: r for r in indicator_rows}
    out = []
    for t in link.region_themes(code, round_id):
        shown = [
            (rows[i.id], wording.assessment(rows[i.id]["row"]))
            for i in t.indicators
            if i.id in rows
        ]
        out.append((t, shown))
    return {"theme_links": out, "theme_round": Round.objects.get(pk=round_id) if round_id else None}


def county_initiatives(region: Region) -> dict:
    """The region's initiatives from its published status reports, by development area and
    stage and from one report to the next, with their charts; kept until they change."""
    return kept(
        of_surveys(),
        ("initiatives", region.code),
        lambda: {
            "status_reports": [
                _with_stage_chart(r, region.name) for r in surveys.region_initiatives(region.code)
            ],
            "initiative_transitions": [
                _with_transition_chart(t, region.name)
                for t in published_initiatives.region_transitions(region.code)
            ],
        },
    )


ANSWER_COLOURS = ["#2c6fbb", "#e08214", "#7f7f7f", "#9e9ac8", "#66a61e", "#a6761d", "#e7298a"]


def county_surveys(region: Region) -> list[surveys.SurveyComparison]:
    """Each published municipal survey, the county's municipalities against the nation, with
    its chart; kept until the surveys change."""
    return kept(of_surveys(), ("county", region.code), partial(_county_surveys, region))


def _county_surveys(region: Region) -> list[surveys.SurveyComparison]:
    codes = [m.code for m in region.municipalities.all()]
    return [_with_survey_chart(c, region.county_name) for c in surveys.county_survey_results(codes)]


def _with_survey_chart(comparison: surveys.SurveyComparison, county: str):
    """The county's answers per closed question as stacked shares."""
    rows = [
        {"label": item.short, "option": label, "percent": mine, "order": i}
        for item in comparison.items
        if not item.hidden
        for i, (code, label, mine, nation) in enumerate(item.options)
        if mine is not None
    ]
    comparison.spec = (
        charts.stacked_shares(
            rows,
            _("Svaren från kommunerna i %(county)s, procent per fråga") % {"county": county},
            ANSWER_COLOURS,
        )
        if rows
        else None
    )
    return comparison


def _with_stage_chart(report: surveys.StatusReport, name: str):
    """Initiatives per development area, stacked by stage."""
    labels = dict(report.stages)
    rows = [
        {"label": area, "option": labels[code], "percent": n, "order": i}
        for area, counts in report.areas
        for i, (code, n) in enumerate(counts.items())
        if n
    ]
    report.spec = (
        charts.stacked_counts(
            rows,
            _("%(name)s: insatser per utvecklingsområde och skede") % {"name": name},
            list(charts.STAGE_COLOURS),
        )
        if rows
        else None
    )
    return report


def _with_transition_chart(report: published_initiatives.RegionTransitions, name: str):
    """The region's initiatives by their stage in the round before and now."""
    cells = report.cells()
    report.spec = (
        charts.transition_matrix(
            cells,
            _("%(name)s: insatsernas skeden i %(before)s och i %(now)s")
            % {"name": name, "before": report.previous.title, "now": report.round.title},
        )
        if cells
        else None
    )
    return report


def municipality(request, code: str):
    """A municipality's published indicators against the nation, reference facts and
    population; its place in the county."""
    obj = get_object_or_404(Municipality.objects.select_related("region"), code=code)
    indicators = org_indicators(obj.code, "municipality", obj.name)
    indicators["table_downloads"] = sheet_links(
        reverse("publish:municipality-download", args=[obj.code, "csv"])
    )
    indicators["history_downloads"] = sheet_links(
        reverse("publish:municipality-history-download", args=[obj.code, "csv"])
    )
    group = indicators["group"]
    return render(
        request,
        "site/municipality.html",
        {
            "municipality": obj,
            **_population_context(obj),
            "map": geometry.svg_map(
                "municipality", [m.code for m in obj.region.municipalities.all()], width=300
            ),
            **indicators,
            "group_members": list(
                Municipality.objects.filter(code__in=group.members).order_by("name")
            )
            if group
            else [],
        },
    )


def region_download(request, code: str, fmt: str, history: bool = False):
    """The region page's indicator table, or with ``history`` its indicators over every
    published period, as a file for people (site/downloads.py)."""
    obj = get_object_or_404(Region, code=code)
    return _area_download(request, obj.code, "region", obj.name, "publish:region", fmt, history)


def municipality_download(request, code: str, fmt: str, history: bool = False):
    """The municipality page's indicator table, or with ``history`` its indicators over
    every published period, as a file for people (site/downloads.py)."""
    obj = get_object_or_404(Municipality, code=code)
    return _area_download(
        request, obj.code, "municipality", obj.name, "publish:municipality", fmt, history
    )


def _area_download(request, code: str, level: str, name: str, page: str, fmt: str, history: bool):
    fmt = download_format(fmt)
    area = area_rows(code, level)
    page_url = request.build_absolute_uri(reverse(page, args=[code]))
    if history:
        table = history_table(
            area_history(area, code, level, name, recent=False), name, area["group_name"]
        )
        sheet = downloads.area_history_sheet(
            code,
            name,
            table["history_table"],
            area["group_name"],
            table["history_notes"],
            page_url,
        )
    else:
        sheet = downloads.area_sheet(
            code, name, area["indicator_rows"], area["group_name"], page_url
        )
    return downloads.response(sheet, fmt)


def _population_context(org) -> dict:
    """Population trend (with year-on-year change) and age pyramid for a page."""
    series = pop.series(org)
    year = pop.latest_age_year(org)
    rows = []
    for prev, cur in zip([None, *series], series, strict=False):  # each year and the one before
        change: int | None = None
        change_pct: float | None = None
        if prev is not None:
            change = cur.total - prev.total
            change_pct = 100 * change / prev.total
        rows.append(
            {
                "year": cur.year,
                "total": cur.total,
                "men": cur.men,
                "women": cur.women,
                "change": change,
                "change_pct": change_pct,
            }
        )
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
            {
                "band": b,
                "men_pct": round(100 * b.men / widest, 1),
                "women_pct": round(100 * b.women / widest, 1),
            }
            for b in reversed(bands)
        ],
    }


def search(request):
    """Find indicators by the words people use for them (site/find.py), and a region or
    municipality by any of its names or codes. A query that names one place and no indicator
    goes straight to the place's page."""
    query = request.GET.get("q", "").strip()
    if not query:
        return render(request, "site/search.html", {"query": query})
    if len(query) > 100:
        return render(
            request,
            "site/search.html",
            {
                "query": query[:100],
                "error": _("Sökningen är för lång."),
            },
            status=400,
        )
    found = find.indicators(query, [pub.indicator for pub in public_indicators()])
    themes = find.themes(query)
    place, candidates, error, status = None, [], "", 200
    try:
        place = Resolver.default().resolve(query)
    except AmbiguousName as exc:
        candidates, error = exc.places, _("Namnet passar flera: välj en.")
    except UnknownName as exc:
        if not found and not themes:  # the places it resembles, not beside what answers it
            candidates, error = exc.places, _("Ingen indikator, region eller kommun heter så.")
            status = 404
    if place is not None and not found and not themes:
        target = "publish:region" if place.level == "region" else "publish:municipality"
        return redirect(target, code=place.code)
    return render(
        request,
        "site/search.html",
        {
            "query": query,
            "indicators": [(ind, pick(ind.name)) for ind in found],
            "themes": [(t, pick(t.name)) for t in themes],
            "place": place,
            "candidates": candidates,
            "error": error,
        },
        status=status,
    )


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, for browsers and tools that ask for it without reading the page's link."""
    from django.contrib.staticfiles import finders

    path = finders.find("naravard/favicon.ico")
    if path is None:  # the static files lack it
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
