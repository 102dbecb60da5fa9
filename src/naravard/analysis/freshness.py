"""Stale and partial data said aloud: whether an indicator's latest period is current for a
follow-up, and how many areas have a value in a period. The one rule for the public pages,
the report and the JSON APIs.

**Stale**, defined once (:func:`is_stale`). A follow-up covers indicator periods ending on or
before its ``data_until``. An indicator's latest period is *current* for it when that period
is the one (of the indicator's own period type) that contains ``data_until``, or the one just
before: one period of lag is normal. Anything older is *stale* and is shown as "senaste
tillgängliga: mars 2020" (English "latest available: March 2020"), never as current. With
``data_until`` 2023-12-31:

- a yearly indicator is current with 2023 or 2022, stale with 2021 or earlier;
- a monthly one is current with December or November 2023, stale with October 2023 or
  earlier;
- a point in time is read at the grain of a year (the catalogue reads a bare year as its last
  day): current from 1 January 2022 on, stale before.

So with ``data_until`` 2023-06-30 (not a period's end) a yearly indicator is current with
2022 only, the last complete year: "the latest period contains ``data_until`` or is the last
complete period before it". A period ending after ``data_until`` is never stale.

**Partial coverage** (:class:`Coverage`): in one period, how many of the regions (or
municipalities, at that level) have a value, of how many there are; said as "12 av 21
regioner har rapporterat för 2022" when some but not all have one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from naravard.analysis.profile import WIDTH, StoredValue
from naravard.catalog.catalogue import Indicator, period_end, period_label
from naravard.core.language import current
from naravard.ingest.models import NATION, IndicatorValue
from naravard.refdata.models import Municipality, Region

LANGUAGES = ("sv", "en")


class FollowUpLike(Protocol):
    """What the rule reads of a follow-up (``report.models.FollowUp``)."""

    @property
    def name(self) -> str: ...
    @property
    def data_until(self) -> dt.date: ...


def current_from(period_type: str, until: dt.date) -> dt.date:
    """The first day of the oldest period that is still current for a follow-up covering
    periods until ``until``: the start of the period before the one containing ``until``
    (a point in time at the grain of a year)."""
    if period_type == "month":
        first = until.replace(day=1)
        return (first - dt.timedelta(days=1)).replace(day=1)
    return dt.date(until.year - 1, 1, 1)


def is_stale(period_type: str, period: str, until: dt.date) -> bool:
    """Is ``period`` (an indicator's latest) too old to be shown as current for a follow-up
    covering periods until ``until``? (The rule is in the module's description.)"""
    return period_end(period) < current_from(period_type, until)


def latest_available(period: str, lang: str | None = None) -> str:
    """The words a stale latest period is shown with: "senaste tillgängliga: mars 2020"."""
    lang = lang if lang in LANGUAGES else current()
    with translation.override(lang):
        return _("senaste tillgängliga: %(period)s") % {"period": period_label(period, lang)}


@dataclass(frozen=True)
class Freshness:
    """An indicator's latest period judged against a follow-up."""

    period: str  # the latest period available (stored or released, as the caller sees them)
    stale: bool
    followup: str  # the follow-up's name
    data_until: dt.date

    def label(self, lang: str | None = None) -> str:
        """The latest period as it is shown: "senaste tillgängliga: mars 2020" when stale,
        "mars 2020" when current."""
        lang = lang if lang in LANGUAGES else current()
        return (
            latest_available(self.period, lang) if self.stale else period_label(self.period, lang)
        )

    def labels(self) -> dict[str, str]:
        return {lang: self.label(lang) for lang in LANGUAGES}

    def shown(self, period: str, lang: str | None = None) -> str:
        """``period`` as a page or table shows it: the stale label if it is this latest
        stale period, else the period in words."""
        if self.stale and period == self.period:
            return self.label(lang)
        return period_label(period, lang)


def judge(
    ind: Indicator, periods: Sequence[str], followup: FollowUpLike | None
) -> Freshness | None:
    """The latest of ``periods`` (in time order) judged against ``followup``; None without a
    follow-up or a period."""
    if followup is None or not periods:
        return None
    latest = periods[-1]
    return Freshness(
        latest,
        is_stale(ind.period_type, latest, followup.data_until),
        followup.name,
        followup.data_until,
    )


def area_count(level: str) -> int:
    """How many regions (or municipalities) there are."""
    return (Region if level == "region" else Municipality).objects.count()


@dataclass(frozen=True)
class Coverage:
    """How many areas of a level have a value in a period."""

    period: str
    level: str
    reported: int
    total: int

    @property
    def partial(self) -> bool:
        """Some areas have a value and some have not."""
        return 0 < self.reported < self.total

    def text(self, lang: str | None = None) -> str:
        """ "12 av 21 regioner har rapporterat för 2022" (no full stop)."""
        lang = lang if lang in LANGUAGES else current()
        args = {"n": self.reported, "all": self.total, "period": period_label(self.period, lang)}
        with translation.override(lang):
            if self.level == "region":
                return (
                    ngettext(
                        "%(n)d av %(all)d regioner har rapporterat för %(period)s",
                        "%(n)d av %(all)d regioner har rapporterat för %(period)s",
                        self.reported,
                    )
                    % args
                )
            return (
                ngettext(
                    "%(n)d av %(all)d kommuner har rapporterat för %(period)s",
                    "%(n)d av %(all)d kommuner har rapporterat för %(period)s",
                    self.reported,
                )
                % args
            )

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "period": self.period,
            "reported": self.reported,
            "total": self.total,
            "partial": self.partial,
            "text": {lang: self.text(lang) for lang in LANGUAGES},
        }


def coverage(
    values: Iterable[StoredValue],
    period: str,
    level: str,
    sex: str = "T",
    age_band: str = "total",
    total: int | None = None,
) -> Coverage:
    """How many areas of ``level`` have a value (``value`` not empty) in ``period`` among
    ``values`` (stored or released), for one sex and age band; ``total``: how many areas there
    are, when already known."""
    width = WIDTH[level]
    reported = {
        v.org_code
        for v in values
        if v.period == period
        and v.sex == sex
        and v.age_band == age_band
        and len(v.org_code) == width
        and v.org_code != NATION
        and v.value is not None
    }
    return Coverage(period, level, len(reported), area_count(level) if total is None else total)


def stored_coverage(ind: Indicator, period: str) -> list[Coverage]:
    """The coverage of a stored period at each of the indicator's levels (both sexes, all
    ages), as analysts see it."""
    values = IndicatorValue.objects.filter(
        indicator_id=ind.id, period=period, is_current=True, sex="T", age_band="total"
    ).only("org_code", "period", "sex", "age_band", "value")
    rows = list(values)
    return [coverage(rows, period, level) for level in ind.levels]
