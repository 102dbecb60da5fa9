"""Groupings of the regions or the municipalities (``data/groupings.yaml``): the NUTS 2 areas,
SKR's municipality groups. The one home of which area belongs to which group; the sums of a
group's values are computed in :mod:`naravard.analysis.groups`.

Read from the package without a database. A malformed file raises :class:`GroupingError`
naming the grouping and the group; whether every area of the level is in exactly one group is
checked against the reference files by :func:`coverage_problems`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

import yaml

from naravard.core.errors import Invalid
from naravard.refdata import files

LEVELS = ("region", "municipality")
LANGUAGES = ("sv", "en")


class GroupingError(Invalid):
    """The groupings file does not describe a grouping as it should."""


@dataclass(frozen=True)
class Group:
    code: str
    name: Mapping[str, str]
    members: tuple[str, ...]
    kolada: str | None = None  # its id among Kolada's municipality_groups, if Kolada has it


@dataclass(frozen=True)
class Grouping:
    id: str
    pxweb: str  # the id of its PxWeb code list (agg_…)
    level: str  # the level of its members
    name: Mapping[str, str]
    source: Mapping[str, str]
    groups: tuple[Group, ...]

    _member_groups: Mapping[str, Group] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        members = MappingProxyType({m: g for g in self.groups for m in g.members})
        object.__setattr__(self, "_member_groups", members)

    def group_of(self, code: str) -> Group | None:
        """The group an area belongs to, if any."""
        return self._member_groups.get(code)

    def group(self, code: str) -> Group | None:
        """A group by its code."""
        return next((g for g in self.groups if g.code == code), None)


def _text(raw, where: str, field: str) -> Mapping[str, str]:
    if not isinstance(raw, dict) or any(
        not isinstance(raw.get(lang), str) or not raw[lang].strip() for lang in LANGUAGES
    ):
        raise GroupingError(f"{where}: {field} needs a text in sv and en")
    return MappingProxyType({lang: raw[lang].strip() for lang in LANGUAGES})


def _members_from_file(name: str, where: str) -> dict[str, list[str]]:
    """group code -> member codes, from a ``code,group`` file in refdata/data."""
    out: dict[str, list[str]] = {}
    with files.data_path(name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["code", "group"]:
            raise GroupingError(f"{where}: {name} has the columns code,group")
        for line, row in enumerate(reader, start=2):
            code, group = (row["code"] or "").strip(), (row["group"] or "").strip()
            if not code or not group:
                raise GroupingError(f"{where}: {name} line {line} lacks a code or a group")
            out.setdefault(group, []).append(code)
    return out


def _grouping(raw, position: int) -> Grouping:
    if not isinstance(raw, dict):
        raise GroupingError(f"grouping {position}: not a mapping")
    gid = raw.get("id")
    if not isinstance(gid, str) or not gid:
        raise GroupingError(f"grouping {position}: no id")
    pxweb = raw.get("pxweb")
    if not isinstance(pxweb, str) or not pxweb.startswith("agg_"):
        raise GroupingError(f"grouping {gid}: pxweb is a code list id beginning with agg_")
    level = raw.get("level")
    if level not in LEVELS:
        raise GroupingError(f"grouping {gid}: level is one of {', '.join(LEVELS)}")
    from_file = _members_from_file(raw["members_file"], gid) if "members_file" in raw else None
    groups = []
    for item in raw.get("groups") or []:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not code:
            raise GroupingError(f"grouping {gid}: a group has no code")
        where = f"grouping {gid}, group {code}"
        members = item.get("members") if from_file is None else from_file.pop(code, [])
        if not isinstance(members, list) or not members:
            raise GroupingError(f"{where}: no members")
        kolada = item.get("kolada")
        if kolada is not None and not re.fullmatch(r"G\d+", str(kolada)):
            raise GroupingError(f"{where}: kolada is a Kolada group id such as G92787")
        groups.append(
            Group(
                code,
                _text(item.get("name"), where, "name"),
                tuple(members),
                str(kolada) if kolada is not None else None,
            )
        )
    if not groups:
        raise GroupingError(f"grouping {gid}: no groups")
    if from_file:
        raise GroupingError(
            f"grouping {gid}: {raw['members_file']} names groups that are not listed: "
            + ", ".join(sorted(from_file))
        )
    if len({g.code for g in groups}) != len(groups):
        raise GroupingError(f"grouping {gid}: a group code is used twice")
    return Grouping(
        gid,
        pxweb,
        level,
        _text(raw.get("name"), f"grouping {gid}", "name"),
        _text(raw.get("source"), f"grouping {gid}", "source"),
        tuple(groups),
    )


@cache
def groupings() -> tuple[Grouping, ...]:
    """Every grouping, in the file's order."""
    with files.data_path("groupings.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, list):
        raise GroupingError("groupings.yaml is a list of groupings")
    found = tuple(_grouping(item, i) for i, item in enumerate(raw, start=1))
    for name, values in (("id", [g.id for g in found]), ("pxweb", [g.pxweb for g in found])):
        if len(set(values)) != len(values):
            raise GroupingError(f"groupings.yaml: a grouping's {name} is used twice")
    return found


def groupings_of(level: str) -> tuple[Grouping, ...]:
    """The groupings whose members are areas of ``level``."""
    return tuple(g for g in groupings() if g.level == level)


def similar_municipalities() -> Grouping | None:
    """The grouping a municipality is compared with on the public pages: the first grouping
    of municipalities in the file (SKR's municipality groups)."""
    return next(iter(groupings_of("municipality")), None)


def by_pxweb_id(codelist_id: str) -> Grouping | None:
    return next((g for g in groupings() if g.pxweb == codelist_id), None)


def coverage_problems() -> list[str]:
    """What keeps a grouping from dividing its level's areas (the reference files) into
    groups, each area in exactly one: [] when none."""
    areas = {
        "region": {r.code for r in files.regions()},
        "municipality": {m.code for m in files.municipalities()},
    }
    problems = []
    for grouping in groupings():
        seen: dict[str, str] = {}
        for group in grouping.groups:
            for member in group.members:
                if member in seen:
                    problems.append(
                        f"{grouping.id}: {member} is in both {seen[member]} and {group.code}"
                    )
                seen[member] = group.code
        known = areas[grouping.level]
        unknown = sorted(set(seen) - known)
        missing = sorted(known - set(seen))
        if unknown:
            problems.append(f"{grouping.id}: no {grouping.level} {', '.join(unknown)}")
        if missing:
            problems.append(f"{grouping.id}: not in any group: {', '.join(missing)}")
    return problems
