"""The indicator store's one way in. Every value an import, a derivation or the register engine
brings passes through a temporary table, where duplicates are found and each value is compared
with the current one in set-based SQL; it is then written in three statements. No Python object
is kept per value, so a file of a million rows takes the memory of one of a hundred.

What happens to a value (the one rule, in ``Staging.classify``):

* added: there is no current value for its indicator, organisation, period, sex and age band;
* unchanged: the current value is the same (value, numerator and denominator each equal within
  a relative 1e-9, or both empty), and is left alone;
* changed: the new value becomes current; the old one keeps its place in the history, with
  ``is_current`` false and ``superseded_by`` pointing at its successor.

PostgreSQL takes the values with COPY, SQLite with batched inserts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from naravard.core.errors import NaravardError
from naravard.core.tables import RowProblem
from naravard.ingest.models import ImportBatch, IndicatorValue

if TYPE_CHECKING:
    from naravard.catalog.catalogue import Indicator

SHOWN = 100  # rows told in detail (problems, skipped rows, a dry run's plan); the rest are counted
_BATCH = 10_000  # values sent to the database at a time
_names = itertools.count(1)

# (row, indicator id, organisation code, period, sex, age band, value, numerator, denominator)
Value = tuple[int, str, str, str, str, str, float | None, float | None, float | None]
T = TypeVar("T")


@dataclass(frozen=True)
class Observation:
    """One value as naravard makes it (a derivation, the register engine)."""

    row: int
    indicator: Indicator
    org: str
    period: str
    sex: str
    value: float | None
    numerator: float | None
    denominator: float | None
    age_band: str = "total"

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.indicator.id, self.org, self.period, self.sex, self.age_band)

    def staged(self) -> Value:
        """The value as the staging table takes it: numbers as floats (not NumPy's), and a key
        without a tab, line break or backslash (COPY's text format, ``_copy_line``)."""
        key = (self.indicator.id, self.org, self.period, self.sex, self.age_band)
        if any(c in part for part in key for c in "\t\n\r\\"):
            raise ValueError(f"not a key of the indicator store: {key!r}")
        return (
            self.row,
            *key,
            _float(self.value),
            _float(self.numerator),
            _float(self.denominator),
        )


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


class Sample(Generic[T]):
    """The first SHOWN of many things, and how many there were."""

    def __init__(self) -> None:
        self.first: list[T] = []
        self.count = 0

    def add(self, item: T) -> None:
        self.count += 1
        if len(self.first) < SHOWN:
            self.first.append(item)

    def __bool__(self) -> bool:
        return self.count > 0


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class Outcome:
    """What happens to one value: ``kind`` is 'add', 'change' or 'unchanged'; ``old`` is the
    current value a change replaces."""

    row: int
    kind: str
    indicator_id: str
    org: str
    period: str
    sex: str
    age_band: str
    value: float | None
    numerator: float | None
    denominator: float | None
    old: float | None = None

    def line(self) -> str:
        where = f"{self.indicator_id} {self.org} {self.period} {self.sex}"
        if self.age_band != "total":
            where += f" {self.age_band}"
        new = _number(self.value)
        if self.numerator is not None:
            new += f" ({self.numerator:g}/{_number(self.denominator)})"
        if self.kind == "add":
            return f"row {self.row}: add {where} = {new}"
        if self.kind == "change":
            before = "" if self.old is None else f"{self.old:g} "
            return f"row {self.row}: change {where} {before}-> {new}"
        return f"row {self.row}: unchanged {where}"


@dataclass
class Plan:
    """What an import does, or would do: how many values it adds, changes and leaves unchanged,
    how many rows it skips (no value) and how many problems refuse it, with the first SHOWN
    of each told in detail."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    outcomes: list[Outcome] = field(default_factory=list)  # the first SHOWN values, by row
    indicators: list[str] = field(default_factory=list)  # those with a value added or changed
    skipped: int = 0
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # the first SHOWN
    problems: int = 0
    refused: list[RowProblem] = field(default_factory=list)  # the first SHOWN problems

    def lines(self) -> list[str]:
        """Row by row, the first SHOWN: what would happen to each."""
        out = [(o.row, o.line()) for o in self.outcomes]
        out += [(p.row, f"row {p.row}: refused ({p.column}): {p.message}") for p in self.refused]
        out += [(row, f"row {row}: skipped, {why}") for row, why in self.skipped_rows]
        return [text for _, text in sorted(out, key=lambda t: t[0])][:SHOWN]

    @property
    def not_shown(self) -> int:
        """How many lines ``lines`` leaves out."""
        total = self.added + self.changed + self.unchanged + self.skipped + self.problems
        return total - len(self.lines())


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class Staging:
    """The temporary table the values of one import (or derivation) pass through. A context:
    the table is made on entering and dropped on leaving; when the transaction is rolled back
    instead, the rollback drops it. Use it inside ``transaction.atomic()``."""

    COLUMNS = (
        "seq, row_number, indicator_id, org_code, period, sex, age_band, value, numerator, "
        "denominator"
    )

    def __init__(self) -> None:
        self.name = f"naravard_staging_{next(_names)}"
        self.rows = 0
        self.indicators: set[str] = set()
        self._maybe_duplicates = False
        self._duplicates = 0

    def __enter__(self) -> Staging:
        text = ' COLLATE "C"' if connection.vendor == "postgresql" else ""  # compared bytewise
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.name} (seq bigint NOT NULL, "
                "row_number integer NOT NULL, "
                + ", ".join(
                    f"{c} text{text} NOT NULL"
                    for c in ("indicator_id", "org_code", "period", "sex", "age_band")
                )
                + ", value double precision, numerator double precision, "
                "denominator double precision, old_id bigint, outcome char(1), dup_of integer)"
            )
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc is None or isinstance(exc, NaravardError):  # otherwise the rollback drops it
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    # ---------------------------------------------------------------- writing ---

    def write(self, values: Iterable[Value]) -> None:
        """Add values to the table, sent in batches as they come. An error while they come
        (a row of the file that cannot be read) undoes the writing and is raised. Notes each
        value's indicator, and whether two values may share a key (equal hashes: then
        ``duplicates`` looks exactly)."""
        keys: set[int] = set()
        indicators = self.indicators
        seq = self.rows
        batch: list = []

        def numbered() -> Iterator[tuple[int, Value]]:
            nonlocal seq
            for v in values:
                seq += 1
                key = hash(v[1:6])
                if key in keys:
                    self._maybe_duplicates = True
                keys.add(key)
                indicators.add(v[1])
                yield seq, v

        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint to return to
            if connection.vendor == "postgresql":
                with (
                    connection.wrap_database_errors,
                    cursor.copy(f"COPY {self.name} ({self.COLUMNS}) FROM STDIN") as copy,
                ):
                    for n, v in numbered():
                        batch.append(_copy_line(n, v))
                        if len(batch) == _BATCH:
                            copy.write("".join(batch))
                            batch.clear()
                    copy.write("".join(batch))
                cursor.execute(f"ANALYZE {self.name}")
            else:
                placeholders = ", ".join(["%s"] * 10)
                sql = f"INSERT INTO {self.name} ({self.COLUMNS}) VALUES ({placeholders})"
                for n, v in numbered():
                    batch.append((n, *v))
                    if len(batch) == _BATCH:
                        cursor.executemany(sql, batch)
                        batch.clear()
                cursor.executemany(sql, batch)
        self.rows = seq

    # ---------------------------------------------------------------- checking ---

    def duplicates(self) -> Sample[RowProblem]:
        """Values with the key of an earlier one (in the file's order): each is a problem, and
        is left out of the plan."""
        found: Sample[RowProblem] = Sample()
        if not self._maybe_duplicates:
            return found
        key = "indicator_id, org_code, period, sex, age_band"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.name} SET outcome = 'd', dup_of = d.first_row FROM ("
                f"SELECT seq, ROW_NUMBER() OVER w AS n, FIRST_VALUE(row_number) OVER w AS first_row "
                f"FROM {self.name} WINDOW w AS (PARTITION BY {key} ORDER BY seq)) AS d "
                f"WHERE d.n > 1 AND {self.name}.seq = d.seq"
            )
            found.count = self._duplicates = cursor.rowcount
            cursor.execute(
                f"SELECT row_number, dup_of, {key} FROM {self.name} WHERE outcome = 'd' "
                f"ORDER BY seq LIMIT {SHOWN}"
            )
            found.first = [
                RowProblem(row, "org", f"duplicate of row {first} ({' '.join(rest)})")
                for row, first, *rest in cursor.fetchall()
            ]
        return found

    def classify(self) -> None:
        """Each value against the current one with its key: unchanged ('u'), changed ('c', with
        the current value's id) or added (none)."""
        if not self.indicators:
            return
        greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"

        def same(column: str) -> str:
            new, old = f"{self.name}.{column}", f"iv.{column}"
            return (
                f"(({new} IS NULL AND {old} IS NULL) OR "
                f"abs({new} - {old}) <= 1e-9 * {greatest}(1.0, abs({new}), abs({old})))"
            )

        matches = " AND ".join(
            f"iv.{c} = {self.name}.{c}" for c in ("indicator_id", "org_code", "period", "sex")
        )
        ids = sorted(self.indicators)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.name} SET old_id = iv.id, outcome = CASE WHEN "
                f"{same('value')} AND {same('numerator')} AND {same('denominator')} "
                f"THEN 'u' ELSE 'c' END "
                f"FROM {_q(IndicatorValue._meta.db_table)} AS iv "
                f"WHERE iv.is_current AND iv.indicator_id IN ({', '.join(['%s'] * len(ids))}) "
                f"AND {matches} AND iv.age_band = {self.name}.age_band "
                f"AND {self.name}.outcome IS NULL",
                ids,
            )

    def plan(self) -> Plan:
        """Classify, then count: what storing would do."""
        self.classify()
        plan = Plan()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT outcome, indicator_id, count(*) FROM {self.name} "
                "GROUP BY outcome, indicator_id"
            )
            counts: dict[str | None, int] = {}
            touched = set()
            for outcome, indicator_id, n in cursor.fetchall():
                counts[outcome] = counts.get(outcome, 0) + n
                if outcome in (None, "c"):
                    touched.add(indicator_id)
            plan.added, plan.changed, plan.unchanged = (
                counts.get(None, 0),
                counts.get("c", 0),
                counts.get("u", 0),
            )
            plan.indicators = sorted(touched)
            # the first SHOWN values that are not duplicates are among the first SHOWN + those
            cursor.execute(
                f"SELECT s.row_number, s.outcome, s.indicator_id, s.org_code, s.period, s.sex, "
                f"s.age_band, s.value, s.numerator, s.denominator, old.value "
                f"FROM {self.name} AS s LEFT JOIN {_q(IndicatorValue._meta.db_table)} AS old "
                f"ON old.id = s.old_id WHERE s.seq <= %s AND (s.outcome IS NULL OR s.outcome <> 'd') "
                f"ORDER BY s.seq LIMIT {SHOWN}",
                [SHOWN + self._duplicates],
            )
            kinds = {None: "add", "c": "change", "u": "unchanged"}
            plan.outcomes = [
                Outcome(row, kinds[outcome], *rest) for row, outcome, *rest in cursor.fetchall()
            ]
        return plan

    # ---------------------------------------------------------------- storing ---

    def store(
        self,
        plan: Plan,
        *,
        kind: str,
        actor: str,
        user=None,
        file_name: str = "",
        sha256: str = "",
        note: str = "",
    ) -> ImportBatch:
        """Write what ``plan`` counted, with its provenance (one ImportBatch): added values, and
        successors for changed ones. Inside the caller's transaction."""
        batch = ImportBatch.objects.create(
            kind=kind,
            indicators=",".join(sorted(self.indicators))[:500],
            file_name=file_name[:255],
            sha256=sha256,
            actor=actor[:150],
            user=user if getattr(user, "is_authenticated", False) else None,
            added=plan.added,
            changed=plan.changed,
            unchanged=plan.unchanged,
            note=note,
        )
        table = _q(IndicatorValue._meta.db_table)
        key = ("indicator_id", "org_code", "period", "sex", "age_band")
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        changed = f"SELECT old_id FROM {self.name} WHERE outcome = 'c'"
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET is_current = FALSE WHERE id IN ({changed})")
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(key)}, value, numerator, denominator, "
                "batch_id, row_number, is_current, created_at) "
                f"SELECT {', '.join(key)}, value, numerator, denominator, %s, row_number, TRUE, %s "
                f"FROM {self.name} WHERE outcome IS NULL OR outcome = 'c'",
                [batch.pk, now],
            )
            cursor.execute(
                f"UPDATE {table} SET superseded_by_id = (SELECT new.id FROM {table} AS new "
                "WHERE new.batch_id = %s AND new.is_current AND "
                + " AND ".join(f"new.{c} = {table}.{c}" for c in key)
                + f") WHERE id IN ({changed})",
                [batch.pk],
            )
        return batch


