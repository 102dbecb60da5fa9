"""Import aggregated indicator values from CSV, XLSX or JSON-stat 2.0, all or nothing.

Layout: ``org`` (code or resolvable name; ``00``/``Riket`` for the nation),
``period`` (2020, 2020-03 or 2020-03-31), then ``value`` or ``numerator`` and
``denominator``, optionally ``sex`` (T, K, M) and ``age_band``. Without ``--indicator`` the
file may instead have one value column per indicator id (a wide table).

Everything is validated before anything is stored; a dry run reports what
would be added, changed and refused, row by row. A changed value supersedes
the stored one (history kept); an unchanged value is left alone, so importing
the same file twice changes nothing.

A file of any length is read as it streams: each row is checked and its values go on to a
temporary table (``ingest/store.py``), where duplicates are found and the comparison with the
stored values is made in SQL; problems are counted, the first ``SHOWN`` told in detail. Only a
JSON-stat file is read whole (at most ``jsonstat.MAX_BYTES``).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from naravard.catalog.catalogue import (
    CatalogueError,
    Indicator,
    catalogue,
    derived_inputs,
    get_indicator,
)
from naravard.core.errors import Invalid
from naravard.core.tables import (
    ImportRefused,
    RowProblem,
    TableError,
    open_table,
    parse_number,
)
from naravard.ingest.derive import derive_after_import
from naravard.ingest.jsonstat import MAX_BYTES as MAX_JSON_BYTES
from naravard.ingest.jsonstat import read_jsonstat
from naravard.ingest.models import AGE_BANDS, NATION, SEXES, ImportBatch
from naravard.ingest.store import SHOWN, Plan, Sample, Staging, Value
from naravard.refdata.resolve import ResolveError, Resolver, normalise

NATION_NAMES = {"00", "0", "riket", "sverige", "hela landet", "nation", "sweden"}
SEX_NAMES = {
    "t": "T",
    "k": "K",
    "m": "M",
    "total": "T",
    "totalt": "T",
    "kvinnor": "K",
    "women": "K",
    "män": "M",
    "men": "M",
    "1+2": "T",
}
KEY_COLUMNS = {"org", "period", "sex", "age_band", "value", "numerator", "denominator", "org_name"}
_CACHED = 50_000  # distinct organisation names and periods remembered while a file is read


@dataclass
class ImportReport:
    plan: Plan
    batch: ImportBatch | None
    derived: dict[str, int] = field(default_factory=dict)


@contextmanager
def read_any(name: str, source: bytes | Path) -> Iterator[tuple[list[str], Iterator[list[str]]]]:
    """Header and rows of a JSON-stat 2.0, CSV or XLSX file (its bytes or its path); the rows
    of a CSV or XLSX file are read as they are needed, however many there are."""
    if _is_json(name, source):
        if isinstance(source, Path):
            if source.stat().st_size > MAX_JSON_BYTES:
                raise TableError(
                    f"{name}: a JSON-stat file larger than {MAX_JSON_BYTES // (1024 * 1024)} MB; "
                    "select fewer cells, or save the table as CSV"
                )
            source = source.read_bytes()
        yield read_jsonstat(name, source)
        return
    with open_table(name, source, max_rows=None) as table:
        yield table


def _is_json(name: str, source: bytes | Path) -> bool:
    if name.lower().endswith(".json"):
        return True
    if isinstance(source, Path):
        with source.open("rb") as fh:
            start = fh.read(64 * 1024)
    else:
        start = source[: 64 * 1024]
    return start.lstrip()[:1] == b"{"


def _resolve_org(
    text: str, indicator: Indicator, aliases: dict[str, str], resolver: Resolver
) -> str:
    key = normalise(text)
    if key in aliases:
        code = aliases[key]
        level = "region" if len(code) == 2 else "municipality"
        if level not in indicator.levels:
            raise ResolveError(
                text,
                [],
                f"--alias gives {code}, a {level}; {indicator.id} has "
                f"values per {' and '.join(indicator.levels) or 'nation only'}",
            )
        return code
    if key in NATION_NAMES:
        return NATION
    levels = indicator.levels
    if not levels:
        raise ResolveError(text, [], f"{indicator.id} exists only for the nation (org 00)")
    place = resolver.resolve(text, level=levels[0] if len(levels) == 1 else None)
    if place.level not in levels:
        raise ResolveError(text, [place], f"{indicator.id} has no values per {place.level}")
    return place.code


def _org(
    text: str, indicator: Indicator, aliases: dict[str, str], resolver: Resolver
) -> tuple[str | None, str]:
    """The organisation's code, or None and why not."""
    try:
        return _resolve_org(text, indicator, aliases, resolver), ""
    except ResolveError as exc:
        hint = (
            ""
            if text.isdigit()
            else f' Confirm with --alias "{text}=CODE" if you know which it is.'
        )
        return None, str(exc) + hint


