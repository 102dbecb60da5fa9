"""The one gateway to public indicator data: released periods, as they stood when released.

Every public page, API and download reads indicator values through this module, so that
unreleased periods and later, unreleased corrections never leave the house.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, Max, Q

from naravard.catalog.catalogue import (
    Indicator,
    PeriodError,
    get_indicator,
    period_end,
    period_label,
)
from naravard.collect.audit import record
from naravard.collect.models import AuditAction, Response, Round
from naravard.core.brief import Brief
from naravard.core.errors import Invalid
from naravard.ingest.models import IndicatorValue
from naravard.publish.models import Release


class ReleaseError(Invalid):
    """A release that cannot be made (unknown indicator, nothing stored for the period)."""


class _Releases(NamedTuple):
    """Every release read at once: the newest public one of each (indicator, period), by
    indicator, and the facts that change with any release or withdrawal; and what is worked
    out from them for each indicator, once per reading: its released periods in time order
    and its release key (:func:`release_key`)."""

    latest: dict[str, dict[tuple[str, str], Release]]
    facts: tuple
    periods: dict[str, list[str]]
    keys: dict[str, tuple]


def _facts_now() -> tuple:
    """The releases' facts from one aggregate query: how many, the last id, the last time
    (releases and withdrawals are only ever added, so any change changes these)."""
    found = Release.objects.aggregate(n=Count("pk"), last=Max("pk"), at=Max("published_at"))
    return (found["n"], found["last"], found["at"].isoformat() if found["at"] else None)


_last_read: _Releases | None = None  # the releases as last read in full by this process


def _read_releases() -> _Releases:
    """Every release, read in full only when their facts have changed since the last full
    read: at ten times the demo's releases that read takes 70 ms, the facts one."""
    global _last_read
    facts = _facts_now()
    last = _last_read
    if last is not None and last.facts == facts:
        return last
    latest: dict[str, dict[tuple[str, str], Release]] = {}
    for r in Release.objects.order_by("published_at", "id"):
        latest.setdefault(r.indicator_id, {})[(r.indicator_id, r.period)] = r
    for indicator_id, periods in list(latest.items()):
        latest[indicator_id] = {key: r for key, r in periods.items() if not r.withdrawn}
    _last_read = _Releases(
        latest,
        facts,
        {
            indicator_id: sorted({p for (_, p) in periods}, key=period_end)
            for indicator_id, periods in latest.items()
        },
        {
            indicator_id: tuple(
                sorted((p, r.pk, r.published_at.isoformat()) for (_, p), r in periods.items())
            )
            for indicator_id, periods in latest.items()
        },
    )
    return _last_read


# Read by nearly every public request, many times: kept for a second (core/brief.py); a
# release or withdrawal made in this process forgets it at once (publish/apps.py).
_releases: Brief[_Releases] = Brief(_read_releases, trust_transactions=True)


def forget_releases(**kwargs) -> None:
    global _last_read
    _last_read = None
    _releases.forget(**kwargs)


def release_facts() -> tuple:
    """A short fact that changes with every release and withdrawal, read afresh, and kept
    for :func:`latest_releases`: the public cache's version is made of it, so what the public
    pages read is never older than the version they are filed under."""
    return _releases.refresh().facts


def release_state() -> tuple:
    """The same fact as :func:`release_facts`, as last read (at most a second old)."""
    return _releases.get().facts


def latest_releases(indicator_id: str | None = None) -> dict[tuple[str, str], Release]:
    """The newest release of every public (indicator, period); a withdrawal hides it."""
    latest = _releases.get().latest
    if indicator_id is not None:
        return dict(latest.get(indicator_id, {}))
    return {key: r for periods in latest.values() for key, r in periods.items()}


def released_periods(indicator_id: str) -> list[str]:
    """Released periods in time order."""
    return list(_releases.get().periods.get(indicator_id, ()))


class PublicValue(NamedTuple):
    """A published value as the analysis reads it (lighter than a model instance)."""

    org_code: str
    period: str
    sex: str
    age_band: str
    value: float | None
    numerator: float | None
    denominator: float | None


def release_key(indicator_id: str) -> tuple:
    """What is public of an indicator, as a hashable key: each released period with its
    release (id and time); any release or withdrawal changes it."""
    return _releases.get().keys.get(indicator_id, ())


def public_values(
    indicator_id: str,
    periods: Sequence[str] | None = None,
    sexes: Sequence[str] | None = None,
    age_band: str | None = None,
) -> list[PublicValue]:
    """Every value of the released periods (or of those asked for, if released) exactly as it
    stood at the period's latest release: stored before it and not yet superseded then; of
    the ``sexes`` and the ``age_band`` only, if they are named."""
    releases = latest_releases(indicator_id)
    asked = None if periods is None else set(periods)
    wanted = [p for (_, p) in releases if asked is None or p in asked]
    if not wanted:
        return []
    condition = Q()
    for period in wanted:
        condition |= _as_it_stood(period, releases[(indicator_id, period)].published_at)
    if sexes is not None:
        condition &= Q(sex__in=list(sexes))
    if age_band is not None:
        condition &= Q(age_band=age_band)
    rows = IndicatorValue.objects.filter(condition, indicator_id=indicator_id).values_list(
        *PublicValue._fields
    )
    return [PublicValue(*row) for row in rows]


