"""The public search for indicators: by their names, definitions, numerators and denominators
and the words people use for them (``data/search_terms.yaml``), in Swedish and English.

A query's words are matched by their Snowball stems (core/stems.py), in both languages,
whatever the page's language: "namngiven" finds "namngiven läkare", "väntetider" finds
"väntetid", "booking" finds "online booking". A query word also matches the beginning of a
longer word ("läkare" in "läkarkontakt"), if its stem has at least four letters. Every word of
the query must match (small words such as "och" and "the" are left out); an indicator's name
and its search terms weigh more than its definition. Themes of the coding frame are found by
their names, their sub-themes' names and the frame's terms for them. Places are found by
refdata/resolve.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from naravard.catalog.catalogue import Indicator, catalogue
from naravard.core.stems import WORD, words
from naravard.qualitative.frame import Code, current_frame

LANGUAGES = ("sv", "en")
MIN_PREFIX = 4  # a stem shorter than this does not match the beginning of a longer word
STOP_WORDS = frozenset(
    "och i på av för med till per om som en ett den det de inom "
    "and of in on for with to per the a an at by".split()
)
NAME, TERMS, TEXT = 3, 3, 1  # what a match in each kind of field weighs


@dataclass(frozen=True)
class Field:
    weight: int
    lang: str
    words: frozenset[str]
    stems: frozenset[str]

    def matches(self, word: str, stem: str) -> bool:
        if stem in self.stems or word in self.words:
            return True
        return len(stem) >= MIN_PREFIX and any(w.startswith(stem) for w in self.words)


@cache
def search_terms() -> dict[str, dict[str, tuple[str, ...]]]:
    """Indicator id -> language -> the words people search it with."""
    path = resources.files("naravard.site").joinpath("data", "search_terms.yaml")
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    return {
        str(indicator_id): {
            lang: tuple(str(t) for t in texts.get(lang) or ()) for lang in LANGUAGES
        }
        for indicator_id, texts in raw.items()
    }


def _field(weight: int, lang: str, texts) -> Field:
    found = [pair for text in texts if text for pair in words(text, lang)]
    return Field(weight, lang, frozenset(w for w, _ in found), frozenset(s for _, s in found))


@cache
def _fields(indicator_id: str) -> tuple[Field, ...]:
    ind = catalogue()[indicator_id]
    terms = search_terms().get(ind.id, {})
    out = []
    for lang in LANGUAGES:
        text = [(ind.numerator or {}).get(lang), (ind.denominator or {}).get(lang)]
        text += [v.definition.get(lang) for v in ind.versions]
        out += [
            _field(NAME, lang, [ind.name[lang]]),
            _field(TERMS, lang, terms.get(lang, ())),
            _field(TEXT, lang, text),
        ]
    return tuple(out)


def query_words(query: str) -> list[dict[str, tuple[str, str]]]:
    """The query's words that count, each as (word, stem) per language."""
    raw = [w for w in WORD.findall(query.lower()) if w not in STOP_WORDS]
    return [{lang: words(w, lang)[0] for lang in LANGUAGES} for w in raw]


def score(indicator: Indicator, wanted: list[dict[str, tuple[str, str]]]) -> int:
    """How well the indicator answers the query's words (:func:`_score`)."""
    return _score(_fields(indicator.id), wanted)


def _score(fields: tuple[Field, ...], wanted: list[dict[str, tuple[str, str]]]) -> int:
    """How well ``fields`` answer the query's words: 0 unless every word matches, else the
    sum of each word's best match."""
    if not wanted:
        return 0
    total = 0
    for forms in wanted:
        best = max(
            (f.weight for f in fields if f.matches(*forms[f.lang])),
            default=0,
        )
        if best == 0:
            return 0
        total += best
    return total


@cache
def _theme_fields(theme_id: str) -> tuple[Field, ...]:
    """A theme's names and its sub-themes' (as names), and the coding frame's terms for them
    (Swedish words and word parts, as search terms)."""
    theme = current_frame().theme(theme_id)
    codes = (theme, *theme.subthemes)
    out = [_field(NAME, lang, [c.name[lang] for c in codes]) for lang in LANGUAGES]
    out.append(_field(TERMS, "sv", [t for c in codes for t in c.terms]))
    return tuple(out)


def themes(query: str) -> list[Code]:
    """The coding frame's themes that answer the query, the best first (ties in the frame's
    order)."""
    wanted = query_words(query)
    scored = [
        (_score(_theme_fields(t.id), wanted), i, t) for i, t in enumerate(current_frame().themes)
    ]
    return [t for s, _i, t in sorted(scored, key=lambda x: (-x[0], x[1])) if s > 0]


def indicators(query: str, among: list[Indicator]) -> list[Indicator]:
    """The indicators of ``among`` that answer the query, the best first (ties in the given
    order)."""
    wanted = query_words(query)
    scored = [(score(ind, wanted), i, ind) for i, ind in enumerate(among)]
    return [ind for s, _i, ind in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]
