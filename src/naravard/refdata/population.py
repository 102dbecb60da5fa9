"""Population figures the way pages and indicators ask for them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max

from naravard.refdata.files import AGE_BANDS
from naravard.refdata.models import Municipality, Population, Region, Sex


@dataclass(frozen=True)
class YearTotal:
    year: int
    total: int
    men: int | None
    women: int | None


@dataclass(frozen=True)
class AgeBand:
    band: str
    men: int
    women: int

    @property
    def total(self) -> int:
        return self.men + self.women


def _area_filter(org: Region | Municipality) -> dict:
    return {"region": org} if isinstance(org, Region) else {"municipality": org}


def latest_year(level: str = "region") -> int | None:
    """The latest year in which every region (or municipality) has its total population."""
    field = "region" if level == "region" else "municipality"
    n_areas = (Region if level == "region" else Municipality).objects.count()
    years = (
        Population.objects.filter(sex=Sex.TOTAL, age_band="total", **{f"{field}__isnull": False})
        .values("year")
        .annotate(n=Count(field))
        .filter(n=n_areas)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    return years.first()


def latest_age_year(org: Region | Municipality) -> int | None:
    """The latest year with an age breakdown for this area."""
    return (
        Population.objects.filter(**_area_filter(org))
        .exclude(age_band="total")
        .aggregate(y=Max("year"))["y"]
    )


def series(org: Region | Municipality) -> list[YearTotal]:
    """Population on 31 December for every year stored, oldest first."""
    rows = Population.objects.filter(age_band="total", **_area_filter(org)).values_list(
        "year", "sex", "population"
    )
    by_year: dict[int, dict[str, int]] = {}
    for year, sex, value in rows:
        by_year.setdefault(year, {})[sex] = value
    return [
        YearTotal(
            year,
            v.get(Sex.TOTAL) or v.get(Sex.MEN, 0) + v.get(Sex.WOMEN, 0),
            v.get(Sex.MEN),
            v.get(Sex.WOMEN),
        )
        for year, v in sorted(by_year.items())
    ]


def by_age(org: Region | Municipality, year: int) -> list[AgeBand]:
    """Men and women per five-year age band in ``year``, youngest first."""
    rows = (
        Population.objects.filter(year=year, sex__in=[Sex.MEN, Sex.WOMEN], **_area_filter(org))
        .exclude(age_band="total")
        .values_list("age_band", "sex", "population")
    )
    cells = {(band, sex): value for band, sex, value in rows}
    return [
        AgeBand(band, cells.get((band, Sex.MEN), 0), cells.get((band, Sex.WOMEN), 0))
        for band in AGE_BANDS
        if (band, Sex.MEN) in cells or (band, Sex.WOMEN) in cells
    ]


def totals(level: str, year: int | None) -> dict[str, int]:
    """Total population per region or municipality code in ``year``."""
    if year is None:
        return {}
    field = "region_id" if level == "region" else "municipality_id"
    rows = Population.objects.filter(
        year=year, sex=Sex.TOTAL, age_band="total", **{f"{field}__isnull": False}
    ).values_list(field, "population")
    return dict(rows)
