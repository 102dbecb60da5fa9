"""The units of the indicator catalogue: one row per unit, the only home of how a unit is named,
written, rounded and bounded.

Everything that shows a value reads this table: the charts, pages and template tags
(``presentation``), the report and its fact-check, PxWeb (the unit's name and decimals in
JSON-stat) and Kolada (the unit at the end of a KPI's title, as Kolada's own titles end in
"antal" or "andel (%)"); the importer and the register engine read the range, the scale and
whether a value must be whole.

Decimals are decided here once for every reader. Percentages, rates per 100 000, index
values and days get one decimal; counts and kronor none. A ratio (0–1: the continuity indices
UPC and COC) gets two decimals everywhere, on pages, charts, in the report and in PxWeb
(which used to say three): continuity indices are reported with two decimals in the
literature, and two decimals is what readers of the pages and the report have always seen.

Two system checks guard the table (registered in :mod:`naravard.catalog.apps`):
``naravard.E001`` every unit the catalogue uses has a row here, ``naravard.E002`` every row is
complete (both languages, decimals, a range whose bounds are in order, a positive scale).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from naravard.core.language import pick

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Unit:
    """A unit of the catalogue.

    ``name`` is the unit in words (PxWeb's unit base, the end of a Kolada title); ``symbol``
    the short form written after a number where one is usual ('%', 'st.', 'kr'), else None;
    a value with ``after_value`` False (a ratio, an index) is written bare ('0,63', not
    '0,63 kvot'). ``scale`` is what numerator / denominator is multiplied by to give a value
    in the unit; ``whole`` says that only whole numbers are values (a count).
    """

    code: str
    name: Mapping[str, str]
    decimals: int
    minimum: float | None
    maximum: float | None
    symbol: Mapping[str, str] | None = None
    scale: float = 1.0
    after_value: bool = True
    whole: bool = False

    @property
    def value_range(self) -> tuple[float | None, float | None]:
        """The lowest and highest value the unit allows (None: no bound)."""
        return self.minimum, self.maximum

    def label(self, lang: str | None = None) -> str:
        """The unit as readers see it beside a value or on an axis: the symbol if it has one,
        else its name, in ``lang`` (default: the active language)."""
        texts = self.symbol or self.name
        return texts[lang] if lang else pick(texts)


def _text(sv: str, en: str) -> Mapping[str, str]:
    return MappingProxyType({"sv": sv, "en": en})


UNITS: Mapping[str, Unit] = MappingProxyType(
    {
        unit.code: unit
        for unit in (
            Unit(
                "percent",
                _text("procent", "percent"),
                decimals=1,
                minimum=0,
                maximum=100,
                symbol=_text("%", "%"),
                scale=100.0,
            ),
            Unit(
                "count",
                _text("antal", "number"),
                decimals=0,
                minimum=0,
                maximum=None,
                symbol=_text("st.", "count"),
                whole=True,
            ),
            Unit(
                "per_100k",
                _text("per 100 000 invånare", "per 100,000 residents"),
                decimals=1,
                minimum=0,
                maximum=100_000,
                scale=100_000.0,
            ),
            Unit(
                "sek",
                _text("kronor", "SEK"),
                decimals=0,
                minimum=0,
                maximum=None,
                symbol=_text("kr", "SEK"),
            ),
            Unit(
                "sek_fixed",
                _text("kronor, fasta priser", "SEK, fixed prices"),
                decimals=0,
                minimum=0,
                maximum=None,
                symbol=_text("kr (fast pris)", "SEK (fixed prices)"),
            ),
            Unit(
                "sek_fixed_per_inhabitant",
                _text("kronor per invånare, fasta priser", "SEK per resident, fixed prices"),
                decimals=0,
                minimum=0,
                maximum=None,
                symbol=_text("kr per invånare (fast pris)", "SEK per resident (fixed prices)"),
            ),
            Unit(
                "index",
                _text("index", "index"),
                decimals=1,
                minimum=0,
                maximum=None,
                after_value=False,
            ),
            Unit(
                "ratio",
                _text("kvot", "ratio"),
                decimals=2,
                minimum=0,
                maximum=1,
                after_value=False,
            ),
            Unit("days", _text("dagar", "days"), decimals=1, minimum=0, maximum=None),
        )
    }
)


def row_problems(key: str, unit: Unit) -> list[str]:
    """What is missing or wrong in one row of the table ([] for a complete row)."""
    problems = []
    if unit.code != key:
        problems.append(f"is filed under {key!r} but its code is {unit.code!r}")
    for field_name, texts in (("name", unit.name), ("symbol", unit.symbol)):
        if texts is None and field_name == "symbol":
            continue
        missing = [lang for lang in LANGUAGES if not (texts or {}).get(lang, "").strip()]
        if missing:
            problems.append(f"has no {field_name} in {', '.join(missing)}")
    if not isinstance(unit.decimals, int) or unit.decimals < 0:
        problems.append(f"has decimals {unit.decimals!r}, not a whole number from 0")
    low, high = unit.value_range
    if low is not None and high is not None and low > high:
        problems.append(f"has a range whose minimum {low:g} is above its maximum {high:g}")
    if not unit.scale > 0:
        problems.append(f"has scale {unit.scale!r}, not a positive number")
    return problems
