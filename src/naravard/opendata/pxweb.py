"""A PxWeb API 2.0-compatible view of the published indicators (``/api/v2/``).

Clients written for the PxWebApi 2 of Statistics Sweden and Statistics Norway (pxwebpy,
pyjstat, PxWeb 2, the R package pxweb) read naravard unchanged. Every published indicator
is one table; its id is the indicator id (``/api/v2/tables/named_doctor_share``, matched
without regard to case). A table has four variables, in this order:

- ``Region``: ``00`` the nation (Riket/Sweden), the 21 region codes and, for indicators
  that exist per municipality, the 290 municipality codes. Eliminated to ``00``; the code
  lists ``vs_Riket``, ``vs_Regioner`` and ``vs_Kommuner`` pick one level. The aggregations
  of refdata/groupings.py (``agg_RegionNUTS2_2008``, ``agg_RegionKommungrupp2023``) make
  Region's values the groups, each computed from its members with disclosure control
  (analysis/groups.py); ``outputValues[Region]=single`` (``"outputValues": "single"`` on
  POST) answers the selected groups' members instead. outputValues was in earlier drafts of
  the specification (PxApiSpecs, archive/specs.md) and is kept here as they described it.
- ``Kon``: ``1`` men, ``2`` women, ``1+2`` both sexes. Eliminated to ``1+2``.
- ``ContentsCode``: ``value`` (the indicator) and, where the indicator has intervals,
  ``ci_low`` and ``ci_high`` (the 95 % interval). Not eliminable: ``value`` if left out.
- ``Tid``: the released periods only, ``2021`` (a year, or a point in time on
  31 December), ``2021M03`` (a month, or a point on the month's last day) or
  ``2021-03-15`` (another day). Not eliminable: the latest period if left out. A period
  may also be selected as naravard writes it, by the indicator's rule (``2021-12-31`` or
  ``2021`` for a point in time on 31 December, ``2021-03`` for ``2021M03``); an unknown one
  is a 400 problem naming the published periods.

A selection (``valueCodes[Region]=01,03`` on GET, ``{"selection": [...]}`` on POST) takes
value codes and the expressions ``*`` and ``?`` (patterns), ``top(n[,offset])`` and
``bottom(n[,offset])`` (for ``Tid``: the latest and the earliest periods), ``range(a,b)``,
``from(a)`` and ``to(a)``. With no selection at all the data are the default table: the
nation and the regions, each sex and both, the indicator's latest period
(``/tables/{id}/defaultselection`` says it). Data come as JSON-stat 2.0, or in
``outputFormat`` csv, xlsx, px, json-px, html or parquet with ``outputFormatParams``
(``pxweb_formats.py``); a cell hidden by disclosure control has no value and the status
``..``, a cell without a published value the status ``...``. A JSON-stat answer of more
than :data:`STREAMED_FROM` cells is sent as its values are made (core/streaming.py), every
analysis it reads looked up first, so that a table withdrawn meanwhile is still a 404 and
the server's memory does not grow with the answer. Saved queries are in
``savedqueries.py``; the calls per time window and client address in ``limits.py``. Where the indicator's series
breaks (catalog/breaks.py), the first published period after the break carries the reason as
a mandatory value note (``category.note`` and ``extension.categoryNoteMandatory`` of ``Tid``),
and a selection with periods on both sides of it a mandatory table note (``note``,
``extension.noteMandatory``). Errors are RFC 7807 problems
(``title``, ``status``, ``detail``, an absolute ``instance``), for every path under
``/api/v2/``: 400 for a bad parameter (of the wrong type too) or value code, 403 above
``maxDataCells`` (setting ``PXWEB_MAX_DATA_CELLS``), 404 for an unknown table, code list or
saved query, 429 beyond the calls per time window.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import wraps
from types import MappingProxyType
from typing import Any, overload
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max
from django.http import HttpResponse, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

import naravard
from naravard.catalog import breaks
from naravard.catalog.catalogue import Indicator, PeriodError, period_end
from naravard.core.errors import NaravardError
from naravard.core.streaming import OMITTED, After, Items, StreamedAnswer
from naravard.ingest.models import NATION
from naravard.opendata import limits, pxweb_formats
from naravard.publish.models import Release
from naravard.publish.open_data import (
    NotPublished,
    PublicIndicator,
    public_groups,
    public_indicator,
    public_indicators,
    published_tables,
)
from naravard.refdata.groupings import Grouping, by_pxweb_id, groupings_of
from naravard.refdata.models import Municipality, Region

API_VERSION = "2.0.0"
LANGUAGES = (("sv", "Svenska"), ("en", "English"))
DEFAULT_LANGUAGE = "sv"
DEFAULT_MAX_DATA_CELLS = 100_000
STREAMED_FROM = 10_000  # cells: a larger JSON-stat answer is sent as its values are made
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 10_000
DATA_FORMAT = "json-stat2"
SUPPRESSED = ".."  # hidden by disclosure control
MISSING = "..."  # nothing published for the cell

REGION, SEX, CONTENTS, TIME = "Region", "Kon", "ContentsCode", "Tid"
STUB = (REGION, SEX)
HEADING = (CONTENTS, TIME)
SEXES = (("1", "M"), ("2", "K"), ("1+2", "T"))  # PxWeb code, naravard's sex
CONTENT_FIELDS = (("value", "value"), ("ci_low", "ci_low"), ("ci_high", "ci_high"))
SUBJECT_CODE = "HS"

TEXT = MappingProxyType(
    {
        "sv": MappingProxyType(
            {
                REGION: "region",
                SEX: "kön",
                CONTENTS: "tabellinnehåll",
                "Annual": "år",
                "Monthly": "månad",
                "Other": "tid",
                "nation": "Riket",
                "1": "män",
                "2": "kvinnor",
                "1+2": "totalt",
                "ci_low": "nedre gräns, 95 % konfidensintervall",
                "ci_high": "övre gräns, 95 % konfidensintervall",
                "by": "efter",
                "and": "och",
                "subject": "Hälso- och sjukvård",
                "source": "Källa: naravard",
                "vs_Riket": "Riket",
                "vs_Regioner": "Regioner",
                "vs_Kommuner": "Kommuner",
                "grouped": "Värdena för %(grouping)s är beräknade av naravard ur medlemmarnas "
                "värden: andelar och kvoter ur summerade täljare och nämnare, antal summerade, "
                "medelvärden vägda med antalet personer. En grupp har inget värde om någon "
                "medlem saknar värde (...), och visas inte (..) om värdet skulle göra det "
                "möjligt att räkna ut ett dolt värde.",
            }
        ),
        "en": MappingProxyType(
            {
                REGION: "region",
                SEX: "sex",
                CONTENTS: "observations",
                "Annual": "year",
                "Monthly": "month",
                "Other": "period",
                "nation": "Sweden",
                "1": "men",
                "2": "women",
                "1+2": "total",
                "ci_low": "lower bound, 95 % confidence interval",
                "ci_high": "upper bound, 95 % confidence interval",
                "by": "by",
                "and": "and",
                "subject": "Health care",
                "source": "Source: naravard",
                "vs_Riket": "Sweden",
                "vs_Regioner": "Regions",
                "vs_Kommuner": "Municipalities",
                "grouped": "The values of %(grouping)s are computed by naravard from the "
                "members' values: shares and rates from summed numerators and denominators, "
                "counts summed, means weighted by the number of persons. A group has no value "
                "when a member lacks one (...), and is not shown (..) when its value would let "
                "a hidden value be worked out.",
            }
        ),
    }
)
EXPRESSION = re.compile(r"(top|bottom|range|from|to)\((.*)\)", re.IGNORECASE)


class PxWebError(NaravardError):
    """An error of the PxWeb face, answered as an RFC 7807 problem document (``_problem``), as
    the PxWebApi does: the status is the error's own, the title PxWeb's kind of error."""

    def __init__(self, status: int, title: str, detail: str):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


# --- the table model ---------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    code: str
    label: str
    values: tuple[tuple[str, str], ...]  # (code, label) in metadata order
    elimination: bool
    elimination_code: str | None = None
    show: str = "value"
    codelists: tuple[str, ...] = ()

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.values]


@dataclass(frozen=True)
class Table:
    indicator: Indicator
    lang: str
    variables: tuple[Variable, ...]
    periods: MappingProxyType  # Tid code -> naravard period, in time order
    time_unit: str
    grouping: Grouping | None = None  # Region's values are this grouping's groups

    def variable(self, code: str) -> Variable:
        """A variable by its code (any case); 400 for another."""
        for var in self.variables:
            if var.code.casefold() == code.casefold():
                return var
        raise PxWebError(
            400,
            "Non-existent variable",
            f"table {self.indicator.id} has no variable {code!r}; it has "
            f"{', '.join(v.code for v in self.variables)}",
        )

    @property
    def national_level(self) -> str:
        return self.indicator.levels[0] if self.indicator.levels else "region"


def time_code(period: str) -> str:
    """PxWeb's period code: ``2021``, ``2021M03``, or the day for other points in time."""
    if re.fullmatch(r"\d{4}", period):
        return period
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return period.replace("-", "M")
    end = period_end(period)
    if (end.month, end.day) == (12, 31):
        return str(end.year)
    if (end + dt.timedelta(days=1)).day == 1:
        return f"{end.year}M{end.month:02d}"
    return end.isoformat()


