"""Alt text of the report's figures, written from the numbers each figure shows.

``describe(figure)`` reads a :class:`~naravard.report.content.Figure`'s table (header, rows,
decimals), not its chart, so it covers every figure whichever chapter builds it, and the
text always says what the table beside the drawing says. Numbers are written as the report
writes them (decimal comma in Swedish, the column's or the cell's decimals, the unit's symbol
or name after the value); text is in the active language. The shapes it knows:

* **over time**: a column of periods (``Per``); per series (the text columns, e.g. indicator
  and area) the first and the last value: "Andel invånare med fast läkarkontakt: Region
  Skåne ökade från 50,0 % (2019) till 55,0 % (2022), riket från …".
* **a grid with a total column** (the last column, header "Totalt", is each row's sum; the
  report's grid is the initiatives' stage before by their stage now): the total and the
  largest cells: "Sammanlagt 11. Vanligast: från Pilot till Bred införing (5), …, kvar i
  Ordinarie drift (1)."
* **places or categories with values**: the first column of numbers, highest and lowest with
  ties and missing values named: "Andelen invånare med fast läkarkontakt var högst i Region
  Jämtland Härjedalen (62,0 %) och lägst i Region Stockholm (41,0 %)."

The unit comes from the indicator the figure shows (the catalogue indicator whose id ends the
figure's key, or whose name is the series' name) or from a header "…, %". A builder that
knows better passes ``alt=`` to the ``Figure``; ``describe`` is for the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from naravard.analysis.wording import names_listed
from naravard.catalog import units
from naravard.catalog.catalogue import Indicator, catalogue
from naravard.core.language import current, pick
from naravard.presentation import charts
from naravard.report.content import Num, Per

if TYPE_CHECKING:
    from naravard.report.content import Figure

# grid cells named in a grid's alt text (the largest first)
LARGEST_CELLS = 3
# missing values named one by one up to this many; above it, counted
NAMED_MISSING = 3


def describe(figure: Figure) -> str:
    """The figure's alt text, one or a few sentences from its numbers."""
    value = _value_column(figure)
    if value is None or not any(_number(row[value]) is not None for row in figure.rows):
        return _("Figuren saknar värden.")
    period = _column(figure, lambda c: isinstance(c, Per))
    if period is not None:
        return _over_time(figure, period, value)
    if _is_grid(figure):
        return _grid(figure)
    return _by_category(figure, value)


# ---- cells ---------------------------------------------------------------------------------


def _number(cell: Any) -> float | None:
    """A cell's number (None for words, periods, changes and missing values)."""
    if isinstance(cell, Num):
        return cell.value
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return cell
    return None


def _numeric(cell: Any) -> bool:
    return isinstance(cell, (Num, int, float)) and not isinstance(cell, bool)


def _column(figure: Figure, test) -> int | None:
    """The first column some row's cell of which passes ``test``."""
    for i in range(len(figure.header)):
        if any(i < len(row) and test(row[i]) for row in figure.rows):
            return i
    return None


def _value_column(figure: Figure) -> int | None:
    """The first column of numbers after the first column: printed with decimals, or holding
    a number (its cells may all be missing)."""
    for i in range(1, len(figure.header)):
        cells = [row[i] for row in figure.rows if i < len(row)]
        if any(_numeric(c) for c in cells) or (
            i < len(figure.decimals) and figure.decimals[i] is not None
        ):
            return i
    return None


def _decimals(figure: Figure, i: int, cell: Any) -> int:
    if isinstance(cell, Num):
        return cell.decimals
    d = figure.decimals[i] if i < len(figure.decimals) else None
    if d is not None:
        return d
    return 0 if isinstance(cell, int) else charts.DEFAULT_DECIMALS


def _shown(value: float, decimals: int, unit: str | None) -> str:
    """A value as the report prints it, with its unit: '62,0 %', '1 200 kr', '0,85'."""
    text = charts.number(value, decimals)
    if unit and units.UNITS[unit].after_value:
        text += f" {charts.unit_label(unit)}"
    return text


def _label(cell: Any) -> str:
    if isinstance(cell, Per):  # the period without its note mark
        return str(Per(cell.value, cell.stale))
    return str(cell)


# ---- the indicator and its unit ------------------------------------------------------------


def _by_name() -> dict[str, Indicator]:
    return {pick(ind.name): ind for ind in catalogue().values()}


def _indicator(figure: Figure) -> Indicator | None:
    """The indicator whose id ends the figure's key ('karta-named_doctor_share')."""
    known = catalogue()
    for n in range(figure.key.count("-") + 1):
        tail = figure.key.split("-", n)[-1]
        if tail in known:
            return known[tail]
    return None


def _subject(name: str) -> str:
    """An indicator's name as the subject of a sentence: 'Andel X' becomes 'Andelen X'."""
    if current() == "sv" and name.startswith("Andel "):
        return "Andelen " + name[len("Andel ") :]
    return name


# ---- over time -----------------------------------------------------------------------------


