"""Public statistics pages: the national overview, one page per indicator, the comparison.

Everything shown is published (read through :mod:`naravard.publish.open_data`); each
chart is a Vega-Lite spec served with the page, and each has a table with its numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naravard.analysis import change
from naravard.analysis.freshness import judge
from naravard.analysis.profile import OrgResult, Profile
from naravard.analysis.spread import spread
from naravard.catalog.catalogue import Indicator, get_indicator, period_end, period_label
from naravard.core.language import pick
from naravard.ingest.models import AGE_BANDS, NATION
from naravard.presentation import answers, charts
from naravard.presentation.breaknotes import BreakNotes
from naravard.publish.calendar import calendar, next_planned
from naravard.publish.kept import kept, of_all_indicators, of_indicator
from naravard.publish.open_data import (
    NotPublished,
    public_coverage,
    public_groups,
    public_indicator,
    public_indicators,
    public_profile,
    public_revisions,
    public_series,
)
from naravard.publish.releases import latest_releases, releases_of
from naravard.refdata import files, geometry, groupings
from naravard.refdata.models import Municipality, Region
from naravard.report.models import FollowUp
from naravard.report.newest import public_followup
from naravard.site import downloads, theme_views

MAX_COMPARED_INDICATORS = 8
MAX_COMPARED_AREAS = 12  # as many as the over-time chart has colours (charts.AREA_COLOURS)
OVERVIEW_POINTS = 12  # the overview's small trend shows at most the last twelve periods
AREA_HISTORY_YEARS = 10  # a region's or municipality's page charts the last ten years
SEXES = (("T", "Totalt"), ("K", "Kvinnor"), ("M", "Män"))
# how the map and the ranking are coloured (charts.shading), as the address names it
COLOURINGS = {"mal": "target", "riket": "nation", "femtedelar": "value"}


def _colouring_choices(p) -> list[tuple[str, str]]:
    """The colourings the indicator's profile allows, each with its label."""
    labels = {
        "target": _("Målet"),
        "nation": _("Jämfört med riket"),
        "value": _("Femtedelar av värdena"),
    }
    bases = charts.shading_bases(p)
    return [(code, labels[basis]) for code, basis in COLOURINGS.items() if basis in bases]


def _sex_choices() -> list[tuple[str, str]]:
    return [(code, _(label)) for code, label in SEXES]


def national_points(series) -> list[dict]:
    return [
        {"period": p.period, "value": p.national.value}
        for p in series
        if p.national is not None and p.national.value is not None
    ]


def overview(request):
    """Each published indicator: its latest national value against the target, how many
    regions reached the target, and a small national trend."""
    return render(
        request,
        "site/overview.html",
        {
            "sections": theme_views.by_theme(overview_cards()),
            "regions": Region.objects.order_by("code"),
            "map": geometry.svg_map("region", width=300),
        },
    )


def overview_cards() -> list[dict]:
    """The overview's card of each published regional indicator, in the active language."""
    cards = []
    followup = public_followup()
    for pub in public_indicators():
        ind = pub.indicator
        if "region" not in ind.levels:
            continue
        series = public_series(ind.id)
        latest = series[-1]
        points = national_points(series)[-OVERVIEW_POINTS:]
        name = pick(ind.name)
        fresh = judge(ind, pub.periods, followup)
        cover = public_coverage(ind.id, latest.period)
        notes = BreakNotes(f"spark-{ind.id}")
        marks = notes.marks(ind, [pt["period"] for pt in points])
        cards.append(
            {
                "ind": ind,
                "name": name,
                "p": latest,
                "stale": fresh.label() if fresh is not None and fresh.stale else None,
                "coverage": cover if cover.partial else None,
                "points": [{**pt, "mark": marks.get(pt["period"])} for pt in points],
                "break_notes": notes.notes,
                "spark": kept(
                    of_indicator(ind.id),
                    ("sparkline",),
                    partial(
                        charts.sparkline,
                        ind,
                        points,
                        _("Rikets värde per period: %(name)s") % {"name": name},
                    ),
                )
                if len(points) > 1
                else None,
            }
        )
    return cards


def _choice(request, key: str, allowed, default: str) -> str:
    value = request.GET.get(key) or default
    if value not in allowed:
        raise Http404(f"{key}={value!r}")
    return value


