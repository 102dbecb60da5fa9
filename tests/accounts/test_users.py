"""Accounts keep role and organisation consistent: the database refuses a role without its
organisation, names resolve to codes, bad input is refused, createsuperuser makes an analyst."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from naravard.accounts.models import Role, User
from naravard.refdata.resolve import UnknownName

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role, region, municipality",
    [
        (Role.REGION_COORDINATOR, None, None),
        (Role.REGION_COORDINATOR, "01", "0180"),
        (Role.MUNICIPALITY_RESPONDENT, "01", None),
        (Role.ANALYST, "01", None),
        ("", None, None),
    ],
)
def test_database_refuses_role_without_matching_organisation(role, region, municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=role, region_id=region, municipality_id=municipality)


def test_create_user_resolves_organisation_names(make_user):
    user = make_user("sam", "region_coordinator", "Region Sörmland")
    assert user.region_id == "04" and user.municipality is None
    resp = make_user("kom", "municipality_respondent", "Göteborgs stad")
    assert resp.municipality_id == "1480"
    analyst = make_user("ana", "analyst")
    assert analyst.is_staff and analyst.groups.filter(name="Nationella analytiker").exists()


def test_create_user_refuses_bad_input(make_user):
    with pytest.raises(UnknownName):
        make_user("x", "region_coordinator", "Götaland")
    with pytest.raises(ValidationError, match="needs --org"):
        make_user("x", "municipality_respondent")
    with pytest.raises(ValidationError, match="not bound"):
        make_user("x", "analyst", "01")
    make_user("taken", "analyst")
    with pytest.raises(ValidationError, match="already exists"):
        make_user("TAKEN", "analyst")
    assert not User.objects.filter(username="x").exists()


def test_createsuperuser_makes_an_analyst():
    user = User.objects.create_superuser("root", "root@example.org", "Lingon-Sylt-2024")
    assert user.role == "analyst" and user.is_superuser and user.region is None
