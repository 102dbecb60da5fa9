"""The one place where access is decided.

Roles:
  * national analyst: everything;
  * region coordinator: the material of one region;
  * municipality respondent: the material of one municipality;
  * the public (anonymous): published material only.

Views ask :func:`has_permission` (or use :func:`require` / the
:func:`organisation_view` decorator); lists are narrowed with
:func:`filter_visible`. Denials are HTTP 403 for a signed-in user and a
redirect to the login page for an anonymous one; an object that does not
exist is 404 before any of this is asked.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from naravard.accounts.models import Role
from naravard.refdata.models import Municipality, Region


class Action(enum.StrEnum):
    VIEW = "view"  # read the organisation's own (unpublished) material
    EDIT = "edit"  # answer or change on behalf of the organisation
    ADMINISTER = "administer"  # national tasks: accounts, rounds, publication


def organisation_of(obj: Any) -> Region | Municipality | None:
    """The region or municipality an object belongs to (itself for an organisation)."""
    if isinstance(obj, (Region, Municipality)):
        return obj
    for attr in ("municipality", "region", "organisation"):
        org = getattr(obj, attr, None)
        if isinstance(org, (Region, Municipality)):
            return org
    return None


def is_published(obj: Any) -> bool:
    return bool(getattr(obj, "is_published", False))


def has_permission(user, action: Action, obj: Any = None) -> bool:
    """May ``user`` do ``action`` on ``obj``?"""
    if action == Action.VIEW and obj is not None and is_published(obj):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ANALYST:
        return True
    if action == Action.ADMINISTER:
        return False
    org = organisation_of(obj)
    if user.role == Role.REGION_COORDINATOR:
        return isinstance(org, Region) and org.code == user.region_id
    if user.role == Role.MUNICIPALITY_RESPONDENT:
        return isinstance(org, Municipality) and org.code == user.municipality_id
    return False


def require(request, action: Action, obj: Any = None) -> None:
    """Raise 403 unless the request's user may do ``action`` on ``obj``."""
    if not has_permission(request.user, action, obj):
        raise PermissionDenied


def filter_visible(
    user,
    queryset: QuerySet,
    region_field: str | None = "region",
    municipality_field: str | None = "municipality",
    published_field: str | None = None,
) -> QuerySet:
    """Narrow ``queryset`` to the rows ``user`` may view."""
    allowed = Q(**{published_field: True}) if published_field else Q(pk__in=[])
    if user is not None and user.is_authenticated and user.is_active:
        if user.role == Role.ANALYST:
            return queryset
        if user.role == Role.REGION_COORDINATOR and region_field:
            allowed |= Q(**{region_field: user.region_id})
        if user.role == Role.MUNICIPALITY_RESPONDENT and municipality_field:
            allowed |= Q(**{municipality_field: user.municipality_id})
    return queryset.filter(allowed)


def organisation_view(action: Action, loader: Callable[..., Any]):
    """Decorate a view that acts on one object: load it (404 if missing), then check.

    ``loader`` gets the view's URL keyword arguments and returns the object;
    the view receives it as ``obj``.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = loader(**kwargs)
            if not has_permission(request.user, action, obj):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, obj=obj)

        return wrapped

    return decorate


def analyst_view(view):
    """Decorate a view reserved for national analysts."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(request, Action.ADMINISTER)
        return view(request, *args, **kwargs)

    return wrapped