def _time_unit(codes: list[str]) -> str:
    if codes and all(re.fullmatch(r"\d{4}", c) for c in codes):
        return "Annual"
    if codes and all(re.fullmatch(r"\d{4}M\d{2}", c) for c in codes):
        return "Monthly"
    return "Other"


def _region_values(ind: Indicator, lang: str) -> tuple[tuple[str, str], ...]:
    values = [(NATION, TEXT[lang]["nation"])]
    if "region" in ind.levels:
        values += Region.objects.order_by("code").values_list("code", "name")
    if "municipality" in ind.levels:
        values += Municipality.objects.order_by("code").values_list("code", "name")
    return tuple(values)


def _codelist_ids(ind: Indicator) -> tuple[str, ...]:
    """The value sets of the levels, then the aggregations of the levels' areas."""
    return (
        ("vs_Riket",)
        + (("vs_Regioner",) if "region" in ind.levels else ())
        + (("vs_Kommuner",) if "municipality" in ind.levels else ())
        + tuple(g.pxweb for level in ind.levels for g in groupings_of(level))
    )


def build_table(pub: PublicIndicator, lang: str) -> Table:
    ind = pub.indicator
    text = TEXT[lang]
    periods = {time_code(p): p for p in pub.periods}
    unit = _time_unit(list(periods))
    contents = [("value", ind.name[lang])]
    if ind.has_interval:
        contents += [(code, f"{ind.name[lang]}, {text[code]}") for code in ("ci_low", "ci_high")]
    variables = (
        Variable(
            REGION,
            text[REGION],
            _region_values(ind, lang),
            True,
            NATION,
            codelists=_codelist_ids(ind),
        ),
        Variable(SEX, text[SEX], tuple((code, text[code]) for code, _ in SEXES), True, "1+2"),
        Variable(CONTENTS, text[CONTENTS], tuple(contents), False),
        Variable(TIME, text[unit], tuple((code, code) for code in periods), False, show="code"),
    )
    return Table(ind, lang, variables, MappingProxyType(periods), unit)


def published(table_id: str) -> PublicIndicator:
    try:
        return public_indicator(table_id.lower())
    except NotPublished:
        raise PxWebError(404, "Non-existent table", f"no published table {table_id!r}") from None


# --- request plumbing --------------------------------------------------------------------


def param(request, name: str) -> str | None:
    """A query parameter, its name in any case (PxWeb clients write both)."""
    for key in request.GET:
        if key.casefold() == name.casefold():
            return request.GET.get(key)
    return None


@overload
def _int_param(request, name: str, default: int, minimum: int = 1) -> int: ...
@overload
def _int_param(request, name: str, default: None, minimum: int = 1) -> int | None: ...
def _int_param(request, name: str, default: int | None, minimum: int = 1) -> int | None:
    """A whole-number query parameter of at least ``minimum`` (``default`` when not given)."""
    raw = param(request, name)
    if raw in (None, ""):
        return default
    try:
        number = int(raw)
    except ValueError:
        raise PxWebError(
            400, "Invalid parameter", f"{name} is a whole number, not {raw!r}"
        ) from None
    if number < minimum:
        raise PxWebError(400, "Invalid parameter", f"{name} is at least {minimum}")
    return number


