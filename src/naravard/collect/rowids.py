"""Stable ids of a group's rows (a field of type ``row_id``): what they look like, whose they
are, and how a row gets one.

An id is given by the system when a row is first stored, never typed: ``<org>-<year>-<n>``,
the organisation's code, the year of the round that first stored the row and a number, e.g.
``03-2021-4``. A row of an earlier round whose form gave no ids gets, when it is carried into
a round that does, the id its place would have given it there (``03-2019-2``: the second row of
region 03's answer for 2019), so the same stored answer always gives the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from naravard.collect.definition import Item

PATTERN = re.compile(r"^(?P<org>[0-9]{2}(?:[0-9]{2})?)-(?P<year>[0-9]{4})-(?P<n>[1-9][0-9]*)$")
MAX_LENGTH = 40


def make(org: str, year: int, n: int) -> str:
    """The id of row ``n`` given by ``org`` in a round of ``year``."""
    return f"{org}-{year}-{n}"


def owner(row_id: str) -> str | None:
    """The organisation whose id it is, or None for text that is no id."""
    match = PATTERN.match(row_id)
    return match["org"] if match else None


def is_row_id(text: str) -> bool:
    return bool(PATTERN.match(text))


def assign(rows: Any, field: Item, org: str, year: int) -> Any:
    """The rows with an id for each row that has none (blank rows and ids left as they are):
    the next numbers of ``org`` in ``year`` that no row uses. ``rows`` that are not a list of
    rows are returned as they are."""
    if not isinstance(rows, list):
        return rows
    taken = _numbers(org, year, (r.get(field.id) for r in rows if isinstance(r, dict)))
    out = []
    n = max(taken, default=0)
    for row in rows:
        if not _has_answers(row) or not _blank(row.get(field.id)):
            out.append(row)  # a blank row, or a row that has its id
            continue
        n += 1
        out.append({**row, field.id: make(org, year, n)})
    return out


def _numbers(org: str, year: int, ids: Iterable[Any]) -> set[int]:
    out = set()
    for row_id in ids:
        match = PATTERN.match(row_id) if isinstance(row_id, str) else None
        if match and match["org"] == org and int(match["year"]) == year:
            out.add(int(match["n"]))
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _has_answers(row: Any) -> bool:
    return isinstance(row, dict) and any(not _blank(v) for v in row.values())
