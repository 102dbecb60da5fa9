"""Disclosure control: small counts are suppressed, and so is enough else that they cannot
be worked out again from the totals.

Primary suppression: a cell whose numerator or denominator is below the threshold
(default 5, setting ``NARAVARD_DISCLOSURE_THRESHOLD``), or whose complement
(denominator − numerator) is, for a share. Secondary suppression: in every additive
relation that is published – total = women + men, nation = the sum of the areas,
all ages = the sum of the age bands – no single cell may be the only hidden one; the
smallest visible cell of such a relation is hidden too, until none is left alone.

A sum published on top of these cells (a group of areas: analysis/groups.py) is shown only
when none of its parts is hidden: it then tells nothing its parts do not already tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings

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