def _bool_param(request, name: str) -> bool | None:
    """A boolean query parameter (``true`` or ``false``, any case); None when not given."""
    raw = param(request, name)
    if raw is None:
        return None
    if raw.strip().lower() not in ("true", "false"):
        raise PxWebError(400, "Invalid parameter", f"{name} is true or false, not {raw!r}")
    return raw.strip().lower() == "true"


def output(fmt: str | None, raw: list[str]) -> tuple[str, tuple[str, ...]]:
    """A format and its parameters checked (``output_format`` for a request's); a 400 problem
    naming what there is when they do not fit."""
    try:
        checked = pxweb_formats.output_format(fmt)
        return checked, pxweb_formats.output_params(checked, raw)
    except pxweb_formats.FormatError as exc:
        title = "Unsupported output format" if "outputFormat " in str(exc) else "Invalid parameter"
        raise PxWebError(400, title, str(exc)) from None


def output_format(
    request, formats: tuple[str, ...] = pxweb_formats.FORMATS
) -> tuple[str, tuple[str, ...]]:
    """The ``outputFormat`` asked for (json-stat2 when not given) and its checked
    ``outputFormatParams`` (repeated or comma separated); an empty or unknown format, or a
    parameter that is unknown, does not apply to the format or clashes with another, is a 400
    naming the formats or parameters there are."""
    try:
        fmt = pxweb_formats.output_format(param(request, "outputFormat"), formats)
        raw = [
            item
            for key in request.GET
            if key.casefold() == "outputformatparams"
            for item in request.GET.getlist(key)
        ]
        return fmt, pxweb_formats.output_params(fmt, raw)
    except pxweb_formats.FormatError as exc:
        title = "Unsupported output format" if "outputFormat " in str(exc) else "Invalid parameter"
        raise PxWebError(400, title, str(exc)) from None


def _language(request) -> str:
    lang = (param(request, "lang") or DEFAULT_LANGUAGE).lower()
    if lang not in TEXT:
        raise PxWebError(
            400,
            "Unsupported language",
            f"lang is one of {', '.join(code for code, _ in LANGUAGES)}, not {lang!r}",
        )
    return lang


def _problem(request, status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.build_absolute_uri(),
        },
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


def endpoint(*methods: str) -> Callable:
    """A public PxWeb endpoint: CORS for every origin, the language checked, problems as
    JSON. The view gets ``(request, lang, ...)`` and returns a dict or a response."""
    allowed = tuple(methods) + (("HEAD",) if "GET" in methods else ()) + ("OPTIONS",)

    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def inner(request, *args, **kwargs) -> HttpResponseBase:
            if request.method == "OPTIONS":
                response: HttpResponseBase = HttpResponse(status=204)
                response["Access-Control-Allow-Methods"] = ", ".join(allowed)
                response["Access-Control-Allow-Headers"] = "Content-Type, Accept"
                response["Access-Control-Max-Age"] = "86400"
            elif request.method not in allowed:
                response = _problem(
                    request,
                    405,
                    "Method not allowed",
                    f"{request.path} answers {', '.join(methods)}",
                )
                response["Allow"] = ", ".join(allowed)
            else:
                try:
                    result = view(request, _language(request), *args, **kwargs)
                except PxWebError as exc:
                    response = _problem(request, exc.status, exc.title, exc.detail)
                else:
                    response = (
                        result
                        if isinstance(result, HttpResponseBase)
                        else JsonResponse(result, json_dumps_params={"ensure_ascii": False})
                    )
            response["Access-Control-Allow-Origin"] = "*"
            return response

        return csrf_exempt(inner)

    return wrap


class Links:
    """Absolute links to the API's resources, with the language."""

    def __init__(self, request):
        self.request = request
        self.base = reverse("pxweb-config").removesuffix("config")

    def href(self, path: str, **params) -> str:
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return self.request.build_absolute_uri(
            f"{self.base}{path}" + (f"?{query}" if query else "")
        )

    def link(self, rel: str, lang: str, path: str, **params) -> dict:
        return {"rel": rel, "hreflang": lang, "href": self.href(path, lang=lang, **params)}


def _utc(when: dt.datetime | None) -> str | None:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def _updated(indicator_id: str | None = None) -> dict[str, dt.datetime]:
    """When each indicator's public table last changed: its latest release or withdrawal."""
    rows = (
        Release.objects.all()
        if indicator_id is None
        else Release.objects.filter(indicator_id=indicator_id)
    )
    return dict(
        rows.values("indicator_id")
        .annotate(last=Max("published_at"))
        .values_list("indicator_id", "last")
    )


# --- config, tables, code lists ----------------------------------------------------------


def _max_cells() -> int:
    return int(getattr(settings, "PXWEB_MAX_DATA_CELLS", DEFAULT_MAX_DATA_CELLS))


@endpoint("GET")
def config(request, lang):
    """The API's configuration: languages, limits and formats."""
    return {
        "apiVersion": API_VERSION,
        "appVersion": naravard.__version__,
        "languages": [{"id": code, "label": label} for code, label in LANGUAGES],
        "defaultLanguage": DEFAULT_LANGUAGE,
        "maxDataCells": _max_cells(),
        "maxCallsPerTimeWindow": limits.max_calls(),
        "timeWindow": limits.time_window(),
        "license": getattr(settings, "PXWEB_LICENSE", ""),
        "sourceReferences": [
            {"language": code, "text": TEXT[code]["source"]} for code, _ in LANGUAGES
        ],
        "cors": {"enabled": True, "origins": "*"},
        "defaultDataFormat": DATA_FORMAT,
        "dataFormats": list(pxweb_formats.FORMATS),
        "features": [{"id": "CORS", "params": [{"key": "enabled", "value": "True"}]}],
    }


