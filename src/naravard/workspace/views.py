"""The signed-in user's start page and each organisation's workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from naravard.accounts.models import Role, User
from naravard.accounts.permissions import Action, analyst_view, organisation_view
from naravard.refdata.models import Municipality, Region
from naravard.report.models import FactCheck


@login_required
def workspace(request):
    """Send a signed-in user to the page where their own work starts."""
    user = request.user
    if user.role == Role.REGION_COORDINATOR:
        return redirect("workspace:region", code=user.region_id)
    if user.role == Role.MUNICIPALITY_RESPONDENT:
        return redirect("workspace:municipality", code=user.municipality_id)
    if user.role == Role.ANALYST:
        return redirect("workspace:analyst_home")
    return render(request, "workspace/no_role.html", status=403)


def _responses(org):
    """The organisation's forms in every round, newest round first."""
    return org.responses.select_related("round").order_by("-round__opened_at")


def _members(org) -> list[User]:
    return list(org.users.filter(is_active=True).order_by("last_name", "first_name", "username"))


@organisation_view(Action.VIEW, lambda code: get_object_or_404(Region, code=code))
def region_workspace(request, obj: Region):
    """A region's own page: its coordinators and its municipalities' respondents."""
    municipalities = obj.municipalities.annotate(n_accounts=Count("users", distinct=True)).order_by(
        "name"
    )
    return render(
        request,
        "workspace/organisation.html",
        {
            "org": obj,
            "level": "region",
            "members": _members(obj),
            "municipalities": municipalities,
            "responses": _responses(obj),
            "factchecks": FactCheck.objects.filter(
                deadline__gte=timezone.localdate(), closed_at__isnull=True
            ).select_related("followup"),
        },
    )


@organisation_view(Action.VIEW, lambda code: get_object_or_404(Municipality, code=code))
def municipality_workspace(request, obj: Municipality):
    """A municipality's own page: its respondents."""
    return render(
        request,
        "workspace/organisation.html",
        {
            "org": obj,
            "level": "municipality",
            "members": _members(obj),
            "responses": _responses(obj),
        },
    )


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
    return render(
        request,
        "workspace/organisations.html",
        {
            "regions": regions,
            "municipalities": municipalities,
            "only_missing": only_missing,
            "n_analysts": User.objects.filter(role=Role.ANALYST, is_active=True).count(),
        },
    )