def _download_links(indicator_id: str, period: str, level: str, sex: str, age: str) -> list:
    """The indicator page's table for Excel (site/downloads.py), then machine-readable from
    the open API."""
    query = urlencode({"period": period, "niva": level, "kon": sex, "alder": age})
    api = f"/api/open/indicators/{indicator_id}/values?"
    api_query = {"period": period, "level": level, "sex": sex, "age_band": age}
    return [
        *sheet_links(reverse("publish:indicator-download", args=[indicator_id, "csv"]), query),
        (_("CSV, maskinläsbar"), api + urlencode({**api_query, "format": "csv"})),
        (_("JSON"), api + urlencode(api_query)),
    ]


def sheet_links(url_csv: str, query: str = "") -> list[tuple[str, str]]:
    """The two files for people of a page's table (site/downloads.py): CSV for Excel, XLSX."""
    url_xlsx = url_csv.removesuffix(".csv") + ".xlsx"
    suffix = f"?{query}" if query else ""
    return [(_("För Excel (CSV)"), url_csv + suffix), (_("Excel (XLSX)"), url_xlsx + suffix)]


def download_format(fmt: str) -> str:
    """The file format asked for in a download's address (a 404 for another)."""
    if fmt not in downloads.FORMATS:
        raise Http404(f"format {fmt!r}")
    return fmt


def _indicator_view(request, indicator_id: str):
    """What the indicator page's address chooses: the indicator, its published periods, and
    the period, sex, age band and level (a 404 for a choice there is not)."""
    try:
        pub_periods = public_indicator(indicator_id).periods
    except NotPublished:
        raise Http404 from None
    ind = get_indicator(indicator_id)
    levels = [lvl for lvl in ("region", "municipality") if lvl in ind.levels]
    # one rule: ?period=2022 is 2022-12-31 for a point in time; a period not published is
    # a PeriodError, the 404 page naming the published ones (presentation/errors.py)
    period = (
        ind.find_period(request.GET["period"], pub_periods, published=True)
        if request.GET.get("period")
        else pub_periods[-1]
    )
    sex = _choice(request, "kon", dict(SEXES), "T")
    age = _choice(request, "alder", AGE_BANDS, "total")
    level = _choice(request, "niva", levels, levels[0])
    return ind, pub_periods, period, sex, age, level, levels


def indicator_download(request, indicator_id: str, fmt: str):
    """The indicator page's table as a file for people (site/downloads.py)."""
    fmt = download_format(fmt)
    ind, _periods, period, sex, age, level, _levels = _indicator_view(request, indicator_id)
    try:
        p = public_profile(ind.id, period, sex, level, age, trends=False)
    except NotPublished:
        raise Http404 from None
    page = request.build_absolute_uri(
        reverse("publish:indicator", args=[ind.id])
        + "?"
        + urlencode({"period": period, "niva": level, "kon": sex, "alder": age})
    )
    release = latest_releases(ind.id).get((ind.id, period))
    revised = public_revisions(ind.id, period, sex, age)
    sheet = downloads.indicator_sheet(p, level, age, page, release, revised)
    return downloads.response(sheet, fmt)


def indicator(request, indicator_id: str):
    """One indicator: map, ranking with intervals, trends per region, table, definition,
    downloads; period, sex, age band and level chosen in a form that needs no JavaScript.
    The page's content is kept per view until the indicator's releases or the published
    follow-up change: a release of another indicator leaves it as it is."""
    ind, pub_periods, period, sex, age, level, levels = _indicator_view(request, indicator_id)
    try:
        p = public_profile(ind.id, period, sex, level, age)
    except NotPublished:
        raise Http404 from None
    if not p.rows and p.national is None:
        raise Http404
    colourings = _colouring_choices(p)
    colouring = _choice(request, "farg", dict(colourings), colourings[0][0])
    followup = public_followup()
    content = kept(
        (
            of_indicator(ind.id),
            (followup.pk, followup.name, followup.data_until) if followup else None,
        ),
        ("page", period, sex, age, level, colouring),
        lambda: render_to_string(
            "site/_indicator_content.html",
            indicator_content(ind, pub_periods, p, age, level, levels, colouring, followup),
        ),
    )
    return render(request, "site/indicator.html", {"name": pick(ind.name), "content": content})