def _table_label(table: Table) -> str:
    text, codes = TEXT[table.lang], list(table.periods)
    span = codes[0] if codes[0] == codes[-1] else f"{codes[0]}-{codes[-1]}"
    return (
        f"{table.indicator.name[table.lang]} {text['by']} {text[REGION]}, {text[SEX]} "
        f"{text['and']} {text[table.time_unit]} {span}"
    )


def _break_notes(table: Table) -> dict[str, str]:
    """The note of each Tid code that is the first published period after a break in the
    indicator's series: "Tidsseriebrott 2021: …" (catalog/breaks.py)."""
    codes = {period: code for code, period in table.periods.items()}
    return {
        codes[period]: " ".join(breaks.note(b, table.lang) for b in found)
        for period, found in breaks.first_after_breaks(
            table.indicator, list(table.periods.values())
        ).items()
    }


def _description(ind: Indicator, period: str, lang: str) -> str:
    version = ind.version_at(period)
    return version.definition[lang] if version else ""


def _table_json(links: Links, table: Table, updated: dt.datetime | None, position: int) -> dict:
    ind, lang = table.indicator, table.lang
    codes = list(table.periods)
    other = [code for code, _ in LANGUAGES if code != lang]
    return {
        "type": "Table",
        "id": ind.id,
        "label": _table_label(table),
        "description": _description(ind, table.periods[codes[-1]], lang),
        "sortCode": f"{position:04d}",
        "updated": _utc(updated),
        "firstPeriod": codes[0],
        "lastPeriod": codes[-1],
        "category": "public",
        "variableNames": [v.label for v in table.variables],
        "discontinued": False,
        "source": ind.source[lang],
        "subjectCode": SUBJECT_CODE,
        "timeUnit": table.time_unit,
        "tags": [],
        "paths": [[{"id": SUBJECT_CODE, "label": TEXT[lang]["subject"]}]],
        "links": [links.link("self", lang, f"tables/{ind.id}")]
        + [links.link("alternate", code, f"tables/{ind.id}") for code in other]
        + [
            links.link("metadata", lang, f"tables/{ind.id}/metadata"),
            links.link("data", lang, f"tables/{ind.id}/data", outputFormat=DATA_FORMAT),
        ],
    }


def _days_ago(days: int) -> dt.datetime:
    """The moment ``days`` days ago; for more days than the calendar has, its first moment
    (``pastDays`` larger than that asks for every table)."""
    try:
        return timezone.now() - dt.timedelta(days=days)
    except OverflowError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


@endpoint("GET")
def tables(request, lang):
    """Every published indicator as a table, ``query`` and ``pastDays`` filtering,
    ``pageNumber`` and ``pageSize`` paging."""
    page_number = _int_param(request, "pageNumber", 1)
    page_size = min(MAX_PAGE_SIZE, _int_param(request, "pageSize", DEFAULT_PAGE_SIZE))
    past_days = _int_param(request, "pastDays", None)
    _bool_param(request, "includeDiscontinued")  # every table here is current: checked only
    words = (param(request, "query") or "").casefold().split()
    links = Links(request)
    updated = _updated()
    since = _days_ago(past_days) if past_days else None
    items = []
    for position, pub in enumerate(public_indicators(), start=1):
        when = updated.get(pub.indicator.id)
        if since and (when is None or when < since):
            continue
        item = _table_json(links, build_table(pub, lang), when, position)
        text = " ".join([item["id"], item["label"], item["description"]]).casefold()
        if all(word in text for word in words):
            items.append(item)
    total_pages = max(1, math.ceil(len(items) / page_size))  # an empty result is one page
    start = (page_number - 1) * page_size
    kept = {
        k: request.GET.get(k)
        for k in request.GET
        if k.casefold() not in ("lang", "pagenumber", "pagesize")
    }

    def page_link(rel: str, number: int) -> dict:
        return links.link(rel, lang, "tables", pageSize=page_size, pageNumber=number, **kept)

    page_links = (
        ([page_link("previous", page_number - 1)] if page_number > 1 else [])
        + ([page_link("next", page_number + 1)] if page_number < total_pages else [])
        + ([page_link("last", total_pages)] if total_pages else [])
    )
    return {
        "language": lang,
        "tables": items[start : start + page_size],
        "page": {
            "pageNumber": page_number,
            "pageSize": page_size,
            "totalElements": len(items),
            "totalPages": total_pages,
            "links": page_links,
        },
        "links": [page_link("self", page_number)],
    }


@endpoint("GET")
def table(request, lang, table_id: str):
    """One table's description (the TableResponse)."""
    pub = published(table_id)
    position = [p.indicator.id for p in public_indicators()].index(pub.indicator.id) + 1
    return {
        "language": lang,
        **_table_json(
            Links(request),
            build_table(pub, lang),
            _updated(pub.indicator.id).get(pub.indicator.id),
            position,
        ),
    }


def _codelist_values(codelist_id: str, lang: str) -> tuple[tuple[str, str], ...] | None:
    if codelist_id == "vs_Riket":
        return ((NATION, TEXT[lang]["nation"]),)
    if codelist_id == "vs_Regioner":
        return tuple(Region.objects.order_by("code").values_list("code", "name"))
    if codelist_id == "vs_Kommuner":
        return tuple(Municipality.objects.order_by("code").values_list("code", "name"))
    grouping = by_pxweb_id(codelist_id)
    if grouping is not None:
        return tuple((g.code, g.name[lang]) for g in grouping.groups)
    return None


def _codelist_info(links: Links, codelist_id: str, lang: str) -> dict:
    grouping = by_pxweb_id(codelist_id)
    return {
        "id": codelist_id,
        "label": grouping.name[lang] if grouping else TEXT[lang][codelist_id],
        "type": "Aggregation" if grouping else "Valueset",
        "links": [links.link("metadata", lang, f"codelists/{codelist_id}")],
    }


