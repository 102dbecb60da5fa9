"""The open-data API: published indicators, their values with intervals, the reference data
and published survey results; JSON, or CSV and XLSX downloads of every table. No login."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router
from ninja.errors import HttpError

from naravard.analysis.api import IndicatorOut, indicator_out
from naravard.collect.models import Round
from naravard.collect.results import results_json
from naravard.core.tables import write_csv, write_xlsx
from naravard.publish.open_data import (
    COLUMNS,
    public_indicator,
    public_indicators,
    public_profile,
    table_rows,
)
from naravard.refdata.models import Municipality, Region

router = Router(tags=["open data"])
FORMATS = ("json", "csv", "xlsx")


def download(name: str, header: list[str], rows: list[list], fmt: str, excel: bool):
    """A table as JSON records, CSV (``excel``: semicolons and a BOM for the Swedish Excel)
    or XLSX, with a file name."""
    if fmt not in FORMATS:
        raise HttpError(400, f"format is one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "json":
        return [dict(zip(header, row, strict=True)) for row in rows]
    if fmt == "csv":
        response = HttpResponse(
            write_csv(header, rows, excel=excel), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            write_xlsx(header, rows),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@router.get("/indicators", response=list[IndicatorOut], summary="Published indicators")
def indicators(request):
    """Every indicator with a published period; `periods` lists the published ones."""
    return [indicator_out(p.indicator, p.periods) for p in public_indicators()]


@router.get(
    "/indicators/{indicator_id}",
    response=IndicatorOut,
    summary="One published indicator's metadata",
)
def indicator(request, indicator_id: str):
    pub = public_indicator(indicator_id)  # NotPublished: a 404
    return indicator_out(pub.indicator, pub.periods)


@router.get(
    "/indicators/{indicator_id}/values",
    summary="Published values with 95 % intervals, per region or municipality",
)
def values(
    request,
    indicator_id: str,
    period: str | None = None,
    level: str = "region",
    sex: str = "T",
    age_band: str = "total",
    format: str = "json",
    excel: bool = False,
):
    """One period (the latest published if none is given). Cells hidden by disclosure
    control have `suppressed: true` and no value. `format=csv|xlsx` downloads the table;
    `excel=true` writes CSV for the Swedish Excel (semicolons, BOM)."""
    p = public_profile(indicator_id, period, sex, level, age_band, trends=False)  # or a 404
    return download(
        f"{indicator_id}-{p.period}-{level}-{sex}",
        list(COLUMNS),
        table_rows(p, age_band),
        format,
        excel,
    )


@router.get("/regions", summary="The 21 regions")
def regions(request, format: str = "json", excel: bool = False):
    rows = [[r.code, r.name, r.county_name, r.iso_code] for r in Region.objects.order_by("code")]
    return download("regioner", ["code", "name", "county", "iso_code"], rows, format, excel)


@router.get("/municipalities", summary="The 290 municipalities with their region")
def municipalities(request, format: str = "json", excel: bool = False):
    rows = [[m.code, m.name, m.code[:2]] for m in Municipality.objects.order_by("code")]
    return download("kommuner", ["code", "name", "region"], rows, format, excel)


@router.get("/surveys", summary="Collection rounds whose results are published")
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


@router.get("/surveys/{round_id}/results", summary="Published survey results per question")
def survey_results(request, round_id: int, format: str = "json", excel: bool = False):
    """Per question: n and, per option, count and percent. `format=csv|xlsx` downloads one
    row per answer option."""
    rnd = Round.objects.filter(pk=round_id, is_published=True).first()
    if rnd is None:
        raise HttpError(404, f"no published round {round_id}")
    results = results_json(rnd)
    if format == "json":
        return results
    return download(f"{rnd.form_id}-resultat", SURVEY_COLUMNS, survey_rows(results), format, excel)
