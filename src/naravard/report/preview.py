"""A text as the report will show it, while an analyst writes it (the edit page's preview).

The expressions are evaluated against the store as the build does; the blocks a text places
are shown as boxes named by their key, not drawn, and references as the key (the build
numbers them). The data an expression reads are computed once per follow-up and language
and kept :data:`KEEP_SECONDS`, so that a preview while typing answers at once; the build
always reads the store afresh.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from naravard.core.language import current
from naravard.report import prose, textdata
from naravard.report.models import FollowUp

KEEP_SECONDS = 300.0
_LOCK = threading.Lock()
_CONTEXTS: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}


@dataclass
class Preview:
    html: str = ""
    problems: list[str] = field(default_factory=list)


def _context(followup: FollowUp) -> dict[str, Any]:
    from naravard.report.content import Builder

    key = (followup.pk, current())
    now = time.monotonic()
    with _LOCK:
        found = _CONTEXTS.get(key)
        if found is not None and now - found[0] < KEEP_SECONDS:
            return found[1]
    context = textdata.context(Builder(followup))
    with _LOCK:
        for stale in [k for k, (at, _c) in _CONTEXTS.items() if now - at >= KEEP_SECONDS]:
            del _CONTEXTS[stale]
        _CONTEXTS[key] = (now, context)
    return context


def forget() -> None:
    """Drop the kept data (tests; a correction that must show at once)."""
    with _LOCK:
        _CONTEXTS.clear()


def preview(followup: FollowUp, key: str, source: str) -> Preview:
    """``source`` (the text ``key`` of ``followup``) rendered in the active language, with
    its problems: typed numbers and, instead of the text, an expression that fails."""
    name = f"{key}.{current()}.md"
    out = Preview(problems=[str(p) for p in prose.typed_numbers(source)])
    try:
        rendered = prose.render(source, name, _context(followup), known=None)
    except prose.ProseError as exc:
        out.problems = [str(p) for p in exc.problems] + out.problems
        return out
    parts = []
    for part in rendered.parts:
        if isinstance(part, prose.Placed):
            words = _("Här placeras figuren eller tabellen %(key)s.") % {"key": part.key}
            parts.append(f'<div class="placed">{html.escape(words)}</div>')
        else:
            parts.append(part)
    out.html = prose.resolve_refs("".join(parts), lambda ref: (ref, f"‹{html.escape(ref)}›"))
    return out