def indicator_content(
    ind: Indicator,
    pub_periods: list[str],
    p: Profile,
    age: str,
    level: str,
    levels: list[str],
    colouring: str,
    followup: FollowUp | None,
) -> dict:
    """What the indicator page shows of the profile ``p`` (its period and sex; ``age``: its
    age band) at ``level``, coloured by ``colouring``, judged against the published
    ``followup``."""
    period, sex = p.period, p.sex
    colourings = _colouring_choices(p)
    shade = charts.shading(p, COLOURINGS[colouring])
    name = pick(ind.name)
    svg = geometry.svg_map(level, width=300)
    series = []
    for q in public_series(ind.id, "region", sex, age):
        series += [
            {"name": r.name, "period": q.period, "value": r.value}
            for r in q.rows
            if r.value is not None
        ]
        if q.national is not None and q.national.value is not None:
            series.append({"name": _("Riket"), "period": q.period, "value": q.national.value})
    place = _("regioner") if level == "region" else _("kommuner")
    release = latest_releases(ind.id).get((ind.id, period))
    # the latest published period, older than the newest published follow-up expects, is
    # said to be the latest available, never shown as current (analysis/freshness.py)
    fresh = judge(ind, pub_periods, followup)
    stale = fresh if fresh is not None and fresh.stale and period == fresh.period else None
    when = stale.label() if stale else period_label(period)
    cover = public_coverage(ind.id, period, level, sex, age)
    revised = public_revisions(ind.id, period, sex, age)
    earlier = pub_periods[: pub_periods.index(period)]
    before = public_profile(ind.id, earlier[-1], sex, level, age, trends=False) if earlier else None
    made_from = of_indicator(ind.id)
    view = (period, sex, age, level, colouring)
    return {
        "ind": ind,
        "name": name,
        "p": p,
        "period": period,
        "periods": pub_periods,
        "sex": sex,
        "sexes": _sex_choices(),
        "age": age,
        "age_bands": AGE_BANDS,
        "level": level,
        "levels": levels,
        "colouring": colouring,
        "colourings": colourings,
        "shade": shade,
        "answers": answers.answers(p, level),
        "revised": revised,
        "revision_notes": sorted({(r.revised_on, r.reason) for r in revised.values()}),
        "previous": before.period if before else None,
        "changes": change.changes(ind, p.rows, before.rows) if before else {},
        "national_change": change.change(ind, p.national, before.national)
        if before and p.national and before.national
        else None,
        "version": ind.version_at(period),
        "release": release,
        "stale": stale,
        "followup": followup,
        "coverage": cover if cover.partial else None,
        "downloads": _download_links(ind.id, period, level, sex, age),
        "shapes": charts.svg_fallback(svg, p, shade),
        "svg": svg,
        "map_spec": kept(
            made_from,
            ("map", *view, when),
            lambda: charts.choropleth(
                p,
                reverse("publish:boundaries", args=[level]),
                _("Karta: %(name)s per %(place)s, %(period)s")
                % {"name": name, "place": place, "period": when},
                shade,
            ),
        ),
        "bars_spec": kept(
            made_from,
            ("bars", *view, when),
            lambda: charts.ranked_bars(
                p,
                _(
                    "%(Places)s rangordnade med 95 %% "
                    "konfidensintervall, riket och målet: "
                    "%(name)s, %(period)s"
                )
                % {"Places": place.capitalize(), "name": name, "period": when},
                shade,
            ),
        ),
        "trend_spec": kept(
            made_from,
            ("trend", sex, age),
            lambda: charts.trend_lines(
                ind, series, _("Utveckling per region och i riket: %(name)s") % {"name": name}
            ),
        )
        if len({s["period"] for s in series}) > 1
        else None,
        "trend_table": _trend_table(ind, series),
    }


KIND_WORDS = {
    "share": gettext_noop("Andel: täljaren delad med nämnaren. Konfidensintervallen är Wilsons."),
    "rate": gettext_noop(
        "Kvot: händelser per invånare. Konfidensintervallen bygger på Poissonfördelningen "
        "(Byars metod)."
    ),
    "count": gettext_noop("Antal: räknas i sin helhet, utan konfidensintervall."),
    "amount": gettext_noop("Belopp eller medelvärde: utan konfidensintervall."),
}
DIRECTION_WORDS = {
    "higher": gettext_noop("Högre värden är bättre."),
    "lower": gettext_noop("Lägre värden är bättre."),
    "none": gettext_noop("Varken högre eller lägre värden är i sig bättre."),
}


