"""Load the indicator catalogue (``definitions/indicators.yaml``) and answer questions about it.

Each indicator carries versions with valid-from/valid-to dates; :meth:`Indicator.version_at`
gives the definition and target that held in a period. Survey indicators for each
decision level and profession are generated from the survey series' forms (see
:mod:`naravard.catalog.survey`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from naravard.catalog import units
from naravard.catalog.survey import survey_breaks, survey_indicators
from naravard.core.dates import period_code, period_label
from naravard.core.errors import Invalid, NotFound
from naravard.core.language import current
from naravard.refdata.resolve import Level

KINDS = ("share", "rate", "count", "amount")
PERIOD_PATTERNS = {
    "year": r"\d{4}",
    "month": r"\d{4}-(0[1-9]|1[0-2])",
    "point": r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?",
}
PERIOD_FORMS = {  # how a person writes a period of each type (error messages)
    "year": {"sv": "ett år, t.ex. 2022", "en": "a year, e.g. 2022"},
    "month": {
        "sv": "en månad, t.ex. 2022-03 (mars 2022)",
        "en": "a month, e.g. 2022-03 (March 2022)",
    },
    "point": {
        "sv": "ett år (2022 betyder 31 december 2022), en månad (2022-03 betyder "
        "31 mars 2022) eller en dag (2022-03-15)",
        "en": "a year (2022 means 31 December 2022), a month (2022-03 means 31 March 2022) "
        "or a day (2022-03-15)",
    },
}
MAX_LISTED_PERIODS = 12  # an error names at most this many periods (the first and the last)

TEXT = {
    "type": "object",
    "required": ["sv", "en"],
    "additionalProperties": False,
    "properties": {
        "sv": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
}
SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": [
            "id",
            "name",
            "unit",
            "kind",
            "level",
            "period_type",
            "direction",
            "source",
            "versions",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
            "name": TEXT,
            "source": TEXT,
            "numerator": TEXT,
            "denominator": TEXT,
            "caveats": {
                "oneOf": [
                    TEXT,
                    {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["text"],
                            "additionalProperties": False,
                            "properties": {"text": TEXT, "valid_from": {}, "valid_to": {}},
                        },
                    },
                ]
            },
            "unit": {"enum": list(units.UNITS)},  # the units table (catalog/units.py)
            "kind": {"enum": list(KINDS)},
            "level": {"type": "array", "items": {"enum": ["region", "municipality"]}},
            "period_type": {"enum": list(PERIOD_PATTERNS)},
            "direction": {"enum": ["higher", "lower", "none"]},
            "interval": {"enum": ["none"]},
            "min_cell": {"type": "integer", "minimum": 1},
            "themes": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
            "derived_from": {"type": "object"},
            "breaks": {
                "description": "Periods from which values cannot be compared with earlier ones",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["period", "reason"],
                    "additionalProperties": False,
                    "properties": {"period": {"type": "string"}, "reason": TEXT},
                },
            },
            "rules": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kind", "other"],
                    "additionalProperties": False,
                    "properties": {
                        "kind": {"enum": ["not_more_than", "not_less_than"]},
                        "other": {"type": "string"},
                        "message": TEXT,
                    },
                },
            },
            "versions": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["valid_from", "definition"],
                    "additionalProperties": False,
                    "properties": {
                        "valid_from": {},
                        "valid_to": {},  # YAML reads dates as dates
                        "definition": TEXT,
                        "target": {
                            "type": "object",
                            "required": ["value", "comparison"],
                            "additionalProperties": False,
                            "properties": {
                                "value": {"type": "number"},
                                "comparison": {"enum": [">=", "<="]},
                                "by": {},
                                "note": TEXT,
                            },
                        },
                    },
                },
            },
        },
    },
}


class CatalogueError(Invalid):
    """The catalogue file is broken or an indicator id is unknown."""


class UnknownIndicator(NotFound, CatalogueError):
    """No indicator of the catalogue has this id; the message suggests close ones."""


class PeriodError(NotFound, ValueError):
    """A period typed by a person that is malformed for the indicator or not among its
    (stored or published) periods. :meth:`message` words it in Swedish or English, naming
    the periods there are as people read them."""

    def __init__(
        self,
        indicator: Indicator,
        typed: str,
        known: Sequence[str],
        *,
        published: bool = False,
        malformed: bool = False,
    ):
        self.indicator, self.typed, self.known = indicator, typed, list(known)
        self.published, self.malformed = published, malformed
        super().__init__(self.message("sv"))

    def message(self, lang: str | None = None) -> str:
        lang = lang or current()
        ind, typed = self.indicator, self.typed.strip()
        listed = _listing(self.known, lang)
        if lang == "en":
            what = "published" if self.published else "stored"
            if self.malformed:
                head = (
                    f"{typed!r} is not a period of {ind.id}: give "
                    f"{PERIOD_FORMS[ind.period_type]['en']}"
                )
            else:
                head = f"no {what} values of {ind.id} for {period_label(_code(ind, typed), 'en')}"
            return (
                f"{head}; {what} periods: {listed}"
                if self.known
                else f"{head}; no period of {ind.id} is {what} yet"
            )
        what = "publicerade" if self.published else "lagrade"
        if self.malformed:
            head = (
                f"”{typed}” är ingen period för {ind.id}: ange "
                f"{PERIOD_FORMS[ind.period_type]['sv']}."
            )
        else:
            head = f"{ind.id} har inga {what} värden för {period_label(_code(ind, typed), 'sv')}."
        return (
            f"{head} {what.capitalize()} perioder: {listed}."
            if self.known
            else f"{head} Inga perioder av {ind.id} är {what} ännu."
        )


@dataclass(frozen=True)
class Target:
    value: float
    comparison: str  # ">=" (reach at least) or "<=" (at most)
    by: dt.date | None = None
    note: dict[str, str] | None = None

    def describe(self, lang: str = "sv", shown: str | None = None) -> str:
        """The target in words; ``shown`` is its value as readers write it, with the unit
        ('55 %', see publish.charts.target_text), else the bare number."""
        word = {"sv": {">=": "minst", "<=": "högst"}, "en": {">=": "at least", "<=": "at most"}}
        text = f"{word[lang][self.comparison]} {shown or f'{self.value:g}'}"
        if self.by:
            text += (" senast " if lang == "sv" else " by ") + period_label(self.by, lang)
        return text


@dataclass(frozen=True)
class Caveat:
    """Something to keep in mind when reading the indicator, for the periods it concerns
    (a caveat without dates holds for every period)."""

    text: dict[str, str]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Break:
    """A break in an indicator's series: its values from ``period`` on cannot be compared with
    those before (a survey question changed, a register's definition changed)."""

    period: str
    reason: dict[str, str]

    def label(self, lang: str = "sv") -> str:
        return period_label(self.period, lang)


@dataclass(frozen=True)
class Version:
    valid_from: dt.date
    valid_to: dt.date | None
    definition: dict[str, str]
    target: Target | None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Rule:
    kind: str  # not_more_than | not_less_than
    other: str
    message: dict[str, str] | None


@dataclass(frozen=True)
class Indicator:
    id: str
    name: dict[str, str]
    unit: str
    kind: str
    levels: tuple[Level, ...]
    period_type: str
    direction: str
    source: dict[str, str]
    versions: tuple[Version, ...]
    caveats: tuple[Caveat, ...] = ()
    numerator: dict[str, str] | None = None
    denominator: dict[str, str] | None = None
    derived_from: dict[str, Any] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    has_interval: bool = True
    min_cell: int | None = None  # disclosure control: smaller person counts are suppressed
    themes: tuple[str, ...] = ()  # coding-frame themes whose initiatives should move it
    breaks: tuple[Break, ...] = ()  # where the series cannot be compared with what came before

    def break_between(self, earlier: str, later: str) -> Break | None:
        """The break between two periods of the indicator, if its series breaks after
        ``earlier`` and no later than ``later``."""
        for b in self.breaks:
            if earlier < b.period <= later:
                return b
        return None

    @property
    def unit_info(self) -> units.Unit:
        """The indicator's unit: its label, decimals, range and scale (catalog/units.py)."""
        return units.UNITS[self.unit]

    @property
    def value_range(self) -> tuple[float | None, float | None]:
        return self.unit_info.value_range

    @property
    def scale(self) -> float:
        """What numerator / denominator is multiplied by to give a value in the unit."""
        return self.unit_info.scale

    @property
    def is_share(self) -> bool:
        return self.kind == "share"

    def version_at(self, period: str) -> Version | None:
        """The version (definition and target) that held at the end of ``period``, if any."""
        day = period_end(period)
        for version in self.versions:
            if version.covers(day):
                return version
        return None

    def caveats_at(self, period: str) -> dict[str, str] | None:
        """The caveats that hold in ``period`` as one text per language, or None: a caveat
        about what happened after 2021 is not printed beside a 2019 figure."""
        day = period_end(period)
        held = [c.text for c in self.caveats if c.covers(day)]
        if not held:
            return None
        return {lang: " ".join(t[lang] for t in held) for lang in ("sv", "en")}

    def target_at(self, period: str) -> Target | None:
        version = self.version_at(period)
        return version.target if version else None

    def normal_period(self, period: str) -> str:
        """One spelling per period: a point in time is its last day (2020 -> 2020-12-31)."""
        if self.period_type == "point":
            return period_end(period).isoformat()
        return period

    def next_period(self, period: str) -> str:
        """The period after ``period`` of the indicator's type: the next year or month; for
        a point in time the same day a year on (28 February for 29 February)."""
        if self.period_type == "year":
            return str(int(period) + 1)
        if self.period_type == "month":
            year, month = (int(part) for part in period.split("-"))
            return f"{year + month // 12}-{month % 12 + 1:02d}"
        day = period_end(period)
        following = day.replace(year=day.year + 1, day=min(day.day, 28 if day.month == 2 else 31))
        return following.isoformat()

    def valid_period(self, period: str) -> bool:
        return bool(re.fullmatch(PERIOD_PATTERNS[self.period_type], period)) and _real_date(period)

    def find_period(self, typed: str, known: Sequence[str], *, published: bool = False) -> str:
        """The period of ``known`` (stored or published codes) a person means by ``typed``,
        by the one rule: a year is the year, or its last day for a point in time; a month
        likewise (2022 -> 2022-12-31, 2020-03 -> 2020-03-31 for a point). The display forms
        ("31 december 2022", "March 2020") and PxWeb's month codes (2020M03) are read too.
        :class:`PeriodError` for a malformed period or one not among ``known``."""
        code = period_code(typed)
        if code in known:
            return code
        if not self.valid_period(code):
            raise PeriodError(self, typed, known, published=published, malformed=True)
        period = self.normal_period(code)
        if period not in known:
            raise PeriodError(self, typed, known, published=published)
        return period


def _real_date(period: str) -> bool:
    try:
        period_end(period)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)  # periods are few and sorted by it again and again
