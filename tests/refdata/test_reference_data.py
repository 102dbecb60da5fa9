"""The stored reference data: migrations load it, a sync repairs edits but keeps imported
corrections, and each population cell belongs to one area."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from naravard.refdata.models import Municipality, Population, Region
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


def test_shipped_data_does_not_undo_an_imported_correction():
    Population.objects.filter(
        municipality_id="0180", year=2019, sex="total", age_band="total"
    ).update(population=974100, source="fix.csv")
    sync_reference_data(Region, Municipality, Population)
    cell = Population.objects.get(municipality_id="0180", year=2019, sex="total", age_band="total")
    assert cell.population == 974100
