"""Where an indicator's series breaks, as everything that shows values over time marks it.

A break (:class:`~naravard.catalog.catalogue.Break`, from ``breaks:`` in ``indicators.yaml``
or a survey question's lineage) says that values from its period on cannot be compared with
those before. Charts split their lines there and draw a rule (``presentation/charts.py``),
tables mark the first period shown after it with a note, the trend is computed from the latest
break on (:func:`since_last_break`, ``analysis/profile.py``), and PxWeb, Kolada and the open
API carry the reason.

Periods are compared as the catalogue compares them (:meth:`Indicator.break_between`): a break
at ``2021`` lies between 2020 and 2021, between 2020-12-31 and 2021-12-31, and between
2020-12 and 2021-01.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from naravard.catalog.catalogue import Break, Indicator, period_end

T = TypeVar("T")

WORDS = {"sv": "Tidsseriebrott", "en": "Break in series"}  # the short label on a chart


def note(brk: Break, lang: str) -> str:
    """The break in one sentence: 'Tidsseriebrott 2021: Frågan gällde …'."""
    return f"{WORDS[lang]} {brk.label(lang)}: {brk.reason[lang]}"


def segment(ind: Indicator, period: str) -> int:
    """How many of the indicator's breaks lie at or before ``period``: values with the same
    number can be joined by a line, values with different numbers cannot."""
    return sum(b.period <= period for b in ind.breaks)


def first_after_breaks(ind: Indicator, periods: Iterable[str]) -> dict[str, list[Break]]:
    """Of the periods shown (any order), each that is the first after one or more breaks, with
    those breaks. A break before the first period shown marks nothing: nothing before it is
    shown to be compared with."""
    ordered = sorted(set(periods), key=period_end)
    out: dict[str, list[Break]] = {}
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        found = [b for b in ind.breaks if earlier < b.period <= later]
        if found:
            out[later] = found
    return out


def since_last_break(
    ind: Indicator, points: Sequence[T], period: Callable[[T], str]
) -> tuple[list[T], Break | None]:
    """The points (oldest first; ``period`` gives a point's period) from the latest break
    among them on, so that a trend over them does not run across a break; and that break, when
    it left earlier points out (None when the points do not cross a break)."""
    if not points:
        return [], None
    crossed = first_after_breaks(ind, [period(p) for p in points])
    if not crossed:
        return list(points), None
    start = max(crossed, key=period_end)
    brk = crossed[start][-1]
    return [p for p in points if period_end(period(p)) >= period_end(start)], brk
