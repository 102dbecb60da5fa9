"""Everything the report and the pages say about one indicator in one period.

For each region (or municipality): value, 95 % and 99.8 % intervals, comparison
with the nation, target status, rank and trend; plus the national value, the
variation between regions and how many reached the target. Small person counts
are suppressed (disclosure control) before anything is published.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from operator import attrgetter, itemgetter
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from naravard.analysis import wording
from naravard.analysis.compare import target_status, vs_national
from naravard.analysis.intervals import interval
from naravard.analysis.trend import Trend, trend
from naravard.catalog.breaks import since_last_break
from naravard.catalog.catalogue import Break, Indicator, Target, get_indicator, period_end
from naravard.core.brief import Brief
from naravard.engine.disclosure import CellCounts, Key, suppress, threshold
from naravard.ingest.models import NATION, IndicatorValue
from naravard.refdata.models import Municipality, Region


class StoredValue(Protocol):
    """What the analysis reads of a value: a stored :class:`IndicatorValue` or a published
    one (``publish.releases.PublicValue``)."""

    @property
    def org_code(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def sex(self) -> str: ...
    @property
    def age_band(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def numerator(self) -> float | None: ...
    @property
    def denominator(self) -> float | None: ...


@dataclass(slots=True)  # a store of fifty years keeps some millions of them
class OrgResult:
    org: str
    name: str
    period: str
    sex: str
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    ci99_low: float | None = None
    ci99_high: float | None = None
    vs_national: str | None = None
    target_reached: bool | None = None
    suppressed: bool = False
    rank: int | None = None
    trend: Trend | None = None
    trend_since: Break | None = None  # the break the trend starts at (earlier values left out)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["trend"] = asdict(self.trend) if self.trend else None
        return out


@dataclass(slots=True)
class Profile:
    indicator: Indicator
    period: str
    sex: str
    target: Target | None
    national: OrgResult | None
    rows: list[OrgResult] = field(default_factory=list)
    variation: dict = field(default_factory=dict)
    target_counts: dict = field(default_factory=dict)
    national_note: str = ""  # why there is no national value, when there is none


def periods(indicator_id: str) -> list[str]:
    """Stored periods in time order."""
    return sorted(
        set(
            IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True).values_list(
                "period", flat=True
            )
        ),
        key=period_end,
    )


def _years(period: str) -> float:
    """A period's end as a year with decimals, for trend tests over uneven gaps."""
    day = period_end(period)
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def period_cells(ind: Indicator, period_values: Sequence[StoredValue]) -> dict[Key, CellCounts]:
    """The counts of every (org, sex, age band) cell of one period, every level, with the
    nation computed from the regions where it is not stored: what disclosure control sees."""
    cells = {
        (v.org_code, v.sex, v.age_band): CellCounts(v.numerator, v.denominator)
        for v in period_values
    }
    groups: dict[tuple[str, str], list[CellCounts]] = {}
    for (org, sex, age), c in cells.items():
        if len(org) == 2 and org != NATION:
            groups.setdefault((sex, age), []).append(c)
    for (sex, age), area_cells in groups.items():  # the computed nation is in the relations
        counts = [
            (c.numerator, c.denominator)
            for c in area_cells
            if c.numerator is not None and c.denominator is not None
        ]
        if (NATION, sex, age) not in cells and area_cells and len(counts) == len(area_cells):
            cells[(NATION, sex, age)] = CellCounts(
                sum(n for n, _d in counts), sum(d for _n, d in counts)
            )
    return cells


def hidden_cells(ind: Indicator, period_values: Sequence[StoredValue]) -> set:
    """The (org, sex, age band) cells disclosure control hides in one period, every level,
    sex and age band considered together."""
    if ind.min_cell is None:
        return set()
    return suppress(period_cells(ind, period_values), threshold(ind.min_cell), ind.is_share)


def hide_row(row: OrgResult) -> None:
    """Disclosure control's mark: no value, counts or intervals, ``suppressed``."""
    row.suppressed = True
    row.value = row.numerator = row.denominator = None
    row.ci_low = row.ci_high = row.ci99_low = row.ci99_high = None


