"""The report's outline: its chapters, their order and what data each holds.

The standard outline is ``report/data/outline.yaml`` (its header says what each key means).
A follow-up's own outline, when an analyst has changed it, is the newest version of its text
``outline`` (:mod:`naravard.report.texts`), in the same YAML form. :func:`parse` checks an
outline and names every problem (an unknown indicator, chapter table, theme or kind, a key
twice, a chapter without a title); nothing with a problem is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from naravard.catalog.catalogue import catalogue
from naravard.core.errors import Invalid
from naravard.core.language import pick
from naravard.qualitative.frame import current_frame

STANDARD = Path(__file__).parent / "data" / "outline.yaml"
OUTLINE_KEY = "outline"  # the text key of a follow-up's own outline
KINDS = ("text", "summary", "method", "variation", "profiles")
KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
LISTS = ("areas", "indicators", "special", "themes")


@dataclass(frozen=True)
class Chapter:
    key: str
    title: dict[str, str]
    kind: str = "text"
    areas: tuple[str, ...] = ()  # development areas of the status report
    indicators: tuple[str, ...] = ()  # catalogue ids, in the order shown
    special: tuple[str, ...] = ()  # chapter tables (report/content.py chapter_tables)
    themes: tuple[str, ...] = ()  # themes of the coding frame

    def name(self) -> str:
        return pick(self.title)

    @property
    def holds_data(self) -> bool:
        return bool(self.areas or self.indicators or self.special or self.themes)


@dataclass(frozen=True)
class Outline:
    chapters: tuple[Chapter, ...]

    def chapter(self, key: str) -> Chapter | None:
        return next((c for c in self.chapters if c.key == key), None)

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(i for c in self.chapters for i in c.indicators))


class OutlineError(Invalid):
    """An outline that cannot be used; ``problems`` name each fault."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def parse(text: str, special: set[str] | None = None) -> Outline:
    """An outline from its YAML text; ``special``: the chapter tables there are builders of
    (report/content.py; None: not checked here)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OutlineError([_("disposition: inte giltig YAML (%(e)s)") % {"e": exc}]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("chapters"), list):
        raise OutlineError([_("disposition: en lista chapters: behövs")])
    problems: list[str] = []
    chapters = []
    seen: set[str] = set()
    known_indicators = set(catalogue())
    known_themes = {t.id for t in current_frame().all_themes}
    for n, item in enumerate(raw["chapters"], start=1):
        where = _("kapitel %(n)d") % {"n": n}
        if not isinstance(item, dict):
            problems.append(_("%(where)s: ska vara key, title …") % {"where": where})
            continue
        key = str(item.get("key", ""))
        if not KEY.fullmatch(key):
            problems.append(
                _("%(where)s: key %(key)r ska vara gemener a–z, siffror och bindestreck")
                % {"where": where, "key": key}
            )
        elif key == OUTLINE_KEY or key.startswith("profil-"):
            problems.append(
                _("%(where)s: key %(key)s är reserverad") % {"where": where, "key": key}
            )
        elif key in seen:
            problems.append(
                _("%(where)s: key %(key)s finns två gånger") % {"where": where, "key": key}
            )
        seen.add(key)
        where = f"{where} ({key})" if key else where
        title = item.get("title")
        if not (isinstance(title, dict) and str(title.get("sv", "")).strip()):
            problems.append(_("%(where)s: title: {sv: …, en: …} saknas") % {"where": where})
            title = {"sv": key, "en": key}
        kind = str(item.get("kind", "text"))
        if kind not in KINDS:
            problems.append(
                _("%(where)s: kind %(kind)s finns inte (%(kinds)s)")
                % {"where": where, "kind": kind, "kinds": ", ".join(KINDS)}
            )
        lists: dict[str, tuple[str, ...]] = {}
        for name in LISTS:
            value = item.get(name, [])
            if not isinstance(value, list):
                problems.append(
                    _("%(where)s: %(name)s ska vara en lista") % {"where": where, "name": name}
                )
                value = []
            lists[name] = tuple(str(v) for v in value)
        for unknown in [i for i in lists["indicators"] if i not in known_indicators]:
            problems.append(
                _("%(where)s: ingen indikator %(id)s") % {"where": where, "id": unknown}
            )
        for unknown in [t for t in lists["themes"] if t not in known_themes]:
            problems.append(
                _("%(where)s: inget tema %(id)s i kodramen") % {"where": where, "id": unknown}
            )
        if special is not None:
            for unknown in [s for s in lists["special"] if s not in special]:
                problems.append(
                    _("%(where)s: ingen kapiteltabell %(name)s (finns: %(known)s)")
                    % {"where": where, "name": unknown, "known": ", ".join(sorted(special))}
                )
        chapters.append(
            Chapter(
                key,
                {"sv": str(title.get("sv", key)), "en": str(title.get("en") or title.get("sv"))},
                kind,
                **lists,
            )
        )
    for kind in ("summary", "method", "profiles", "variation"):
        if sum(c.kind == kind for c in chapters) > 1:
            problems.append(_("disposition: bara ett kapitel av slaget %(kind)s") % {"kind": kind})
    if problems:
        raise OutlineError(problems)
    return Outline(tuple(chapters))


def dump(outline: Outline) -> str:
    """An outline as the YAML :func:`parse` reads."""
    rows: list[dict[str, Any]] = []
    for c in outline.chapters:
        row: dict[str, Any] = {"key": c.key, "title": dict(c.title)}
        if c.kind != "text":
            row["kind"] = c.kind
        for name in LISTS:
            if getattr(c, name):
                row[name] = list(getattr(c, name))
        rows.append(row)
    return yaml.safe_dump({"chapters": rows}, allow_unicode=True, sort_keys=False, width=100)


@cache
def standard_text() -> str:
    return STANDARD.read_text(encoding="utf-8")


def standard() -> Outline:
    return parse(standard_text())