def _number(text: str, column: str, row: int, problems: Sample[RowProblem]) -> float | None:
    if text == "" or text is None:
        return None
    try:
        return parse_number(text)
    except ValueError:
        problems.add(RowProblem(row, column, f"{str(text)[:40]!r} is not a number"))
        return None


# an indicator of a file, its value column's index and name, its unit's bounds and whether it
# is whole (``_bounds``), and the organisation names and periods seen (``read_values``)
_Measure = tuple[
    Indicator,
    int | None,
    str,
    float,
    float,
    bool,
    dict[str, tuple[str | None, str]],
    dict[str, str | None],
]


@dataclass(frozen=True)
class Layout:
    """Where a file's columns are, and which indicator each value column holds (None: the
    column ``value``, with ``numerator`` and ``denominator``)."""

    columns: dict[str, int]
    measures: list[tuple[Indicator, int | None]]


def read_layout(header: list[str], indicator: Indicator | None) -> Layout | list[RowProblem]:
    """The file's layout, or the problems of its header."""
    problems: list[RowProblem] = []
    lower = [h.strip().lower() for h in header]
    if "org" not in lower:
        return [
            RowProblem(
                1,
                "org",
                f"no column 'org' (found: {', '.join(header) or 'nothing'}); "
                "is the delimiter a comma or a semicolon?",
            )
        ]
    if "period" not in lower:
        return [RowProblem(1, "period", "no column 'period'")]
    col = {name: lower.index(name) for name in KEY_COLUMNS if name in lower}
    wide = [(i, h) for i, h in enumerate(lower) if h not in KEY_COLUMNS and h]
    if indicator is not None:
        if "value" not in col and not ("numerator" in col and "denominator" in col):
            return [
                RowProblem(1, "value", "need a column 'value', or 'numerator' and 'denominator'")
            ]
        for i, _name in wide:
            problems.append(RowProblem(1, header[i], "unknown column"))
        measures: list[tuple[Indicator, int | None]] = [(indicator, None)]
    else:
        if not wide:
            return [
                RowProblem(1, "value", "say --indicator ID, or give one column per indicator id")
            ]
        measures = []
        for i, h in wide:
            try:
                measures.append((get_indicator(h), i))
            except CatalogueError as exc:
                problems.append(RowProblem(1, header[i], str(exc)))
        problems += _missing_inputs({ind.id for ind, _i in measures})
    return problems or Layout(col, measures)


def _computed_shares() -> list[tuple[Indicator, str, str, list[str]]]:
    """The shares ingest/derive.py computes from imported amounts: each with its numerator,
    denominator and the amounts taken from both (``minus``)."""
    return [
        (ind, ind.derived_from["numerator"], ind.derived_from["denominator"], list(minus))
        for ind in catalogue().values()
        if "denominator" in ind.derived_from and "series" not in ind.derived_from
        for minus in [ind.derived_from.get("minus") or ()]
    ]