def _copy_line(seq: int, v: Value) -> str:
    """One value in PostgreSQL's COPY text format. Its key is codes (checked by whoever made
    the value: ``Observation.staged``, the importer), with nothing to escape."""
    number, ind, org, period, sex, age, value, num, den = v
    return (
        f"{seq}\t{number}\t{ind}\t{org}\t{period}\t{sex}\t{age}\t"
        f"{_copy_number(value)}\t{_copy_number(num)}\t{_copy_number(den)}\n"
    )


def _copy_number(value: float | None) -> str:
    return "\\N" if value is None else repr(value)


def store_observations(
    observations: Iterable[Observation],
    *,
    kind: str,
    actor: str,
    user=None,
    file_name: str = "",
    sha256: str = "",
    note: str = "",
) -> tuple[Plan, ImportBatch | None]:
    """Plan and store values naravard made (derived or computed), in one transaction; nothing
    is recorded when nothing is new."""
    with transaction.atomic(), Staging() as staging:
        staging.write(o.staged() for o in observations)
        plan = staging.plan()
        if not plan.added and not plan.changed:
            return plan, None
        batch = staging.store(
            plan,
            kind=kind,
            actor=actor,
            user=user,
            file_name=file_name,
            sha256=sha256,
            note=note,
        )
    return plan, batch
