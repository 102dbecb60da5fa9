"""The microdata tables (Parquet, partitioned by year) and their validation on read.

A file that breaks its schema is refused with a message naming the file, the
column and how many rows are wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from naravard.core.errors import Invalid
from naravard.refdata import files

MODES = ("physical", "video", "chat", "phone", "home")
PROFESSIONS = ("doctor", "nurse", "physio", "occupational", "psychologist", "other")

SCHEMAS: dict[str, pa.Schema] = {
    # one row per person and year: where the person lived on 31 December
    "persons": pa.schema(
        [
            ("person_id", pa.int64()),
            ("year", pa.int16()),
            ("sex", pa.string()),
            ("birth_year", pa.int16()),
            ("municipality", pa.string()),
        ]
    ),
    # periods of listing at a primary-care unit; named_doctor: listed with a named doctor
    "listings": pa.schema(
        [
            ("person_id", pa.int64()),
            ("year", pa.int16()),
            ("unit_id", pa.int32()),
            ("region", pa.string()),
            ("named_doctor", pa.bool_()),
            ("valid_from", pa.date32()),
            ("valid_to", pa.date32()),
        ]
    ),
    # primary-care contacts; new_problem marks the first contact for a new or worse problem,
    # assessed_on the date of the medical assessment (care guarantee), null if none was needed
    "contacts": pa.schema(
        [
            ("person_id", pa.int64()),
            ("year", pa.int16()),
            ("date", pa.date32()),
            ("unit_id", pa.int32()),
            ("region", pa.string()),
            ("profession", pa.string()),
            ("mode", pa.string()),
            ("new_problem", pa.bool_()),
            ("needs_assessment", pa.bool_()),
            ("assessed_on", pa.date32()),
        ]
    ),
    # inpatient episodes
    "episodes": pa.schema(
        [
            ("person_id", pa.int64()),
            ("year", pa.int16()),
            ("admitted", pa.date32()),
            ("discharged", pa.date32()),
            ("planned", pa.bool_()),
            ("icd10", pa.string()),
            ("region", pa.string()),
        ]
    ),
    # municipal health-care interventions (home health care and the like)
    "interventions": pa.schema(
        [
            ("person_id", pa.int64()),
            ("year", pa.int16()),
            ("municipality", pa.string()),
            ("start", pa.date32()),
            ("end", pa.date32()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)
OPTIONAL = {"assessed_on", "valid_to", "end"}  # may be empty: not assessed / still open


class SchemaError(Invalid):
    """A microdata file does not follow its table's schema."""


@dataclass(frozen=True)
class Codes:
    regions: frozenset[str]
    municipalities: frozenset[str]

    @classmethod
    def reference(cls) -> Codes:

        return cls(
            frozenset(r.code for r in files.regions()),
            frozenset(m.code for m in files.municipalities()),
        )


def _bad(path: Path, column: str, n: int, what: str) -> SchemaError:
    return SchemaError(f"{path}: column {column}: {n} row(s) {what}")


def validate_file(path: Path, table: str, codes: Codes | None = None) -> int:
    """Check one Parquet file against ``table``'s schema and rules; returns its row count."""
    schema = SCHEMAS[table]
    codes = codes or Codes.reference()
    try:
        got = pq.read_schema(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise SchemaError(f"{path}: not a readable Parquet file ({exc})") from exc
    for field in schema:
        if field.name not in got.names:
            raise SchemaError(f"{path}: column {field.name} is missing (expected {field.type})")
        if not got.field(field.name).type.equals(field.type):
            raise SchemaError(
                f"{path}: column {field.name} is {got.field(field.name).type}, "
                f"expected {field.type}"
            )
    try:
        data = pq.read_table(path, columns=[f.name for f in schema])
    except (OSError, pa.ArrowInvalid) as exc:
        raise SchemaError(f"{path}: the data cannot be read ({exc})") from exc
    for column in schema.names:
        if column in OPTIONAL:
            continue
        nulls = data[column].null_count
        if nulls:
            raise _bad(path, column, nulls, "are empty")
    partition = path.parent.name.partition("=")[2]
    if partition:
        other = pc.sum(pc.not_equal(data["year"], int(partition))).as_py() or 0
        if other:
            raise _bad(path, "year", other, f"are not {partition}, the year of the folder")
    if "birth_year" in data.column_names:
        bad = (
            pc.sum(
                pc.or_(
                    pc.less(data["birth_year"], 1880), pc.greater(data["birth_year"], data["year"])
                )
            ).as_py()
            or 0
        )
        if bad:
            raise _bad(path, "birth_year", bad, "are before 1880 or after the year")
    if table == "persons" and pc.count_distinct(data["person_id"]).as_py() != data.num_rows:
        raise _bad(
            path,
            "person_id",
            data.num_rows - pc.count_distinct(data["person_id"]).as_py(),
            "repeat a person already in the file",
        )
    if "profession" in data.column_names:
        bad = pc.sum(pc.invert(pc.is_in(data["profession"], pa.array(PROFESSIONS)))).as_py()
        if bad:
            raise _bad(path, "profession", bad, f"are not one of {', '.join(PROFESSIONS)}")
    if "region" in data.column_names:
        unknown = pc.sum(
            pc.invert(pc.is_in(data["region"], pa.array(sorted(codes.regions))))
        ).as_py()
        if unknown:
            raise _bad(path, "region", unknown, "have an unknown region code")
    if "municipality" in data.column_names:
        unknown = pc.sum(
            pc.invert(pc.is_in(data["municipality"], pa.array(sorted(codes.municipalities))))
        ).as_py()
        if unknown:
            raise _bad(path, "municipality", unknown, "have an unknown municipality code")
    if "sex" in data.column_names:
        bad = pc.sum(pc.invert(pc.is_in(data["sex"], pa.array(["K", "M"])))).as_py()
        if bad:
            raise _bad(path, "sex", bad, "are not K or M")
    if "mode" in data.column_names:
        bad = pc.sum(pc.invert(pc.is_in(data["mode"], pa.array(MODES)))).as_py()
        if bad:
            raise _bad(path, "mode", bad, f"are not one of {', '.join(MODES)}")
    for start, end, what in (
        ("admitted", "discharged", "are discharged before admission"),
        ("valid_from", "valid_to", "end before they start"),
        ("start", "end", "end before they start"),
        ("date", "assessed_on", "are assessed before the contact"),
    ):
        if start in data.column_names and end in data.column_names:
            bad = pc.sum(pc.less(data[end], data[start])).as_py() or 0
            if bad:
                raise _bad(path, end, bad, what)
    return data.num_rows


def validate_dataset(root: Path, years: list[int] | None = None) -> dict[str, int]:
    """Validate every file of every table under ``root``; returns rows per table."""
    codes = Codes.reference()
    counts = {}
    for table in TABLES:
        folder = root / table
        files = sorted(folder.glob("year=*/*.parquet")) if folder.exists() else []
        for f in files:
            if not f.parent.name.split("=")[1].isdigit():
                raise SchemaError(f"{f.parent}: a year folder is named year=YYYY")
        if years:
            files = [f for f in files if int(f.parent.name.split("=")[1]) in years]
        if not files:
            raise SchemaError(f"{folder}: no Parquet files for table {table}")
        counts[table] = sum(validate_file(f, table, codes) for f in files)
    return counts
