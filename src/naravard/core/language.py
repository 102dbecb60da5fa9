"""Which of a bilingual text's languages to show: the active one, Swedish unless English."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language


def current() -> str:
    """'en' when the request (or command) runs in English, else 'sv'."""
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def pick(texts: Mapping[str, str] | None) -> str:
    """The current language's text of a {'sv': …, 'en': …} pair ('' when there is none)."""
    return texts[current()] if texts else ""
