"""Import population figures from a CSV or XLSX file, validated in full before anything is stored.

Columns (header names, any order; read with the shared table reader, so comma,
semicolon or tab separated UTF-8, or Excel): ``year``, ``code`` (a region or municipality code or any name the
resolver knows), ``sex`` (total/men/women or totalt/män/kvinnor),
``age_band`` (optional, default ``total``; 0-4 … 95-99, 100+), ``population``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from naravard.core.errors import Invalid
from naravard.core.tables import TableError, open_table, parse_number
from naravard.refdata import files
from naravard.refdata.models import Population
from naravard.refdata.resolve import ResolveError, Resolver
from naravard.refdata.sync import SyncReport, sync_population

REQUIRED = ("year", "code", "sex", "population")
SEXES = {
    "total": "total",
    "totalt": "total",
    "men": "men",
    "män": "men",
    "women": "women",
    "kvinnor": "women",
}
BANDS = set(files.AGE_BANDS) | {"total"}


class PopulationFileError(Invalid):
    """The file was refused; ``problems`` lists each one with its row and field."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _int(text: str) -> int:
    """A whole number as people write it ('300 000'); ValueError otherwise."""
    number = parse_number(text)
    if number != int(number):
        raise ValueError(text)
    return int(number)


def read_rows(path: Path) -> list[files.PopulationRow]:
    """Parse and validate the whole file; raise PopulationFileError listing every problem."""
    try:  # a year of SCB's table by age is 12 000 rows: no row limit (the rows are kept)
        with open_table(path.name, path, max_rows=None) as (header, lines):
            table = list(lines)
    except TableError as exc:
        raise PopulationFileError([str(exc)]) from exc
    return check_rows(header, table)


def check_rows(header: list[str], table: list[list[str]]) -> list[files.PopulationRow]:
    """Validate the rows of a population table (a file's, or a source's cells in its layout);
    raise PopulationFileError listing every problem, each with its row (the header is row 1)."""
    header = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise PopulationFileError(
            [
                f"header: missing column(s) {', '.join(missing)} "
                f"(found: {', '.join(header) or 'none'})"
            ]
        )
    resolver = Resolver.default()
    problems: list[str] = []
    rows: list[files.PopulationRow] = []
    seen: dict[tuple, int] = {}
    for line_no, cells_of_row in enumerate(table, start=2):

        def bad(field: str, why: str, line_no: int = line_no) -> None:
            """Note a problem in this row (``line_no`` bound to it)."""
            problems.append(f"row {line_no}, {field}: {why}")

        values = {
            k: (cells_of_row[i] if i < len(cells_of_row) else "") for i, k in enumerate(header) if k
        }
        try:
            year = _int(values["year"])
            if not 1968 <= year <= 2100:
                bad("year", f"{year} is outside 1968–2100")
        except ValueError:
            bad("year", f"{values['year']!r} is not a year")
            year = None
        try:
            place = resolver.resolve(values["code"])
        except ResolveError as exc:
            bad("code", str(exc))
            place = None
        sex = SEXES.get(values["sex"].lower())
        if sex is None:
            bad("sex", f"{values['sex']!r} is not one of total, men, women")
        band = values.get("age_band") or "total"
        if band not in BANDS:
            bad("age_band", f"{band!r} is not total or a five-year band like 0-4 … 95-99, 100+")
        try:
            value = _int(values["population"])
            if value < 0:
                bad("population", f"{value} is negative")
        except ValueError:
            bad("population", f"{values['population']!r} is not a whole number")
            value = None
        if year is None or place is None or sex is None or value is None or band not in BANDS:
            continue
        key = (year, place.code, sex, band)
        if key in seen:
            bad("code", f"duplicate of row {seen[key]} ({place.code}, {year}, {sex}, {band})")
            continue
        seen[key] = line_no
        rows.append(files.PopulationRow(year, place.level, place.code, sex, band, value))
    if not rows and not problems:
        problems.append("no data rows")
    cells = {(r.year, r.code, r.sex, r.age_band): r.population for r in rows}
    for (year, code, sex, band), total in cells.items():
        if sex != "total":
            continue
        men, women = cells.get((year, code, "men", band)), cells.get((year, code, "women", band))
        if men is not None and women is not None and men + women != total:
            problems.append(
                f"row {seen[(year, code, sex, band)]}, population: total {total} for "
                f"{code} {year} {band} is not men {men} + women {women}"
            )
    if problems:
        raise PopulationFileError(problems)
    return rows


def import_population(path: Path, dry_run: bool = False) -> SyncReport:
    """Validate ``path`` and store its cells in one transaction (rolled back on a dry run)."""
    path = Path(path)
    rows = read_rows(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return store_rows(rows, f"{path.name} (sha256 {digest})", dry_run=dry_run)


def store_rows(
    rows: list[files.PopulationRow], source: str, *, dry_run: bool = False
) -> SyncReport:
    """Store checked rows (``check_rows``) in one transaction, rolled back on a dry run;
    ``source`` is what each cell says it came from."""
    report = SyncReport()
    with transaction.atomic():
        sync_population(Population, rows, source, report)
        if dry_run:
            transaction.set_rollback(True)
    return report