def quality(request, indicator_id: str):
    """The indicator's quality declaration: what it measures and how, where the figures come
    from, what they cover, how far they can be compared over time and between areas, known
    problems, disclosure control, and its releases and revisions, past and planned."""
    ind, pub_periods, period, _sex, _age, _level, levels = _indicator_view(request, indicator_id)
    cover = [(lvl, public_coverage(ind.id, pub_periods[-1], lvl)) for lvl in levels]
    history = []
    for per, rels in releases_of(ind.id).items():
        for i, r in enumerate(rels):
            history.append((r.published_at, per, i > 0, r.note))
    history.sort(key=lambda h: h[0], reverse=True)
    return render(
        request,
        "site/quality.html",
        {
            "ind": ind,
            "name": pick(ind.name),
            "periods": pub_periods,
            "levels": levels,
            "coverage": cover,
            "kind_words": _kind_words(ind),
            "direction_words": _(DIRECTION_WORDS[ind.direction]),
            "history": history,
            "next_release": next_planned(ind.id),
        },
    )


def _kind_words(ind: Indicator) -> str:
    """What kind of figure the indicator is and how its uncertainty is shown."""
    if ind.kind in ("share", "rate") and not ind.has_interval:
        return _("Utan konfidensintervall: alla enheter räknas, inget urval.")
    return _(KIND_WORDS[ind.kind])


def release_calendar(request):
    """What will be published when, what is late, and what was published in the last year."""
    return render(request, "site/calendar.html", {"calendar": calendar()})


def _trend_table(ind: Indicator, series: list[dict]) -> dict:
    """The trend chart's numbers: one row per area, one column per period; the first period
    after a break in the series is marked, and the break's note goes under the table."""
    periods: list[str] = []
    rows: dict[str, dict[str, float | None]] = {}
    for s in series:
        if s["period"] not in periods:
            periods.append(s["period"])
        rows.setdefault(s["name"], {})[s["period"]] = s["value"]
    notes = BreakNotes("utveckling")
    marks = notes.marks(ind, periods)
    return {
        "periods": [(per, marks.get(per)) for per in periods],
        "rows": [(name, [values.get(per) for per in periods]) for name, values in rows.items()],
        "notes": notes.notes,
    }


@dataclass(frozen=True)
class Chosen:
    """An area chosen in the comparison: a region, a municipality or a group of similar
    municipalities (refdata/groupings.py), with the name its column has."""

    kind: str  # region | municipality | group
    code: str
    name: str


AREA_PARAMETERS = (("region", "region"), ("kommun", "municipality"), ("grupp", "group"))


def _chosen_areas(request, grouping) -> tuple[list[Chosen], list[str]]:
    """The areas the address chooses (``region``, ``kommun``, ``grupp``, each repeated), in
    that order, and the codes that name none."""
    known = {
        "region": dict(Region.objects.values_list("code", "name")),
        "municipality": dict(Municipality.objects.values_list("code", "name")),
        "group": {
            g.code: _("Kommungruppen %(name)s") % {"name": pick(g.name)}
            for g in (grouping.groups if grouping else ())
        },
    }
    chosen, unknown = [], []
    for key, kind in AREA_PARAMETERS:
        for code in dict.fromkeys(request.GET.getlist(key)):
            if code in known[kind]:
                chosen.append(Chosen(kind, code, known[kind][code]))
            else:
                unknown.append(code)
    return chosen, unknown


def _area_row(chosen: Chosen, profiles: dict, groups) -> OrgResult | None:
    """The chosen area's published row of an indicator's profiles (by level) or of its
    groups' values (None where the indicator has no value for it)."""
    if chosen.kind == "group":
        return groups.get(chosen.code) if groups is not None else None
    p = profiles.get(chosen.kind)
    return next((r for r in p.rows if r.org == chosen.code), None) if p else None


def _group_rows(indicator_id: str, period: str, grouping) -> dict[str, OrgResult]:
    """The groups' published values of one period (both sexes), by group code."""
    return {
        code: row
        for (grouping_id, code, sex), row in public_groups(indicator_id, period).items()
        if grouping_id == grouping.id and sex == "T"
    }


