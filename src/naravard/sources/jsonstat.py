"""The cells of a JSON-stat 2.0 dataset (PxWeb's data answers, and JSON-stat files at a URL),
by the roles the registry's ``columns`` give its dimensions."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from naravard.ingest.jsonstat import categories
from naravard.sources.cells import Cell
from naravard.sources.fetch import SourceError
from naravard.sources.registry import Source

ROLES = ("org", "period", "sex", "age", "measure")


def number_text(value: Any) -> str:
    """A JSON number as the import reads it, without losing digits ('' for no value)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SourceError(f"värdet {str(value)[:40]!r} är inget tal")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if not isinstance(value, float) else repr(value)


def _version_2(doc: Any) -> Any:
    """A JSON-stat 1.x answer (``{"dataset": {…}}``, ids and sizes inside ``dimension``, as
    PxWeb API v1 gives for ``json-stat``) in the form of 2.0; anything else as it is."""
    if not (isinstance(doc, dict) and isinstance(doc.get("dataset"), dict)):
        return doc
    old = doc["dataset"]
    dims = old.get("dimension") if isinstance(old.get("dimension"), dict) else {}
    return {
        "class": "dataset",
        "id": dims.get("id"),
        "size": dims.get("size"),
        "role": dims.get("role") or {},
        "dimension": {k: v for k, v in dims.items() if k not in ("id", "size", "role")},
        "value": old.get("value", []),
    }


def dataset_cells(source: Source, doc: Any, where: str) -> Iterator[Cell]:
    """Every cell of the dataset ``doc``; a SourceError naming what does not fit (not a
    dataset, a dimension the registry names missing, an unnamed dimension with more than one
    category). ``where`` names the answer in errors."""
    doc = _version_2(doc)
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise SourceError(f"{where}: inget JSON-stat 2.0-dataset (class: dataset saknas)")
    try:
        ids = [str(i) for i in doc["id"]]
        sizes = [int(n) for n in doc["size"]]
        dims = doc["dimension"]
        cats = {i: categories(dims[i]) for i in ids}
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(f"{where}: id, size och dimension stämmer inte ({exc})") from exc
    if [len(cats[i]) for i in ids] != sizes:
        raise SourceError(f"{where}: size stämmer inte med dimensionernas kategorier")
    role_of = {source.columns[r]: r for r in ROLES if r in source.columns}
    missing = [f"{column} ({role})" for column, role in role_of.items() if column not in ids]
    if missing:
        raise SourceError(
            f"{where}: dimensionen {', '.join(missing)} saknas; datasetet har {', '.join(ids)}"
        )
    for i in ids:
        if i not in role_of and len(cats[i]) > 1:
            raise SourceError(
                f"{where}: dimensionen {i} har {len(cats[i])} värden men ingen roll i registret; "
                "välj ett värde i selection eller ge den en roll under columns"
            )
    values = doc.get("value", [])
    total = 1
    for n in sizes:
        total *= n
    if isinstance(values, list) and len(values) != total:
        raise SourceError(f"{where}: {len(values)} värden för {total} celler")
    if not isinstance(values, (list, dict)):
        raise SourceError(f"{where}: value ska vara en lista eller ett objekt")
    for n, combo in enumerate(itertools.product(*(cats[i] for i in ids))):
        value = values[n] if isinstance(values, list) else values.get(str(n))
        by_role = {role_of[i]: code for i, code in zip(ids, combo, strict=True) if i in role_of}
        yield Cell(
            org=by_role["org"],
            period=by_role["period"],
            value=number_text(value),
            sex=by_role.get("sex", ""),
            age=by_role.get("age", ""),
            measure=by_role.get("measure", ""),
            where=f"{where} " + ", ".join(f"{i}={c}" for i, c in zip(ids, combo, strict=True)),
        )