def with_intervals(ind: Indicator, row: OrgResult, wide: bool = True) -> OrgResult:
    """The row with its 95 % interval and, if ``wide``, its 99.8 % one (the funnel's outer
    limits), where the indicator has them."""
    if ind.has_interval and not row.suppressed:
        row.ci_low, row.ci_high = interval(ind.kind, ind.unit, row.numerator, row.denominator, 95)
        if wide:
            row.ci99_low, row.ci99_high = interval(
                ind.kind, ind.unit, row.numerator, row.denominator, 99.8
            )
    return row


def _national(
    ind: Indicator,
    rows: list[OrgResult],
    stored: StoredValue | None,
    period: str,
    sex: str,
    n_areas: int,
    intervals: bool = True,
) -> OrgResult | None:
    """The stored national value, or one computed from every area (never from some of them);
    with its intervals unless told not to (a trend reads only the values)."""
    if stored is not None:
        found: tuple | None = (stored.value, stored.numerator, stored.denominator)
    elif not rows or len(rows) < n_areas:
        return None
    else:
        found = combine(ind, rows)
    if found is None:
        return None
    value, numerator, denominator = found
    national = OrgResult(NATION, "Riket", period, sex, value, numerator, denominator)
    return with_intervals(ind, national) if intervals else national


def combine(
    ind: Indicator, rows: Sequence[OrgResult]
) -> tuple[float, float | None, float | None] | None:
    """The value of several areas taken together, with its numerator and denominator: the
    one rule for the nation and for a group of areas. A share or a rate from the summed
    numerators and denominators, a count summed, a mean over persons (an amount with its
    persons as denominator) weighted by them; None when some area lacks what it needs or
    the indicator cannot be added up (an index, an amount without persons)."""
    if not rows:
        return None
    counts = [
        (r.numerator, r.denominator) for r in rows if r.numerator is not None and r.denominator
    ]
    if ind.kind in ("share", "rate") and len(counts) == len(rows):
        num, den = sum(n for n, _d in counts), sum(d for _n, d in counts)
        return ind.scale * num / den, num, den
    values = [r.value for r in rows if r.value is not None]
    if ind.kind == "count" and len(values) == len(rows):
        return sum(values), None, None
    weighted = [(r.value, r.denominator) for r in rows if r.value is not None and r.denominator]
    if ind.kind == "amount" and len(weighted) == len(rows):
        # a mean over persons: the areas' means weighted by their persons
        persons = sum(d for _v, d in weighted)
        return sum(v * d for v, d in weighted) / persons, None, persons
    return None


def national_missing(ind: Indicator, rows: list[OrgResult], n_areas: int, level: str) -> str:
    """Why the nation has no value in a period, in words ('' when there are no values at all)."""
    if not rows:
        return ""
    if len(rows) < n_areas:
        return ngettext(
            "Riket kan inte beräknas: värde saknas för %(n)d av %(all)d %(areas)s.",
            "Riket kan inte beräknas: värden saknas för %(n)d av %(all)d %(areas)s.",
            n_areas - len(rows),
        ) % {
            "n": n_areas - len(rows),
            "all": n_areas,
            "areas": _("regioner") if level == "region" else _("kommuner"),
        }
    if ind.kind in ("share", "rate"):
        without = [r.name for r in rows if r.numerator is None or not r.denominator]
        if without:
            return _("Riket kan inte beräknas: täljare och nämnare saknas för %(names)s.") % {
                "names": ", ".join(without[:5]) + (" …" if len(without) > 5 else "")
            }
    return _("Riket kan inte beräknas ur områdenas värden.")


WIDTH = {"region": 2, "municipality": 4}  # the length of an area's code at each level
NAMES_SECONDS = 60.0  # reference data: a name changed shows in the analyses within this


def _read_names(model: type[Region] | type[Municipality]) -> dict[str, str]:
    """Codes and names, interned: the rows of every analysis kept share them."""
    return {sys.intern(c): sys.intern(n) for c, n in model.objects.values_list("code", "name")}


_NAMES = {
    "region": Brief(partial(_read_names, Region), ttl=NAMES_SECONDS),
    "municipality": Brief(partial(_read_names, Municipality), ttl=NAMES_SECONDS),
}