def _comparison(request) -> dict:
    """The areas and indicators the address chooses, each indicator's latest published
    period for them and the nation, each over every published period, and what was unknown
    or too many."""
    available = [
        pub
        for pub in public_indicators()
        if "region" in pub.indicator.levels or "municipality" in pub.indicator.levels
    ]
    grouping = groupings.similar_municipalities()
    areas, unknown = _chosen_areas(request, grouping)
    ids = {pub.indicator.id for pub in available}
    chosen_ids = [i for i in dict.fromkeys(request.GET.getlist("indikator")) if i in ids]
    unknown += [i for i in request.GET.getlist("indikator") if i not in ids]
    errors = []
    if unknown:
        errors.append(_("Okända val hoppades över: %(what)s") % {"what": ", ".join(unknown[:5])})
    if len(chosen_ids) > MAX_COMPARED_INDICATORS:
        errors.append(
            _("Högst %(n)d indikatorer åt gången; de första visas.")
            % {"n": MAX_COMPARED_INDICATORS}
        )
        chosen_ids = chosen_ids[:MAX_COMPARED_INDICATORS]
    if len(areas) > MAX_COMPARED_AREAS:
        errors.append(
            _("Högst %(n)d områden åt gången; de första visas.") % {"n": MAX_COMPARED_AREAS}
        )
        areas = areas[:MAX_COMPARED_AREAS]
    table, history = [], []
    if areas and chosen_ids:
        for indicator_id in chosen_ids:
            ind = get_indicator(indicator_id)
            levels = [lvl for lvl in ("region", "municipality") if lvl in ind.levels]
            profiles = {
                lvl: public_profile(indicator_id, level=lvl, trends=False) for lvl in levels
            }
            p = profiles[levels[0]]
            groups = (
                _group_rows(indicator_id, p.period, grouping)
                if grouping and "municipality" in levels
                else None
            )
            table.append(
                {
                    "name": pick(ind.name),
                    "id": indicator_id,
                    "indicator": ind,
                    "period": p.period,
                    "cells": [_area_row(a, profiles, groups) for a in areas],
                    "national": p.national,
                    "unit": ind.unit,
                    "target": p.target,
                }
            )
            history.append(_over_time(ind, areas, levels, grouping))
    return {
        "available": available,
        "regions": list(Region.objects.order_by("code")),
        "municipalities": list(
            Municipality.objects.select_related("region").order_by("region__code", "name")
        ),
        "groups": [(g.code, pick(g.name)) for g in (grouping.groups if grouping else ())],
        "areas": areas,
        "chosen_region_codes": {a.code for a in areas if a.kind == "region"},
        "chosen_municipality_codes": {a.code for a in areas if a.kind == "municipality"},
        "chosen_group_codes": {a.code for a in areas if a.kind == "group"},
        "chosen_ids": chosen_ids,
        "table": table,
        "history": history,
        "errors": errors,
        "unknown": unknown,
    }


def _over_time(ind: Indicator, areas: list[Chosen], levels: Sequence[str], grouping) -> dict:
    """One indicator for the chosen areas and the nation over every published period: the
    chart (charts.over_time) and its table, one row per area and a column per period."""
    series = {lvl: public_series(ind.id, lvl) for lvl in levels}
    periods = [q.period for q in series[levels[0]]]
    wants_groups = grouping and "municipality" in levels and any(a.kind == "group" for a in areas)
    by_period = [
        (
            {lvl: series[lvl][i] for lvl in levels},
            _group_rows(ind.id, period, grouping) if wants_groups else None,
        )
        for i, period in enumerate(periods)
    ]
    rows = [
        (area.name, [_area_row(area, profiles, groups) for profiles, groups in by_period])
        for area in areas
    ]
    rows.append((_("Riket"), [q.national for q in series[levels[0]]]))
    points = [
        {
            "name": name,
            "period": period,
            "value": row.value,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
        }
        for name, values in rows
        for period, row in zip(periods, values, strict=True)
        if row is not None and row.value is not None
    ]
    name = pick(ind.name)
    return {
        "ind": ind,
        "name": name,
        "periods": periods,
        "rows": rows,
        "spec": charts.over_time(
            ind, points, _("%(name)s över tid för valda områden och riket") % {"name": name}
        )
        if len({pt["period"] for pt in points}) > 1
        else None,
    }