def _missing_inputs(present: set[str]) -> list[RowProblem]:
    """A wide file that holds the denominator of a computed share, or an amount taken from it
    (the total health-care cost, the targeted state grants), holds all its inputs: the shares
    with and without the grants are computed from the same row. A file of the numerator alone
    (the primary-care cost, restated in fixed prices) needs nothing more."""
    problems: dict[str, RowProblem] = {}
    for ind, _num, den, minus in _computed_shares():
        inputs = list(derived_inputs(ind))
        if not present & {den, *minus}:
            continue
        for missing in [i for i in inputs if i not in present and i not in problems]:
            problems[missing] = RowProblem(
                1,
                missing,
                _(
                    "kolumnen %(column)s saknas: %(share)s räknas ur kolumnerna %(inputs)s, "
                    "som importeras tillsammans i samma fil"
                )
                % {"column": missing, "share": ind.id, "inputs": ", ".join(inputs)},
            )
    return list(problems.values())


def _at_most(layout: Layout) -> list[tuple[int, str, int, str]]:
    """Pairs of a wide file's value columns (index and id) where the first is part of the
    second and cannot be larger: the amounts a computed share takes away are part of its
    numerator, its numerator part of its denominator."""
    where = {ind.id: i for ind, i in layout.measures if i is not None}
    pairs: dict[tuple[str, str], None] = {}
    for _ind, num, den, minus in _computed_shares():
        if {num, den, *minus} <= where.keys():
            for part in minus:
                pairs[(part, num)] = None
            pairs[(num, den)] = None
    return [(where[a], a, where[b], b) for a, b in pairs]


def _amount(value: float) -> str:
    return f"{value:.0f}" if value.is_integer() else f"{value:f}".rstrip("0").rstrip(".")


def _part_larger(
    row: list[str], number: int, pairs: list[tuple[int, str, int, str]]
) -> RowProblem | None:
    """The first pair of ``_at_most`` the row breaks (cells that are no numbers are told by
    the reading of the values)."""
    for a_index, a_id, b_index, b_id in pairs:
        try:
            a, b = parse_number(row[a_index]), parse_number(row[b_index])
        except (ValueError, TypeError):
            continue
        if a is not None and b is not None and a > b:
            return RowProblem(
                number,
                a_id,
                _(
                    "%(value)s är större än %(other_value)s i kolumnen %(other)s på samma rad; "
                    "%(column)s ingår i %(other)s och kan inte vara större"
                )
                % {
                    "value": _amount(a),
                    "other_value": _amount(b),
                    "other": b_id,
                    "column": a_id,
                },
            )
    return None


