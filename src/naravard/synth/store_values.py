"""Indicator values at the volume of the real follow-up, as files to import.

``write_store_files(folder, last_year)`` writes one CSV file per catalogue indicator, in the
layout ``naravard data import`` reads: every area at the indicator's levels (the nation, the
21 regions and, where the indicator has them, the 290 municipalities), every period of
``years`` years up to ``last_year`` (each month where the indicator is monthly, the year's
last day where it is a point in time), every sex and every age band. Shares and rates carry
their numerator and denominator (the importer works out the value), counts and amounts their
value. The values are seeded per indicator, so two runs write the same files, and lie well
inside the indicator's range; they drift a little from one period to the next and differ
between areas, sexes and age bands, as real series do. Nothing here pretends to be data:
the files are for measuring the store and the public site at the size of the real thing
(bench/store_bench.py).
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from naravard.catalog.catalogue import Indicator, catalogue
from naravard.ingest.models import AGE_BANDS, NATION, SEXES
from naravard.refdata import files

YEARS = 20
HEADER = ("org", "period", "sex", "age_band", "value", "numerator", "denominator")
# People in an area's sex and age band: a region's are many, a municipality's few.
REGION_PEOPLE, MUNICIPALITY_PEOPLE = 200_000, 8_000


@dataclass(frozen=True)
class StoreFile:
    """A written file: the indicator it holds, where it is and how many values."""

    indicator_id: str
    path: Path
    values: int


def areas(indicator: Indicator) -> list[str]:
    """The codes of the areas an indicator has values for: the nation, and every area of
    each of its levels."""
    codes = [NATION]
    if "region" in indicator.levels:
        codes += [r.code for r in files.regions()]
    if "municipality" in indicator.levels:
        codes += [m.code for m in files.municipalities()]
    return codes


def periods(indicator: Indicator, last_year: int, years: int = YEARS) -> list[str]:
    """The indicator's periods in the ``years`` years up to ``last_year``, oldest first."""
    span = range(last_year - years + 1, last_year + 1)
    if indicator.period_type == "month":
        return [f"{year}-{month:02d}" for year in span for month in range(1, 13)]
    if indicator.period_type == "point":
        return [f"{year}-12-31" for year in span]
    return [str(year) for year in span]


def _level(indicator: Indicator) -> float:
    """Where the indicator's values lie: a fraction of the denominator for shares and rates,
    a size for counts and amounts, inside the unit's range."""
    if indicator.kind == "share":
        return 0.55
    if indicator.kind == "rate":
        return 0.02  # 2 000 per 100 000
    low, high = indicator.value_range
    top = high if high is not None else 10_000.0
    bottom = low if low is not None else 0.0
    return bottom + (top - bottom) * 0.3


def write_store_files(
    folder: Path, last_year: int, years: int = YEARS, ids: list[str] | None = None
) -> list[StoreFile]:
    """Write one file per indicator (``ids``, or every one in the catalogue) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for indicator in catalogue().values():
        if ids is not None and indicator.id not in ids:
            continue
        path = folder / f"{indicator.id}.csv"
        count = _write(path, indicator, last_year, years)
        written.append(StoreFile(indicator.id, path, count))
    return written


def _people(code: str) -> float:
    if code == NATION:
        return REGION_PEOPLE * 10.0
    return float(REGION_PEOPLE if len(code) == 2 else MUNICIPALITY_PEOPLE)


def _write(path: Path, indicator: Indicator, last_year: int, years: int) -> int:
    rng = np.random.default_rng(zlib.crc32(indicator.id.encode()))
    codes, spans = areas(indicator), periods(indicator, last_year, years)
    cells = [(sex, band) for sex in SEXES for band in AGE_BANDS]
    shape = (len(codes), len(spans), len(cells))
    # an area's own level, a slow drift over the periods and a cell's own level, all near 1
    area = rng.uniform(0.8, 1.2, size=(len(codes), 1, 1))
    drift = np.cumsum(rng.normal(0.0, 0.004, size=(1, len(spans), 1)), axis=1)
    cell = rng.uniform(0.9, 1.1, size=(1, 1, len(cells)))
    factor = np.clip(area * (1.0 + drift) * cell, 0.5, 1.5)
    level = _level(indicator)
    blank = np.full(shape, "", dtype=object)
    if indicator.kind in ("share", "rate"):  # the importer works the value out
        people = np.array([_people(c) for c in codes]).reshape(-1, 1, 1)
        denominator = np.broadcast_to(np.rint(people * cell), shape)
        numerator = np.minimum(np.rint(denominator * level * factor), denominator)
        columns = (blank, numerator.astype(np.int64), denominator.astype(np.int64))
    else:
        low, high = indicator.value_range
        value = level * factor
        if low is not None or high is not None:
            value = np.clip(value, low, high)
        value = np.rint(value).astype(np.int64) if indicator.kind == "count" else value.round(2)
        columns = (value, blank, blank)
    values, numerators, denominators = (column.tolist() for column in columns)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i, code in enumerate(codes):
            for j, period in enumerate(spans):
                writer.writerows(
                    (
                        code,
                        period,
                        sex,
                        band,
                        values[i][j][k],
                        numerators[i][j][k],
                        denominators[i][j][k],
                    )
                    for k, (sex, band) in enumerate(cells)
                )
    return int(np.prod(shape))
