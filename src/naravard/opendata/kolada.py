"""A Kolada API v3-compatible view of the published indicators (``/kolada/v3/``).

Clients written for Kolada (koladapy and the like) read naravard unchanged: KPIs are the
published yearly indicators, "municipalities" are Kolada's ids (``0000`` the nation,
``0001``–``0025`` the regions, four-digit municipality codes), gender is T/K/M, and a
value hidden by disclosure control has no value and the status ``..``. A break in an
indicator's series is said in its KPI's ``description`` (Kolada has no field of its own for it).

Data are asked for as Kolada's clients ask: ``data?kpi_id=…&municipality_id=…&year=…`` or
by path, ``data/kpi/{kpis}[/municipality/{ids}][/year/{years}]`` and
``data/municipality/{ids}[/kpi/{kpis}][/year/{years}]``, each part a comma-separated list;
the one view answers both. ``kpi_groups`` are the coding frame's themes, each with the
published KPIs meant to move it (ids ``G`` + the theme's id); ``municipality_groups`` are
the counties' municipalities and SKR's municipality groups, with Kolada's own ids and members
(``G33612`` "Stockholms läns kommuner" …, ``G92787`` "Storstäder" …). Kolada titles those
"… (ovägt medel)" and serves the unweighted mean of the members as the group's value;
naravard serves no such mean (its groups' values, from the members' summed counts, are in the
PxWeb API's aggregations), so the suffix is left out and ``data`` refuses a group's id. naravard has no organisational units: ``ou`` and
``oudata`` answer an empty list.

``count`` is the number of items of the whole answer, not of the page. Kolada's v2 documented
it as the page's length; for v3 it is unconfirmed (tests/sources/fixtures/README.md, kolada/).
The v3 clients that read it read it as the total: koladapy sizes its progress bar with it,
and naravard's own reader (sources/kolada.py) reports progress against it. The two readings
agree whenever everything fits on one page (``per_page`` up to 5000); a client should follow
``next_url`` until it is null and not count on ``count``.

``data`` is sent as it is made (core/streaming.py), :data:`YEARS_AT_ONCE` years of a KPI at
a time: the page's items first, then ``count`` (it is known only once every item is made),
so the server's memory holds those years' items, not the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from naravard.catalog.breaks import first_after_breaks, note
from naravard.catalog.catalogue import Indicator
from naravard.core.streaming import After, Items, StreamedAnswer
from naravard.ingest.models import NATION, SEXES
from naravard.publish.open_data import NotPublished, public_indicators, published_tables
from naravard.publish.releases import released_periods
from naravard.qualitative.frame import current_frame
from naravard.refdata.groupings import groupings_of
from naravard.refdata.models import Municipality, Region

MAX_PER_PAGE = 5000
YEARS_AT_ONCE = 16  # years of a KPI read in one query and held while they are sent
SUPPRESSED = ".."
# Kolada v3's ids of its county groups, "<län>s kommuner (ovägt medel)", by county code: read
# from the municipality_groups that rKolada stores (LCHansson/rKolada, R/sysdata.rda, saved
# from the v3 API in 2026); their members are the county's municipalities by code, as here.
COUNTY_GROUPS = {
    "01": "G33612", "03": "G33613", "04": "G33614", "05": "G33615", "06": "G33616",
    "07": "G33617", "08": "G33618", "09": "G33619", "10": "G33620", "12": "G33621",
    "13": "G33622", "14": "G33623", "17": "G33624", "18": "G33625", "19": "G33626",
    "20": "G33627", "21": "G33628", "22": "G33629", "23": "G33630", "24": "G33631",
    "25": "G33632",
}  # fmt: skip


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


def _kpi_groups() -> list[dict]:
    """One group per theme of the coding frame with a published KPI meant to move it (a KPI
    of a sub-theme counts for its theme), the KPIs in catalogue order."""
    frame = current_frame()
    members: dict[str, list[dict]] = {t.id: [] for t in frame.themes}
    for ind, _years in _kpis().values():
        for theme_id in frame.with_parents(ind.themes):
            if theme_id in members:
                members[theme_id].append({"member_id": ind.id, "member_title": kpi_title(ind)})
    return [
        {"id": f"G{t.id}", "title": t.name["sv"], "members": members[t.id]}
        for t in frame.themes
        if members[t.id]
    ]


def _municipality_groups() -> list[dict]:
    """Each county's municipalities, as Kolada's county groups (see COUNTY_GROUPS), then the
    groups of municipalities Kolada also has (SKR's municipality groups, refdata/groupings.py)
    under Kolada's ids."""
    regions = Region.objects.order_by("code").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("code"))
    )
    counties = [
        {
            "id": COUNTY_GROUPS[r.code],
            "title": f"{r.county_name}s kommuner",
            "members": [
                {"member_id": m.code, "member_title": m.name} for m in r.municipalities.all()
            ],
        }
        for r in regions
    ]
    names = dict(Municipality.objects.values_list("code", "name"))
    groups = [
        {
            "id": group.kolada,
            "title": group.name["sv"],
            "members": [{"member_id": m, "member_title": names.get(m, m)} for m in group.members],
        }
        for grouping in groupings_of("municipality")
        for group in grouping.groups
        if group.kolada
    ]
    return counties + groups