def read_values(
    header: list[str],
    rows: Iterator[list[str]],
    layout: Layout,
    aliases: dict[str, str],
    problems: Sample[RowProblem],
    skipped: Sample[tuple[int, str]],
) -> Iterator[Value]:
    """The values of the rows (numbered from 2, the header being row 1), checked one by one:
    a row's problems go to ``problems``, a row without a value to ``skipped``. Duplicates are
    for the staging table to find. The rows' cells come stripped (``open_table``); an
    organisation's name and a period are looked up once per file."""
    resolver = Resolver.default()
    col = layout.columns
    width = max([*col.values(), *(i for _, i in layout.measures if i is not None)]) + 1
    at_org, at_period = col["org"], col["period"]
    at_sex, at_age = col.get("sex"), col.get("age_band")
    at_value, at_num, at_den = col.get("value"), col.get("numerator"), col.get("denominator")
    blank = [""] * width
    ages = frozenset(AGE_BANDS)
    parts = _at_most(layout)
    # per indicator: its value column, its range, and the organisations and periods seen
    measures: list[_Measure] = [
        (ind, index, "value" if index is None else header[index], *_bounds(ind), {}, {})
        for ind, index in layout.measures
    ]
    for number, row in enumerate(rows, start=2):
        if len(row) < width:
            row = row + blank[len(row) :]
        org_text, period = row[at_org], row[at_period]
        if not org_text:
            problems.add(RowProblem(number, "org", "empty"))
            continue
        if not period:
            problems.add(RowProblem(number, "period", "missing period"))
            continue
        sex_text = (row[at_sex] if at_sex is not None else "") or "T"
        sex = sex_text if sex_text in SEXES else SEX_NAMES.get(sex_text.lower())
        if sex is None:
            problems.add(RowProblem(number, "sex", f"{sex_text!r} is not T, K or M"))
            continue
        age_band = (row[at_age] if at_age is not None else "") or "total"
        if age_band not in ages:
            problems.add(
                RowProblem(number, "age_band", f"{age_band!r} is not one of {', '.join(AGE_BANDS)}")
            )
            continue
        if parts and (larger := _part_larger(row, number, parts)):
            problems.add(larger)
            continue
        for ind, value_index, column, lo, hi, whole, orgs, periods in measures:
            found = orgs.get(org_text)
            if found is None:
                if len(orgs) > _CACHED:
                    orgs.clear()
                found = orgs[org_text] = _org(org_text, ind, aliases, resolver)
            org, why = found
            if org is None:
                problems.add(RowProblem(number, "org", why))
                break
            period_key = periods.get(period, "")
            if period_key == "":
                if len(periods) > _CACHED:
                    periods.clear()
                period_key = periods[period] = (
                    ind.normal_period(period) if ind.valid_period(period) else None
                )
            if period_key is None:
                problems.add(
                    RowProblem(
                        number,
                        "period",
                        f"{period!r} is not a {ind.period_type} period for {ind.id}",
                    )
                )
                break
            here = problems.count
            value = num = den = None
            if value_index is not None:
                value = _number(row[value_index], column, number, problems)
            else:
                if at_value is not None:
                    value = _number(row[at_value], "value", number, problems)
                if at_num is not None:
                    num = _number(row[at_num], "numerator", number, problems)
                if at_den is not None:
                    den = _number(row[at_den], "denominator", number, problems)
            if problems.count > here:
                continue
            if num is not None or den is not None:
                problem = _check_values(ind, value, num, den)
                if problem:
                    problems.add(RowProblem(number, column, problem))
                    continue
                if value is None and num is not None and den is not None:
                    value = _from_fraction(ind, num, den)
            if value is None:
                skipped.add((number, f"{ind.id}: no value"))
                continue  # an empty cell ('..' in PxWeb): no value for this organisation/period
            if not lo <= value <= hi or (whole and not value.is_integer()):
                problems.add(RowProblem(number, column, _check_range(ind, value) or ""))
                continue
            yield (number, ind.id, org, period_key, sex, age_band, value, num, den)


def _bounds(ind: Indicator) -> tuple[float, float, bool]:
    """The range of the indicator's unit (infinite where open) and whether it is whole; the
    quick form of ``_check_range``, which says why."""
    lo, hi = ind.value_range
    return (-math.inf if lo is None else lo, math.inf if hi is None else hi, ind.unit_info.whole)


def _from_fraction(ind: Indicator, num: float, den: float) -> float:
    return ind.scale * num / den


def _check_values(ind: Indicator, value, num, den) -> str | None:
    if (num is None) != (den is None):
        return "give both numerator and denominator, or neither"
    if num is not None:
        if num < 0 or den <= 0:
            return f"numerator {num:g} and denominator {den:g} must be >= 0 and > 0"
        if ind.kind == "share" and num > den:
            return f"numerator {num:g} is larger than denominator {den:g}"
        if value is not None and abs(value - _from_fraction(ind, num, den)) > 0.5:
            return (
                f"value {value:g} does not match numerator/denominator "
                f"({_from_fraction(ind, num, den):.2f}); give one or the other"
            )
    return None


def _check_range(ind: Indicator, value: float) -> str | None:
    lo, hi = ind.value_range
    if lo is not None and value < lo or hi is not None and value > hi:
        return (
            f"{value:g} is outside {lo if lo is not None else '-∞'}–"
            f"{hi if hi is not None else '∞'} for the unit {ind.unit}"
        )
    if ind.unit_info.whole and value != int(value):
        return f"{value:g} is not a whole number of {ind.unit}"
    return None


