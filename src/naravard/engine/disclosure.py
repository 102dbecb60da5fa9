"""Disclosure control: small counts are suppressed, and so is enough else that they cannot
be worked out again from the totals.

Primary suppression: a cell whose numerator or denominator is below the threshold
(default 5, setting ``NARAVARD_DISCLOSURE_THRESHOLD``), or whose complement
(denominator − numerator) is, for a share. Secondary suppression: in every additive
relation that is published – total = women + men, nation = the sum of the areas,
all ages = the sum of the age bands – no single cell may be the only hidden one; the
smallest visible cell of such a relation is hidden too, until none is left alone.

Sums published later on top of these cells (a group of areas: a NUTS 2 area, a municipality
group) are checked the strict way, by linear algebra (:func:`determined`): a group's sum is
published only if, with every relation and every sum already published, no hidden cell can
be worked out from what is shown (:func:`publishable_sums`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.conf import settings
from scipy.linalg import null_space

Key = tuple[str, str, str]  # (org, sex, age band)
SEXES = ("T", "K", "M")  # the total first, then its two parts


class Relation(NamedTuple):
    """A published sum: ``total`` is the sum of ``parts`` (numerators and denominators)."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def cells(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class CellCounts:
    numerator: float | None
    denominator: float | None


def threshold(min_cell: int | None = None) -> int:
    base = int(getattr(settings, "DISCLOSURE_THRESHOLD", 5))
    return max(base, min_cell or 0)


def primary(cells: dict[Key, CellCounts], limit: int, share: bool) -> set[Key]:
    hidden = set()
    for key, c in cells.items():
        if c.numerator is None and c.denominator is not None:  # a mean over c.denominator persons
            if c.denominator < limit:
                hidden.add(key)
            continue
        if c.numerator is None or c.denominator is None:
            continue
        small = c.numerator < limit or c.denominator < limit
        if share and c.denominator - c.numerator < limit:
            small = True
        if small:
            hidden.add(key)
    return hidden


def relations(cells: dict[Key, CellCounts], nation: str = "00") -> list[Relation]:
    """The additive relations among the cells that a reader could use."""
    orgs = sorted({k[0] for k in cells})
    ages = sorted({k[2] for k in cells})
    bands = [a for a in ages if a != "total"]
    out = []
    for org in orgs:
        for age in ages:
            if all((org, s, age) in cells for s in SEXES):
                out.append(Relation((org, "T", age), ((org, "K", age), (org, "M", age))))
        for sex in SEXES:
            parts = tuple((org, sex, a) for a in bands if (org, sex, a) in cells)
            if parts and (org, sex, "total") in cells:
                out.append(Relation((org, sex, "total"), parts))
    regions = [o for o in orgs if len(o) == 2 and o != nation]
    municipalities: dict[str, list[str]] = {}
    for o in orgs:
        if len(o) == 4:
            municipalities.setdefault(o[:2], []).append(o)
    for sex in SEXES:
        for age in ages:
            areas = tuple((org, sex, age) for org in regions if (org, sex, age) in cells)
            if areas:  # the nation is published as their sum
                out.append(Relation((nation, sex, age), areas))
            for region in regions:  # a region is the sum of its municipalities
                munis = tuple(
                    (o, sex, age) for o in municipalities.get(region, ()) if (o, sex, age) in cells
                )
                if munis and (region, sex, age) in cells:
                    out.append(Relation((region, sex, age), munis))
    return out


def suppress(cells: dict[Key, CellCounts], limit: int, share: bool, nation: str = "00") -> set[Key]:
    """Every (org, sex) cell to hide, primary and secondary."""
    hidden = primary(cells, limit, share)
    rels = relations(cells, nation)
    changed = True
    while changed:
        changed = False
        for relation in rels:
            group = relation.cells
            unknown = [k for k in group if k in hidden]
            if len(unknown) != 1:
                continue
            visible = [k for k in group if k not in hidden and k in cells and k[0] != nation]
            if not visible:
                visible = [k for k in group if k not in hidden]
            if not visible:
                continue
            smallest = min(
                visible, key=lambda k: (cells[k].numerator or cells[k].denominator or 0, k)
            )
            hidden.add(smallest)
            changed = True
    return hidden


def determined(rels: Iterable[Relation], hidden: Iterable[Key]) -> set[Key]:
    """The hidden cells a reader can work out exactly from the shown cells and the published
    sums: those whose unit vector lies in the row space of the relations among the hidden
    cells (each relation's shown cells are known, so it is one linear equation in the hidden
    ones). Solved per connected group of hidden cells, with the null space of its equations."""
    unknown = set(hidden)
    equations = [
        [(key, 1.0 if key == r.total else -1.0) for key in r.cells if key in unknown] for r in rels
    ]
    equations = [e for e in equations if e]
    parent = {key: key for key in unknown}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for equation in equations:
        first = root(equation[0][0])
        for key, _sign in equation[1:]:
            parent[root(key)] = first
    components: dict[Key, list[list[tuple[Key, float]]]] = {}
    for equation in equations:
        components.setdefault(root(equation[0][0]), []).append(equation)
    found = set()
    for component in components.values():
        keys = sorted({key for equation in component for key, _sign in equation})
        column = {key: i for i, key in enumerate(keys)}
        matrix = np.zeros((len(component), len(keys)))
        for row, equation in enumerate(component):
            for key, sign in equation:
                matrix[row, column[key]] += sign
        free = null_space(matrix)  # the directions the hidden cells can move in unseen
        for key, i in column.items():
            if free.shape[1] == 0 or np.all(np.abs(free[i]) < 1e-9):
                found.add(key)
    return found


def publishable_sums(
    rels: Sequence[Relation],
    hidden: set[Key],
    sums: Sequence[tuple[Relation, CellCounts]],
    limit: int,
    share: bool,
) -> set[Key]:
    """Which of the new ``sums`` (each a relation whose total is a new cell, with its counts)
    may be published on top of ``rels`` and the ``hidden`` cells: taken in order, a sum is
    published unless it is small itself (:func:`primary`), or showing it would let a reader
    work out a hidden cell or a sum held back before it. Relations among the new sums (a
    group's total of both sexes and its women and men) belong in ``rels``."""
    totals = {relation.total: counts for relation, counts in sums}
    unknown = set(hidden) | set(totals)  # every new sum held back until shown safe
    small = primary(totals, limit, share)
    every = list(rels) + [relation for relation, _counts in sums]
    leaked: set[Key] | None = None  # what the relations give away already, if anything
    shown: set[Key] = set()
    for relation, _counts in sums:
        total = relation.total
        if total in small:
            continue
        trial = unknown - {total}
        touched = [r for r in every if total in r.cells]
        if any(key in trial for r in touched for key in r.cells):  # else it tells nothing new
            if leaked is None:
                leaked = determined(every, unknown)
            if not determined(every, trial) <= leaked:
                continue
        unknown = trial
        shown.add(total)
    return shown
