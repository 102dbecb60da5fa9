"""Import aggregated indicator values from CSV, XLSX or JSON-stat 2.0, all or nothing.

Layout: ``org`` (code or resolvable name; ``00``/``Riket`` for the nation),
``period`` (2020, 2020-03 or 2020-03-31), then ``value`` or ``numerator`` and
``denominator``, optionally ``sex`` (T, K, M). Without ``--indicator`` the
file may instead have one value column per indicator id (a wide table).

Everything is validated before anything is stored; a dry run reports what
would be added, changed and refused, row by row. A changed value supersedes
the stored one (history kept); an unchanged value is left alone, so importing
the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from naravard.catalog.catalogue import CatalogueError, Indicator, get_indicator
from naravard.core.errors import Invalid
from naravard.core.tables import (
    MAX_UPLOAD_BYTES,
    ImportRefused,
    RowProblem,
    TableError,
    parse_number,
    read_table,
)
from naravard.ingest.jsonstat import read_jsonstat
from naravard.ingest.models import AGE_BANDS, NATION, ImportBatch, IndicatorValue
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


@dataclass(frozen=True)
class Observation:
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

    def same_as(self, stored: IndicatorValue) -> bool:
        return (
            _eq(self.value, stored.value)
            and _eq(self.numerator, stored.numerator)
            and _eq(self.denominator, stored.denominator)
        )


def _eq(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@dataclass
class Plan:
    added: list[Observation] = field(default_factory=list)
    changed: list[tuple[Observation, IndicatorValue]] = field(default_factory=list)
    unchanged: list[Observation] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # rows without a value

    def lines(self) -> list[str]:
        """Row by row: what would happen to each."""
        out = []
        for o in self.added:
            out.append(
                (o.row, f"row {o.row}: add {o.indicator.id} {o.org} {o.period} {o.sex} = {_fmt(o)}")
            )
        for o, old in self.changed:
            before = "" if old.value is None else f"{old.value:g} "
            out.append(
                (
                    o.row,
                    f"row {o.row}: change {o.indicator.id} {o.org} {o.period} {o.sex} "
                    f"{before}-> {_fmt(o)}",
                )
            )
        for o in self.unchanged:
            out.append(
                (o.row, f"row {o.row}: unchanged {o.indicator.id} {o.org} {o.period} {o.sex}")
            )
        for p in self.refused:
            out.append((p.row, f"row {p.row}: refused ({p.column}): {p.message}"))
        for row, why in self.skipped:
            out.append((row, f"row {row}: skipped, {why}"))
        return [text for _, text in sorted(out, key=lambda t: t[0])]


def _fmt(o: Observation) -> str:
    text = "" if o.value is None else f"{o.value:g}"
    if o.numerator is not None:
        text += f" ({o.numerator:g}/{o.denominator:g})"
    return text


@dataclass
class ImportReport:
    plan: Plan
    batch: ImportBatch | None
    derived: dict[str, int] = field(default_factory=dict)


def read_any(name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(f"{name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if name.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        return read_jsonstat(name, data)
    return read_table(name, data)


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


def _number(text: str, column: str, row: int, problems: list[RowProblem]) -> float | None:
    if text == "" or text is None:
        return None
    try:
        return parse_number(text)
    except ValueError:
        problems.append(RowProblem(row, column, f"{str(text)[:40]!r} is not a number"))
        return None


def parse_observations(
    header: list[str], rows: list[list[str]], indicator: Indicator | None, aliases: dict[str, str]
) -> tuple[list[Observation], list[RowProblem], list[tuple[int, str]]]:
    """Rows as observations, the problems found, and the rows without a value (skipped)."""
    problems: list[RowProblem] = []
    lower = [h.strip().lower() for h in header]
    if "org" not in lower:
        return (
            [],
            [
                RowProblem(
                    1,
                    "org",
                    f"no column 'org' (found: {', '.join(header) or 'nothing'}); "
                    "is the delimiter a comma or a semicolon?",
                )
            ],
            [],
        )
    if "period" not in lower:
        return [], [RowProblem(1, "period", "no column 'period'")], []
    col = {name: lower.index(name) for name in KEY_COLUMNS if name in lower}
    wide = [(i, h) for i, h in enumerate(lower) if h not in KEY_COLUMNS and h]
    if indicator is not None:
        if "value" not in col and not ("numerator" in col and "denominator" in col):
            return (
                [],
                [RowProblem(1, "value", "need a column 'value', or 'numerator' and 'denominator'")],
                [],
            )
        for i, _name in wide:
            problems.append(RowProblem(1, header[i], "unknown column"))
        measures: list[tuple[Indicator, int | None]] = [(indicator, None)]
    else:
        if not wide:
            return (
                [],
                [RowProblem(1, "value", "say --indicator ID, or give one column per indicator id")],
                [],
            )
        measures = []
        for i, h in wide:
            try:
                measures.append((get_indicator(h), i))
            except CatalogueError as exc:
                problems.append(RowProblem(1, header[i], str(exc)))
    if problems:
        return [], problems, []
    resolver = Resolver.default()
    out: list[Observation] = []
    skipped: list[tuple[int, str]] = []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):

        def cell(name: str, row: list[str] = row) -> str:
            """The row's cell in column ``name`` (bound to this row), stripped; '' if absent."""
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        if not any(c.strip() for c in row):
            continue
        org_text, period = cell("org"), cell("period")
        if not org_text:
            problems.append(RowProblem(number, "org", "empty"))
            continue
        if not period:
            problems.append(RowProblem(number, "period", "missing period"))
            continue
        sex_text = cell("sex") or "T"
        sex = SEX_NAMES.get(sex_text.lower())
        if sex is None:
            problems.append(RowProblem(number, "sex", f"{sex_text!r} is not T, K or M"))
            continue
        age_band = cell("age_band") or "total"
        if age_band not in AGE_BANDS:
            problems.append(
                RowProblem(number, "age_band", f"{age_band!r} is not one of {', '.join(AGE_BANDS)}")
            )
            continue
        for ind, value_index in measures:
            try:
                org = _resolve_org(org_text, ind, aliases, resolver)
            except ResolveError as exc:
                hint = (
                    ""
                    if org_text.isdigit()
                    else (f' Confirm with --alias "{org_text}=CODE" if you know which it is.')
                )
                problems.append(RowProblem(number, "org", str(exc) + hint))
                break
            if not ind.valid_period(period):
                problems.append(
                    RowProblem(
                        number,
                        "period",
                        f"{period!r} is not a {ind.period_type} period for {ind.id}",
                    )
                )
                break
            here = len(problems)
            if value_index is None:
                value = _number(cell("value"), "value", number, problems)
                num = _number(cell("numerator"), "numerator", number, problems)
                den = _number(cell("denominator"), "denominator", number, problems)
            else:
                raw = row[value_index].strip() if value_index < len(row) else ""
                value, num, den = _number(raw, header[value_index], number, problems), None, None
            if len(problems) > here:
                continue
            column = header[value_index] if value_index is not None else "value"
            problem = _check_values(ind, value, num, den)
            if problem:
                problems.append(RowProblem(number, column, problem))
                continue
            if value is None and num is not None and den is not None:
                value = _from_fraction(ind, num, den)
            if value is None:
                skipped.append((number, f"{ind.id}: no value"))
                continue  # an empty cell ('..' in PxWeb): no value for this organisation/period
            problem = _check_range(ind, value)
            if problem:
                problems.append(RowProblem(number, column, problem))
                continue
            period_key = ind.normal_period(period)
            obs = Observation(number, ind, org, period_key, sex, value, num, den, age_band)
            if obs.key in seen:
                problems.append(
                    RowProblem(
                        number,
                        "org",
                        f"duplicate of row {seen[obs.key]} "
                        f"({ind.id} {org} {period} {sex} {age_band})",
                    )
                )
                continue
            seen[obs.key] = number
            out.append(obs)
    return out, problems, skipped


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


