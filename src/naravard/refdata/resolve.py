"""Map the many spellings of region and municipality names to canonical codes.

The resolver knows the official names (county name, name of the regional
authority, short name, ISO 3166-2, SCB code, "X kommun") plus an explicit
alias table (``data/aliases.csv``). Matching is exact after normalisation
(case, whitespace, hyphens); it never guesses. An unknown name raises
:class:`UnknownName` with the closest suggestions, a name that fits more than
one place raises :class:`AmbiguousName`.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from naravard.core.errors import NotFound
from naravard.refdata import files

Level = Literal["region", "municipality"]
LEVELS: tuple[Level, ...] = ("region", "municipality")


@dataclass(frozen=True)
class Place:
    """A resolved organisation: its level, canonical code and display name."""

    level: Level
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.level})"

    @property
    def sort_key(self) -> tuple[bool, str]:
        """Regions before municipalities, then by code."""
        return (self.level != "region", self.code)


class ResolveError(NotFound):
    """A name that names no place, several places, or a place of the other level; the message
    is English (the command line), :meth:`in_words` says it in the interface's language."""

    def __init__(self, text: str, places: list[Place], message: str, level: Level | None = None):
        super().__init__(message)
        self.text = text
        self.places = places
        self.level = level

    def in_words(self) -> str:
        """The problem for people, in the active language (needs Django's translations)."""
        from django.utils.translation import gettext as _

        listed = ", ".join(f"{p.name} ({p.code})" for p in self.places)
        if isinstance(self, AmbiguousName):
            return _("”%(text)s” kan betyda flera: %(places)s. Skriv koden i stället.") % {
                "text": self.text,
                "places": listed,
            }
        if self.places and self.level and all(p.level != self.level for p in self.places):
            return (
                _("”%(text)s” är ingen region: det är %(places)s.")
                if self.level == "region"
                else _("”%(text)s” är ingen kommun: det är %(places)s.")
            ) % {"text": self.text, "places": listed}
        what = {"region": _("Ingen region"), "municipality": _("Ingen kommun")}.get(
            self.level or "", _("Ingen region eller kommun")
        )
        hint = _(" Menade du %(places)s?") % {"places": listed} if self.places else ""
        return _("%(what)s heter ”%(text)s”.") % {"what": what, "text": self.text} + hint


class UnknownName(ResolveError):
    """No region or municipality has this name; ``places`` holds suggestions."""


class AmbiguousName(ResolveError):
    """The name fits several places; ``places`` holds the candidates."""


def normalise(text: str) -> str:
    """Case-, space- and hyphen-insensitive key for a name."""
    text = unicodedata.normalize("NFC", str(text)).strip().strip("\"'").casefold()
    text = re.sub(r"[\u2010-\u2015\-_]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _fold(text: str) -> str:
    """Key without diacritics, used only for ranking suggestions."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _level_of_code(code: str) -> Level:
    return "region" if len(code) == 2 else "municipality"


class Resolver:
    def __init__(
        self,
        regions: Iterable[files.RegionRow],
        municipalities: Iterable[files.MunicipalityRow],
        aliases: Iterable[tuple[str, str]],
    ):
        self._index: dict[str, set[Place]] = defaultdict(set)
        self._places: dict[str, Place] = {}
        for r in regions:
            place = Place("region", r.code, r.county_name)
            self._places[r.code] = place
            for name in (r.county_name, r.name, r.short_name, r.iso_code, f"Region {r.short_name}"):
                self._add(name, place)
        for m in municipalities:
            place = Place("municipality", m.code, m.name)
            self._places[m.code] = place
            for name in (m.name, m.full_name, f"{m.name} kommun"):
                self._add(name, place)
        for alias, code in aliases:
            if code not in self._places:
                raise ValueError(f"alias {alias!r} points to unknown code {code!r}")
            self._add(alias, self._places[code])

    def _add(self, name: str, place: Place) -> None:
        self._index[normalise(name)].add(place)

    @classmethod
    @cache
    def default(cls) -> Resolver:
        """The resolver over the shipped reference data and alias table."""
        with files.data_path("aliases.csv").open(encoding="utf-8", newline="") as fh:
            aliases = [(row["alias"], row["code"]) for row in csv.DictReader(fh)]
        return cls(files.regions(), files.municipalities(), aliases)

    def _by_code(self, key: str) -> Place | None:
        """Codes, including forms that spreadsheets and Kolada produce.

        '1' and '01' are region 01; '180' and '0180' are municipality 0180;
        '0001'–'0025' are Kolada's region ids.
        """
        if not key.isdigit():
            return None
        if len(key) <= 2:
            return self._places.get(key.zfill(2))
        if len(key) == 4 and key.startswith("00"):
            return self._places.get(key[2:])
        if len(key) <= 4:
            return self._places.get(key.zfill(4))
        return None

    def candidates(self, text: str, level: Level | None = None) -> list[Place]:
        key = normalise(text)
        by_code = self._by_code(key)
        found = {by_code} if by_code else self._index.get(key, set())
        return sorted(
            (p for p in found if level is None or p.level == level), key=lambda p: p.sort_key
        )

    def resolve(self, text: str, level: Level | None = None) -> Place:
        """The one place named by ``text`` (optionally restricted to a level)."""
        found = self.candidates(text, level)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(str(p) for p in found)
            raise AmbiguousName(
                text,
                found,
                f"{text!r} is ambiguous: it names {listed}. Give the code, or say which level "
                "(region or municipality) is meant.",
                level,
            )
        if level is not None:
            other = self.candidates(text)
            if other:
                listed = ", ".join(str(p) for p in other)
                raise UnknownName(
                    text, other, f"{text!r} is not a {level}: it names {listed}.", level
                )
        suggestions = self.suggest(text, level)
        hint = f" Closest: {', '.join(str(p) for p in suggestions)}." if suggestions else ""
        where = f"{level} " if level else "region or municipality "
        raise UnknownName(text, suggestions, f"No {where}is named {text!r}.{hint}", level)

    def suggest(self, text: str, level: Level | None = None, n: int = 5) -> list[Place]:
        """Up to ``n`` places whose names are closest to ``text`` (never applied silently)."""
        matcher = difflib.SequenceMatcher(b=_fold(normalise(text)))
        best: dict[Place, float] = {}
        for key, places in self._index.items():
            matcher.set_seq1(_fold(key))
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            score = matcher.ratio()
            for place in places:
                if (level is None or place.level == level) and score >= max(
                    0.6, best.get(place, 0)
                ):
                    best[place] = score
        return sorted(best, key=lambda p: (-best[p], p.sort_key))[:n]