def _names(level: str) -> dict[str, str]:
    """The level's areas by code (read once a minute: an analysis of every period of a
    store of fifty years asks thousands of times)."""
    return _NAMES["region" if level == "region" else "municipality"].get()


def shown_rows(
    ind: Indicator,
    period: str,
    sex: str,
    level: str,
    age_band: str,
    values: Sequence[StoredValue],
    hidden: set,
    wide: bool = True,
) -> tuple[list[OrgResult], OrgResult | None, int]:
    """The areas of ``level`` and the nation in one period, sex and age band as every face
    shows them: disclosure control applied (``hidden``, the period's :func:`hidden_cells`),
    with their intervals (the 99.8 % ones only if ``wide``); and the number of areas the
    level has. ``values`` may hold other periods, sexes and age bands (they are left out).
    The rest of an analysis (comparisons, ranks, trends) is :func:`profile`'s; the open-data
    tables need only this."""
    names = _names(level)
    in_period = {
        v.org_code: v
        for v in values
        if v.period == period and v.sex == sex and v.age_band == age_band
    }
    rows = [
        OrgResult(
            sys.intern(code),
            names.get(code, code),
            period,
            sex,
            v.value,
            v.numerator,
            v.denominator,
        )
        for code, v in sorted(in_period.items())
        if len(code) == WIDTH[level]
    ]
    n_areas = len(names)
    # the nation from every area, before disclosure control hides any of them
    national = _national(ind, rows, in_period.get(NATION), period, sex, n_areas)
    for row in rows:
        if (row.org, sex, age_band) in hidden:
            hide_row(row)
        with_intervals(ind, row, wide)
    if national is not None and (NATION, sex, age_band) in hidden:
        hide_row(national)
    return rows, national, n_areas