def period_end(period: str) -> dt.date:
    """The last day of a period written 2020, 2020-03 or 2020-03-31."""
    parts = [int(p) for p in period.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(*parts)


def _code(ind: Indicator, typed: str) -> str:
    """``typed`` as the indicator's period code, when it is one (for messages)."""
    code = period_code(typed)
    return ind.normal_period(code) if ind.valid_period(code) else code


def _listing(periods: Sequence[str], lang: str) -> str:
    """Periods as people read them, the first and the last few of a long list."""
    labels = [period_label(p, lang) for p in periods]
    if len(labels) <= MAX_LISTED_PERIODS:
        return ", ".join(labels)
    half = MAX_LISTED_PERIODS // 4
    count = f"{len(labels)} {'periods' if lang == 'en' else 'perioder'}"
    return f"{', '.join(labels[:half])} … {', '.join(labels[-half:])} ({count})"


def _text(raw: dict | None) -> dict[str, str] | None:
    return dict(raw) if raw else None


def _day(raw) -> dt.date | None:
    return dt.date.fromisoformat(str(raw)) if raw else None


def _caveats(raw) -> tuple[Caveat, ...]:
    if not raw:
        return ()
    if isinstance(raw, dict):
        return (Caveat(dict(raw)),)
    return tuple(
        Caveat(dict(c["text"]), _day(c.get("valid_from")), _day(c.get("valid_to"))) for c in raw
    )


def _indicator(raw: dict) -> Indicator:
    versions = []
    for v in raw["versions"]:
        t = v.get("target")
        target = (
            Target(
                float(t["value"]),
                t["comparison"],
                dt.date.fromisoformat(str(t["by"])) if t.get("by") else None,
                _text(t.get("note")),
            )
            if t
            else None
        )
        versions.append(
            Version(
                dt.date.fromisoformat(str(v["valid_from"])),
                dt.date.fromisoformat(str(v["valid_to"])) if v.get("valid_to") else None,
                v["definition"],
                target,
            )
        )
    versions.sort(key=lambda v: v.valid_from)
    for a, b in itertools.pairwise(versions):
        if a.valid_to is None or a.valid_to >= b.valid_from:
            raise CatalogueError(
                f"{raw['id']}: versions overlap ({a.valid_from} and {b.valid_from})"
            )
    return Indicator(
        id=raw["id"],
        name=raw["name"],
        unit=raw["unit"],
        kind=raw["kind"],
        levels=tuple(raw["level"]),
        period_type=raw["period_type"],
        direction=raw["direction"],
        source=raw["source"],
        versions=tuple(versions),
        caveats=_caveats(raw.get("caveats")),
        numerator=_text(raw.get("numerator")),
        denominator=_text(raw.get("denominator")),
        derived_from=dict(raw.get("derived_from") or {}),
        rules=tuple(
            Rule(r["kind"], r["other"], _text(r.get("message"))) for r in raw.get("rules", [])
        ),
        has_interval=raw.get("interval") != "none",
        min_cell=raw.get("min_cell"),
        themes=tuple(raw.get("themes", ())),
        breaks=tuple(
            sorted(
                (Break(str(b["period"]), dict(b["reason"])) for b in raw.get("breaks", [])),
                key=lambda b: b.period,
            )
        ),
    )


def parse(raw: list) -> dict[str, Indicator]:
    errors = sorted(
        jsonschema.Draft202012Validator(SCHEMA).iter_errors(raw),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        path = "/".join(str(p) for p in errors[0].absolute_path)
        raise CatalogueError(f"indicators.yaml: {path}: {errors[0].message}")
    out: dict[str, Indicator] = {}
    for entry in raw:
        if entry["id"] in out:
            raise CatalogueError(f"indicator {entry['id']} is defined twice")
        out[entry["id"]] = _indicator(entry)
    for ind in out.values():
        for rule in ind.rules:
            if rule.other not in out:
                raise CatalogueError(f"{ind.id}: rule refers to unknown indicator {rule.other}")
        for other in derived_inputs(ind):
            if other not in out:
                raise CatalogueError(f"{ind.id}: derived from unknown indicator {other}")
    return out


DERIVED_FROM_KEYS = ("numerator", "denominator", "deflator", "minus")


def derived_inputs(ind: Indicator) -> tuple[str, ...]:
    """The indicators ``ind`` is computed from by ingest/derive.py (per population, fixed
    prices, a share of two amounts less a third), in the order of ``DERIVED_FROM_KEYS``; ()
    for an indicator that is imported, computed from the register or derived from a survey."""
    source = ind.derived_from
    if "series" in source:
        return ()
    out: list[str] = []
    for key in DERIVED_FROM_KEYS:
        value = source.get(key)
        out += [value] if isinstance(value, str) else list(value or ())
    return tuple(out)


def indicators_for_theme(theme_id: str) -> list[Indicator]:
    """The indicators a theme's initiatives are meant to move, in catalogue order."""
    return [ind for ind in catalogue().values() if theme_id in ind.themes]


@cache
def catalogue() -> dict[str, Indicator]:
    """Every indicator, by id."""
    text = (
        resources.files(__package__)
        .joinpath("definitions", "indicators.yaml")
        .read_text(encoding="utf-8")
    )
    raw = yaml.safe_load(text) + survey_indicators()
    for entry in raw:  # a survey indicator breaks where its question's lineage does
        source = entry.get("derived_from") or {}
        if "series" in source:
            entry["breaks"] = [*entry.get("breaks", []), *survey_breaks(source)]
    return parse(raw)


def get_indicator(indicator_id: str) -> Indicator:
    try:
        return catalogue()[indicator_id]
    except KeyError:
        close = [i for i in catalogue() if indicator_id.split("_")[0] in i][:5]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownIndicator(f"no indicator {indicator_id!r} in the catalogue.{hint}") from None
