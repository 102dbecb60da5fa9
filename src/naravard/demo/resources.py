"""Demo values for the later follow-ups' resources: costs, staffing, trust and specialist
certificates, 2019–2023, for the 21 regions (and the 290 municipalities for the municipal
nurses).

They are demo values, invented for the demo and not real figures: each file's name begins with
``demovarden-`` and each import's provenance says so (:data:`NOTE`), as the register's values
are synthetic. They follow the size of each region and municipality (the population on 31
December 2019) and are the same on every build: every random draw is seeded by the
indicator, the area and the year.

The files are made here and imported as an analyst would (``naravard data import``), so the
computed indicators come the way they do for real data: the cost shares with and without the
targeted state grants, the cost in 2022 prices per resident (after the price index), and the
staff and certificates per 100 000 residents.
"""

from __future__ import annotations

import csv
import io
import random

from naravard.ingest.importer import ImportReport, import_file
from naravard.refdata.models import Municipality, Population

ACTOR = "demodata"
YEARS = (2019, 2020, 2021, 2022, 2023)
NOTE = "demovärden: påhittade för demon, inga verkliga uppgifter"
POPULATION_YEAR = 2019

# A price index for the regions' costs (2019 = 100), in the manner of LPIK
PRICE_INDEX = {2019: 100.0, 2020: 102.1, 2021: 104.8, 2022: 109.6, 2023: 116.3}
COST_GROWTH = {2019: 1.0, 2020: 1.045, 2021: 1.11, 2022: 1.17, 2023: 1.25}  # current prices
GRANTS_PER_RESIDENT = {2019: 190, 2020: 270, 2021: 360, 2022: 450, 2023: 420}  # kronor
# staff in regional primary care grow, in municipal health care they shrink
STAFF_TREND = {"regional": 0.015, "municipal": -0.01}


def _draw(*key: object) -> random.Random:
    """A random source of its own for one indicator, area and year."""
    return random.Random("/".join(map(str, key)))


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _populations() -> tuple[dict[str, int], dict[str, int]]:
    """Residents of each region and each municipality on 31 December 2019."""
    regions: dict[str, int] = {}
    municipalities: dict[str, int] = {}
    for region, municipality, n in Population.objects.filter(
        year=POPULATION_YEAR, sex="total", age_band="total"
    ).values_list("region_id", "municipality_id", "population"):
        if region:
            regions[region] = n
        elif municipality:
            municipalities[municipality] = n
    return regions, municipalities


def price_index_file() -> bytes:
    return _csv(["org", "period", "value"], [["00", y, v] for y, v in PRICE_INDEX.items()])


def cost_file(regions: dict[str, int]) -> bytes:
    """Total health-care cost, primary-care cost and the targeted grants in current prices:
    about 28 000 kronor per resident in all in 2019, of which the region itself puts some 16–20
    % into primary care; the grants add to primary care on top."""
    rows: list[list[object]] = []
    for code, pop in sorted(regions.items()):
        level = _draw("cost", code)
        per_resident = 28_000 * level.uniform(0.9, 1.12)
        own_share = level.uniform(0.16, 0.20)
        grant_level = level.uniform(0.85, 1.15)
        for year in YEARS:
            noise = _draw("cost", code, year)
            total = pop * per_resident * COST_GROWTH[year] * noise.uniform(0.985, 1.015)
            grants = pop * GRANTS_PER_RESIDENT[year] * grant_level
            share = own_share + noise.uniform(-0.004, 0.004)
            primary = grants + share * (total - grants)
            rows.append([code, year, *(int(round(x, -3)) for x in (total, primary, grants))])
    return _csv(
        [
            "org",
            "period",
            "health_care_cost_total",
            "primary_care_cost",
            "primary_care_state_grants",
        ],
        rows,
    )


def _staff(rate: float, pop: int, trend: float, year: int, rng: random.Random) -> int:
    return round(pop / 100_000 * rate * (1 + trend) ** (year - YEARS[0]) * rng.uniform(0.97, 1.03))


def staff_file(regions: dict[str, int]) -> bytes:
    """Doctors (about 63 per 100 000) and nurses (about 125) in regional primary care, and
    specialist certificates in general practice (about 5 per 100 000 a year)."""
    rows: list[list[object]] = []
    for code, pop in sorted(regions.items()):
        level = _draw("staff", code)
        doctors, nurses = 63 * level.uniform(0.85, 1.15), 125 * level.uniform(0.85, 1.15)
        certificates = 5 * level.uniform(0.7, 1.3)
        for year in YEARS:
            rng = _draw("staff", code, year)
            trend = STAFF_TREND["regional"]
            rows.append(
                [
                    code,
                    year,
                    _staff(doctors, pop, trend, year, rng),
                    _staff(nurses, pop, trend, year, rng),
                    round(pop / 100_000 * certificates * rng.uniform(0.6, 1.4)),
                ]
            )
    return _csv(
        [
            "org",
            "period",
            "doctors_regional_primary_care",
            "nurses_regional_primary_care",
            "gp_specialist_certificates",
        ],
        rows,
    )


def municipal_nurses_file(municipalities: dict[str, int]) -> bytes:
    """Nurses in municipal health care (about 210 per 100 000), per municipality and per
    county as the sum of its municipalities."""
    county = dict(Municipality.objects.values_list("code", "region_id"))
    rows: list[list[object]] = []
    sums: dict[tuple[str, int], int] = {}
    for code, pop in sorted(municipalities.items()):
        rate = 210 * _draw("nurses", code).uniform(0.8, 1.25)
        for year in YEARS:
            n = _staff(rate, pop, STAFF_TREND["municipal"], year, _draw("nurses", code, year))
            rows.append([code, year, n])
            sums[(county[code], year)] = sums.get((county[code], year), 0) + n
    rows += [[code, year, n] for (code, year), n in sorted(sums.items())]
    return _csv(["org", "period", "value"], rows)


def trust_file(regions: dict[str, int]) -> bytes:
    """Respondents with great or very great trust in health care among all respondents: some
    1 000 to 6 000 a year per region, 55–72 % of them, a little higher in 2020."""
    rows: list[list[object]] = []
    for code, pop in sorted(regions.items()):
        share = _draw("trust", code).uniform(0.55, 0.70)
        for year in YEARS:
            rng = _draw("trust", code, year)
            respondents = max(1_000, min(6_000, round(pop / 400 * rng.uniform(0.9, 1.1))))
            this_year = share + (0.03 if year == 2020 else 0) + rng.uniform(-0.015, 0.015)
            rows.append([code, year, round(respondents * this_year), respondents])
    return _csv(["org", "period", "numerator", "denominator"], rows)


def _import(name: str, data: bytes, indicator: str | None = None) -> ImportReport:
    return import_file(name, indicator, data=data, name=name, actor=ACTOR, note=NOTE)


def build_resources() -> int:
    """Import the demo values (the price index first, so that the costs are restated once);
    returns the values stored, computed ones included."""
    regions, municipalities = _populations()
    reports = [
        _import("demovarden-prisindex-2019-2023.csv", price_index_file(), "price_index"),
        _import("demovarden-kostnader-2019-2023.csv", cost_file(regions)),
        _import("demovarden-personal-2019-2023.csv", staff_file(regions)),
        _import(
            "demovarden-kommunal-personal-2019-2023.csv",
            municipal_nurses_file(municipalities),
            "nurses_municipal_health_care",
        ),
        _import("demovarden-fortroende-2019-2023.csv", trust_file(regions), "trust_in_health_care"),
    ]
    return sum(r.plan.added + sum(r.derived.values()) for r in reports)
