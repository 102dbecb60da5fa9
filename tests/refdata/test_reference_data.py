"""The database: migrations load the reference data; accounts keep role and organisation consistent."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from naravard.accounts.models import Role, User
from naravard.refdata.models import Municipality, Population, Region
from naravard.refdata.resolve import UnknownName
from naravard.refdata.sync import sync_reference_data

pytestmark = pytest.mark.django_db


def test_migrations_load_reference_data():
    assert Region.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert Municipality.objects.filter(region__code="14").count() == 49
    national = Population.objects.filter(
        region__isnull=False, year=2019, sex="total", age_band="total"
    ).aggregate(s=Sum("population"))["s"]
    assert national == 10_327_589


def test_reference_sync_is_idempotent_and_repairs_edits():
    report = sync_reference_data(Region, Municipality, Population)
    assert sum(report.added.values()) == 0 and sum(report.changed.values()) == 0
    Region.objects.filter(code="04").update(name="Landstinget Sörmland")
    Population.objects.filter(
        municipality_id="0180", year=2019, sex="total", age_band="total"
    ).update(population=1)
    report = sync_reference_data(Region, Municipality, Population)
    assert report.changed == {"regions": 1, "municipalities": 0, "population cells": 1}
    assert Region.objects.get(code="04").name == "Region Sörmland"


def test_population_cell_is_unique_per_area():
    with pytest.raises(IntegrityError), transaction.atomic():
        Population.objects.create(
            year=2019, region_id="01", sex="total", age_band="total", population=1, source="test"
        )


def test_population_belongs_to_exactly_one_area():
    with pytest.raises(IntegrityError), transaction.atomic():
        Population.objects.create(
            year=2030,
            region_id="01",
            municipality_id="0180",
            sex="total",
            age_band="total",
            population=1,
            source="test",
        )


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
