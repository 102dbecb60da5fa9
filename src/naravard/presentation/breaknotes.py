"""The notes under a table that shows values over time, where an indicator's series breaks.

The first period shown after a break gets a numbered mark (``presentation/_break_mark.html``)
and the table a note with the reason, in the page's language
(``presentation/_break_notes.html``); breaks of several indicators that read the same share
one note. Which periods are marked is decided by :mod:`naravard.catalog.breaks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from naravard.catalog.breaks import first_after_breaks, note
from naravard.catalog.catalogue import Indicator
from naravard.core.language import current


@dataclass(frozen=True)
class BreakNote:
    number: int
    text: str  # "Tidsseriebrott 2021: Frågan gällde …" in the active language
    anchor: str  # the id of the note under the table, which the mark links to


@dataclass
class BreakNotes:
    """The break notes of one table (``prefix`` makes their ids unique on the page)."""

    prefix: str
    notes: list[BreakNote] = field(default_factory=list)

    def marks(self, ind: Indicator, periods: Iterable[str]) -> dict[str, BreakNote]:
        """The note each of ``periods`` (the indicator's periods in the table) is marked
        with: the first period shown after a break; others are not in the answer."""
        out = {}
        for period, found in first_after_breaks(ind, periods).items():
            text = " ".join(note(b, current()) for b in found)
            same = next((n for n in self.notes if n.text == text), None)
            if same is None:
                number = len(self.notes) + 1
                same = BreakNote(number, text, f"{self.prefix}-brott-{number}")
                self.notes.append(same)
            out[period] = same
        return out
