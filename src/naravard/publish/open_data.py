"""Published indicator tables, as the public pages, the open-data API and the downloads see them.

Built on :mod:`naravard.publish.releases` (only released periods, as released) and on the
analysis profile (intervals, comparisons, disclosure control): suppressed cells have no
value, no numerator and no denominator, and are flagged.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar, get_args

from cachetools import cached

from naravard.analysis.freshness import Coverage, coverage
from naravard.analysis.groups import GroupKey, group_results
from naravard.analysis.profile import (
    WIDTH,
    OrgResult,
    Profile,
    contract_rows,
    hidden_cells,
    profile,
    shown_rows,
    with_trends,
)
from naravard.catalog.catalogue import (
    Break,
    Indicator,
    PeriodError,
    Target,
    catalogue,
    get_indicator,
)
from naravard.core.errors import NotFound
from naravard.core.sizes import bounded_by_bytes
from naravard.ingest.models import AGE_BANDS, NATION, SEXES
from naravard.publish.releases import (
    PublicValue,
    latest_releases,
    public_values,
    release_key,
    released_periods,
)
from naravard.publish.revisions import Key, Revision, revisions

# What each process keeps, in bytes (core/sizes.py estimates them, erring large). The
# analyses of every period of every indicator at both levels (what the warm-up readies) are
# some 90 MB by that estimate on a store of fifty years of monthly and yearly series
# (bench/page_speed_bench.py), with room left for the breakdowns readers choose; on one of
# 87 years (bench/store_bench.py) they are more than is kept, and the periods least recently
# read are analysed again when asked for. The rest are what the analyses are made from.
MB = 1024 * 1024
PROFILES_BYTES = 160 * MB
GROUPS_BYTES = 32 * MB  # groups of areas, every period of the indicators at municipality level
HIDDEN_BYTES = 16 * MB  # periods' suppressed cells: thousands each in a national period
VALUES_BYTES = 16 * MB  # periods' values: a national period at ten times the demo is 4 665
SMALL_BYTES = 8 * MB  # coverage and revisions
SHARED = (Indicator, Target, Break)  # the catalogue's, held once whatever is kept
Level = Literal["region", "municipality"]
LEVELS: tuple[Level, ...] = get_args(Level)
T = TypeVar("T")
COLUMNS = (
    "indicator",
    "org",
    "name",
    "period",
    "sex",
    "age_band",
    "value",
    "ci_low",
    "ci_high",
    "numerator",
    "denominator",
    "suppressed",
    "vs_national",
    "target_reached",
    "rank",
)


class NotPublished(NotFound):
    """The indicator, period or breakdown asked for is not public."""


class NoSuchPeriod(NotPublished):
    """A period that is malformed for the indicator or not published; the message (in the
    active language) names the published periods as people read them."""

    def __init__(self, error: PeriodError):
        super().__init__(error.message())
        self.error = error

    def message(self, lang: str | None = None) -> str:
        return self.error.message(lang)


@dataclass(frozen=True)
class PublicIndicator:
    indicator: Indicator
    periods: list[str]


def public_indicators() -> list[PublicIndicator]:
    """Every catalogue indicator with at least one released period."""
    released: dict[str, set[str]] = {}
    for indicator_id, period in latest_releases():
        released.setdefault(indicator_id, set()).add(period)
    out = []
    for ind in catalogue().values():
        if ind.id in released:
            out.append(PublicIndicator(ind, released_periods(ind.id)))
    return out


def public_indicator(indicator_id: str) -> PublicIndicator:
    if indicator_id not in catalogue():
        raise NotPublished(f"no indicator {indicator_id!r}")
    periods = released_periods(indicator_id)
    if not periods:
        raise NotPublished(f"nothing of {indicator_id} is published yet")
    return PublicIndicator(get_indicator(indicator_id), periods)


def public_profile(
    indicator_id: str,
    period: str | None = None,
    sex: str = "T",
    level: str = "region",
    age_band: str = "total",
    trends: bool = True,
) -> Profile:
    """The published analysis of one period (the latest if none is named). The period is read
    by the indicator's rule: 2022 is 2022-12-31 for a point in time (:meth:`Indicator.find_period`)."""
    pub = public_indicator(indicator_id)
    if level not in LEVELS:
        raise NotPublished(f"level is one of {', '.join(LEVELS)}, not {level!r}")
    if sex not in SEXES:
        raise NotPublished(f"sex is one of {', '.join(SEXES)}, not {sex!r}")
    if age_band not in AGE_BANDS:
        raise NotPublished(f"age_band is one of {', '.join(AGE_BANDS)}, not {age_band!r}")
    try:
        period = (
            pub.indicator.find_period(period, pub.periods, published=True)
            if period
            else pub.periods[-1]
        )
    except PeriodError as exc:
        raise NoSuchPeriod(exc) from None
    key = release_key(indicator_id)
    # trends read every period; the rest of the analysis only the period's release
    key = key if trends else _period_key(key, period)
    return _profile(indicator_id, key, period, sex, level, age_band, trends)


