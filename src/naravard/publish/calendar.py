"""The release calendar: what the agency plans to publish when, what is late, and what was
published lately (first releases and revisions).

An analyst plans an indicator's period for a day (:func:`plan`, ``naravard publish plan``);
planning it again moves it, and the calendar says from when. A plan is kept once its period
is released, so the calendar can say whether the release kept to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from naravard.catalog.catalogue import Indicator, get_indicator, period_end
from naravard.publish.models import PlannedRelease, Release
from naravard.publish.releases import ReleaseError, latest_releases

RECENT_DAYS = 365  # the calendar lists what was published in the last year


@transaction.atomic
def plan(
    indicator_id: str, period: str, on: dt.date, *, actor: str, note: str = ""
) -> PlannedRelease:
    """Plan (or move) the release of an indicator's period. The period is written as the
    indicator writes its periods (2024, 2024-03, or a point in time's day; a bare year is a
    point in time's last day); one already public cannot be planned."""
    ind = get_indicator(indicator_id)  # CatalogueError for an unknown id
    if not ind.valid_period(period):
        raise ReleaseError(
            f"{period!r} is not a period of {ind.id} (periods are {ind.period_type}s)"
        )
    period = ind.normal_period(period)
    if (ind.id, period) in latest_releases(ind.id):
        raise ReleaseError(f"{ind.id} {period} is already published; release it again instead")
    found = PlannedRelease.objects.select_for_update().filter(indicator_id=ind.id, period=period)
    planned = found.first()
    if planned is None:
        return PlannedRelease.objects.create(
            indicator_id=ind.id,
            period=period,
            planned_on=on,
            first_planned_on=on,
            note=note,
            actor=actor,
        )
    planned.planned_on, planned.actor = on, actor
    planned.note = note or planned.note
    planned.save()
    return planned


@dataclass(frozen=True)
class Planned:
    """A planned release not yet made: ``moved_from`` is the first date when it was moved."""

    indicator: Indicator
    period: str
    on: dt.date
    moved_from: dt.date | None
    note: str


@dataclass(frozen=True)
class Published:
    """The releases of one indicator on one day (``periods``, in time order): first releases
    (``revision`` False) or later ones, with their note; ``planned_on`` the day a single
    period was planned for, if it was."""

    indicator: Indicator
    periods: tuple[str, ...]
    on: dt.date
    revision: bool
    note: str
    planned_on: dt.date | None


@dataclass(frozen=True)
class Calendar:
    upcoming: list[Planned]
    late: list[Planned]
    recent: list[Published]


def calendar(today: dt.date | None = None) -> Calendar:
    """The plans from ``today`` on, those past their day and not yet released, and the
    releases of the last :data:`RECENT_DAYS` (newest first)."""
    today = today or timezone.localdate()
    public = latest_releases()
    plans = {(p.indicator_id, p.period): p for p in PlannedRelease.objects.all()}
    upcoming: list[Planned] = []
    late: list[Planned] = []
    for (indicator_id, period), p in sorted(plans.items(), key=lambda kv: kv[1].planned_on):
        if (indicator_id, period) in public:
            continue
        item = Planned(
            get_indicator(indicator_id),
            period,
            p.planned_on,
            p.first_planned_on if p.first_planned_on != p.planned_on else None,
            p.note,
        )
        (upcoming if p.planned_on >= today else late).append(item)
    since = today - dt.timedelta(days=RECENT_DAYS)
    seen: set[tuple[str, str]] = set()
    grouped: dict[tuple[dt.date, str, bool, str], list[str]] = {}
    for r in Release.objects.order_by("published_at", "id"):
        key = (r.indicator_id, r.period)
        day = timezone.localdate(r.published_at)
        first = key not in seen
        seen.add(key)
        if r.withdrawn or key not in public or day < since:
            continue
        grouped.setdefault((day, r.indicator_id, not first, r.note), []).append(r.period)
    recent = []
    for (day, indicator_id, revision, note), periods in grouped.items():
        planned = plans.get((indicator_id, periods[0])) if len(periods) == 1 else None
        recent.append(
            Published(
                get_indicator(indicator_id),
                tuple(sorted(set(periods), key=period_end)),
                day,
                revision,
                note,
                planned.planned_on if planned and not revision else None,
            )
        )
    recent.reverse()  # newest first, within a day too
    recent.sort(key=lambda p: p.on, reverse=True)
    return Calendar(upcoming, late, recent)


def next_planned(indicator_id: str) -> PlannedRelease | None:
    """The indicator's next planned release not yet made, if any."""
    public = latest_releases(indicator_id)
    for p in PlannedRelease.objects.filter(indicator_id=indicator_id).order_by("planned_on"):
        if (p.indicator_id, p.period) not in public:
            return p
    return None