def parse_aliases(pairs: list[str]) -> dict[str, str]:
    """--alias NAME=CODE pairs, checked against the reference data."""
    resolver = Resolver.default()
    out = {}
    for pair in pairs:
        name, sep, code = pair.partition("=")
        if not sep or not name.strip() or not code.strip():
            raise Invalid(f'--alias {pair!r}: write NAME=CODE, e.g. "Götaland=09"')
        place = resolver.candidates(code.strip())
        if len(place) != 1 or not code.strip().isdigit():
            raise Invalid(
                f"--alias {pair!r}: {code.strip()!r} is not a region or municipality code"
            )
        out[normalise(name)] = place[0].code
    return out


def _sha256(source: bytes | Path) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    with source.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def import_file(
    path: Path | str,
    indicator_id: str | None = None,
    *,
    aliases: Sequence[str] = (),
    dry_run: bool = False,
    actor: str,
    user=None,
    data: bytes | None = None,
    name: str | None = None,
    note: str = "",
) -> ImportReport:
    """Validate the whole file, then store it (unless a dry run), in one transaction; raises
    ImportRefused naming the first SHOWN problems. ``data``: the file's bytes, when it is not
    read from ``path``; ``note``: what the batch's provenance should say beside the aliases
    (e.g. that the values are the demo's)."""
    path = Path(path)
    name = name or path.name
    source: bytes | Path = path if data is None else data
    with read_any(name, source) as (header, rows):
        return import_table(
            name,
            header,
            rows,
            indicator_id,
            aliases=aliases,
            dry_run=dry_run,
            actor=actor,
            user=user,
            sha256=_sha256(source),
            note=note,
        )


def import_table(
    name: str,
    header: list[str],
    rows: Iterator[list[str]],
    indicator_id: str | None = None,
    *,
    aliases: Sequence[str] = (),
    dry_run: bool = False,
    actor: str,
    user=None,
    sha256: str = "",
    note: str = "",
) -> ImportReport:
    """Import the rows of a table (the layout of ``import_file``) as a file's: validated whole,
    then stored unless a dry run, in one transaction. ``name`` and ``sha256`` are the batch's
    provenance (a file's name and digest, or a source's)."""
    indicator = get_indicator(indicator_id) if indicator_id else None
    alias_map = parse_aliases(list(aliases))
    problems: Sample[RowProblem] = Sample()
    skipped: Sample[tuple[int, str]] = Sample()
    try:
        with transaction.atomic():
            with Staging() as staging:
                layout = read_layout(header, indicator)
                if isinstance(layout, Layout):
                    staging.write(read_values(header, rows, layout, alias_map, problems, skipped))
                else:
                    for problem in layout:
                        problems.add(problem)
                duplicates = staging.duplicates()
                plan = staging.plan()
                plan.skipped, plan.skipped_rows = skipped.count, skipped.first
                plan.problems = problems.count + duplicates.count
                plan.refused = sorted(problems.first + duplicates.first, key=lambda p: p.row)[
                    :SHOWN
                ]
                if plan.problems:
                    raise ImportRefused(plan.refused, plan, plan.problems)
                if dry_run or not (plan.added or plan.changed):
                    return ImportReport(plan, None)  # the same data again: nothing recorded
                batch = staging.store(
                    plan,
                    kind="import",
                    file_name=name,
                    sha256=sha256,
                    actor=actor,
                    user=user,
                    note="; ".join([*(f"alias {a}" for a in aliases), *filter(None, [note])]),
                )
            derived = derive_after_import(plan, actor=actor, user=user)
    except IntegrityError as exc:  # another import stored the same values meanwhile
        raise TableError(
            f"{name}: another import changed these values at the same time; "
            "nothing from this file was stored. Run the import again."
        ) from exc
    return ImportReport(plan, batch, derived)