@endpoint("GET")
def codelist(request, lang, codelist_id: str):
    """A code list of the ``Region`` variable: a value set (the nation, the regions or the
    municipalities) or an aggregation (groups of regions or municipalities, each value with
    the codes it sums in ``valueMap``)."""
    values = _codelist_values(codelist_id, lang)
    if values is None:
        known = ["vs_Riket", "vs_Regioner", "vs_Kommuner"] + [
            g.pxweb for level in ("region", "municipality") for g in groupings_of(level)
        ]
        raise PxWebError(
            404,
            "Non-existent codelist",
            f"no code list {codelist_id!r}; there are {', '.join(known)}",
        )
    grouping = by_pxweb_id(codelist_id)
    members = {g.code: list(g.members) for g in grouping.groups} if grouping else {}
    links = Links(request)
    return {
        **_codelist_info(links, codelist_id, lang),
        "language": lang,
        "languages": [code for code, _ in LANGUAGES],
        "elimination": False,
        "values": [
            {"code": code, "label": label, "valueMap": members.get(code, [code])}
            for code, label in values
        ],
        "links": [links.link("self", lang, f"codelists/{codelist_id}")],
    }


# --- JSON-stat ---------------------------------------------------------------------------


def _dataset(
    links: Links,
    table: Table,
    chosen: dict[str, list[str]],
    stub: list[str],
    heading: list[str],
    metadata: bool,
) -> dict:
    """The JSON-stat 2.0 dataset of the chosen codes (every code for the metadata); the
    dimensions in the order stub, then heading."""
    order = stub + heading
    ind, lang = table.indicator, table.lang
    time_notes = {  # the break notes of the periods chosen
        code: text for code, text in _break_notes(table).items() if code in chosen[TIME]
    }
    dimension = {}
    for code in order:
        var = table.variable(code)
        labels = dict(var.values)
        selected = chosen[code]
        extension = {
            "elimination": var.elimination,
            "show": var.show,
            "codelists": [_codelist_info(links, c, lang) for c in var.codelists],
        }
        # the name SCB's API 2.0 beta used, which clients written then read (pxwebpy 0.6)
        extension["codeLists"] = extension["codelists"]
        if var.elimination_code:
            extension["eliminationValueCode"] = var.elimination_code
        category = {
            "index": {c: i for i, c in enumerate(selected)},
            "label": {c: labels[c] for c in selected},
        }
        if code == CONTENTS:
            category["unit"] = {
                c: {"base": ind.unit_info.name[lang], "decimals": ind.unit_info.decimals}
                for c in selected
            }
        if code == TIME and time_notes:
            category["note"] = {c: [text] for c, text in time_notes.items()}
            extension["categoryNoteMandatory"] = {c: {"0": True} for c in time_notes}
        dimension[code] = {"label": var.label, "category": category, "extension": extension}
    codes = list(table.periods)
    extension_root: dict[str, Any] = {
        "px": {
            "tableid": ind.id,
            "decimals": ind.unit_info.decimals,
            "official-statistics": False,
            "aggregallowed": False,
            "language": lang,
            "contents": ind.name[lang],
            "description": _description(ind, table.periods[codes[-1]], lang),
            "heading": list(heading),
            "stub": list(stub),
            "matrix": ind.id,
            "subject-code": SUBJECT_CODE,
            "subject-area": TEXT[lang]["subject"],
        },
        "firstPeriod": codes[0],
        "lastPeriod": codes[-1],
        "timeUnit": table.time_unit,
    }
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "href": links.href(f"tables/{ind.id}/{'metadata' if metadata else 'data'}", lang=lang),
        "label": _table_label(table),
        "source": ind.source[lang],
        "updated": _utc(_updated(ind.id).get(ind.id)),
        "role": {"time": [TIME], "geo": [REGION], "metric": [CONTENTS]},
        "id": list(order),
        "size": [len(chosen[code]) for code in order],
        "dimension": dimension,
        "extension": extension_root,
    }
    caveats = ind.caveats_at(table.periods[codes[-1]])  # those of the latest period shown
    notes = [caveats[lang]] if caveats else []
    if table.grouping is not None:
        notes.append(TEXT[lang]["grouped"] % {"grouping": table.grouping.name[lang]})
    chosen_ends = [period_end(table.periods[c]) for c in chosen[TIME]]
    for code, text in time_notes.items():  # a break between periods chosen: the table's too
        if any(end < period_end(table.periods[code]) for end in chosen_ends):
            notes.append(text)
    if notes:
        dataset["note"] = notes
    told = bool(caveats) + (table.grouping is not None)  # the notes before the breaks
    if len(notes) > told:  # a break is a note the reader must see
        extension_root["noteMandatory"] = {str(i): True for i in range(told, len(notes))}
    if metadata:
        dataset["value"] = []  # JSON-stat 2.0 wants a list; the metadata have no values
    return dataset


@endpoint("GET")
def metadata(request, lang, table_id: str):
    """The table's variables and values as a JSON-stat 2.0 dataset without values; with
    ``defaultSelection=true`` only the values of the default selection."""
    output_format(request, (DATA_FORMAT,))  # PxAPI-2.yml: no other format for metadata
    default = _bool_param(request, "defaultSelection")
    table = build_table(published(table_id), lang)
    chosen = (
        choose(table, Selection({}, {})) if default else {v.code: v.codes for v in table.variables}
    )
    return _dataset(Links(request), table, chosen, list(STUB), list(HEADING), metadata=True)


@endpoint("GET")
def default_selection(request, lang, table_id: str):
    """The selection the data answer when none is given (the SelectionResponse)."""
    table = build_table(published(table_id), lang)
    return selection_response(
        request, table, Selection({}, {}), f"tables/{table.indicator.id}/defaultselection"
    )


def selection_response(request, table: Table, selection: Selection, path: str) -> dict:
    """A SelectionResponse: every variable's codes as ``selection`` picks them from the table
    now (its expressions evaluated, its defaults filled in), and the placement."""
    chosen = choose(table, selection)
    stub, heading = placement(table, selection)
    codelists = _codelists(table, selection)
    _grouping, single = _aggregation(table, selection)
    items = []
    for var in table.variables:
        item: dict[str, Any] = {"variableCode": var.code}
        if var.code in codelists:
            item["codelist"] = codelists[var.code]
            if var.code == REGION and single:
                item["outputValues"] = "single"
        item["valueCodes"] = chosen[var.code]
        items.append(item)
    return {
        "language": table.lang,
        "selection": items,
        "placement": {"heading": heading, "stub": stub},
        "links": [Links(request).link("self", table.lang, path)],
    }