def make_plan(observations: list[Observation]) -> Plan:
    plan = Plan()
    if not observations:
        return plan
    indicators = {o.indicator.id for o in observations}
    current = {
        v.key: v
        for v in IndicatorValue.objects.filter(indicator_id__in=indicators, is_current=True)
    }
    for obs in observations:
        stored = current.get(obs.key)
        if stored is None:
            plan.added.append(obs)
        elif obs.same_as(stored):
            plan.unchanged.append(obs)
        else:
            plan.changed.append((obs, stored))
    return plan


def store(
    plan: Plan,
    *,
    kind: str,
    file_name: str = "",
    sha256: str = "",
    actor: str,
    user=None,
    note: str = "",
) -> ImportBatch:
    """Write a plan in one transaction: new rows, and successors for changed ones."""
    indicators = sorted(
        {o.indicator.id for o in plan.added + [c for c, _ in plan.changed] + plan.unchanged}
    )
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            indicators=",".join(indicators)[:500],
            file_name=file_name,
            sha256=sha256,
            actor=actor,
            user=user if getattr(user, "is_authenticated", False) else None,
            added=len(plan.added),
            changed=len(plan.changed),
            unchanged=len(plan.unchanged),
            note=note,
        )
        now = timezone.now()

        def row(o: Observation) -> IndicatorValue:
            return IndicatorValue(
                indicator_id=o.indicator.id,
                org_code=o.org,
                period=o.period,
                sex=o.sex,
                age_band=o.age_band,
                value=o.value,
                numerator=o.numerator,
                denominator=o.denominator,
                batch=batch,
                row_number=o.row,
                created_at=now,
            )

        old_ids = [old.pk for _, old in plan.changed]
        IndicatorValue.objects.filter(pk__in=old_ids).update(is_current=False)
        IndicatorValue.objects.bulk_create([row(o) for o in plan.added])
        for obs, old in plan.changed:
            new = row(obs)
            new.save()
            IndicatorValue.objects.filter(pk=old.pk).update(superseded_by=new)
    return batch


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
) -> ImportReport:
    """Validate the whole file, then store it (unless a dry run); raises ImportRefused."""
    # derive.py stores through this module: imported here, not above
    from naravard.ingest.derive import derive_after_import

    path = Path(path)
    name = name or path.name
    data = path.read_bytes() if data is None else data
    indicator = get_indicator(indicator_id) if indicator_id else None
    alias_map = parse_aliases(list(aliases))
    header, rows = read_any(name, data)
    observations, problems, skipped = parse_observations(header, rows, indicator, alias_map)
    plan = make_plan(observations)
    plan.refused, plan.skipped = problems, skipped
    if problems:
        raise ImportRefused(plan.refused, plan)
    if dry_run:
        return ImportReport(plan, None)
    if not plan.added and not plan.changed:
        return ImportReport(plan, None)  # the same data again: nothing to store, nothing recorded
    note = "; ".join(f"alias {a}" for a in aliases)
    try:
        with transaction.atomic():
            batch = store(
                plan,
                kind="import",
                file_name=name,
                sha256=hashlib.sha256(data).hexdigest(),
                actor=actor,
                user=user,
                note=note,
            )
            derived = derive_after_import(plan, actor=actor, user=user)
    except IntegrityError as exc:  # another import stored the same values meanwhile
        raise TableError(
            f"{name}: another import changed these values at the same time; "
            "nothing from this file was stored. Run the import again."
        ) from exc
    return ImportReport(plan, batch, derived)