def compare(request):
    """Areas (regions, municipalities, groups of similar municipalities) and indicators of the
    user's choice side by side in the latest published period, and over time."""
    found = _comparison(request)
    chart_rows = []
    for item in found["table"]:
        rows = list(zip(found["areas"], item["cells"], strict=True))
        if item["national"] is not None:
            rows.append((Chosen("nation", NATION, _("Riket")), item["national"]))
        for area, row in rows:
            if row is not None and row.value is not None:
                chart_rows.append(
                    {
                        "indicator": f"{item['name']} ({period_label(item['period'])})",
                        "name": area.name,
                        "value": row.value,
                        "ci_low": row.ci_low,
                        "ci_high": row.ci_high,
                        "label": charts.with_interval(row, item["unit"]),
                    }
                )
    query = urlencode(
        [(key, a.code) for a in found["areas"] for key, kind in AREA_PARAMETERS if kind == a.kind]
        + [("indikator", i) for i in found["chosen_ids"]]
    )
    return render(
        request,
        "site/compare.html",
        {
            **found,
            "indicators": [(pub.indicator, pick(pub.indicator.name)) for pub in found["available"]],
            "table_downloads": sheet_links(reverse("publish:compare-download", args=["csv"]), query)
            if found["table"]
            else [],
            "spec": charts.comparison(
                chart_rows, _("Valda områden och riket med 95 % konfidensintervall")
            )
            if chart_rows
            else None,
        },
        status=400 if found["unknown"] and not found["table"] else 200,
    )


def compare_download(request, fmt: str):
    """The comparison's table as a file for people (site/downloads.py)."""
    fmt = download_format(fmt)
    found = _comparison(request)
    if not found["table"]:
        raise Http404("nothing chosen to compare")
    page = request.build_absolute_uri(reverse("publish:compare") + "?" + request.GET.urlencode())
    sheet = downloads.comparison_sheet(found["areas"], found["table"], page)
    return downloads.response(sheet, fmt)