@dataclass(frozen=True)
class Shown:
    """One period's published areas of a level, for one sex and every age, and the nation:
    values and 95 % intervals, disclosure control applied, and no more of the analysis."""

    rows: list[OrgResult]
    national: OrgResult | None


def published_tables(
    indicator_id: str, periods: Sequence[str], sexes: Sequence[str], levels: Sequence[str]
) -> dict[tuple[str, str, str], Shown]:
    """What is published of each (period, sex, level) asked for, every age, read at once
    (one query, the periods' suppressed cells as kept): for the open-data tables, which read
    many periods, sexes and levels in one answer and need neither comparisons nor ranks. The
    rows are those of the analyses (:func:`shown_rows`) and nothing is kept here: an answer
    is the public cache's to keep. A period is a released one as naravard writes it
    (:attr:`PublicIndicator.periods`); another raises :class:`NotPublished`, as do an
    unknown sex or level."""
    pub = public_indicator(indicator_id)
    released = set(pub.periods)
    for period, sex, level in itertools.product(periods, sexes, levels):
        if period not in released or sex not in SEXES or level not in LEVELS:
            raise NotPublished(f"{indicator_id} {period} {sex} {level} is not published")
    key = release_key(indicator_id)
    by_period: dict[str, list[PublicValue]] = {}
    for v in public_values(indicator_id, periods, sexes=sexes, age_band="total"):
        by_period.setdefault(v.period, []).append(v)
    out = {}
    for period in periods:
        hidden = _hidden(indicator_id, _period_key(key, period), period)
        for sex, level in itertools.product(sexes, levels):
            rows, national, _n = shown_rows(
                pub.indicator, period, sex, level, "total", by_period.get(period, []), hidden, False
            )
            out[(period, sex, level)] = Shown(rows, national)
    return out


def public_groups(indicator_id: str, period: str) -> Mapping[GroupKey, OrgResult]:
    """The published period's values of every group of areas (analysis/groups.py), by
    (grouping, group, sex), disclosure control applied; shared, never to be modified."""
    pub = public_indicator(indicator_id)
    try:
        period = pub.indicator.find_period(period, pub.periods, published=True)
    except PeriodError as exc:
        raise NoSuchPeriod(exc) from None
    return _groups(indicator_id, _period_key(release_key(indicator_id), period), period)


def public_series(
    indicator_id: str, level: str = "region", sex: str = "T", age_band: str = "total"
) -> list[Profile]:
    """Every published period's analysis (no trend tests), oldest first, from one read."""
    pub = public_indicator(indicator_id)
    parts = {part[0]: part for part in release_key(indicator_id)}  # each period's key
    return [
        _profile(indicator_id, parts.get(period, (period,)), period, sex, level, age_band, False)
        for period in pub.periods
    ]


def public_coverage(
    indicator_id: str,
    period: str,
    level: str = "region",
    sex: str = "T",
    age_band: str = "total",
) -> Coverage:
    """How many areas of ``level`` have a released value in a released ``period``."""
    key = _period_key(release_key(indicator_id), period)
    return _coverage(indicator_id, key, period, level, sex, age_band)


