"""Stored reference data: regions, municipalities and population figures."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

REGION_CODE = RegexValidator(r"^\d{2}$", "A region (county) code is two digits, e.g. 01.")
MUNICIPALITY_CODE = RegexValidator(r"^\d{4}$", "A municipality code is four digits, e.g. 0180.")


class Region(models.Model):
    """One of the 21 regions, keyed by its SCB county (län) code."""

    code = models.CharField(_("kod"), max_length=2, primary_key=True, validators=[REGION_CODE])
    county_name = models.CharField(_("län"), max_length=60, unique=True)
    name = models.CharField(_("region"), max_length=60, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=40)
    iso_code = models.CharField(_("ISO 3166-2"), max_length=6, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("publish:region", args=[self.code])


class Municipality(models.Model):
    """One of the 290 municipalities (kommuner), keyed by its 4-digit SCB code."""

    code = models.CharField(
        _("kod"), max_length=4, primary_key=True, validators=[MUNICIPALITY_CODE]
    )
    name = models.CharField(_("kommun"), max_length=60, unique=True)
    full_name = models.CharField(_("fullständigt namn"), max_length=80)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^\d{4}$"), name="municipality_code_4_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("publish:municipality", args=[self.code])


class Sex(models.TextChoices):
    TOTAL = "total", _("totalt")
    MEN = "men", _("män")
    WOMEN = "women", _("kvinnor")


class Population(models.Model):
    """Population on 31 December of a year, for a region or a municipality."""

    year = models.PositiveSmallIntegerField(_("år"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="population"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="population"
    )
    sex = models.CharField(_("kön"), max_length=5, choices=Sex.choices)
    age_band = models.CharField(_("åldersgrupp"), max_length=8)
    population = models.PositiveIntegerField(_("folkmängd"))
    source = models.CharField(_("källa"), max_length=200)

    class Meta:
        ordering = ["year", "region", "municipality", "sex", "age_band"]
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängd")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) ^ models.Q(municipality__isnull=True),
                name="population_one_area",
            ),
            models.UniqueConstraint(
                fields=["year", "region", "sex", "age_band"],
                condition=models.Q(region__isnull=False),
                name="population_unique_region_cell",
            ),
            models.UniqueConstraint(
                fields=["year", "municipality", "sex", "age_band"],
                condition=models.Q(municipality__isnull=False),
                name="population_unique_municipality_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.area_code} {self.sex} {self.age_band}: {self.population}"

    @property
    def area_code(self) -> str:
        code = self.region_id or self.municipality_id
        assert code is not None, "population_one_area keeps exactly one of the two"
        return code
