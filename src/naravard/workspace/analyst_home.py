"""The national analyst's start page: open rounds, open fact-checks, the latest imports and the
outer sources' last syncs."""

from __future__ import annotations

from django.db.models import Count, Max
from django.shortcuts import render
from django.utils import timezone

from naravard.accounts.permissions import analyst_view
from naravard.catalog.catalogue import CatalogueError, get_indicator
from naravard.collect import results, services
from naravard.collect.models import Round
from naravard.core.language import pick
from naravard.ingest.models import ImportBatch, IndicatorValue
from naravard.publish.releases import latest_releases
from naravard.refdata.models import Municipality, Region
from naravard.report import factcheck
from naravard.report.models import FactCheck
from naravard.sources.models import Sync
from naravard.sources.registry import POPULATION, RegistryError, sources


def _open_rounds() -> list[dict]:
    """Every round open for answers, with its response rate and the days left."""

    services.lock_due_rounds()
    today = timezone.localdate()
    out = []
    for rnd in Round.objects.filter(locked_at__isnull=True).order_by("deadline", "pk"):
        summary = results.summary(rnd)
        out.append({"round": rnd, "summary": summary, "days_left": (rnd.deadline - today).days})
    return out


def _open_factchecks() -> list[dict]:
    """Every fact-check still open, with how many regions approved, commented or are silent."""

    today = timezone.localdate()
    out = []
    for check in FactCheck.objects.select_related("followup").order_by("deadline"):
        if not check.is_open(today):
            continue
        state = factcheck.answers(check.followup)
        out.append(
            {
                "check": check,
                "followup": check.followup,
                "approved": len(state.approved),
                "commented": len(state.commented),
                "approved_earlier": len(state.approved_earlier),
                "silent": len(state.silent),
                "to_decide": state.undecided,
                "days_left": (check.deadline - today).days,
            }
        )
    return out


def _latest_imports(n: int = 6) -> list[dict]:
    """The latest files imported and register computations, with their indicators' names
    (values derived from them follow and are not listed)."""

    out = []
    for batch in ImportBatch.objects.exclude(kind="derived").order_by("-created_at", "-pk")[:n]:
        names = []
        for indicator_id in [i for i in batch.indicators.split(",") if i]:
            try:
                names.append(pick(get_indicator(indicator_id).name))
            except CatalogueError:
                names.append(indicator_id)
        out.append({"batch": batch, "names": names[:3], "more": max(len(names) - 3, 0)})
    return out


def _sources() -> list[dict]:
    """Every source in the registry with its last sync and how many of the values its syncs
    stored are current and not yet released (stored after their period's latest release)."""
    try:
        registry = sources()
    except RegistryError:
        return []  # naravard.E040 says so at start
    released = latest_releases()
    out = []
    for source in registry.values():
        syncs = Sync.objects.filter(source_id=source.id)
        waiting = None
        if source.target != POPULATION:
            waiting = 0
            batches = syncs.exclude(batch=None).values_list("batch", flat=True)
            for row in (
                IndicatorValue.objects.filter(batch__in=batches, is_current=True)
                .values("indicator_id", "period")
                .annotate(n=Count("id"), newest=Max("created_at"))
            ):
                release = released.get((row["indicator_id"], row["period"]))
                if release is None or release.published_at < row["newest"]:
                    waiting += row["n"]
        out.append({"source": source, "last": syncs.first(), "waiting": waiting})
    return out


@analyst_view
def home(request):
    """The analyst's start page: open rounds with response rates and deadlines, open
    fact-checks with the regions' answers, and the latest indicator imports."""
    return render(
        request,
        "workspace/analyst_home.html",
        {
            "rounds": _open_rounds(),
            "factchecks": _open_factchecks(),
            "imports": _latest_imports(),
            "sources": _sources(),
            "n_regions": Region.objects.count(),
            "n_organisations": Region.objects.count() + Municipality.objects.count(),
            "n_without_account": (
                Region.objects.filter(users__isnull=True).count()
                + Municipality.objects.filter(users__isnull=True).count()
            ),
        },
    )
