"""Stage transitions of the status report's initiatives between a round and the round before:
how many went from each stage then to each stage now, or ended, or were merged into another,
per development area, per region and for the nation.

A transition matrix has one row per stage in the round before and one for initiatives new in
this round, and one column per stage now and two for initiatives that ended or were merged
(they have no stage now). The initiatives and their stages come from
:func:`naravard.collect.initiatives.follow`; nothing here reads the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from naravard.collect.initiatives import Followed, Following
from naravard.collect.statusreport import ENDED, MERGED, NEW


@dataclass
class Matrix:
    """Counts of initiatives by (stage before or NEW, stage now or ENDED or MERGED)."""

    stages: tuple[str, ...]  # the stage codes in the form's order, earliest first
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def befores(self) -> tuple[str, ...]:
        return (*self.stages, NEW)

    @property
    def afters(self) -> tuple[str, ...]:
        return (*self.stages, ENDED, MERGED)

    def count(self, before: str, after: str) -> int:
        return self.counts.get((before, after), 0)

    def row(self, before: str) -> list[int]:
        return [self.count(before, after) for after in self.afters]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def followed(self) -> int:
        """Initiatives that were in the round before."""
        return sum(n for (before, _after), n in self.counts.items() if before != NEW)

    def moved(self) -> dict[str, int]:
        """The followed initiatives that moved to a later stage, kept their stage, went back to
        an earlier one, ended or were merged; and the new ones."""
        out = dict.fromkeys(("forward", "same", "back", ENDED, MERGED, NEW), 0)
        order = {code: i for i, code in enumerate(self.stages)}
        for (before, after), n in self.counts.items():
            if before == NEW:
                out[NEW] += n
            elif after in (ENDED, MERGED):
                out[after] += n
            elif before in order and after in order:
                step = order[after] - order[before]
                out["forward" if step > 0 else "same" if step == 0 else "back"] += n
        return out


def outcome(row: Followed, stages: Sequence[str]) -> tuple[str, str] | None:
    """Where one initiative counts: (stage before or NEW, stage now or ENDED or MERGED); None
    when its stage is not one of ``stages`` (an answer the form no longer offers)."""
    before = row.stage_before if row.stage_before is not None else NEW
    after = row.status if row.status in (ENDED, MERGED) else (row.stage or "")
    if (before != NEW and before not in stages) or after not in (*stages, ENDED, MERGED):
        return None
    return before, after


def matrix(rows: Iterable[Followed], stages: Sequence[str]) -> Matrix:
    """The transition matrix of ``rows``."""
    out = Matrix(tuple(stages))
    for row in rows:
        cell = outcome(row, stages)
        if cell is not None:
            out.counts[cell] += 1
    return out


def _by(
    rows: Sequence[Followed], key: Callable[[Followed], str], stages: Sequence[str]
) -> dict[str, Matrix]:
    groups: dict[str, list[Followed]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {k: matrix(v, stages) for k, v in sorted(groups.items())}


@dataclass
class Transitions:
    """A round's transition matrices: the nation's, per development area (the area the region
    gives the initiative now) and per region."""

    following: Following
    nation: Matrix
    by_area: dict[str, Matrix]
    by_region: dict[str, Matrix]
    uncounted: int = 0  # initiatives whose stage is none of the form's

    @property
    def missing(self) -> int:
        """Initiatives carried into a response that no longer has them."""
        return len(self.following.missing)


def transitions(following: Following, stages: Sequence[str]) -> Transitions:
    """The transition matrices of a round's initiatives (``stages``: the form's stage codes in
    order)."""
    rows = following.rows
    return Transitions(
        following,
        matrix(rows, stages),
        _by(rows, lambda r: r.area, stages),
        _by(rows, lambda r: r.region, stages),
        uncounted=sum(1 for r in rows if outcome(r, stages) is None),
    )


# ------------------------------------------------------------------- as a table ---


def column_labels(stage_labels: dict[str, str]) -> dict[str, str]:
    """What the columns and rows are called: the stages as the form names them, and the
    initiatives that ended, were merged or are new."""
    return {
        **stage_labels,
        ENDED: _("Avslutad"),
        MERGED: _("Sammanslagen"),
        NEW: _("Ny insats"),
    }


def table(m: Matrix, stage_labels: dict[str, str]) -> tuple[list[str], list[list]]:
    """The matrix as a table: a header (the stage before, then each column) and one row per
    stage before with its counts and total; rows without initiatives are left out."""
    labels = column_labels(stage_labels)
    header = [_("Skede i förra rapporten"), *(labels[a] for a in m.afters), _("Totalt")]
    rows = [[labels[b], *m.row(b), sum(m.row(b))] for b in m.befores if any(m.row(b))]
    return header, rows


def cells(m: Matrix, stage_labels: dict[str, str]) -> list[dict]:
    """The matrix's cells for a chart: before, after (labels), their order and the count (every
    cell of a row that has initiatives, zeros included, so the grid is whole)."""
    labels = column_labels(stage_labels)
    return [
        {
            "before": labels[b],
            "after": labels[a],
            "n": m.count(b, a),
            "before_order": i,
            "after_order": j,
        }
        for i, b in enumerate(m.befores)
        if any(m.row(b))
        for j, a in enumerate(m.afters)
    ]
