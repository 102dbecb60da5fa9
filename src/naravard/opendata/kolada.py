"""A Kolada API v3-compatible view of the published indicators (``/kolada/v3/``).

Clients written for Kolada (koladapy and the like) read naravard unchanged: KPIs are the
published yearly indicators, "municipalities" are Kolada's ids (``0000`` the nation,
``0001``–``0025`` the regions, four-digit municipality codes), gender is T/K/M, and a
value hidden by disclosure control has no value and the status ``..``. A break in an
indicator's series is said in its KPI's ``description`` (Kolada has no field of its own for it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from naravard.catalog.breaks import first_after_breaks, note
from naravard.catalog.catalogue import Indicator
from naravard.ingest.models import NATION, SEXES
from naravard.publish.open_data import NotPublished, public_indicators, public_profile
from naravard.publish.releases import released_periods
from naravard.refdata.models import Municipality, Region

MAX_PER_PAGE = 5000
SUPPRESSED = ".."


def kolada_id(org: str) -> str:
    """naravard's organisation code as a Kolada id (regions get two leading zeros)."""
    return org.zfill(4) if len(org) == 2 else org


def naravard_org(kolada: str) -> str | None:
    if kolada == "0000":
        return NATION
    if len(kolada) == 4 and kolada.startswith("00"):
        return kolada[2:]
    return kolada if len(kolada) == 4 else None


def _kpis() -> dict[str, tuple[Indicator, list[int]]]:
    """Published indicators with yearly values (monthly ones have no Kolada form) and the
    years published: the years whose period the catalogue's rule names (a year, or the point
    on its 31 December)."""
    out = {}
    for pub in public_indicators():
        ind = pub.indicator
        if ind.period_type == "month":
            continue
        out[ind.id] = (
            ind,
            sorted({int(p[:4]) for p in pub.periods if ind.normal_period(p[:4]) == p}),
        )
    return out


def kpi_title(ind: Indicator) -> str:
    """The KPI's title as Kolada writes titles, the unit last ('Invånare totalt, antal'):
    Kolada's KPIs carry their unit nowhere else (catalog/units.py)."""
    return f"{ind.name['sv']}, {ind.unit_info.name['sv']}"


def kpi_description(ind: Indicator, years: list[int]) -> str:
    """The KPI's description, in Swedish as Kolada's: the caveats of the latest year published,
    then each break in the series among the years published ("Tidsseriebrott 2021: …"), which
    Kolada's KPIs have no other field for."""
    if not years:
        return ""
    parts = [(ind.caveats_at(str(max(years))) or {}).get("sv", "")]
    found = first_after_breaks(ind, [ind.normal_period(str(year)) for year in years])
    parts += [note(b, "sv") for per in sorted(found) for b in found[per]]
    return " ".join(part for part in parts if part)


def _kpi_json(ind: Indicator, years: list[int]) -> dict:
    levels = set(ind.levels)
    return {
        "id": ind.id,
        "title": kpi_title(ind),
        "description": kpi_description(ind, years),
        "is_divided_by_gender": 1,
        "has_ou_data": False,
        "municipality_type": "A"
        if levels >= {"region", "municipality"}
        else ("K" if "municipality" in levels else "L"),
        "operating_area": "Hälso- och sjukvård",
        "auspice": "X",
        "perspective": "Resultat",
        "publ_period": str(years[-1]) if years else "",
        "publication_date": "",
        "prel_publication_date": "",
        "ou_publication_date": "",
    }


def _municipalities() -> list[dict]:
    rows = [{"id": "0000", "title": "Riket", "type": "L"}]
    rows += [
        {"id": kolada_id(r.code), "title": r.name, "type": "L"}
        for r in Region.objects.order_by("code")
    ]
    rows += [
        {"id": m.code, "title": m.name, "type": "K"} for m in Municipality.objects.order_by("code")
    ]
    return rows


