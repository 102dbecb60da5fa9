"""Published values revised since their period was first released: which, when and why.

A period is released again after a correction (publish.releases.release with a note); the
values that differ from those of the release before are revised at that release, for the
reason in its note. A value's revision is its latest: the date and reason the public site
shows beside it ("reviderad"). The values compared are those stored, before disclosure
control; what was hidden is still never shown, only the mark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from naravard.publish.releases import releases_of, values_at

Key = tuple[str, str, str, str]  # period, area, sex, age band


@dataclass(frozen=True)
class Revision:
    """A value changed at the release of ``revised_on`` for ``reason`` (the release's
    note), its period first released on ``first_released_on``."""

    revised_on: dt.date
    reason: str
    first_released_on: dt.date


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b))


def revisions(indicator_id: str) -> dict[Key, Revision]:
    """Every public value of the indicator that has changed since its period's first
    release, by (period, area, sex, age band)."""
    out: dict[Key, Revision] = {}
    for period, releases in releases_of(indicator_id).items():
        if len(releases) < 2:
            continue
        first = timezone.localdate(releases[0].published_at)
        before = values_at(indicator_id, period, releases[0].published_at)
        for later in releases[1:]:
            now = values_at(indicator_id, period, later.published_at)
            for cell in before.keys() | now.keys():
                if _differs(before.get(cell), now.get(cell)):
                    out[(period, *cell)] = Revision(
                        timezone.localdate(later.published_at), later.note, first
                    )
            before = now
    return out
