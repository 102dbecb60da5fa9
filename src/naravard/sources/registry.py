"""The source registry: every outside source naravard reads, declared in one YAML file.

The shipped registry is ``sources/data/sources.yaml``; ``NARAVARD_SOURCES`` (a path) names
another, e.g. an agency's own list. Each entry says what kind of source it is (``kolada``,
``pxweb1``, ``pxweb2``, ``table`` for CSV/XLSX at a URL, ``jsonstat``), where it is, what to ask
for, how its codes map to naravard's organisations, periods, sexes, age bands and indicators,
its licence and how often it is updated. The shape is checked against ``data/schema.json`` and
the meaning against the catalogue (system check naravard.E040, ``checks.py``), so a wrong
indicator id stops ``naravard serve`` and ``migrate`` rather than the night's sync.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from naravard.catalog.catalogue import CatalogueError, catalogue
from naravard.core.errors import Invalid, NotFound

KINDS = ("kolada", "pxweb1", "pxweb2", "table", "jsonstat")
POPULATION = "population"  # a measure (or target) that is the population, not an indicator
ENV = "NARAVARD_SOURCES"


class RegistryError(Invalid):
    """The registry does not load, or an entry does not fit the catalogue."""


class UnknownSource(NotFound):
    def __init__(self, source_id: str, known: list[str]):
        super().__init__(
            f"ingen källa {source_id!r} i källregistret; kända: {', '.join(known) or 'inga'}"
        )


@dataclass(frozen=True)
class Source:
    """One entry of the registry (the fields are those of ``data/schema.json``)."""

    id: str
    name: dict[str, str]
    kind: str
    url: str
    publisher: str
    licence: str
    updated: str
    target: str = "indicators"
    note: str = ""
    kpis: dict[str, str] = field(default_factory=dict)
    years: tuple[int | None, int | None] = (None, None)
    table: str = ""
    selection: dict[str, Any] = field(default_factory=dict)
    format: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)
    indicator: str = ""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    declared: str = ""  # the entry as written, as canonical JSON: a changed entry is read anew

    @property
    def indicators(self) -> list[str]:
        """The catalogue indicators the source brings values of."""
        if self.target == POPULATION:
            return []
        named = [*self.kpis.values(), *self.measures.values(), self.indicator]
        return list(dict.fromkeys(i for i in named if i and i != POPULATION))

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    def wants_year(self, year: int) -> bool:
        first, last = self.years
        return (first is None or year >= first) and (last is None or year <= last)


def _years(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return (None, None)
    first, _, last = text.partition("-")
    return (int(first), int(last) if last else (None if "-" in text else int(first)))


def _schema() -> dict:
    with resources.files(__package__).joinpath("data", "schema.json").open() as fh:
        return json.load(fh)


def registry_path() -> Path | None:
    """The registry named by ``NARAVARD_SOURCES``, or None for the shipped one."""
    named = os.environ.get(ENV, "").strip()
    return Path(named) if named else None


def _read(path: Path | None) -> tuple[str, Any]:
    if path is None:
        where = "sources/data/sources.yaml"
        text = resources.files(__package__).joinpath("data", "sources.yaml").read_text("utf-8")
    else:
        where = str(path)
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RegistryError(f"{where}: kan inte läsas ({exc})") from exc
    try:
        return where, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{where}: inte giltig YAML ({str(exc)[:300]})") from exc


def _problems(entry: dict) -> list[str]:
    """What in one (schema-valid) entry does not fit the catalogue or its kind."""
    problems = []
    try:
        known = catalogue()
    except CatalogueError:
        return []  # naravard.E003 says the catalogue does not load
    target = entry.get("target", "indicators")
    named = [*entry.get("kpis", {}).values(), *entry.get("measures", {}).values()]
    if entry.get("indicator"):
        named.append(entry["indicator"])
    for indicator_id in named:
        if indicator_id == POPULATION:
            if target != POPULATION:
                problems.append("measure 'population' needs target: population")
        elif indicator_id not in known:
            problems.append(f"no indicator {indicator_id!r} in the catalogue")
        elif target == POPULATION:
            problems.append(f"target population reads no indicator ({indicator_id})")
        elif known[indicator_id].derived_from:
            problems.append(f"{indicator_id} is derived by naravard and is not imported")
    kind, columns = entry["kind"], entry.get("columns", {})
    if kind in ("pxweb1", "pxweb2", "table", "jsonstat"):
        has_measure = "measure" in columns or (kind == "table" and entry.get("measures"))
        if target == POPULATION:
            if not {"sex", "age"} <= columns.keys():
                problems.append("target population needs the columns sex and age")
        elif bool(has_measure or entry.get("measures")) == bool(entry.get("indicator")):
            problems.append("name either one indicator, or a measure column with measures")
        if kind == "table" and not entry.get("measures"):
            if "value" not in columns and not {"numerator", "denominator"} <= columns.keys():
                problems.append("a table needs the column value, or numerator and denominator")
    if kind in ("pxweb1", "pxweb2"):
        unselected = [
            columns[role]
            for role in ("org", "period", "measure")
            if role in columns and columns[role] not in entry.get("selection", {})
        ]
        if unselected:
            problems.append(f"select values of {', '.join(unselected)}")
    if kind == "kolada" and target == POPULATION:
        problems.append("a Kolada source brings indicators (target: indicators)")
    years = entry.get("years")
    if years and (bounds := _years(years))[1] is not None and bounds[0] > bounds[1]:  # type: ignore[operator]
        problems.append(f"years {years}: the first year is after the last")
    return problems


def load(path: Path | None = None) -> dict[str, Source]:
    """The registry, checked whole: raises RegistryError naming every problem."""
    where, doc = _read(path)
    errors = sorted(
        jsonschema.Draft202012Validator(_schema()).iter_errors(doc), key=lambda e: list(e.path)
    )
    if errors:
        lines = [
            f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in errors[:10]
        ]
        raise RegistryError(f"{where}: " + "; ".join(lines))
    out: dict[str, Source] = {}
    problems = []
    for entry in doc["sources"]:
        if entry["id"] in out:
            problems.append(f"{entry['id']}: a second source with the same id")
            continue
        problems += [f"{entry['id']}: {p}" for p in _problems(entry)]
        fields = {k: v for k, v in entry.items() if k != "years"}
        out[entry["id"]] = Source(
            **fields,
            years=_years(entry.get("years")),
            declared=json.dumps(entry, sort_keys=True, ensure_ascii=False),
        )
    if problems:
        raise RegistryError(f"{where}: " + "; ".join(problems))
    return out


@cache
def _cached(path: str) -> dict[str, Source]:
    return load(Path(path) if path else None)


def sources() -> dict[str, Source]:
    """The registry in use (read once per process and path)."""
    path = registry_path()
    return _cached(str(path) if path else "")


def get_source(source_id: str) -> Source:
    known = sources()
    if source_id not in known:
        raise UnknownSource(source_id, list(known))
    return known[source_id]
