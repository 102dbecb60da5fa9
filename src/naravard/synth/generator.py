"""Generate a synthetic national register, vectorised with numpy, one Parquet part per chunk.

A seed gives the same register on every run, and the same year whatever range of
years is asked for (the chunk size, 1 M persons, is part of the recipe).

Persons follow the reference population by municipality, sex and five-year age
band (SCB, 31 Dec 2019). Levels are plausible, not real: named-doctor shares
spread from 6 % to 96 % between regions, digital contacts rise to 2021 and
fall after, unplanned readmissions and care-guarantee attainment in the
ranges the follow-ups report. Scale 1.0 is the whole country.
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from naravard.engine.schemas import MODES, PROFESSIONS, SCHEMAS
from naravard.refdata import files

CHUNK = 1_000_000  # persons per Parquet part
POPULATION_YEAR = 2019  # the reference population the persons are drawn from
# digital contacts: up four points a year to 2021, down three a year after (a clear turn)
DIGITAL_BY_YEAR = {2019: 0.04, 2020: 0.08, 2021: 0.12, 2022: 0.09, 2023: 0.06}
AVOIDABLE = ["J44", "I50", "E11", "J45", "I10", "N39", "E86", "J18"]
OTHER_ICD = ["I21", "S72", "C50", "K80", "O80", "F32", "M16", "K35", "I63", "A41"]
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Spec:
    scale: float
    years: tuple[int, ...]
    seed: int


def _population() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """municipality code, sex (0=K,1=M), age band start and count per cell (POPULATION_YEAR)."""
    munis, sexes, bands, counts = [], [], [], []
    with files.data_path("population.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if (
                int(row["year"]) != POPULATION_YEAR
                or row["level"] != "municipality"
                or row["sex"] == "total"
                or row["age_band"] == "total"
            ):
                continue
            munis.append(row["code"])
            sexes.append(0 if row["sex"] == "women" else 1)
            bands.append(100 if row["age_band"] == "100+" else int(row["age_band"].split("-")[0]))
            counts.append(int(row["population"]))
    return np.array(munis), np.array(sexes), np.array(bands), np.array(counts)


def estimated_persons(scale: float) -> int:
    """About how many persons a scale gives (for progress bars)."""
    return int(
        round(
            sum(
                r.population
                for r in files.population()
                if r.year == POPULATION_YEAR
                and r.level == "region"
                and r.sex == "total"
                and r.age_band == "total"
            )
            * scale
        )
    )


def region_levels(seed: int) -> dict[str, float]:
    """Named-doctor share per region, spread 6 %–96 % (two regions at published levels)."""
    regions = [r.code for r in files.regions()]
    rng = np.random.default_rng(seed + 11)
    levels = dict(zip(regions, rng.uniform(0.20, 0.80, len(regions)), strict=True))
    levels.update(
        {"10": 0.06, "05": 0.54, "08": 0.62, "12": 0.66, "01": 0.72, "19": 0.79, "23": 0.96}
    )
    return levels


def _days(year: int) -> tuple[int, int]:
    start = (dt.date(year, 1, 1) - EPOCH).days
    return start, (dt.date(year, 12, 31) - EPOCH).days


def _array(values, type_: pa.DataType, mask=None) -> pa.Array:
    if isinstance(values, pa.Array):
        return values
    if pa.types.is_date32(type_):  # days since 1970-01-01
        return pa.array(np.asarray(values, dtype=np.int32), pa.int32(), mask=mask).cast(type_)
    return pa.array(values, type=type_, mask=mask)


def _strings(names, index: np.ndarray) -> pa.Array:
    """The strings ``names[index]`` as an Arrow column, picked out in Arrow: turning a numpy
    array of strings into Arrow's took most of the generation's time."""
    return pc.take(pa.array(names, pa.string()), pa.array(index, pa.int32()))


def _write(
    out: Path, table: str, year: int, part: int, columns: dict, masks: dict | None = None
) -> None:
    folder = out / table / f"year={year}"
    folder.mkdir(parents=True, exist_ok=True)
    schema = SCHEMAS[table]
    masks = masks or {}
    arrays = [_array(columns[f.name], f.type, masks.get(f.name)) for f in schema]
    pq.write_table(
        pa.Table.from_arrays(arrays, schema=schema),
        folder / f"part-{part:03d}.parquet",
        compression="zstd",
        # a dictionary for every column but the person (nearly one value per row, where
        # trying a dictionary first costs a fifth of the writing and saves nothing)
        use_dictionary=[f.name for f in schema if f.name != "person_id"],
    )


@dataclass(frozen=True)
class _Persons:
    """Who the register follows, the same every year: drawn from the seed alone."""

    municipalities: np.ndarray  # codes; the population's cells point into it
    cell_municipality: np.ndarray  # per population cell: its municipality's index
    region_number: np.ndarray  # per municipality: its region's number (01 → 1)
    person_id: np.ndarray
    sex: np.ndarray  # index into SEXES
    birth_year: np.ndarray
    home: np.ndarray  # municipality index
    named_level: np.ndarray  # the home region's named-doctor share
    care_level: np.ndarray  # the home region's share assessed within three days


SEXES = ("K", "M")
REGION_CODES = tuple(f"{number:02d}" for number in range(100))  # by region number


def _persons(spec: Spec) -> _Persons:
    rng = np.random.default_rng(spec.seed)
    munis, sexes, bands, counts = _population()
    municipalities, cell_municipality = np.unique(munis, return_inverse=True)
    region_number = np.array([int(m[:2]) for m in municipalities])
    n_cells = (
        rng.binomial(counts, min(spec.scale, 1.0))
        if spec.scale <= 1
        else np.round(counts * spec.scale).astype(np.int64)
    )
    cell = np.repeat(np.arange(len(counts)), n_cells)
    age = bands[cell] + rng.integers(0, np.where(bands[cell] == 100, 6, 5))
    home = cell_municipality[cell]
    levels = region_levels(spec.seed)
    named_by_municipality = np.array([levels[m[:2]] for m in municipalities])
    care_by_region = rng.uniform(0.72, 0.93, 26)
    return _Persons(
        municipalities=municipalities,
        cell_municipality=cell_municipality,
        region_number=region_number,
        person_id=np.arange(1, len(cell) + 1, dtype=np.int64),
        sex=sexes[cell],
        birth_year=(POPULATION_YEAR - age).astype(np.int16),
        home=home,
        named_level=named_by_municipality[home],
        care_level=care_by_region[region_number[home]],
    )


def generate(
    out: Path,
    spec: Spec,
    progress: Callable[[str, int], None] | None = None,
    processes: int | None = None,
) -> dict:
    """Write persons, listings, contacts, episodes and interventions under ``out``. The years
    are written side by side in ``processes`` processes (by default one per core, when the
    register is big enough for that to pay); each gives the same files."""
    if processes is None:
        person_years = estimated_persons(spec.scale) * len(spec.years)
        processes = (os.cpu_count() or 1) if person_years >= PARALLEL_FROM else 1
    processes = max(1, min(processes, len(spec.years)))
    totals = {t: 0 for t in SCHEMAS}
    if processes == 1:
        persons = _persons(spec)
        results = (_year(out, persons, spec, year, progress) for year in spec.years)
        for counts in results:
            for table, rows in counts.items():
                totals[table] += rows
        return totals
    # a fresh interpreter per worker (not a fork: the caller may hold threads and locks)
    with ProcessPoolExecutor(processes, mp_context=mp.get_context("spawn")) as pool:
        futures = {pool.submit(_year_alone, out, spec, year): year for year in spec.years}
        for future in as_completed(futures):
            counts = future.result()
            for table, rows in counts.items():
                totals[table] += rows
            if progress:
                progress(str(futures[future]), counts["persons"])
    return totals


PARALLEL_FROM = 2_000_000  # person-years: below it, starting the processes costs more


def _year_alone(out: Path, spec: Spec, year: int) -> dict:
    """One year in a process of its own (the persons are drawn again there, from the seed)."""
    return _year(out, _persons(spec), spec, year)


def _year(
    out: Path,
    persons: _Persons,
    spec: Spec,
    year: int,
    progress: Callable[[str, int], None] | None = None,
) -> dict:
    """Write one year's files; returns the rows written per table."""
    p = persons
    n = len(p.person_id)
    munis = p.municipalities
    yrng = np.random.default_rng([spec.seed, year])
    # one in a hundred more move each year (the same year whatever the range)
    moved = yrng.random(n) < 0.01 * max(0, year - POPULATION_YEAR)
    moved_to = p.cell_municipality[yrng.integers(0, len(p.cell_municipality), n)]
    living = np.where(moved, moved_to, p.home)
    living_region = p.region_number[living]
    age = year - p.birth_year
    first, last = _days(year)
    totals = {t: 0 for t in SCHEMAS}
    for part, lo in enumerate(range(0, n, CHUNK)):
        hi = min(n, lo + CHUNK)
        idx = np.arange(lo, hi)
        m = hi - lo
        pid, reg, yr = p.person_id[idx], living_region[idx], np.full(m, year, np.int16)
        _write(
            out,
            "persons",
            year,
            part,
            {
                "person_id": pid,
                "year": yr,
                "sex": _strings(SEXES, p.sex[idx]),
                "birth_year": p.birth_year[idx],
                "municipality": _strings(munis, living[idx]),
            },
        )
        units = yrng.integers(0, 40, m)
        unit_id = (reg.astype(np.int32) * 1000 + units).astype(np.int32)
        trend = 0.02 * (year - POPULATION_YEAR)
        named = yrng.random(m) < np.clip(p.named_level[idx] + trend, 0, 0.99)
        _write(
            out,
            "listings",
            year,
            part,
            {
                "person_id": pid,
                "year": yr,
                "unit_id": unit_id,
                "region": _strings(REGION_CODES, reg),
                "named_doctor": named,
                "valid_from": np.full(m, first),
                "valid_to": np.full(m, last),
            },
        )
        # contacts: about 3.9 per person and year, more for the old and the very young
        a = age[idx]
        rate = 3.1 + 3.0 * (a >= 65) + 1.5 * (a >= 80) + 1.0 * (a < 5)
        k = yrng.poisson(rate)
        who = np.repeat(np.arange(m), k)
        c = len(who)
        date = yrng.integers(first, last + 1, c)
        own = yrng.random(c) < 0.7 + 0.2 * named[who]
        c_unit = np.where(
            own,
            unit_id[who],
            (reg[who].astype(np.int32) * 1000 + yrng.integers(0, 40, c)).astype(np.int32),
        )
        digital = DIGITAL_BY_YEAR.get(year, 0.07)
        mode = yrng.choice(
            len(MODES), c, p=[0.80 - digital, digital * 0.6, digital * 0.4, 0.17, 0.03]
        )
        profession = yrng.choice(len(PROFESSIONS), c, p=[0.45, 0.33, 0.10, 0.05, 0.04, 0.03])
        new_problem = yrng.random(c) < 0.4
        needs = new_problem & (yrng.random(c) < 0.6)
        within = yrng.random(c) < p.care_level[idx][who]
        delay = np.where(within, yrng.integers(0, 4, c), yrng.integers(4, 30, c))
        _write(
            out,
            "contacts",
            year,
            part,
            {
                "person_id": pid[who],
                "year": np.full(c, year, np.int16),
                "date": date,
                "unit_id": c_unit,
                "region": _strings(REGION_CODES, reg[who]),
                "profession": _strings(PROFESSIONS, profession),
                "mode": _strings(MODES, mode),
                "new_problem": new_problem,
                "needs_assessment": needs,
                "assessed_on": date + delay,
            },
            masks={"assessed_on": ~needs},
        )
        # inpatient episodes: about 0.135 per person and year, mostly the old
        e_rate = 0.06 + 0.20 * (a >= 65) + 0.25 * (a >= 80)
        ke = yrng.poisson(e_rate)
        ew = np.repeat(np.arange(m), ke)
        ne = len(ew)
        admitted = yrng.integers(first, last - 40, ne)
        los = 1 + yrng.geometric(0.2, ne)
        discharged = admitted + los
        planned = yrng.random(ne) < 0.35
        avoid = yrng.random(ne) < 0.12
        icd = np.where(
            avoid,
            yrng.choice(len(AVOIDABLE), ne),
            len(AVOIDABLE) + yrng.choice(len(OTHER_ICD), ne),
        )
        # unplanned readmissions within 30 days for some discharges
        readmit = yrng.random(ne) < (0.06 + 0.10 * (a[ew] >= 65))
        rw = ew[readmit]
        r_adm = discharged[readmit] + yrng.integers(1, 31, readmit.sum())
        r_dis = r_adm + 1 + yrng.geometric(0.25, readmit.sum())
        ep_who = np.concatenate([ew, rw])
        ep = {
            "person_id": pid[ep_who],
            "year": np.full(len(ep_who), year, np.int16),
            "admitted": np.concatenate([admitted, r_adm]),
            "discharged": np.concatenate([discharged, r_dis]),
            "planned": np.concatenate([planned, np.zeros(len(rw), bool)]),
            "icd10": _strings(
                AVOIDABLE + OTHER_ICD,
                np.concatenate([icd, yrng.choice(len(AVOIDABLE) + len(OTHER_ICD), len(rw))]),
            ),
            "region": _strings(REGION_CODES, reg[ep_who]),
        }
        _write(out, "episodes", year, part, ep)
        # municipal interventions: some 65+ after a discharge, and some without
        old = a[ew] >= 65
        after = old & (yrng.random(ne) < 0.25)
        i_who = np.concatenate([ew[after], np.flatnonzero((a >= 65) & (yrng.random(m) < 0.05))])
        i_start = np.concatenate(
            [
                discharged[after] + yrng.integers(0, 15, after.sum()),
                yrng.integers(first, last, len(i_who) - after.sum()),
            ]
        )
        _write(
            out,
            "interventions",
            year,
            part,
            {
                "person_id": pid[i_who],
                "year": np.full(len(i_who), year, np.int16),
                "municipality": _strings(munis, living[idx][i_who]),
                "start": i_start,
                "end": i_start + yrng.integers(14, 365, len(i_who)),
            },
        )
        for table, rows in (
            ("persons", m),
            ("listings", m),
            ("contacts", c),
            ("episodes", len(ep_who)),
            ("interventions", len(i_who)),
        ):
            totals[table] += rows
        if progress:
            progress(f"{year}", m)
    return totals
