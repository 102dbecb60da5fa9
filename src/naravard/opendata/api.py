"""The open-data API: published indicators, their values with intervals, the reference data
and published survey results; JSON, or CSV and XLSX downloads of every table. No login."""

from __future__ import annotations

from typing import Any, Literal, get_args

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from naravard.analysis.api import IndicatorOut, indicator_out
from naravard.analysis.freshness import judge
from naravard.collect.api import ResultsOut
from naravard.collect.models import Round
from naravard.collect.results import results_json
from naravard.core.apischema import RowId, errors
from naravard.core.tables import XLSX, write_csv, write_xlsx
from naravard.ingest.models import AgeBand, Sex
from naravard.publish.open_data import (
    COLUMNS,
    Level,
    PublicIndicator,
    public_coverage,
    public_indicator,
    public_indicators,
    public_profile,
    table_rows,
)
from naravard.refdata.models import Municipality, Region
from naravard.report.models import FollowUp
from naravard.report.newest import public_followup

router = Router(tags=["open data"])
Format = Literal["json", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = get_args(Format)


# The OpenAPI of an operation whose table is also a download: besides JSON, its 200 answer is
# CSV (format=csv) or an Excel workbook (format=xlsx).
AS_FILE: dict[str, Any] = {
    "responses": {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    }
}


class ValueRowOut(Schema):
    """One organisation's published value (or the nation's, org "00")."""

    indicator: str
    org: str
    name: str
    period: str
    sex: str
    age_band: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool
    vs_national: str | None
    target_reached: bool | None
    rank: int | None


class RegionOut(Schema):
    code: str
    name: str
    county: str
    iso_code: str


class MunicipalityOut(Schema):
    code: str
    name: str
    region: str


class SurveyOut(Schema):
    round: int
    form: str
    title: str
    deadline: str


def download(name: str, header: list[str], rows: list[list], fmt: Format, excel: bool):
    """A table as JSON records, CSV (``excel``: semicolons and a BOM for the Swedish Excel)
    or XLSX, with a file name."""
    if fmt == "json":
        return [dict(zip(header, row, strict=True)) for row in rows]
    if fmt == "csv":
        response = HttpResponse(
            write_csv(header, rows, excel=excel), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            write_xlsx(header, rows),
            content_type=XLSX,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _metadata(pub: PublicIndicator, followup: FollowUp | None) -> IndicatorOut:
    """The indicator's metadata, its latest published period judged against the newest
    published follow-up, and how many areas have a published value in that period."""
    latest = pub.periods[-1]
    return indicator_out(
        pub.indicator,
        pub.periods,
        judge(pub.indicator, pub.periods, followup),
        [public_coverage(pub.indicator.id, latest, level) for level in pub.indicator.levels],
    )


@router.get("/indicators", response={200: list[IndicatorOut]}, summary="Published indicators")
def indicators(request):
    """Every indicator with a published period; `periods` lists the published ones.
    `latest_period` is the latest of them; `stale` is true when it is older than the newest
    published follow-up expects (its `latest_period_label` then reads "senaste tillgängliga:
    mars 2020"), null before any follow-up is published; `coverage` says how many regions
    (or municipalities) have a published value in it."""
    followup = public_followup()
    return [_metadata(p, followup) for p in public_indicators()]


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, **errors(404)},
    summary="One published indicator's metadata",
)
def indicator(request, indicator_id: str):
    """As in the list: the published periods, the latest judged against the newest published
    follow-up (`stale`, `latest_period_label`) and its `coverage`."""
    pub = public_indicator(indicator_id)  # NotPublished: a 404
    return _metadata(pub, public_followup())


@router.get(
    "/indicators/{indicator_id}/values",
    response={200: list[ValueRowOut], **errors(400, 404)},
    summary="Published values with 95 % intervals, per region or municipality",
    openapi_extra=AS_FILE,
)
def values(
    request,
    indicator_id: str,
    period: str | None = None,
    level: Level = "region",
    sex: Sex = "T",
    age_band: AgeBand = "total",
    format: Format = "json",
    excel: bool = False,
):
    """One period (the latest published if none is given), for one sex (T both, K women,
    M men) and age band. Cells hidden by disclosure control have `suppressed: true` and no
    value. `format=csv|xlsx` downloads the table; `excel=true` writes CSV for the Swedish
    Excel (semicolons, BOM)."""
    p = public_profile(indicator_id, period, sex, level, age_band, trends=False)  # or a 404
    return download(
        f"{indicator_id}-{p.period}-{level}-{sex}",
        list(COLUMNS),
        table_rows(p, age_band),
        format,
        excel,
    )


@router.get(
    "/regions",
    response={200: list[RegionOut], **errors(400)},
    summary="The 21 regions",
    openapi_extra=AS_FILE,
)
def regions(request, format: Format = "json", excel: bool = False):
    """`format=csv|xlsx` downloads the table."""
    rows = [[r.code, r.name, r.county_name, r.iso_code] for r in Region.objects.order_by("code")]
    return download("regioner", ["code", "name", "county", "iso_code"], rows, format, excel)


@router.get(
    "/municipalities",
    response={200: list[MunicipalityOut], **errors(400)},
    summary="The 290 municipalities with their region",
    openapi_extra=AS_FILE,
)
def municipalities(request, format: Format = "json", excel: bool = False):
    """`format=csv|xlsx` downloads the table."""
    rows = [[m.code, m.name, m.code[:2]] for m in Municipality.objects.order_by("code")]
    return download("kommuner", ["code", "name", "region"], rows, format, excel)


@router.get(
    "/surveys",
    response={200: list[SurveyOut]},
    summary="Collection rounds whose results are published",
)
def surveys(request):
    return [
        {"round": r.pk, "form": r.form_id, "title": r.title, "deadline": r.deadline.isoformat()}
        for r in Round.objects.filter(is_published=True).order_by("-deadline")
    ]


SURVEY_COLUMNS = ["question", "field", "option", "count", "percent", "n"]


def survey_rows(results: dict) -> list[list]:
    """The per-question results as one row per answer option (group fields included)."""
    rows = []
    for question, entry in results["questions"].items():
        for code, o in (entry.get("options") or {}).items():
            rows.append([question, "", code, o["count"], o["percent"], entry["n"]])
        for field, f in (entry.get("fields") or {}).items():
            for code, o in f["options"].items():
                rows.append([question, field, code, o["count"], o["percent"], entry.get("rows")])
    return rows


@router.get(
    "/surveys/{round_id}/results",
    response={200: ResultsOut, **errors(400, 404)},
    exclude_unset=True,  # a question has the parts its type has, no nulls for the others
    summary="Published survey results per question",
    openapi_extra=AS_FILE,
)
def survey_results(request, round_id: RowId, format: Format = "json", excel: bool = False):
    """Per question: n and, per option, count and percent. `format=csv|xlsx` downloads one
    row per answer option."""
    rnd = Round.objects.filter(pk=round_id, is_published=True).first()
    if rnd is None:
        raise HttpError(404, f"no published round {round_id}")
    results = results_json(rnd)
    if format == "json":
        return results
    return download(f"{rnd.form_id}-resultat", SURVEY_COLUMNS, survey_rows(results), format, excel)
