"""Which follow-up an indicator's latest period is judged against (analysis/freshness.py)
outside the report itself, where the report's own follow-up is known.

- The public (site, open API, signed-in callers who see released periods): the newest
  follow-up whose report is published. Until one is, nothing is called stale in public; a
  publication changes what the public cache keeps (``site/caching.py`` counts published
  reports), so the pages follow at once.
- Analysts (stored periods): the newest follow-up, published or not, the one they prepare.

"Newest" is the latest ``data_until`` (then the latest publication day).
"""

from __future__ import annotations

from naravard.report.models import FollowUp


def public_followup() -> FollowUp | None:
    """The newest follow-up with a published report."""
    return (
        FollowUp.objects.filter(published__isnull=False)
        .order_by("-data_until", "-published_on", "-pk")
        .first()
    )


def working_followup() -> FollowUp | None:
    """The newest follow-up, published or not."""
    return FollowUp.objects.order_by("-data_until", "-published_on", "-pk").first()