def _select(request, items: list[dict], ids: str | None) -> list[dict]:
    """The items with one of the ids (a comma-separated list) if given, and ``title`` in
    their title (any case) if asked."""
    if ids:
        wanted = set(_split([ids]))
        items = [i for i in items if i["id"] in wanted]
    title = request.GET.get("title", "").casefold()
    return [i for i in items if title in i["title"].casefold()]


@dataclass(frozen=True)
class _Paging:
    """Kolada's paging: ``page`` and ``per_page`` of a request, and its links."""

    request: HttpRequest
    page: int
    per_page: int

    @property
    def start(self) -> int:
        return (self.page - 1) * self.per_page

    def url(self, number: int) -> str:
        query = [
            (k, v)
            for k in self.request.GET
            for v in self.request.GET.getlist(k)
            if k not in ("page", "per_page")
        ]
        return self.request.build_absolute_uri(
            f"{self.request.path}?"
            f"{urlencode(query + [('page', number), ('per_page', self.per_page)])}"
        )

    def next_url(self, count: int) -> str | None:
        return self.url(self.page + 1) if self.start + self.per_page < count else None

    def previous_url(self) -> str | None:
        return self.url(self.page - 1) if self.page > 1 else None


def _paging(request) -> _Paging | JsonResponse:
    """The request's paging, or the 400 that answers a bad one."""
    try:
        page = max(1, int(request.GET.get("page", 1)))
        per_page = min(MAX_PER_PAGE, max(1, int(request.GET.get("per_page", MAX_PER_PAGE))))
    except ValueError:
        return _error(400, "page och per_page är heltal")
    return _Paging(request, page, per_page)


