"""The numbers of a public page as a file for people to open in a spreadsheet ("Ladda ner").

A page's table is built here as a :class:`Sheet`: headers and values in the page's language
("bättre", "ja", "31 december 2023"), each number rounded as the page shows it (the unit's
decimals; counts whole), and the facts a reader needs beside the numbers (definition, source,
period, release, caveats, licence, the page it came from). Two files are written from it:

- ``csv``: for Excel in the page's language. On the Swedish pages semicolons and the decimal
  comma, as Excel and LibreOffice read a file with a Swedish locale; on the English pages
  commas and the decimal point. UTF-8 with a BOM and CRLF, every cell made inert
  (core/tables.py). The facts follow the table after an empty line.
- ``xlsx``: the table with its numbers as numbers (shown with the unit's decimals), the facts
  on a second sheet.

The machine-readable files (every digit, English codes) stay with the open API (``/api/open/``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from naravard.analysis import wording
from naravard.analysis.profile import OrgResult, Profile
from naravard.catalog.catalogue import Indicator
from naravard.catalog.units import UNITS
from naravard.core.dates import period_label
from naravard.core.language import pick
from naravard.core.tables import XLSX, append_rows, append_table, inert
from naravard.ingest.models import NATION

FORMATS = ("csv", "xlsx")


@dataclass
class Sheet:
    """A table with the decimals of each column (None: a text column) and the facts about
    it, as (label, text) pairs."""

    name: str  # the file's name, without its suffix
    header: list[str]
    decimals: list[int | None]
    rows: list[list[Any]] = field(default_factory=list)
    about: list[tuple[str, str]] = field(default_factory=list)

    def rounded(self) -> list[list[Any]]:
        """The rows with every number rounded to its column's decimals (whole numbers as
        ints), as the page shows them."""
        return [
            [_round(value, places) for value, places in zip(row, self.decimals, strict=True)]
            for row in self.rows
        ]


def _round(value: Any, places: int | None) -> Any:
    if places is None or value is None or isinstance(value, str):
        return value
    return int(round(float(value))) if places == 0 else round(float(value), places)


def _sex(code: str) -> str:
    return {"T": _("totalt"), "K": _("kvinnor"), "M": _("män")}[code]


def _age(band: str) -> str:
    return _("alla åldrar") if band == "total" else band


def _yes_no(flag: bool) -> str:
    return _("ja") if flag else _("nej")


def _count_places(values: Sequence[float | None]) -> int:
    """Numerators and denominators: whole numbers when they all are, else two decimals."""
    return 0 if all(v is None or float(v).is_integer() for v in values) else 2


def indicator_sheet(
    p: Profile, level: str, age_band: str, page_url: str, release, revised: dict | None = None
) -> Sheet:
    """One period of an indicator as its page shows it: every area, then the nation; a
    value revised since the period's first release (``revised``, publish/revisions.py, by
    area code) says when and why."""
    revised = revised or {}
    ind = p.indicator
    places = ind.unit_info.decimals
    rows = [*p.rows, *([p.national] if p.national else [])]
    counts = _count_places([v for r in rows for v in (r.numerator, r.denominator)])
    sheet = Sheet(
        f"{ind.id}-{p.period}-{level}-{p.sex}",
        [
            _("Kod"),
            _("Område"),
            _("Period"),
            _("Kön"),
            _("Ålder"),
            _("Värde (%(unit)s)") % {"unit": ind.unit_info.label()},
            _("Nedre gräns, 95 %"),
            _("Övre gräns, 95 %"),
            _("Täljare"),
            _("Nämnare"),
            _("Dold av sekretesskäl"),
            _("Jämfört med riket"),
            _("Målet"),
            _("Rang"),
            _("Reviderad"),
        ],
        [
            *(None, None, None, None, None, places, places, places, counts, counts),
            *(None, None, None, 0, None),
        ],
    )
    for row in rows:
        sheet.rows.append(
            [
                row.org,
                _("Riket") if row.org == NATION else row.name,
                period_label(p.period),
                _sex(p.sex),
                _age(age_band),
                row.value,
                row.ci_low,
                row.ci_high,
                row.numerator,
                row.denominator,
                _yes_no(row.suppressed),
                wording.vs_national(row),
                wording.target_status(row, p.target),
                row.rank,
                _revised(revised.get(row.org)),
            ]
        )
    sheet.about = _about(ind, p.period, page_url, release)
    return sheet


def _revised(rev) -> str:
    """A revision as the file says it: '3 mars 2025: reason', '' for none."""
    if rev is None:
        return ""
    day = period_label(rev.revised_on)
    return f"{day}: {rev.reason}" if rev.reason else day


def area_sheet(
    code: str, name: str, items: list[dict], group_name: str | None, page_url: str
) -> Sheet:
    """A region's or municipality's indicators (``org_indicators``' rows): its value, its
    group's, the nation's, the comparison, the target and the trend, in the latest period."""
    header = [_("Indikator"), _("Enhet"), _("Period"), name]
    if group_name:
        header.append(_("Kommungruppen %(group)s") % {"group": group_name})
    header += [_("Riket"), _("Jämfört med riket"), _("Målet"), _("Trend")]
    sheet = Sheet(f"{code}-indikatorer", header, [None] * len(header))  # values of many units
    for item in items:
        ind: Indicator = item["ind"]
        places = ind.unit_info.decimals
        cells: list[Any] = [
            pick(ind.name),
            ind.unit_info.label(),
            period_label(item["p"].period),
            _value(item["row"], places),
        ]
        if group_name:
            cells.append(_value(item.get("group"), places))
        cells += [
            _value(item["p"].national, places),
            wording.vs_national(item["row"]),
            wording.target_status(item["row"], item["p"].target),
            wording.trend(item["row"]),
        ]
        sheet.rows.append(cells)
    sheet.about = [
        (_("Område"), name),
        (_("Källa"), _("naravard: publicerade värden, senaste publicerade period")),
        *_common_about(page_url),
    ]
    return sheet


def area_history_sheet(
    code: str,
    name: str,
    cells: list[dict],
    group_name: str | None,
    notes: Sequence,
    page_url: str,
) -> Sheet:
    """A region's or municipality's indicators over every published period (the page's
    history table, ``history_table``): its value, its group's and the nation's, a break in an
    indicator's series marked on the first period after it and explained in the facts."""
    header = [_("Indikator"), _("Enhet"), _("Period"), name]
    if group_name:
        header.append(_("Kommungruppen %(group)s") % {"group": group_name})
    header += [_("Riket"), _("Tidsseriebrott")]
    sheet = Sheet(f"{code}-historik", header, [None] * len(header))  # values of many units
    for cell in cells:
        unit = UNITS[cell["unit"]]
        values = [cell["own"], *([cell["group"]] if group_name else []), cell["nation"]]
        mark = cell["mark"]
        sheet.rows.append(
            [
                cell["indicator"],
                unit.label(),
                period_label(cell["period"]),
                *(_round(v, unit.decimals) for v in values),
                str(mark.number) if mark else "",
            ]
        )
    sheet.about = [
        (_("Område"), name),
        (_("Källa"), _("naravard: publicerade värden, alla publicerade perioder")),
        *((_("Tidsseriebrott %(n)d") % {"n": n.number}, n.text) for n in notes),
        *_common_about(page_url),
    ]
    return sheet


def comparison_sheet(columns, table: list[dict], page_url: str) -> Sheet:
    """The comparison tool's table: per chosen indicator (latest period) each chosen region's
    value and the nation's, with the 95 % interval as its own columns."""
    header = [_("Indikator"), _("Enhet"), _("Period")]
    for name in [r.name for r in columns] + [_("Riket")]:
        header += [
            name,
            _("%(area)s, nedre gräns 95 %%") % {"area": name},
            _("%(area)s, övre gräns 95 %%") % {"area": name},
        ]
    sheet = Sheet("jamforelse", header, [None] * len(header))
    for item in table:
        places = item["indicator"].unit_info.decimals
        cells: list[Any] = [
            item["name"],
            item["indicator"].unit_info.label(),
            period_label(item["period"]),
        ]
        for row in [*item["cells"], item["national"]]:
            cells += [
                _value(row, places),
                _round(row.ci_low, places) if row is not None else None,
                _round(row.ci_high, places) if row is not None else None,
            ]
        sheet.rows.append(cells)
    sheet.about = [
        (_("Källa"), _("naravard: publicerade värden, senaste publicerade period")),
        *_common_about(page_url),
    ]
    return sheet


def _value(row: OrgResult | None, places: int) -> float | int | None:
    """A value rounded as the page shows it (a text column holds values of several units)."""
    if row is None or row.value is None:
        return None
    return _round(row.value, places)


def _about(ind: Indicator, period: str, page_url: str, release) -> list[tuple[str, str]]:
    version = ind.version_at(period)
    caveats = ind.caveats_at(period)
    about = [
        (_("Indikator"), pick(ind.name)),
        (_("Definition"), pick(version.definition) if version else ""),
        (_("Enhet"), ind.unit_info.label()),
        (_("Källa"), pick(ind.source)),
        (_("Period"), period_label(period)),
    ]
    if release is not None:
        about.append(
            (_("Publicerad"), period_label(timezone.localdate(release.published_at).isoformat()))
        )
    if caveats:
        about.append((_("Att tänka på"), pick(caveats)))
    for b in ind.breaks:
        about.append((_("Tidsseriebrott"), f"{period_label(b.period)}: {pick(b.reason)}"))
    if ind.min_cell:
        about.append(
            (
                _("Röjandekontroll"),
                _("Värden som bygger på färre än %(n)d personer visas inte.") % {"n": ind.min_cell},
            )
        )
    return about + _common_about(page_url)


def _common_about(page_url: str) -> list[tuple[str, str]]:
    licence = getattr(settings, "PXWEB_LICENSE", "") or _("fri att använda med källa angiven")
    return [
        (_("Licens"), licence),
        (_("Webbsida"), page_url),
        (_("Hämtad"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


# --- the files -----------------------------------------------------------------------------


def _csv_number(value: Any, places: int | None, comma: bool) -> str:
    """A cell as the file writes it: a number with its decimals, the decimal comma on the
    Swedish pages; text as it is; nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        text = str(value)
    else:
        text = f"{value:.{places}f}" if places is not None else repr(value)
    return text.replace(".", ",") if comma else text


def for_excel_csv(sheet: Sheet) -> bytes:
    """The sheet as a CSV file for Excel in the page's language (see the module)."""
    swedish = (get_language() or "sv").startswith("sv")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if swedish else ",", lineterminator="\r\n")
    writer.writerow([inert(h) for h in sheet.header])
    for row in sheet.rounded():
        writer.writerow(
            [
                inert(_csv_number(value, places, swedish))
                for value, places in zip(row, sheet.decimals, strict=True)
            ]
        )
    writer.writerow([])
    writer.writerow([inert(_("Om uppgifterna"))])
    for label, text in sheet.about:
        writer.writerow([inert(label), inert(text)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def for_excel_xlsx(sheet: Sheet) -> bytes:
    """The sheet as a workbook: the table (numbers as numbers, with the column's decimals
    shown), the facts on a second sheet."""
    book = openpyxl.Workbook()
    table = book.active
    table.title = _("Uppgifter")
    append_table(table, sheet.header, [])
    for row in sheet.rounded():
        cells = append_rows(table, [row])
        for cell, places in zip(cells, sheet.decimals, strict=True):
            if places is not None and isinstance(cell.value, int | float):
                cell.number_format = "0" if places == 0 else "0." + "0" * places
    about = book.create_sheet(_("Om uppgifterna"))
    append_rows(about, sheet.about)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(sheet: Sheet, fmt: str) -> HttpResponse:
    """The file to download (``fmt``: csv or xlsx)."""
    if fmt == "csv":
        answer = HttpResponse(for_excel_csv(sheet), content_type="text/csv; charset=utf-8")
    else:
        answer = HttpResponse(for_excel_xlsx(sheet), content_type=XLSX)
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in sheet.name)
    answer["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return answer
