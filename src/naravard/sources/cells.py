"""What every reader gives: cells in the source's own codes, by role; and how the registry's
mapping turns them into the rows of naravard's import (``ingest/importer.py``) or of the
population import (``refdata/population_import.py``), so that a source is validated exactly as
a file would be."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from naravard.core.errors import Invalid
from naravard.ingest.jsonstat import SEX_CODES, period_code
from naravard.refdata.files import AGE_BANDS
from naravard.refdata.files import municipalities as shipped
from naravard.sources.registry import POPULATION, Source

POPULATION_SEX = {"T": "total", "K": "women", "M": "men"}
TOTAL_AGES = {"tot", "total", "totalt", "tot1", "samtliga"}


class MappingError(Invalid):
    """A cell's code that the registry does not say how to read."""


@dataclass(frozen=True)
class Cell:
    """One value of a source in the source's own codes; ``where`` says which cell it is, in
    the source's words (for the row-level errors)."""

    org: str
    period: str
    value: str  # as the source wrote it; "" for no value (PxWeb's "..", Kolada's null)
    sex: str = ""
    age: str = ""
    measure: str = ""
    numerator: str = ""
    denominator: str = ""
    where: str = ""


def _code(source: Source, role: str, code: str) -> str:
    return source.codes.get(role, {}).get(code, code)


def sex_of(source: Source, code: str) -> str:
    """naravard's T, K or M for a source's sex code ("" is the total)."""
    code = _code(source, "sex", code)
    if code in ("T", "K", "M"):
        return code
    found = SEX_CODES.get(code.strip().lower()) if code else "T"
    if found is None:
        raise MappingError(f"könskoden {code!r} är okänd; ange den under codes: sex: i registret")
    return found


def measure_of(source: Source, code: str) -> str:
    """The indicator (or 'population') a cell's measure code is."""
    if not code:
        return source.indicator or POPULATION
    mapped = source.kpis.get(code) or source.measures.get(code)
    if mapped is None:
        raise MappingError(f"måttet {code!r} finns inte under measures/kpis i registret")
    return mapped


@dataclass
class ImportTable:
    """Cells as the rows of a wide import table: org, period, sex, age_band and a value
    column per indicator; ``where[n]`` is the cell behind row n (the header is row 1)."""

    header: list[str]
    rows: list[list[str]]
    where: dict[int, str]


def indicator_table(source: Source, cells: Iterable[Cell]) -> ImportTable:
    """The import table of a source's cells. A source with numerators and denominators gives
    them as columns (one indicator); a cell given twice becomes a second row, which the import
    refuses as a duplicate naming both."""
    indicators = source.indicators
    fraction = bool(source.columns.get("numerator"))
    header = ["org", "period", "sex", "age_band"] + (
        ["value", "numerator", "denominator"] if fraction else indicators
    )
    index = {ind: 4 + i for i, ind in enumerate(indicators)}
    rows: list[list[str]] = []
    where: dict[int, str] = {}
    at: dict[tuple[str, str, str, str], int] = {}
    for cell in cells:
        indicator = measure_of(source, cell.measure)
        if indicator not in index:
            continue  # a measure the registry reads into another source's indicator
        org = _code(source, "org", cell.org)
        period = period_code(cell.period)
        sex = sex_of(source, cell.sex)
        age = _code(source, "age", cell.age) if cell.age else "total"
        age = "total" if age.lower() in TOTAL_AGES else age
        key = (org, period, sex, age)
        n = at.get(key)
        column = 4 if fraction else index[indicator]
        if n is None or rows[n][column] != "\0":
            at[key] = n = len(rows)
            rows.append([org, period, sex, age] + ["\0"] * (len(header) - 4))
            where[n + 2] = cell.where
        if fraction:
            rows[n][4:7] = [cell.value, cell.numerator, cell.denominator]
        else:
            rows[n][column] = cell.value
    for row in rows:
        row[4:] = ["" if v == "\0" else v for v in row[4:]]
    return ImportTable(header, rows, where)


def _band(age: str) -> str | None:
    """The five-year band of a single year of age (SCB's '100+' is the open band)."""
    text = age.strip().rstrip("+").removesuffix(" år")
    if age in AGE_BANDS:
        return age
    if not text.isdigit():
        return None
    years = int(text)
    return "100+" if years >= 100 else f"{years - years % 5}-{years - years % 5 + 4}"


def population_table(source: Source, cells: Iterable[Cell]) -> tuple[list[str], list[list[str]]]:
    """The rows of the population import (year, code, sex, age_band, population), single
    years of age summed into five-year bands, the total of the bands and of the sexes added
    where the source has none, and each region the sum of its municipalities where the source
    gives no region. A cell without a number is refused there, as in a file."""
    cells_by_key: dict[tuple[str, str, str, str], int] = {}
    given: dict[tuple[str, str, str, str], str] = {}
    refused: list[list[str]] = []
    for cell in cells:
        code = _code(source, "org", cell.org)
        if code in ("00", "0000"):
            continue  # the nation: the population is stored per area
        year = cell.period.strip()
        sex = POPULATION_SEX[sex_of(source, cell.sex)]
        age = _code(source, "age", cell.age)
        band = "total" if age.strip().lower() in TOTAL_AGES else _band(age)
        if band is None or not cell.value.strip().lstrip("-").isdigit():
            refused.append([year, code, sex, band or age, cell.value])
            continue
        key = (year, code, sex, band)
        if band == "total":
            given[key] = cell.value
        else:
            cells_by_key[key] = cells_by_key.get(key, 0) + int(cell.value)
    for (year, code, sex, band), value in list(cells_by_key.items()):
        if band != "total":
            total_key = (year, code, sex, "total")
            cells_by_key[total_key] = cells_by_key.get(total_key, 0) + value
    totals = {k: v for k, v in cells_by_key.items() if k[2] != "total"}
    for (year, code, _sex, band), value in totals.items():
        both = (year, code, "total", band)
        if both not in given:
            cells_by_key[both] = cells_by_key.get(both, 0) + value
    for key, text in given.items():
        cells_by_key[key] = int(text)  # a total the source gave stands for the sum
    regions: dict[tuple[str, str, str, str], int] = {}
    municipalities = {k[1] for k in cells_by_key if len(k[1]) == 4}
    for (year, code, sex, band), value in cells_by_key.items():
        if len(code) == 4:
            region_key = (year, code[:2], sex, band)
            regions[region_key] = regions.get(region_key, 0) + value
    complete = _complete_regions(municipalities)
    for key, value in regions.items():
        if key[1] in complete and key not in cells_by_key:
            cells_by_key[key] = value
    header = ["year", "code", "sex", "age_band", "population"]
    rows = [[*key, str(value)] for key, value in sorted(cells_by_key.items())]
    return header, rows + refused


def _complete_regions(municipalities: set[str]) -> set[str]:
    """The regions all of whose municipalities are among ``municipalities``."""
    per_region: dict[str, set[str]] = {}
    for m in shipped():
        per_region.setdefault(m.region_code, set()).add(m.code)
    return {region for region, codes in per_region.items() if codes <= municipalities}
