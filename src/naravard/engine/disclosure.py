"""Disclosure control: small counts are suppressed, and so is enough else that they cannot
be worked out again from the totals.

Primary suppression: a cell whose numerator or denominator is below the threshold
(default 5, setting ``NARAVARD_DISCLOSURE_THRESHOLD``), or whose complement
(denominator − numerator) is, for a share. Secondary suppression: in every additive
relation that is published – total = women + men, nation = the sum of the areas,
all ages = the sum of the age bands – no single cell may be the only hidden one; the
smallest visible cell of such a relation is hidden too, until none is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

Key = tuple[str, str, str]  # (org, sex, age band)


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


def relations(cells: dict[Key, CellCounts], nation: str = "00") -> list[list[Key]]:
    """The additive relations among the cells that a reader could use."""
    orgs = sorted({k[0] for k in cells})
    ages = sorted({k[2] for k in cells})
    bands = [a for a in ages if a != "total"]
    out = []
    for org in orgs:
        for age in ages:
            group = [(org, s, age) for s in ("T", "K", "M") if (org, s, age) in cells]
            if len(group) == 3:
                out.append(group)
        for sex in ("T", "K", "M"):
            parts = [(org, sex, a) for a in bands if (org, sex, a) in cells]
            if parts and (org, sex, "total") in cells:
                out.append(parts + [(org, sex, "total")])
    regions = [o for o in orgs if len(o) == 2 and o != nation]
    municipalities: dict[str, list[str]] = {}
    for o in orgs:
        if len(o) == 4:
            municipalities.setdefault(o[:2], []).append(o)
    for sex in ("T", "K", "M"):
        for age in ages:
            areas = [(org, sex, age) for org in regions if (org, sex, age) in cells]
            if areas:
                out.append(areas + [(nation, sex, age)])  # the nation is published as their sum
            for region in regions:  # a region is the sum of its municipalities
                munis = [
                    (o, sex, age) for o in municipalities.get(region, ()) if (o, sex, age) in cells
                ]
                if munis and (region, sex, age) in cells:
                    out.append(munis + [(region, sex, age)])
    return out


def suppress(cells: dict[Key, CellCounts], limit: int, share: bool, nation: str = "00") -> set[Key]:
    """Every (org, sex) cell to hide, primary and secondary."""
    hidden = primary(cells, limit, share)
    rels = relations(cells, nation)
    changed = True
    while changed:
        changed = False
        for group in rels:
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
