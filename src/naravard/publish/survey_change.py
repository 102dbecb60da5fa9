"""The change since the previous published round beside a published survey's shares.

A round's previous round here is the latest published round of an earlier form of its
series (:func:`naravard.analysis.round_change.previous_round` among the published rounds):
what the public did not see is not compared with. Both the county's share and the nation's
get their change in percentage points with its 95 % interval; the county's only where at
least ``min_responses`` of its municipalities answered the question in both rounds' counts,
as its shares themselves. The panel (who moved) is for analysts and never shown here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from naravard.analysis.round_change import RoundChange, compare_rounds, previous_round
from naravard.collect.models import Round

if TYPE_CHECKING:
    from naravard.publish.surveys import SurveyComparison


@dataclass
class OptionNote:
    """One answer's change in words ('2019: 48 %, +14 procentenheter, 95 % KI 9–19'); ''
    where it is not shown."""

    county: str
    nation: str


@dataclass
class ItemNote:
    """One question's change since the previous round, or why it does not compare."""

    year: int  # the year the previous round describes
    comparable: bool
    reason: str  # why not comparable, in the active language
    not_comparable_words: str  # 'ej jämförbar med 2019' ('' when comparable)
    options: dict[str, OptionNote] = field(default_factory=dict)


def attach_change(
    comparison: SurveyComparison,
    published: Sequence[Round],
    municipality_codes: list[str],
    min_responses: int,
    nation: RoundChange | None = None,
) -> SurveyComparison:
    """Fill ``comparison.previous`` and each item's ``change`` from the previous of the
    ``published`` rounds, if there is one (``nation``: the change in the whole nation between
    the two, when already known)."""
    previous = previous_round(comparison.round, published)
    if previous is None:
        return comparison
    if nation is None:
        nation = compare_rounds(comparison.round, previous)
    county = compare_rounds(comparison.round, previous, municipality_codes)
    comparison.previous = previous
    for item in comparison.items:
        note = _note(item.item_id, nation, county, min_responses)
        if note is not None:
            item.change = note
    return comparison


def _note(item_id: str, nation: RoundChange, county: RoundChange, least: int) -> ItemNote | None:
    whole, mine = nation.items.get(item_id), county.items.get(item_id)
    if whole is None or mine is None:
        return None  # new since the previous round
    shown = mine.n >= least and mine.previous_n >= least
    return ItemNote(
        nation.previous_year,
        whole.comparable,
        whole.reason_text,
        whole.not_comparable_words,
        {
            code: OptionNote(
                mine.options[code].words if shown and code in mine.options else "",
                option.words,
            )
            for code, option in whole.options.items()
        },
    )