def _page(request, items: list[dict]) -> JsonResponse:
    """One page of ``items``; ``next_url`` is null on the last page."""
    paging = _paging(request)
    if isinstance(paging, JsonResponse):
        return paging
    return JsonResponse(
        {
            "count": len(items),
            "values": items[paging.start : paging.start + paging.per_page],
            "next_url": paging.next_url(len(items)),
            "previous_url": paging.previous_url(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _streamed_page(request, items: Iterable[dict]) -> StreamedAnswer | JsonResponse:
    """One page of ``items``, sent as they are made: the page's items first, then ``count``
    (every item made is counted, the page's and the others) and the links."""
    paging = _paging(request)
    if isinstance(paging, JsonResponse):
        return paging
    counted = 0

    def shown() -> Iterator[dict]:
        nonlocal counted
        for item in items:
            if paging.start <= counted < paging.start + paging.per_page:
                yield item
            counted += 1

    return StreamedAnswer(
        [
            ("values", Items(shown())),
            ("count", After(lambda: counted)),
            ("next_url", After(lambda: paging.next_url(counted))),
            ("previous_url", paging.previous_url()),
        ]
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
            response = _error(405, f"{request.path} svarar på GET, inte {request.method}")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(inner)


@csrf_exempt
def not_found(request, rest: str = ""):
    """Any other path under ``/kolada/v3/``: a 404 in Kolada's body, not the site's page."""
    return _error(
        404,
        f"{request.path} finns inte i naravards Kolada-API; se kpi, kpi_groups, municipality, "
        "municipality_groups, data, ou, oudata",
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
def kpi_groups(request, ids: str | None = None):
    return _page(request, _select(request, _kpi_groups(), ids))


@_get_only
def municipality(request, ids: str | None = None):
    kind = request.GET.get("type", "")
    items = _select(request, _municipalities(), ids)
    return _page(request, [m for m in items if not kind or m["type"] == kind])


@_get_only
def municipality_groups(request, ids: str | None = None):
    return _page(request, _select(request, _municipality_groups(), ids))


@_get_only
def ou(request, ids: str | None = None):
    """``ou`` and ``oudata`` in all their forms: naravard has no organisational units."""
    return _page(request, [])


@_get_only
def data(request, kpi: str | None = None, municipality: str | None = None, year: str | None = None):
    """``data?kpi_id=…&municipality_id=…&year=…`` (each repeatable or comma-separated) and
    the path forms ``data/kpi/{kpis}/municipality/{ids}/year/{years}`` and the like: a part
    the path names is taken from it, the others from the query. Without a KPI, every
    published KPI; without a year, every year published."""

    def asked(part: str | None, parameter: str) -> list[str]:
        return _split([part] if part is not None else request.GET.getlist(parameter))

    kpis = _kpis()
    kpi_ids = asked(kpi, "kpi_id")
    municipality_ids = asked(municipality, "municipality_id")
    if not kpi_ids and not municipality_ids:
        return _error(
            400,
            "ange kpi_id eller municipality_id (eller fråga data/kpi/… eller data/municipality/…)",
        )
    unknown = [k for k in kpi_ids if k not in kpis]
    if unknown:
        return _error(404, f"ingen publicerad KPI {', '.join(unknown)}")
    years_typed = asked(year, "year")
    bad_years = [y for y in years_typed if not re.fullmatch(r"\d{4}", y)]
    if bad_years:
        return _error(
            400,
            f"year är ett årtal med fyra siffror, t.ex. 2022, inte "
            f"{', '.join(repr(y) for y in bad_years)}",
        )
    years = {int(y) for y in years_typed}
    groups = [k for k in municipality_ids if k.startswith("G")]
    if groups:
        return _error(
            400,
            f"municipality_id {', '.join(groups)}: naravard har inga värden för kommungrupper "
            "(Koladas ovägda medel); fråga efter gruppens medlemmar (municipality_groups/…)",
        )
    orgs = {k: naravard_org(k) for k in municipality_ids}
    bad = [k for k, org in orgs.items() if org is None]
    if bad:
        return _error(
            400,
            f"municipality_id {', '.join(bad)} är inget Kolada-id (0000 riket, 0001–0025 "
            "regionerna, kommunkoder med fyra siffror)",
        )
    codes = {org for org in orgs.values() if org is not None}

    def items() -> Iterator[dict]:  # some years at a time, as they are sent
        for kpi_id in kpi_ids or list(kpis):
            ind, published_years = kpis[kpi_id]
            asked = [y for y in published_years if not years or y in years]
            for start in range(0, len(asked), YEARS_AT_ONCE):
                try:
                    yield from _values(ind, asked[start : start + YEARS_AT_ONCE], codes)
                except NotPublished:  # withdrawn while we answered
                    break

    return _streamed_page(request, items())


def _values(ind: Indicator, years: list[int], orgs: set[str]) -> list[dict]:
    """One item per year and organisation: the year's values for T, K and M where published
    (the year's period by the catalogue's rule: 2022-12-31 for a point in time)."""
    released = released_periods(ind.id)
    periods = [ind.find_period(str(year), released, published=True) for year in years]
    levels = [lv for lv in ("region", "municipality") if lv in ind.levels]
    tables = published_tables(ind.id, periods, SEXES, levels)
    items = []
    for year, period in zip(years, periods, strict=True):
        by_org: dict[str, list[dict]] = {}
        for level in levels:
            for sex in SEXES:
                shown = tables[(period, sex, level)]
                national = [shown.national] if shown.national and level == levels[0] else []
                for row in shown.rows + national:
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
        items += [
            {"kpi": ind.id, "municipality": kolada_id(org), "period": year, "values": vals}
            for org, vals in sorted(by_org.items())
        ]
    return items
