"""Account pages: the signed-in user's start page and each organisation's workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from naravard.accounts.models import Role, User
from naravard.accounts.permissions import Action, analyst_view, organisation_view
from naravard.refdata.models import Municipality, Region


@login_required
def workspace(request):
    """Send a signed-in user to the page where their own work starts."""
    user = request.user
    if user.role == Role.REGION_COORDINATOR:
        return redirect("accounts:region", code=user.region_id)
    if user.role == Role.MUNICIPALITY_RESPONDENT:
        return redirect("accounts:municipality", code=user.municipality_id)
    if user.role == Role.ANALYST:
        return redirect("accounts:analyst_home")
    return render(request, "accounts/no_role.html", status=403)


def _responses(org):
    """The organisation's forms in every round, newest round first."""
    return org.responses.select_related("round").order_by("-round__opened_at")


def _members(org) -> list[User]:
    return list(org.users.filter(is_active=True).order_by("last_name", "first_name", "username"))


@organisation_view(Action.VIEW, lambda code: get_object_or_404(Region, code=code))
def region_workspace(request, obj: Region):
    """A region's own page: its coordinators and its municipalities' respondents."""
    municipalities = obj.municipalities.annotate(
        n_accounts=Count("users", distinct=True)
    ).order_by("name")
    from naravard.report.models import FactCheck

    return render(request, "accounts/organisation.html", {
        "org": obj, "level": "region", "members": _members(obj),
        "municipalities": municipalities, "responses": _responses(obj),
        "factchecks": FactCheck.objects.filter(deadline__gte=timezone.localdate(),
                                               closed_at__isnull=True).select_related("followup"),
    })


@organisation_view(Action.VIEW, lambda code: get_object_or_404(Municipality, code=code))
def municipality_workspace(request, obj: Municipality):
    """A municipality's own page: its respondents."""
    return render(request, "accounts/organisation.html", {
        "org": obj, "level": "municipality", "members": _members(obj),
        "responses": _responses(obj),
    })


def _open_rounds() -> list[dict]:
    """Every round open for answers, with its response rate and the days left."""
    from naravard.collect import results, services
    from naravard.collect.models import Round

    services.lock_due_rounds()
    today = timezone.localdate()
    out = []
    for rnd in Round.objects.filter(locked_at__isnull=True).order_by("deadline", "pk"):
        summary = results.summary(rnd)
        out.append({"round": rnd, "summary": summary, "days_left": (rnd.deadline - today).days})
    return out


def _open_factchecks() -> list[dict]:
    """Every fact-check still open, with how many regions approved, commented or are silent."""
    from naravard.report import factcheck
    from naravard.report.models import FactCheck

    today = timezone.localdate()
    out = []
    for check in FactCheck.objects.select_related("followup").order_by("deadline"):
        if not check.is_open(today):
            continue
        state = factcheck.answers(check.followup)
        out.append({
            "check": check, "followup": check.followup,
            "approved": len(state.approved), "commented": len(state.commented),
            "approved_earlier": len(state.approved_earlier), "silent": len(state.silent),
            "to_decide": state.undecided, "days_left": (check.deadline - today).days,
        })
    return out


def _latest_imports(n: int = 6) -> list[dict]:
    """The latest files imported and register computations, with their indicators' names
    (values derived from them follow and are not listed)."""
    from naravard.catalog.catalogue import CatalogueError, get_indicator
    from naravard.ingest.models import ImportBatch
    from naravard.language import pick

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


@analyst_view
def analyst_home(request):
    """The analyst's start page: open rounds with response rates and deadlines, open
    fact-checks with the regions' answers, and the latest indicator imports."""
    return render(request, "accounts/analyst_home.html", {
        "rounds": _open_rounds(), "factchecks": _open_factchecks(),
        "imports": _latest_imports(),
        "n_regions": Region.objects.count(),
        "n_organisations": Region.objects.count() + Municipality.objects.count(),
        "n_without_account": (Region.objects.filter(users__isnull=True).count()
                              + Municipality.objects.filter(users__isnull=True).count()),
    })


@analyst_view
def organisations(request):
    """For analysts: every organisation with its number of accounts, gaps first if asked."""
    only_missing = request.GET.get("saknar") == "1"
    regions = Region.objects.annotate(n_accounts=Count("users", distinct=True))
    municipalities = Municipality.objects.select_related("region").annotate(
        n_accounts=Count("users", distinct=True)
    )
    if only_missing:
        regions = regions.filter(n_accounts=0)
        municipalities = municipalities.filter(n_accounts=0)
    return render(request, "accounts/organisations.html", {
        "regions": regions, "municipalities": municipalities, "only_missing": only_missing,
        "n_analysts": User.objects.filter(role=Role.ANALYST, is_active=True).count(),
    })