# --- selections --------------------------------------------------------------------------


OUTPUT_VALUES = ("aggregated", "single")  # what a code list of groups gives: the groups, or members


@dataclass
class Selection:
    value_codes: dict[str, list[tuple[str, bool]]]  # variable -> (code or expression, literal)
    codelists: dict[str, str]
    heading: list[str] | None = None
    stub: list[str] | None = None
    output_values: dict[str, str] = field(default_factory=dict)  # variable -> OUTPUT_VALUES


def _output_values(variable: str, raw) -> str:
    """``outputValues`` of a variable checked: aggregated or single (any case)."""
    value = raw.strip().lower() if isinstance(raw, str) else None
    if value not in OUTPUT_VALUES:
        raise PxWebError(
            400,
            "Invalid parameter",
            f"outputValues[{variable}] is aggregated or single, not {raw!r}",
        )
    return value


def split_codes(text: str) -> list[tuple[str, bool]]:
    """``01,top(3, 1),[a,b]`` -> codes and expressions; a bracketed code is taken as it is."""
    tokens, depth, current = [], 0, ""
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            tokens.append(current)
            current = ""
        else:
            current += char
    tokens.append(current)
    out = []
    for token in (t.strip() for t in tokens):
        if token.startswith("[") and token.endswith("]"):
            out.append((token[1:-1], True))
        elif token:
            out.append((token, False))
    return out


def _get_selection(request) -> Selection:
    selection = Selection({}, {})
    for key in request.GET:
        match = re.fullmatch(r"(valuecodes|codelist|outputvalues)\[(.+)\]", key, re.IGNORECASE)
        if not match:
            continue
        kind, variable = match.group(1).lower(), match.group(2)
        if kind == "valuecodes":
            selection.value_codes.setdefault(variable, []).extend(
                code for value in request.GET.getlist(key) for code in split_codes(value)
            )
        elif kind == "codelist":
            selection.codelists[variable] = request.GET.get(key)
        else:
            selection.output_values[variable] = _output_values(variable, request.GET.get(key))
    for name in ("heading", "stub"):
        raw = param(request, name)
        if raw is not None:
            setattr(selection, name, [v.strip() for v in raw.split(",") if v.strip()])
    return selection