def profile(
    indicator_id: str,
    period: str,
    sex: str = "T",
    level: str = "region",
    age_band: str = "total",
    trends: bool = True,
    values: Sequence[StoredValue] | None = None,
    hidden: set | None = None,
) -> Profile:
    """The analysis of one indicator in one period (``trends=False`` skips the trend tests).
    ``values`` (every period, sex and age band) replaces the current store, e.g. with what
    has been published; ``hidden`` is the period's :func:`hidden_cells` when already known."""
    ind = get_indicator(indicator_id)
    all_sexes = (
        list(IndicatorValue.objects.filter(indicator_id=ind.id, is_current=True))
        if values is None
        else list(values)
    )
    if hidden is None:
        hidden = hidden_cells(ind, [v for v in all_sexes if v.period == period])
    rows, national, n_areas = shown_rows(ind, period, sex, level, age_band, all_sexes, hidden)
    version_target = ind.target_at(period)
    for row in rows:
        row.vs_national = vs_national(
            row.value, row.ci_low, row.ci_high, national.value if national else None, ind.direction
        )
        if version_target:
            row.target_reached = target_status(
                row.value, row.ci_low, row.ci_high, version_target.value, version_target.comparison
            )
    if national is not None:
        if version_target:
            national.target_reached = target_status(
                national.value,
                national.ci_low,
                national.ci_high,
                version_target.value,
                version_target.comparison,
            )
    ranked = sorted(
        (r for r in rows if r.value is not None),
        key=attrgetter("value"),
        reverse=ind.direction != "lower",
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    if trends:
        breakdown = [v for v in all_sexes if v.sex == sex and v.age_band == age_band]
        _add_trends(ind, rows, national, breakdown, period, sex, WIDTH[level], n_areas)
    shown = [r.value for r in rows if r.value is not None]
    variation = {}
    if shown:
        mean = statistics.fmean(shown)
        variation = {
            "n": len(shown),
            "min": min(shown),
            "max": max(shown),
            "range": max(shown) - min(shown),
            "mean": mean,
            "cv": statistics.stdev(shown) / mean if len(shown) > 1 and mean else None,
        }
    counts = {
        "reached": sum(r.target_reached is True for r in rows),
        "not_reached": sum(r.target_reached is False for r in rows),
        "uncertain": sum(r.target_reached is None and r.value is not None for r in rows),
    }
    note = national_missing(ind, rows, n_areas, level) if national is None else ""
    return Profile(
        ind,
        period,
        sex,
        version_target,
        national,
        rows,
        variation,
        counts if version_target else {},
        note,
    )


def with_trends(
    p: Profile, values: Sequence[StoredValue], level: str, age_band: str = "total"
) -> Profile:
    """``p`` (made with ``trends=False``) with the trend tests that :func:`profile` adds,
    from ``values``: the period's and earlier periods' values of ``p``'s sex and
    ``age_band``. ``p`` is left as it is: its rows are copied."""
    rows = [replace(r) for r in p.rows]
    national = replace(p.national) if p.national is not None else None
    breakdown = [v for v in values if v.sex == p.sex and v.age_band == age_band]
    n_areas = len(_names(level))
    _add_trends(p.indicator, rows, national, breakdown, p.period, p.sex, WIDTH[level], n_areas)
    return replace(p, rows=rows, national=national)


def _add_trends(
    ind: Indicator,
    rows: list[OrgResult],
    national: OrgResult | None,
    values: Sequence[StoredValue],
    period: str,
    sex: str,
    width: int,
    n_areas: int,
) -> None:
    """The trend over the last points, and the turn of the whole series up to the period,
    for every shown area and for the nation; a series that breaks is taken from its latest
    break on (``trend_since``), never across it (catalog/breaks.py)."""
    by_period: dict[str, list[StoredValue]] = {}
    for v in values:
        by_period.setdefault(v.period, []).append(v)
    end = period_end(period)
    earlier = sorted((per for per in by_period if period_end(per) <= end), key=period_end)
    history: dict[str, list[StoredValue]] = {}
    for per in earlier:
        for v in by_period[per]:
            history.setdefault(v.org_code, []).append(v)
    for row in rows:
        own, row.trend_since = since_last_break(ind, history.get(row.org, []), attrgetter("period"))
        series = [(v.value, v.numerator, v.denominator) for v in own]
        times = [_years(v.period) for v in own]
        names = [v.period for v in own]
        row.trend = (
            trend(ind.kind, series, ind.direction, times, names) if not row.suppressed else None
        )
    if national is not None and not national.suppressed:
        points = []
        for per in earlier:
            in_period = by_period[per]
            stored = next((v for v in in_period if v.org_code == NATION), None)
            per_rows = [
                OrgResult(v.org_code, "", per, sex, v.value, v.numerator, v.denominator)
                for v in in_period
                if len(v.org_code) == width
            ]
            nat = _national(ind, per_rows, stored, per, sex, n_areas, intervals=False)
            if nat is not None:
                points.append((per, nat))
        points, national.trend_since = since_last_break(ind, points, itemgetter(0))
        national.trend = trend(
            ind.kind,
            [(n.value, n.numerator, n.denominator) for _, n in points],
            ind.direction,
            [_years(per) for per, _ in points],
            [per for per, _ in points],
        )


def contract_rows(p: Profile) -> list[dict]:
    """The exchange format: one object per organisation and the nation ("00")."""
    keys = (
        "org",
        "period",
        "sex",
        "value",
        "numerator",
        "denominator",
        "ci_low",
        "ci_high",
        "vs_national",
        "target_reached",
        "suppressed",
    )
    out = []
    for row in p.rows + ([p.national] if p.national else []):
        item = {k: getattr(row, k) for k in keys}
        item.update(
            name=row.name,
            ci99_low=row.ci99_low,
            ci99_high=row.ci99_high,
            rank=row.rank,
            trend=_trend_out(row),
        )
        out.append(item)
    return out


def _trend_out(row: OrgResult) -> dict | None:
    """The row's trend for the exchange format, with its words in the active language: the
    trend's (the turn when the series turns) and the turn's ('' when it does not turn)."""
    if row.trend is None:
        return None
    out = asdict(row.trend)
    out["words"] = wording.trend(row)
    out["since_break"] = row.trend_since.period if row.trend_since else None
    if out["turn"] is not None:
        out["turn"]["words"] = wording.turn(row.trend)
    return out