def _page(request, items: list[dict]) -> JsonResponse:
    """Kolada's paging: ``page`` and ``per_page``; ``next_url`` is null on the last page."""
    try:
        page = max(1, int(request.GET.get("page", 1)))
        per_page = min(MAX_PER_PAGE, max(1, int(request.GET.get("per_page", MAX_PER_PAGE))))
    except ValueError:
        return _error(400, "page and per_page are whole numbers")
    start = (page - 1) * per_page
    shown = items[start : start + per_page]

    def url(number: int) -> str:
        query = [
            (k, v)
            for k in request.GET
            for v in request.GET.getlist(k)
            if k not in ("page", "per_page")
        ]
        return request.build_absolute_uri(
            f"{request.path}?{urlencode(query + [('page', number), ('per_page', per_page)])}"
        )

    return JsonResponse(
        {
            "count": len(items),
            "values": shown,
            "next_url": url(page + 1) if start + per_page < len(items) else None,
            "previous_url": url(page - 1) if page > 1 else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _error(status: int, message: str) -> JsonResponse:
    """An error as Kolada answers one: ``{"error": message}`` with the status."""
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _get_only(view: Callable) -> Callable:
    """A Kolada endpoint: GET (and HEAD) only; another method is a 405 in Kolada's body."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _error(405, f"{request.path} answers GET, not {request.method}")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(inner)


@csrf_exempt
def not_found(request, rest: str = ""):
    """Any other path under ``/kolada/v3/``: a 404 in Kolada's body, not the site's page."""
    return _error(
        404, f"{request.path} is not a Kolada API endpoint here; see kpi, municipality, data"
    )


def _split(values: list[str]) -> list[str]:
    """Repeated parameters and comma-separated lists alike."""
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


@_get_only
def kpi(request, ids: str | None = None):
    kpis = _kpis()
    wanted = _split([ids]) if ids else list(kpis)
    title = request.GET.get("title", "").casefold()
    items = [_kpi_json(*kpis[k]) for k in wanted if k in kpis]
    return _page(request, [i for i in items if title in i["title"].casefold()])


@_get_only
def municipality(request, ids: str | None = None):
    items = _municipalities()
    if ids:
        wanted = set(_split([ids]))
        items = [m for m in items if m["id"] in wanted]
    title = request.GET.get("title", "").casefold()
    kind = request.GET.get("type", "")
    return _page(
        request,
        [m for m in items if title in m["title"].casefold() and (not kind or m["type"] == kind)],
    )


@_get_only
def data(request):
    """``data/?kpi_id=…&municipality_id=…&year=…`` (each repeatable or comma-separated)."""
    kpis = _kpis()
    kpi_ids = _split(request.GET.getlist("kpi_id"))
    if not kpi_ids:
        return _error(400, "kpi_id is required")
    unknown = [k for k in kpi_ids if k not in kpis]
    if unknown:
        return _error(404, f"no published KPI {', '.join(unknown)}")
    years_typed = _split(request.GET.getlist("year"))
    bad_years = [y for y in years_typed if not re.fullmatch(r"\d{4}", y)]
    if bad_years:
        return _error(
            400,
            f"year är ett årtal med fyra siffror, t.ex. 2022, inte "
            f"{', '.join(repr(y) for y in bad_years)}",
        )
    years = {int(y) for y in years_typed}
    orgs = {k: naravard_org(k) for k in _split(request.GET.getlist("municipality_id"))}
    bad = [k for k, org in orgs.items() if org is None]
    if bad:
        return _error(400, f"municipality_id {', '.join(bad)} is not a Kolada id")
    codes = {org for org in orgs.values() if org is not None}
    items = []
    for kpi_id in kpi_ids:
        ind, published_years = kpis[kpi_id]
        for year in [y for y in published_years if not years or y in years]:
            items += _values(ind, year, codes)
    return _page(request, items)


def _values(ind: Indicator, year: int, orgs: set[str]) -> list[dict]:
    """One item per organisation: the year's values for T, K and M where published (the
    year's period by the catalogue's rule: 2022-12-31 for a point in time)."""
    period = ind.find_period(str(year), released_periods(ind.id), published=True)
    levels = [lv for lv in ("region", "municipality") if lv in ind.levels]
    by_org: dict[str, list[dict]] = {}
    for level in levels:
        for sex in SEXES:
            try:
                p = public_profile(ind.id, period, sex, level, trends=False)
            except NotPublished:
                continue
            rows = p.rows + ([p.national] if p.national and level == levels[0] else [])
            for row in rows:
                if orgs and row.org not in orgs:
                    continue
                by_org.setdefault(row.org, []).append(
                    {
                        "gender": sex,
                        "count": 0 if row.suppressed else 1,
                        "status": SUPPRESSED if row.suppressed else "",
                        "value": row.value,
                    }
                )
    return [
        {"kpi": ind.id, "municipality": kolada_id(org), "period": year, "values": vals}
        for org, vals in sorted(by_org.items())
    ]