def _over_time(figure: Figure, period: int, value: int) -> str:
    texts = [
        i
        for i in range(len(figure.header))
        if i not in (period, value) and not any(_numeric(r[i]) for r in figure.rows if i < len(r))
    ]
    indicators = _by_name()
    # several columns of numbers after the period (a region's and the nation's): one series
    # each, named by its header
    columns = [
        i
        for i in range(value, len(figure.header))
        if any(i < len(r) and _numeric(r[i]) for r in figure.rows)
    ]
    series: dict[str, dict[str, list[tuple[str, float, int]]]] = {}
    for row in figure.rows:
        for column in columns:
            number = _number(row[column])
            if number is None:
                continue
            name = str(row[texts[0]]) if texts else figure.title
            who = ", ".join(str(row[i]) for i in texts[1:])
            if len(columns) > 1:
                who = ", ".join(filter(None, [who, figure.header[column]]))
            series.setdefault(name, {}).setdefault(who, []).append(
                (_label(row[period]), number, _decimals(figure, column, row[column]))
            )
    sentences = []
    for name, by_who in series.items():
        ind = indicators.get(name) or _indicator(figure)
        unit = ind.unit if ind else None
        moves = [_move(who, points, unit) for who, points in by_who.items()]
        if len(moves) == 1 and not next(iter(by_who)):
            sentences.append(f"{_subject(name)} {moves[0]}.")
        else:
            sentences.append(f"{name}: {', '.join(moves)}.")
    return " ".join(sentences)


def _move(who: str, points: list[tuple[str, float, int]], unit: str | None) -> str:
    """'Region Skåne ökade från 50,0 % (2019) till 55,0 % (2022)' (without ``who``: from
    'ökade')."""
    (p0, v0, d0), (p1, v1, d1) = points[0], points[-1]
    first, last = _shown(v0, d0, unit), _shown(v1, d1, unit)
    if len(points) == 1:
        text = _("var %(value)s (%(period)s)") % {"value": first, "period": p0}
    elif first == last:
        text = _("var %(value)s både %(first)s och %(last)s") % {
            "value": first,
            "first": p0,
            "last": p1,
        }
    else:
        words = _("ökade från %(a)s (%(p)s) till %(b)s (%(q)s)")
        if v1 < v0:
            words = _("minskade från %(a)s (%(p)s) till %(b)s (%(q)s)")
        text = words % {"a": first, "p": p0, "b": last, "q": p1}
    return f"{who} {text}" if who else text


# ---- a grid with totals --------------------------------------------------------------------


def _is_grid(figure: Figure) -> bool:
    """Counts in rows and columns whose last column, headed "Totalt", is each row's sum."""
    if len(figure.header) < 4 or figure.header[-1] != _("Totalt"):
        return False
    for row in figure.rows:
        cells = [_number(c) for c in row[1:]]
        counts = [c for c in cells if c is not None]
        if len(counts) < len(cells) or sum(counts[:-1]) != counts[-1]:
            return False
    return bool(figure.rows)


def _grid(figure: Figure) -> str:
    total = sum(_number(row[-1]) or 0 for row in figure.rows)
    cells = sorted(
        (
            (-(_number(n) or 0), r, c)
            for r, row in enumerate(figure.rows)
            for c, n in enumerate(row[1:-1], 1)
            if _number(n)
        ),
    )[:LARGEST_CELLS]
    largest = [
        (
            _("kvar i %(row)s (%(n)s)")
            if str(figure.rows[r][0]) == figure.header[c]
            else _("från %(row)s till %(column)s (%(n)s)")
        )
        % {"row": figure.rows[r][0], "column": figure.header[c], "n": charts.number(-n, 0)}
        for n, r, c in cells
    ]
    return _("Sammanlagt %(total)s. Vanligast: %(cells)s.") % {
        "total": charts.number(total, 0),
        "cells": names_listed(largest),
    }


# ---- places or categories ------------------------------------------------------------------


def _by_category(figure: Figure, value: int) -> str:
    header = figure.header[value]
    ind = _indicator(figure)
    unit = ind.unit if ind else None
    if ind is not None:
        subject = _subject(pick(ind.name))
    elif header.endswith(", %"):
        subject, unit = _("Andelen «%(answer)s»") % {"answer": header[:-3]}, "percent"
    else:
        subject = header
    places = figure.header[0] in (_("Region"), _("Område"), _("Kommun"))
    shown: list[tuple[str, float, str]] = []  # (name, value, as printed)
    missing = []
    for row in figure.rows:
        number = _number(row[value])
        if number is None:
            missing.append(str(row[0]))
        else:
            shown.append(
                (str(row[0]), number, _shown(number, _decimals(figure, value, row[value]), unit))
            )
    high = max(v for _n, v, _s in shown)
    low = min(v for _n, v, _s in shown)
    where = _in if places else _for
    at = {v: names_listed([n for n, w, _s in shown if w == v]) for v in (high, low)}
    printed = {v: next(s for _n, w, s in shown if w == v) for v in (high, low)}
    if len(shown) == 1:
        text = _("%(subject)s var %(value)s %(where)s.") % {
            "subject": subject,
            "value": printed[high],
            "where": where(at[high]),
        }
    elif high == low:
        text = _("%(subject)s var %(value)s %(where)s.") % {
            "subject": subject,
            "value": printed[high],
            "where": where(names_listed([n for n, _v, _s in shown])),
        }
    else:
        text = _("%(subject)s var högst %(high)s (%(hv)s) och lägst %(low)s (%(lv)s).") % {
            "subject": subject,
            "high": where(at[high]),
            "hv": printed[high],
            "low": where(at[low]),
            "lv": printed[low],
        }
    if missing and len(missing) <= NAMED_MISSING:
        text += " " + _("Värde saknas för %(names)s.") % {"names": names_listed(missing)}
    elif missing:
        text += " " + _("Värde saknas för %(n)d av %(total)d.") % {
            "n": len(missing),
            "total": len(figure.rows),
        }
    return text


def _in(names: str) -> str:
    return _("i %(names)s") % {"names": names}


def _for(names: str) -> str:
    return _("för %(names)s") % {"names": names}
