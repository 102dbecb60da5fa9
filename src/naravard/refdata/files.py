"""Reading the reference files shipped in the package (no database needed)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

POPULATION_SOURCE = "SCB, folkmängd 31 december (BE0101), via refdata/SOURCES.md"
AGE_BANDS = [f"{a}-{a + 4}" for a in range(0, 100, 5)] + ["100+"]


@dataclass(frozen=True)
class RegionRow:
    code: str
    county_name: str
    name: str
    short_name: str
    iso_code: str


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    full_name: str
    region_code: str


@dataclass(frozen=True)
class PopulationRow:
    year: int
    level: str  # "region" or "municipality"
    code: str
    sex: str
    age_band: str
    population: int


def data_path(name: str):
    """A file in the package's refdata/data folder."""
    return resources.files("naravard.refdata").joinpath("data", name)


def _rows(name: str) -> Iterator[dict[str, str]]:
    with data_path(name).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


@cache
def regions() -> tuple[RegionRow, ...]:
    return tuple(
        RegionRow(
            r["region_code"], r["county_name"], r["region_name"], r["short_name"], r["iso_3166_2"]
        )
        for r in _rows("regions.csv")
    )


@cache
def municipalities() -> tuple[MunicipalityRow, ...]:
    return tuple(
        MunicipalityRow(
            r["municipality_code"],
            r["municipality_name"],
            r["municipality_name_full"],
            r["county_code"],
        )
        for r in _rows("municipalities.csv")
    )


def population() -> Iterator[PopulationRow]:
    for r in _rows("population.csv"):
        yield PopulationRow(
            int(r["year"]), r["level"], r["code"], r["sex"], r["age_band"], int(r["population"])
        )


@cache
def geojson(level: str) -> dict:
    """The boundaries, WGS84, as parsed GeoJSON; level is 'region' or 'municipality'."""
    name = {"region": "regions.geojson", "municipality": "municipalities.geojson"}[level]
    with data_path(name).open(encoding="utf-8") as fh:
        return json.load(fh)