def json_body(request) -> dict:
    """A request's JSON object; a 400 problem for an empty body, not JSON, or not an object."""
    if not request.body.strip():
        raise PxWebError(400, "Invalid query", 'the body names a selection: {"selection": [...]}')
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PxWebError(400, "Invalid query", f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise PxWebError(400, "Invalid query", 'the body is an object: {"selection": [...]}')
    return body


def _post_selection(request) -> Selection:
    return selection_of(json_body(request))


def selection_of(body: dict) -> Selection:
    """The selection of a VariablesSelection object (``selection``, ``placement``)."""
    if "selection" not in body:
        raise PxWebError(400, "Invalid query", 'selection is missing: {"selection": [...]}')
    items = body["selection"]
    if not isinstance(items, list):
        raise PxWebError(400, "Invalid query", "selection is a list of variable selections")
    selection = Selection({}, {})
    for item in items:
        variable = item.get("variableCode") if isinstance(item, dict) else None
        if not isinstance(variable, str) or not variable:
            raise PxWebError(400, "Invalid query", "every selection names its variableCode")
        if variable in selection.value_codes:
            raise PxWebError(400, "Invalid query", f"{variable} is selected twice")
        codes = item.get("valueCodes") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise PxWebError(400, "Invalid query", f"valueCodes of {variable} is a list of strings")
        selection.value_codes[variable] = [(c.strip(), False) for c in codes if c.strip()]
        codelist_id = item.get("codelist") or item.get("codeList")
        if codelist_id:
            selection.codelists[variable] = str(codelist_id)
        if item.get("outputValues") is not None:
            selection.output_values[variable] = _output_values(variable, item["outputValues"])
    placement = body.get("placement") or {}
    if not isinstance(placement, dict):
        raise PxWebError(400, "Invalid query", "placement is an object with heading and stub")
    for name in ("heading", "stub"):
        names = placement.get(name)
        if names is not None:
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise PxWebError(400, "Invalid query", f"placement.{name} is a list of variables")
            setattr(selection, name, names)
    return selection


def _count(args: list[str], expression: str) -> tuple[int, int]:
    try:
        numbers = [int(a) for a in args]
    except ValueError:
        numbers = []
    if len(numbers) not in (1, 2) or min(numbers) < 0:
        raise PxWebError(
            400,
            "Invalid expression",
            f"{expression}: give a count and an optional offset, e.g. top(3) or top(3,1)",
        )
    return numbers[0], (numbers[1] if len(numbers) == 2 else 0)


def _tid(table: Table, typed: str) -> str:
    """The ``Tid`` code of a period written as naravard and people write it, by the
    indicator's rule (2022-12-31 or 2022 for a point in time is ``2022``, 2021-03 is
    ``2021M03``); a 400 problem naming the published periods for an unknown one."""
    ind, codes = table.indicator, list(table.periods)
    try:
        period = ind.find_period(typed, list(table.periods.values()), published=True)
    except PeriodError as exc:
        listed = ", ".join(codes)
        raise PxWebError(
            400,
            "Non-existent value",
            exc.message(table.lang)
            + (f" Tid codes: {listed}." if table.lang == "en" else f" Tid-koder: {listed}."),
        ) from None
    return next(code for code, per in table.periods.items() if per == period)


def _evaluate(
    var: Variable, codes: list[str], token: str, literal: bool, table: Table | None = None
) -> list[str]:
    """The codes a value code or expression selects (in metadata order); a period of
    ``Tid`` may also be written as naravard writes it (2022-12-31, 2021-03)."""
    lookup = {c.casefold(): c for c in codes}

    def find(code: str) -> str:
        found = lookup.get(code.casefold()) or lookup.get(code.replace(" ", "+").casefold())
        if found is None and var.code == TIME and table is not None:
            found = _tid(table, code)
            if found not in codes:
                found = None
        if found is None:
            raise PxWebError(
                400, "Non-existent value", f"variable {var.code} has no value {code!r}"
            )
        return found

    if literal:
        return [find(token)]
    match = EXPRESSION.fullmatch(token)
    if match:
        name, args = match.group(1).lower(), [a.strip() for a in match.group(2).split(",")]
        if name in ("top", "bottom"):
            n, offset = _count(args, token)
            # top is the first codes, except for time: the latest periods
            from_end = (name == "top") == (var.code == TIME)
            if from_end:
                return codes[max(0, len(codes) - offset - n) : max(0, len(codes) - offset)]
            return codes[offset : offset + n]
        if name == "range" and len(args) == 2:
            first, last = sorted((codes.index(find(args[0])), codes.index(find(args[1]))))
            return codes[first : last + 1]
        if name in ("from", "to") and len(args) == 1:
            at = codes.index(find(args[0]))
            return codes[at:] if name == "from" else codes[: at + 1]
        raise PxWebError(
            400, "Invalid expression", f"{token}: range takes two codes, from and to one"
        )
    if "*" in token or "?" in token:
        pattern = re.compile(
            "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in token),
            re.IGNORECASE,
        )
        return [c for c in codes if pattern.fullmatch(c)]
    return [find(token)]


def _default(table: Table, variable: str, whole_table: bool) -> list[str]:
    """What a variable left out of the selection shows: its elimination value, the latest
    period, the indicator's value; in the default table the nation with every region and
    each sex too."""
    var = table.variable(variable)
    if variable == TIME:
        return var.codes[-1:]
    if variable == CONTENTS:
        return ["value"]
    if whole_table and variable == SEX:
        return var.codes
    if whole_table and variable == REGION:
        return [c for c in var.codes if len(c) == 2]
    assert var.elimination_code is not None, "the variables left (region, sex) have one"
    return [var.elimination_code]


def _codelists(table: Table, selection: Selection) -> dict[str, str]:
    """The code list chosen for each variable (by the variable's code), each checked against
    the variable's; outputValues only where a code list is chosen."""
    codelists: dict[str, str] = {}
    for name, codelist_id in selection.codelists.items():
        var = table.variable(name)
        if codelist_id not in var.codelists:
            raise PxWebError(
                400,
                "Non-existent codelist",
                f"variable {var.code} has no code list {codelist_id!r}"
                + (f"; it has {', '.join(var.codelists)}" if var.codelists else ""),
            )
        codelists[var.code] = codelist_id
    for name in selection.output_values:
        var = table.variable(name)
        if var.code not in codelists:
            raise PxWebError(
                400,
                "Invalid parameter",
                f"outputValues[{var.code}] goes with a code list: codelist[{var.code}]="
                + (var.codelists[-1] if var.codelists else "…"),
            )
    return codelists


def _aggregation(table: Table, selection: Selection) -> tuple[Grouping | None, bool]:
    """The grouping of the aggregation code list chosen for Region, if one is, and whether
    the members are asked for (``outputValues`` single) rather than the groups."""
    codelist_id = _codelists(table, selection).get(REGION)
    grouping = by_pxweb_id(codelist_id) if codelist_id else None
    single = any(
        table.variable(name).code == REGION and value == "single"
        for name, value in selection.output_values.items()
    )
    return grouping, single


def present(table: Table, selection: Selection) -> Table:
    """The table as the selection shows it: with an aggregation code list on Region (and
    outputValues aggregated, the default) Region's values are the groups."""
    if table.grouping is not None:
        return table
    grouping, single = _aggregation(table, selection)
    if grouping is None or single:
        return table
    variables = tuple(
        replace(
            var,
            values=tuple((g.code, g.name[table.lang]) for g in grouping.groups),
            elimination=False,
            elimination_code=None,
        )
        if var.code == REGION
        else var
        for var in table.variables
    )
    return replace(table, variables=variables, grouping=grouping)


def choose(table: Table, selection: Selection) -> dict[str, list[str]]:
    """Every variable's selected codes, in metadata order (of the table as :func:`present`
    shows it). With a code list of groups on Region the codes select groups, every group if
    none are given; with outputValues single the answer is their members."""
    table = present(table, selection)
    whole_table = not selection.value_codes and not selection.codelists
    given: dict[str, list[tuple[str, bool]]] = {}
    for name, tokens in selection.value_codes.items():
        given[table.variable(name).code] = tokens
    codelists = _codelists(table, selection)
    grouping, single = _aggregation(table, selection)
    chosen = {}
    for var in table.variables:
        codes = var.codes
        members: dict[str, tuple[str, ...]] = {}
        if var.code == REGION and grouping is not None and single:
            members = {g.code: g.members for g in grouping.groups}
            codes = list(members)
        elif var.code in codelists and table.grouping is None:
            listed = {c for c, _ in _codelist_values(codelists[var.code], table.lang) or ()}
            codes = [c for c in codes if c in listed]
        if not given.get(var.code):
            chosen[var.code] = (
                codes
                if var.code == REGION and grouping is not None
                else _default(table, var.code, whole_table)
            )
        else:
            picked = set()
            for token, literal in given[var.code]:
                picked.update(_evaluate(var, codes, token, literal, table))
            chosen[var.code] = [c for c in codes if c in picked]
            if not chosen[var.code]:
                raise PxWebError(
                    400,
                    "No values selected",
                    f"the selection of {var.code} matches none of its values",
                )
        if members:  # the groups' members, in the order of the table's values
            inside = {m for code in chosen[var.code] for m in members[code]}
            chosen[var.code] = [c for c in var.codes if c in inside]
    return chosen


def placement(table: Table, selection: Selection) -> tuple[list[str], list[str]]:
    """The stub and the heading; the values run in the order stub, then heading."""
    heading = (
        [table.variable(v).code for v in selection.heading]
        if selection.heading is not None
        else None
    )
    stub = [table.variable(v).code for v in selection.stub] if selection.stub is not None else None
    named = (heading or []) + (stub or [])
    if len(set(named)) != len(named):
        raise PxWebError(400, "Invalid placement", "a variable is placed twice")
    if heading is None:
        heading = [v for v in HEADING if v not in (stub or [])]
    stub = (stub or []) + [v for v in STUB + HEADING if v not in heading and v not in (stub or [])]
    return stub, heading


# --- data --------------------------------------------------------------------------------


def _rows(table: Table, chosen: dict[str, list[str]]) -> dict[tuple[str, str], dict]:
    """The published rows of the chosen areas by (period, sex) and area, every one the
    answer reads looked up before a value is sent (an indicator withdrawn meanwhile is a 404,
    not an answer broken off)."""
    ind = table.indicator
    sexes = dict(SEXES)
    periods = [table.periods[code] for code in chosen[TIME]]
    try:
        if table.grouping is not None:
            grouped: dict[tuple[str, str], dict] = {}
            for time_code, period in zip(chosen[TIME], periods, strict=True):
                groups = public_groups(ind.id, period)
                for sex_code in chosen[SEX]:
                    grouped[(time_code, sex_code)] = {
                        code: groups.get((table.grouping.id, code, sexes[sex_code]))
                        for code in chosen[REGION]
                    }
            return grouped
        levels = {  # the levels that hold the areas asked for
            table.national_level
            if org == NATION
            else ("region" if len(org) == 2 else "municipality")
            for org in chosen[REGION]
        }
        tables = published_tables(
            ind.id, periods, [sexes[code] for code in chosen[SEX]], sorted(levels)
        )
    except NotPublished as exc:  # withdrawn while we answered
        raise PxWebError(404, "Non-existent value", str(exc)) from None
    found: dict[tuple[str, str], dict] = {}
    for time_code, period in zip(chosen[TIME], periods, strict=True):
        for sex_code in chosen[SEX]:
            by_org = {}
            for level in levels:
                shown = tables[(period, sexes[sex_code], level)]
                by_org.update({r.org: r for r in shown.rows})
                if shown.national is not None and level == table.national_level:
                    by_org[NATION] = shown.national
            found[(time_code, sex_code)] = by_org
    return found


def _cells(
    chosen: dict[str, list[str]], order: list[str], rows: dict[tuple[str, str], dict]
) -> Iterator[tuple[float | None, str | None]]:
    """Each cell's value and, if it has none, its status, in the row-major order of ``order``."""
    fields = dict(CONTENT_FIELDS)
    at = {variable: order.index(variable) for variable in (REGION, SEX, CONTENTS, TIME)}
    for combo in itertools.product(*(chosen[v] for v in order)):
        result = rows[(combo[at[TIME]], combo[at[SEX]])].get(combo[at[REGION]])
        if result is not None and result.suppressed:
            yield None, SUPPRESSED
            continue
        value = None if result is None else getattr(result, fields[combo[at[CONTENTS]]])
        yield value, (MISSING if value is None else None)


def _values(
    chosen: dict[str, list[str]], order: list[str], rows: dict[tuple[str, str], dict]
) -> tuple[list[float | None], dict[str, str]]:
    """Dense values in the row-major order of ``order``, and the status of empty cells."""
    values, status = [], {}
    for position, (value, state) in enumerate(_cells(chosen, order, rows)):
        values.append(value)
        if state is not None:
            status[str(position)] = state
    return values, status


def _streamed(
    dataset: dict, chosen: dict[str, list[str]], order: list[str], rows: dict
) -> StreamedAnswer:
    """The dataset with its values sent as they are made, then the status of empty cells."""
    status: dict[str, str] = {}

    def values() -> Iterator[float | None]:
        for position, (value, state) in enumerate(_cells(chosen, order, rows)):
            if state is not None:
                status[str(position)] = state
            yield value

    return StreamedAnswer(
        [
            *dataset.items(),
            ("value", Items(values())),
            ("status", After(lambda: status or OMITTED)),
        ]
    )


@endpoint("GET", "POST")
def data(request, lang, table_id: str):
    """Values of a selection (query parameters on GET, a JSON body on POST) in the
    ``outputFormat`` asked for (JSON-stat 2.0 when none is)."""
    fmt, params = output_format(request)
    table = build_table(published(table_id), lang)  # an unknown table: 404 before the rest
    selection = _post_selection(request) if request.method == "POST" else _get_selection(request)
    return answer(request, lang, table.indicator.id, selection, fmt, params, table=table)


def answer(
    request,
    lang: str,
    table_id: str,
    selection: Selection,
    fmt: str = DATA_FORMAT,
    params: tuple[str, ...] = (),
    *,
    table: Table | None = None,
) -> HttpResponseBase:
    """The data of a parsed selection of a table, in the format ``fmt`` (one of
    ``pxweb_formats.FORMATS``, its ``params`` checked by ``output_format``): the JSON-stat
    2.0 dataset, or that dataset rendered by ``pxweb_formats``. Raises PxWebError (404 for an
    unknown table, 400 for a bad selection, 403 above maxDataCells); a view under
    ``endpoint`` answers it as a problem. ``table`` spares building it again."""
    if table is None:
        table = build_table(published(table_id), lang)
    table = present(table, selection)
    chosen = choose(table, selection)
    stub, heading = placement(table, selection)
    order = stub + heading
    cells = math.prod(len(chosen[v]) for v in order)
    limit = _max_cells()
    if cells > limit:
        raise PxWebError(
            403,
            "Too many cells selected",
            f"the selection has {cells} cells; the limit is {limit} (maxDataCells "
            "in /config): select fewer values or split the query",
        )
    dataset = _dataset(Links(request), table, chosen, stub, heading, metadata=False)
    rows = _rows(table, chosen)
    if fmt == DATA_FORMAT and cells > STREAMED_FROM:
        return _streamed(dataset, chosen, order, rows)
    dataset["value"], status = _values(chosen, order, rows)
    if status:
        dataset["status"] = status
    if fmt == DATA_FORMAT:
        return JsonResponse(dataset, json_dumps_params={"ensure_ascii": False})
    return pxweb_formats.render(dataset, fmt, params)


@endpoint("GET", "POST")
def not_found(request, lang, rest: str = ""):
    """Any other path under ``/api/v2/``."""
    raise PxWebError(
        404,
        "Not found",
        f"{request.path} is not a PxWeb API endpoint here; see "
        "config, tables, tables/ID, tables/ID/metadata, tables/ID/data, codelists/ID",
    )
