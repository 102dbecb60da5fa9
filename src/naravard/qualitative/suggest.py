"""Suggested codes for uncoded Swedish text.

Words are lower-cased and reduced to their Snowball stems ("teamen" → "team"); a frame term
matches a word whose stem equals the term's stem, or a compound that begins or ends with it
("hemsjukvårdsteamet" ends with "team", "webbtidboken" begins with "webbtidbok"). Terms of
several words match consecutive words. A theme is suggested when one of its terms matches,
and then each of its sub-themes whose terms match; the stage when one of the stage's terms
does (the last-named stage wins, as a report usually ends on where the work stands now).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import snowballstemmer

from naravard.qualitative.frame import Code, Frame, current_frame

WORD = re.compile(r"[0-9a-zåäöéü]+")
MIN_PART = 4  # a compound part shorter than this is too ambiguous to match inside a word


@cache
def _stemmer():
    return snowballstemmer.stemmer("swedish")


def words(text: str) -> list[tuple[str, str]]:
    """(word, stem) for every word of the text."""
    raw = WORD.findall(text.lower())
    return list(zip(raw, _stemmer().stemWords(raw), strict=True))


def _term_parts(term: str) -> tuple[str, ...]:
    return tuple(_stemmer().stemWords(WORD.findall(term.lower())))


def _word_matches(word: str, stem: str, part: str) -> bool:
    if stem == part or word == part:
        return True
    return (
        len(part) >= MIN_PART
        and len(word) > len(part)
        and (word.startswith(part) or stem.endswith(part))
    )


@dataclass
class Suggestion:
    themes: list[str] = field(default_factory=list)
    stage: str | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)  # code -> matched words


def _hits(code: Code, tokens: list[tuple[str, str]]) -> list[str]:
    found = []
    for term in code.terms:
        parts = _term_parts(term)
        if not parts:
            continue
        for i in range(len(tokens) - len(parts) + 1):
            window = tokens[i : i + len(parts)]
            if all(_word_matches(w, s, p) for (w, s), p in zip(window, parts, strict=True)):
                found.append(" ".join(w for w, _s in window))
    return found


def suggest(text: str, frame: Frame | None = None) -> Suggestion:
    frame = frame or current_frame()
    tokens = words(text)
    out = Suggestion()
    for theme in frame.themes:
        found = _hits(theme, tokens)
        if not found:
            continue  # a sub-theme only refines a theme the text already raises
        out.themes.append(theme.id)
        out.evidence[theme.id] = found
        for sub in theme.subthemes:
            found = _hits(sub, tokens)
            if found:
                out.themes.append(sub.id)
                out.evidence[sub.id] = found
    last_at = -1
    for stage in frame.stages:
        found = _hits(stage, tokens)
        if found:
            out.evidence[stage.id] = found
            at = max(text.lower().rfind(f.split()[0]) for f in found)
            if at > last_at:
                out.stage, last_at = stage.id, at
    return out
