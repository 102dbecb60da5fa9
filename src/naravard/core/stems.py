"""Words and their Snowball stems, in Swedish or English ("teamen" → "team", "booking" →
"book"): what the coding suggestions and the public search match on."""

from __future__ import annotations

import re
import threading

import snowballstemmer

WORD = re.compile(r"[0-9a-zåäöéü]+")
LANGUAGES = {"sv": "swedish", "en": "english"}

_local = threading.local()


def _stemmer(lang: str):
    """This thread's stemmer for ``lang``: a Snowball stemmer keeps the word it works on in
    itself, so two threads sharing one (requests served at once) would stem each other's
    words."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if lang not in stemmers:
        stemmers[lang] = snowballstemmer.stemmer(LANGUAGES[lang])
    return stemmers[lang]


def words(text: str, lang: str = "sv") -> list[tuple[str, str]]:
    """(word, stem) for every word of the text, lower-cased."""
    raw = WORD.findall(text.lower())
    return list(zip(raw, _stemmer(lang).stemWords(raw), strict=True))


def stems(text: str, lang: str = "sv") -> list[str]:
    """The stems of the text's words."""
    return _stemmer(lang).stemWords(WORD.findall(text.lower()))
