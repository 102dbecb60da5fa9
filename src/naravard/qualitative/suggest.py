"""Suggested codes for uncoded Swedish text.

Words are lower-cased and reduced to their Snowball stems ("teamen" → "team"); a frame term
matches a word whose stem equals the term's stem, or a compound that begins or ends with it
("hemsjukvårdsteamet" ends with "team", "webbtidboken" begins with "webbtidbok"). Terms of
several words match consecutive words. A theme is suggested when one of its terms matches,
and then each of its sub-themes whose terms match; the stage when one of the stage's terms
does (the last-named stage wins, as a report usually ends on where the work stands now).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from naravard.core.stems import stems, words
from naravard.qualitative.frame import Code, Frame, current_frame

MIN_PART = 4  # a compound part shorter than this is too ambiguous to match inside a word


@lru_cache(maxsize=4096)
def _term_parts(term: str) -> tuple[str, ...]:
    """The stems of a frame term's words, stemmed once per term (not once per sentence: a
    submit suggests codes for every sentence of its free text inside the request)."""
    return tuple(stems(term))


@lru_cache(maxsize=64)
def _all_parts(terms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p for term in terms for p in _term_parts(term))


def _frame_parts(frame: Frame) -> frozenset[str]:
    """Every stem a term of the frame is made of."""
    codes = (*frame.all_themes, *frame.stages)
    return _all_parts(tuple(term for code in codes for term in code.terms))


def _positions(tokens: list[tuple[str, str]], parts: frozenset[str]) -> dict[str, list[int]]:
    """For each part, the positions of the words it matches: the word or its stem is the part,
    or, for a part of at least MIN_PART letters, the word begins with it or its stem ends with
    it (a compound). Looks up each word's beginnings and endings among the parts, rather than
    comparing every word with every part."""
    found: dict[str, list[int]] = {}
    for i, (word, stem) in enumerate(tokens):
        hit = {word, stem}
        hit.update(word[:n] for n in range(MIN_PART, len(word)))
        hit.update(stem[-n:] for n in range(MIN_PART, min(len(stem), len(word) - 1) + 1))
        for part in hit & parts:
            found.setdefault(part, []).append(i)
    return found


@dataclass
class Suggestion:
    themes: list[str] = field(default_factory=list)
    stage: str | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)  # code -> matched words


def _hits(code: Code, tokens: list[tuple[str, str]], where: dict[str, list[int]]) -> list[str]:
    found = []
    for term in code.terms:
        parts = _term_parts(term)
        if not parts:
            continue
        for i in where.get(parts[0], ()):
            if all(i + k in where.get(p, ()) for k, p in enumerate(parts[1:], start=1)):
                found.append(" ".join(w for w, _s in tokens[i : i + len(parts)]))
    return found


def suggest(text: str, frame: Frame | None = None) -> Suggestion:
    frame = frame or current_frame()
    tokens = words(text)
    where = _positions(tokens, _frame_parts(frame))
    out = Suggestion()
    for theme in frame.themes:
        found = _hits(theme, tokens, where)
        if not found:
            continue  # a sub-theme only refines a theme the text already raises
        out.themes.append(theme.id)
        out.evidence[theme.id] = found
        for sub in theme.subthemes:
            found = _hits(sub, tokens, where)
            if found:
                out.themes.append(sub.id)
                out.evidence[sub.id] = found
    last_at = -1
    for stage in frame.stages:
        found = _hits(stage, tokens, where)
        if found:
            out.evidence[stage.id] = found
            at = max(text.lower().rfind(f.split()[0]) for f in found)
            if at > last_at:
                out.stage, last_at = stage.id, at
    return out