def boundaries(request, level: str):
    """The reference boundaries as GeoJSON, for the maps drawn in the browser."""
    if level not in ("region", "municipality"):
        raise Http404
    response = FileResponse(
        files.data_path(f"{'regions' if level == 'region' else 'municipalities'}.geojson").open(
            "rb"
        ),
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


def area_rows(code: str, level: str) -> dict:
    """Every published indicator of one region or municipality in its latest period, against
    the nation and the target with its trend, and for a municipality against its group of
    similar municipalities (refdata/groupings.py): the page's table and its file."""
    rows = []
    followup = public_followup()
    grouping = groupings.similar_municipalities() if level == "municipality" else None
    group = grouping.group_of(code) if grouping else None
    for pub in public_indicators():
        ind = pub.indicator
        if level not in ind.levels:
            continue
        latest = public_profile(ind.id, level=level)
        mine = next((r for r in latest.rows if r.org == code), None)
        if mine is None:
            continue
        fresh = judge(ind, pub.periods, followup)
        rows.append(
            {
                "ind": ind,
                "name": pick(ind.name),
                "p": latest,
                "row": mine,
                "group": _group_row(ind.id, latest.period, grouping, group),
                "stale": fresh.label() if fresh is not None and fresh.stale else None,
                "periods": pub.periods,
            }
        )
    return {
        "indicator_rows": rows,
        "group": group,
        "group_name": pick(group.name) if group else None,
        "grouping": grouping if group else None,
    }


def recent_periods(periods: Sequence[str], years: int = AREA_HISTORY_YEARS) -> list[str]:
    """The periods (oldest first) that end in the last ``years`` calendar years of the
    latest one."""
    if not periods:
        return []
    first_year = period_end(periods[-1]).year - years + 1
    return [p for p in periods if period_end(p).year >= first_year]


def area_history(area: dict, code: str, level: str, name: str, recent: bool = True) -> list:
    """The area's value, its group's (when it has one) and the nation's per indicator and
    period, for the indicators of ``area`` (:func:`area_rows`): those with more than one
    period over the last :data:`AREA_HISTORY_YEARS` years, or all over every period if not
    ``recent``. Indicators the area has no value of in those periods are left out."""
    series = []
    grouping, group, group_name = area["grouping"], area["group"], area["group_name"]
    for item in area["indicator_rows"]:
        ind, periods = item["ind"], item["periods"]
        if recent and len(periods) < 2:
            continue  # a chart over time needs two periods; the whole history is every one
        chosen = recent_periods(periods) if recent else periods
        mine = []
        for period in chosen:
            q = public_profile(ind.id, period, level=level, trends=False)
            own = next((r for r in q.rows if r.org == code and r.value is not None), None)
            shown = [(name, own), (_("Riket"), q.national)]
            if group_name:
                shown.append((group_name, _group_row(ind.id, q.period, grouping, group)))
            mine += [
                {
                    "indicator": item["name"],
                    "period": q.period,
                    "who": who,
                    "value": row.value,
                    "unit": ind.unit,
                    "id": ind.id,
                }
                for who, row in shown
                if row is not None and row.value is not None
            ]
        if any(s["who"] == name for s in mine):
            series += mine
    return series


def org_indicators(code: str, level: str, name: str) -> dict:
    """A region's or municipality's page of indicators: the table of :func:`area_rows`, a
    spine chart of the latest values against the spread between the areas, the nation and
    the target, and small multiples of the last :data:`AREA_HISTORY_YEARS` years (the whole
    history is in the page's history file)."""
    area = area_rows(code, level)
    rows, group_name = area["indicator_rows"], area["group_name"]
    series = area_history(area, code, level, name)
    # the spine: the indicators with a national value, a spread and a value of the area's;
    # not counts, whose national value (the sum) is on another scale than any area's
    spine_rows = [
        {**r, "spread": spread_of}
        for r in rows
        if r["ind"].kind != "count"
        and r["p"].national is not None
        and r["p"].national.value is not None
        and r["row"].value is not None
        and (spread_of := spread(r["p"].rows)) is not None
    ]
    places = _("regionerna") if level == "region" else _("kommunerna")
    made_from = of_all_indicators()
    shortened = any(len(recent_periods(r["periods"])) < len(r["periods"]) for r in rows)
    return {
        **area,
        "spine_spec": kept(
            made_from,
            ("spine", code, level),
            lambda: charts.spine(
                [(r["name"], r["p"], r["row"], r["spread"]) for r in spine_rows],
                _("%(name)s mot spridningen mellan %(places)s, riket och målet, per indikator")
                % {"name": name, "places": places},
            ),
        )
        if spine_rows
        else None,
        "spine_table": spine_rows,
        "history_spec": kept(
            made_from,
            ("history", code, level),
            lambda: charts.region_vs_nation(
                series,
                _("%(name)s och riket över tid, en ruta per indikator") % {"name": name}
                if not group_name
                else _(
                    "%(name)s, kommungruppen %(group)s och riket över tid, en ruta per indikator"
                )
                % {"name": name, "group": group_name},
                group=group_name,
            ),
        )
        if series
        else None,
        "history_years": AREA_HISTORY_YEARS if shortened else None,
        **history_table(series, name, group_name),
    }


def tartan(regions: list) -> list[dict]:
    """Every published regional indicator (latest period) for each of ``regions``, each
    cell with its category against the nation (charts.vs_nation: better, similar, worse,
    lower, higher; not_compared or no_value): the tartan table."""
    out = []
    for pub in public_indicators():
        ind = pub.indicator
        if "region" not in ind.levels:
            continue
        p = public_profile(ind.id, level="region", trends=False)
        by_org = {r.org: r for r in p.rows}
        cells = []
        for region in regions:
            row = by_org.get(region.code)
            if row is None or row.value is None:
                cells.append((region, row, "no_value"))
            else:
                cells.append((region, row, charts.vs_nation(row, p) or "not_compared"))
        out.append({"ind": ind, "name": pick(ind.name), "p": p, "cells": cells})
    return out


def _group_row(indicator_id: str, period: str, grouping, group):
    """The published value of an area's group in a period (both sexes), or None."""
    if group is None:
        return None
    return public_groups(indicator_id, period).get((grouping.id, group.code, "T"))


def history_table(series: list[dict], name: str, group_name: str | None = None) -> dict:
    """The small multiples' numbers: per indicator and period, the area's value, its group's
    (when it has one) and the nation's (``history_table``); the first period after a break in
    an indicator's series is marked, with the break's note under the table
    (``history_notes``)."""
    notes = BreakNotes("historik")
    marks = {
        indicator_id: notes.marks(
            get_indicator(indicator_id), [s["period"] for s in series if s["id"] == indicator_id]
        )
        for indicator_id in dict.fromkeys(s["id"] for s in series)
    }
    out: dict[tuple[str, str], dict] = {}
    for s in series:
        cell = out.setdefault(
            (s["indicator"], s["period"]),
            {
                "indicator": s["indicator"],
                "period": s["period"],
                "unit": s["unit"],
                "own": None,
                "group": None,
                "nation": None,
                "mark": marks[s["id"]].get(s["period"]),
            },
        )
        column = {name: "own", group_name: "group"}.get(s["who"], "nation")
        cell[column] = s["value"]
    return {"history_table": list(out.values()), "history_notes": notes.notes}
