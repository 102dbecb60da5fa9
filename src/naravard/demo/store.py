"""A bigger indicator store for measuring: the demo's series carried back in time.

``widen_store(years)`` gives every indicator in the store ``years`` more years before its
first: each earlier year holds the same areas, sexes, age bands and sub-periods (months,
days) as the first year, with values that drift a little from year to year (seeded, so two
runs give the same store). The values are written in one transaction with one import batch
of their own, and every new period is released, so the public site shows them as it shows
any other. The demo's 150 000 values with ``years=45`` (fifty years in all) become about
ten times as many: what bench/page_speed_bench.py measures the public pages on.
"""

from __future__ import annotations

import random
from collections import defaultdict

from django.db import transaction

from naravard.catalog.catalogue import get_indicator
from naravard.ingest.models import ImportBatch, IndicatorValue
from naravard.publish.models import Release
from naravard.publish.releases import forget_releases

ACTOR = "demodata"
SEED = 1974
BATCH_ROWS = 5000
NOTE = "earlier years, for measuring (demo/store.py)"
YEARLY_DRIFT = 0.02  # at most this share up or down from one year to the next


def _earlier(period: str, years: int) -> str:
    """The same period ``years`` earlier: 2019 → 2018, 2019-03 → 2018-03, 2019-12-31 → 2018-12-31."""
    return f"{int(period[:4]) - years:04d}{period[4:]}"


def _drifted(v: IndicatorValue, factor: float, share: bool) -> tuple:
    """The value, numerator and denominator ``factor`` times as large; a share's numerator
    whole and never above its denominator."""
    if v.numerator is None:
        return (None if v.value is None else v.value * factor, None, v.denominator)
    numerator = float(round(v.numerator * factor))
    if share and v.denominator is not None:
        numerator = min(numerator, v.denominator)
    if v.value is None or not v.numerator:
        return (v.value, numerator, v.denominator)
    return (v.value * numerator / v.numerator, numerator, v.denominator)


@transaction.atomic
def widen_store(years: int, *, actor: str = ACTOR) -> int:
    """Add ``years`` earlier years to every indicator in the store, released; returns the
    number of values added (all or none)."""
    if years < 1:
        raise ValueError("years must be at least 1")
    rng = random.Random(SEED)
    ids = sorted(
        set(IndicatorValue.objects.filter(is_current=True).values_list("indicator_id", flat=True))
    )
    batch = ImportBatch.objects.create(
        kind="derived",
        indicators=",".join(ids)[:500],
        actor=actor,
        note=f"{years} earlier years carried back from each indicator's first (demo/store.py)",
    )
    added = 0
    releases: list[Release] = []
    for indicator_id in ids:
        share = get_indicator(indicator_id).kind == "share"
        first = IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True)
        first_year = min(p[:4] for p in first.values_list("period", flat=True).distinct())
        base = list(first.filter(period__startswith=first_year))
        factors: dict[tuple, float] = defaultdict(lambda: 1.0)
        rows = []
        periods = set()
        for back in range(1, years + 1):
            for v in base:
                key = (v.org_code, v.sex, v.age_band, v.period[4:])
                factors[key] *= 1 + rng.uniform(-YEARLY_DRIFT, YEARLY_DRIFT)
                value, numerator, denominator = _drifted(v, factors[key], share)
                period = _earlier(v.period, back)
                periods.add(period)
                rows.append(
                    IndicatorValue(
                        indicator_id=indicator_id,
                        org_code=v.org_code,
                        period=period,
                        sex=v.sex,
                        age_band=v.age_band,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                        batch=batch,
                    )
                )
        IndicatorValue.objects.bulk_create(rows, batch_size=BATCH_ROWS)
        added += len(rows)
        releases += [
            Release(indicator_id=indicator_id, period=p, actor=actor, note=NOTE)
            for p in sorted(periods)
        ]
    # the periods are stored, as release() would check: the releases are made at once
    Release.objects.bulk_create(releases, batch_size=BATCH_ROWS)
    forget_releases()
    ImportBatch.objects.filter(pk=batch.pk).update(added=added)
    return added
