"""Stored indicator values, each with the import (or derivation) that brought it.

A corrected value supersedes the old one: the old row stays, with
``is_current`` false and ``superseded_by`` pointing at its successor.
"""

from __future__ import annotations

from typing import Literal, get_args

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

NATION = "00"
Sex = Literal["T", "K", "M"]  # total, women, men (as in Kolada)
AgeBand = Literal["total", "0-19", "20-64", "65-79", "80+"]
SEXES: tuple[Sex, ...] = get_args(Sex)
AGE_BANDS: tuple[AgeBand, ...] = get_args(AgeBand)


class ImportBatch(models.Model):
    """Provenance: one file imported (or one derivation run), by whom, when."""

    kind = models.CharField(
        max_length=10,
        choices=[("import", "import"), ("derived", "derived"), ("computed", "computed")],
    )
    indicators = models.CharField(max_length=500)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    actor = models.CharField(max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, help_text="Aliases confirmed, inputs of a derivation.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name or self.indicators} {self.created_at:%Y-%m-%d %H:%M}"


class IndicatorValue(models.Model):
    """One value of one indicator for one organisation, period and sex."""

    indicator_id = models.CharField(max_length=80)
    org_code = models.CharField(
        max_length=4, help_text="00 nation, 2 digits region, 4 municipality"
    )
    period = models.CharField(max_length=10, help_text="2020, 2020-03 or 2020-03-31")
    sex = models.CharField(max_length=1, default="T")
    age_band = models.CharField(max_length=8, default="total")
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="values")
    row_number = models.PositiveIntegerField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator_id", "period", "org_code", "sex"]
        indexes = [models.Index(fields=["indicator_id", "period"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_id", "org_code", "period", "sex", "age_band"],
                condition=Q(is_current=True),
                name="one_current_value",
            ),
            models.CheckConstraint(condition=Q(sex__in=SEXES), name="value_sex_tkm"),
            models.CheckConstraint(condition=Q(age_band__in=AGE_BANDS), name="value_age_band"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.org_code} {self.period} {self.sex}: {self.value}"

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.indicator_id, self.org_code, self.period, self.sex, self.age_band)