def _as_it_stood(period: str, at) -> Q:
    """The values of a period as they stood at ``at``: stored before it and not yet
    superseded then."""
    return Q(period=period, created_at__lte=at) & (
        Q(superseded_by__isnull=True) | Q(superseded_by__created_at__gt=at)
    )


def releases_of(indicator_id: str) -> dict[str, list[Release]]:
    """Every release of each period of the indicator that is public now, oldest first, from
    its first release on (a withdrawal and what came before it left out: the period was
    released afresh)."""
    public = latest_releases(indicator_id)
    out: dict[str, list[Release]] = {}
    for r in Release.objects.filter(indicator_id=indicator_id).order_by("published_at", "id"):
        if r.withdrawn:
            out.pop(r.period, None)
        elif (indicator_id, r.period) in public:
            out.setdefault(r.period, []).append(r)
    return out


def values_at(indicator_id: str, period: str, at) -> dict[tuple[str, str, str], float | None]:
    """Each (area, sex, age band) value of one period as it stood at ``at``."""
    rows = IndicatorValue.objects.filter(
        _as_it_stood(period, at), indicator_id=indicator_id
    ).values_list("org_code", "sex", "age_band", "value")
    return {(org, sex, age): value for org, sex, age, value in rows}


@transaction.atomic
def release(indicator_id: str, period: str, *, actor: str, user=None, note: str = "") -> Release:
    """Make the values now stored for the indicator's period public (``period`` read by the
    indicator's rule: 2022 is 2022-12-31 for a point in time)."""
    ind = get_indicator(indicator_id)  # CatalogueError for an unknown id
    return _release(ind, period, _stored_periods(ind), actor=actor, user=user, note=note)


def _stored_periods(ind: Indicator) -> list[str]:
    """The periods the store holds current values of, in time order."""
    return sorted(
        IndicatorValue.objects.filter(indicator_id=ind.id, is_current=True)
        .order_by()
        .values_list("period", flat=True)
        .distinct(),  # the store's periods, not its values: 1 500 rather than 400 000
        key=period_end,
    )


def _release(
    ind: Indicator, period: str, stored: list[str], *, actor: str, user=None, note: str = ""
) -> Release:
    try:
        period = ind.find_period(period, stored)
    except PeriodError as exc:
        raise ReleaseError(exc.message("en")) from None
    return Release.objects.create(
        indicator_id=ind.id, period=period, actor=actor, published_by=user, note=note
    )


@transaction.atomic
def release_everything_stored(*, actor: str, note: str = "") -> list[Release]:
    """Release every stored indicator period that is not public yet (the demo's publication),
    all or none."""
    forget_releases()  # what another process released a moment ago too
    public = latest_releases()
    released = []
    for indicator_id in sorted(
        IndicatorValue.objects.filter(is_current=True)
        .order_by()
        .values_list("indicator_id", flat=True)
        .distinct()
    ):
        ind = get_indicator(indicator_id)
        stored = _stored_periods(ind)
        released += [
            _release(ind, period, stored, actor=actor, note=note)
            for period in stored
            if (indicator_id, period) not in public
        ]
    return released


def withdraw(indicator_id: str, period: str, *, actor: str, user=None, note: str = "") -> Release:
    """Take a released period off the public site (recorded, like a release); ``period`` is
    read by the indicator's rule, like a release's."""
    ind = get_indicator(indicator_id)
    forget_releases()  # what another process released a moment ago too
    public = released_periods(ind.id)
    try:
        period = ind.find_period(period, public, published=True)
    except PeriodError as exc:
        raise ReleaseError(
            f"{ind.id} {period_label(exc.typed, 'en')} is not public: " + exc.message("en")
        ) from None
    return Release.objects.create(
        indicator_id=indicator_id,
        period=period,
        actor=actor,
        published_by=user,
        note=note,
        withdrawn=True,
    )


def published_rounds(form_id: str | None = None) -> list[Round]:
    """Collection rounds whose aggregated results are public, newest first."""
    rounds = Round.objects.filter(is_published=True)
    if form_id:
        rounds = rounds.filter(form_id=form_id)
    return list(rounds.order_by("-deadline", "-pk"))


def published_facts() -> tuple:
    """A short fact that changes whenever published survey results may: which rounds are
    published (and their titles, deadlines and forms) and their answers."""
    rounds = Round.objects.filter(is_published=True).order_by("pk")
    answers = Response.objects.filter(round__is_published=True).aggregate(
        n=Count("submitted_at"), at=Max("submitted_at"), imported=Max("imported_at")
    )
    return (
        tuple(rounds.values_list("pk", "title", "deadline", "form_version")),
        tuple(sorted(answers.items())),
    )


@transaction.atomic
def publish_round(round_id: int, *, actor: str, publish: bool = True) -> Round:
    """Make a closed round's aggregated results public (or take them down again); single
    responses are never public."""
    rnd = Round.objects.select_for_update().filter(pk=round_id).first()
    if rnd is None:
        raise ReleaseError(f"no collection round {round_id}")
    if publish and not rnd.is_locked:
        raise ReleaseError(
            f"round {round_id} ({rnd.title}) is still open until {rnd.deadline}; "
            "results are published after it closes"
        )
    rnd.is_published = publish
    rnd.save(update_fields=["is_published"])
    record(AuditAction.PUBLISH if publish else AuditAction.UNPUBLISH, rnd, actor=actor)
    return rnd