def _kept_once(max_bytes: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Keep the most recently used answers up to ``max_bytes`` in all, like
    :func:`functools.lru_cache` bounded by size, but work each out once: a thread that asks
    for one another thread is working out waits for it (the warm-up after a release and the
    first visitors ask for the same analyses at the same moment). An answer larger than
    ``max_bytes`` is returned and not kept."""
    return cached(bounded_by_bytes(max_bytes, SHARED), condition=threading.Condition(), info=True)


# What is public changes only with a release or a withdrawal, which changes the release key;
# so the published values and their analyses are kept per key (shared, never modified). What
# reads one period is kept under that period's release (_period_key), so a release of one
# period leaves the other periods' analyses as they are. The analyses are kept; the values
# they are made from only briefly, as all of them would be the whole store in memory.
def _period_key(key: tuple, period: str) -> tuple:
    """The part of an indicator's release key (:func:`release_key`) that is one period's."""
    return next((part for part in key if part[0] == period), (period,))


@_kept_once(VALUES_BYTES)
def _period_values(indicator_id: str, key: tuple, period: str) -> list[PublicValue]:
    """One released period's values, every sex and age band."""
    return public_values(indicator_id, [period])


@_kept_once(VALUES_BYTES)
def _breakdown_values(indicator_id: str, key: tuple, sex: str, age_band: str) -> list[PublicValue]:
    """One sex's and age band's values in every released period (what trends read)."""
    return public_values(indicator_id, sexes=[sex], age_band=age_band)


@_kept_once(SMALL_BYTES)
def _coverage(
    indicator_id: str, key: tuple, period: str, level: str, sex: str, age_band: str
) -> Coverage:
    return coverage(_period_values(indicator_id, key, period), period, level, sex, age_band)


@_kept_once(PROFILES_BYTES)
def _profile(
    indicator_id: str, key: tuple, period: str, sex: str, level: str, age_band: str, trends: bool
) -> Profile:
    if trends:  # the period's analysis, kept already, with the trend tests added
        period_key = _period_key(key, period)
        return with_trends(
            _profile(indicator_id, period_key, period, sex, level, age_band, False),
            _breakdown_values(indicator_id, key, sex, age_band),
            level,
            age_band,
        )
    return profile(
        indicator_id,
        period,
        sex,
        level,
        age_band,
        trends=False,
        values=_period_values(indicator_id, key, period),
        hidden=_hidden(indicator_id, key, period),
    )


@_kept_once(HIDDEN_BYTES)
def _hidden(indicator_id: str, key: tuple, period: str) -> set:
    return hidden_cells(get_indicator(indicator_id), _period_values(indicator_id, key, period))


@_kept_once(GROUPS_BYTES)
def _groups(indicator_id: str, key: tuple, period: str) -> Mapping[GroupKey, OrgResult]:
    return group_results(
        get_indicator(indicator_id),
        period,
        _period_values(indicator_id, key, period),
        _hidden(indicator_id, key, period),
    )


def public_revisions(
    indicator_id: str, period: str, sex: str = "T", age_band: str = "total"
) -> dict[str, Revision]:
    """The published values of one period, sex and age band revised since the period was
    first released, by area code (publish/revisions.py); the nation, when not stored but
    computed from the regions, is revised with the latest of theirs."""
    found = _revisions(indicator_id, release_key(indicator_id))
    out = {
        org: r
        for (per, org, s, age), r in found.items()
        if per == period and s == sex and age == age_band
    }
    regions = [r for org, r in out.items() if len(org) == WIDTH["region"] and org != NATION]
    if NATION not in out and regions:
        out[NATION] = max(regions, key=lambda r: r.revised_on)
    return out


@_kept_once(SMALL_BYTES)
def _revisions(indicator_id: str, key: tuple) -> dict[Key, Revision]:
    return revisions(indicator_id)


def warm_up(pause: Callable[[], object] = lambda: None) -> int:
    """Analyse what the public pages read first, for every published indicator: each period
    at each level, the latest with its trends, coverage and revisions, and the groups of
    areas; returns the number of indicators. What is already analysed for the indicator's
    present releases is not done again, so after a release only what it changed is.
    ``pause`` is called between the steps, when nothing is half worked out."""
    published = public_indicators()
    for pub in published:
        ind = pub.indicator
        latest = pub.periods[-1]
        for level in ind.levels:
            if level in LEVELS:
                pause()
                public_series(ind.id, level)
                public_profile(ind.id, level=level)
                public_coverage(ind.id, latest, level)
        pause()
        if "municipality" in ind.levels:
            for period in pub.periods:
                public_groups(ind.id, period)
        public_revisions(ind.id, latest)
    return len(published)


def table_rows(p: Profile, age_band: str = "total") -> list[list]:
    """The profile as rows of :data:`COLUMNS` (regions or municipalities, then the nation)."""
    rows = []
    for item in contract_rows(p):
        rows.append(
            [
                p.indicator.id,
                item["org"],
                item["name"],
                item["period"],
                item["sex"],
                age_band,
                item["value"],
                item["ci_low"],
                item["ci_high"],
                item["numerator"],
                item["denominator"],
                item["suppressed"],
                item["vs_national"],
                item["target_reached"],
                item["rank"],
            ]
        )
    return rows
