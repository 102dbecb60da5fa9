"""Creating accounts from the command line and for the demo, with role and organisation checked."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from naravard.accounts.models import Role, User
from naravard.refdata.models import Municipality, Region
from naravard.refdata.resolve import Level, Resolver

ANALYST_GROUP = "Nationella analytiker"
ANALYST_APPS = ("accounts", "refdata", "axes")


def analyst_group() -> Group:
    """The group giving analysts the admin permissions of naravard's own apps."""
    group, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=ANALYST_APPS))
    return group


def organisation_for(role: Role, org: str | None) -> dict:
    """The region/municipality fields for ``role``, resolving ``org`` (code or name)."""
    if role == Role.ANALYST:
        if org:
            raise ValidationError("An analyst is not bound to an organisation; leave out --org.")
        return {}
    if not org:
        raise ValidationError(
            f"The role {role.value} needs --org (a region or municipality code or name)."
        )
    level: Level = "region" if role == Role.REGION_COORDINATOR else "municipality"
    place = Resolver.default().resolve(org, level=level)  # raises UnknownName/AmbiguousName
    if level == "region":
        return {"region": Region.objects.get(code=place.code)}
    return {"municipality": Municipality.objects.get(code=place.code)}


@transaction.atomic
def create_user(
    username: str,
    role: Role,
    org: str | None = None,
    *,
    email: str = "",
    password: str | None = None,
    password_hash: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create one account; raises ValidationError naming what is wrong."""
    role = Role(role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"An account named {username!r} already exists.")
    user = User(
        username=username,
        role=role,
        email=email,
        first_name=first_name,
        last_name=last_name,
        **organisation_for(role, org),
    )
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"] if password_hash or not password else None)
    user.save()
    apply_role(user)
    return user


def apply_role(user: User) -> None:
    """Staff status and the analyst group follow from the role (superusers keep theirs)."""
    is_analyst = user.role == Role.ANALYST
    if user.is_staff != (is_analyst or user.is_superuser):
        user.is_staff = is_analyst or user.is_superuser
        user.save(update_fields=["is_staff"])
    group = analyst_group()
    if is_analyst:
        user.groups.add(group)
    else:
        user.groups.remove(group)
