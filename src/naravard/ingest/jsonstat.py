"""Read a JSON-stat 2.0 dataset (the format of PxWeb and SCB) into the import layout.

The dataset must have an organisation dimension (role ``geo`` or an id such as
``Region``), a time dimension (role ``time`` or ``Tid``) and may have a sex
dimension (``Kon``); any other dimension must have a single category.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from naravard.core.tables import TableError
from naravard.core.text import clean_text

MAX_BYTES = 64 * 1024 * 1024  # a JSON document is read whole; CSV and XLSX files have no limit
MAX_CELLS = 5_000_000

ORG_IDS = {"region", "org", "kommun", "municipality", "lan", "län", "area"}
TIME_IDS = {"tid", "time", "period", "year", "år", "ar"}
SEX_IDS = {"kon", "kön", "sex", "gender"}
SEX_CODES = {  # SCB: 1, 2, 1+2 or TotSa; Kolada: T, K, M; and the words
    "1": "M",
    "2": "K",
    "1+2": "T",
    "totsa": "T",
    "tot": "T",
    "båda könen": "T",
    "t": "T",
    "k": "K",
    "m": "M",
    "total": "T",
    "totalt": "T",
    "kvinnor": "K",
    "män": "M",
    "women": "K",
    "men": "M",
}


def period_code(code: str) -> str:
    """naravard's period of a source's time code: PxWeb's 2020M03 is 2020-03; others as they are."""
    code = str(code).strip()
    m = re.fullmatch(r"(\d{4})M(\d{2})", code)
    return f"{m[1]}-{m[2]}" if m else code


def categories(dim: dict) -> list[str]:
    category = dim.get("category", {})
    if not isinstance(category, dict):
        raise TableError("a dimension's category must be an object")
    index = category.get("index")
    labels = category.get("label", {})
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        positions = (
            sorted(index.values()) if all(isinstance(v, int) for v in index.values()) else None
        )
        if positions != list(range(len(index))):
            raise TableError("a category index must number its categories 0, 1, 2, …")
        return [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return list(labels)


def read_jsonstat(name: str, data: bytes) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows (org, period, sex, value) from a JSON-stat 2.0 dataset: the dataset
    is checked whole, its rows are made as they are read (every cell text, cleaned and
    stripped as ``open_table`` gives them)."""
    if len(data) > MAX_BYTES:
        raise TableError(
            f"{name}: a JSON-stat file larger than {MAX_BYTES // (1024 * 1024)} MB; "
            "select fewer cells, or save the table as CSV"
        )
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise TableError(f"{name}: not JSON ({str(exc)[:200]})") from exc
    try:
        return _dataset(name, doc)
    except TableError as exc:
        message = str(exc)
        raise TableError(message if message.startswith(name) else f"{name}: {message}") from exc
    except (TypeError, KeyError, AttributeError, ValueError, IndexError, RecursionError) as exc:
        raise TableError(
            f"{name}: not a valid JSON-stat 2.0 dataset ({type(exc).__name__}: {str(exc)[:200]})"
        ) from exc


def _dataset(name: str, doc: Any) -> tuple[list[str], Iterator[list[str]]]:
    if isinstance(doc, dict) and doc.get("class") == "collection":
        raise TableError(f"{name}: a JSON-stat collection; give one dataset")
    if not isinstance(doc, dict) or doc.get("class") != "dataset" or "id" not in doc:
        raise TableError(f"{name}: not a JSON-stat 2.0 dataset (needs class 'dataset', id, size)")
    ids, sizes, dims = doc["id"], doc.get("size", []), doc.get("dimension", {})
    if not (
        isinstance(ids, list)
        and isinstance(sizes, list)
        and isinstance(dims, dict)
        and all(isinstance(i, str) for i in ids)
        and all(isinstance(n, int) and n >= 0 for n in sizes)
    ):
        raise TableError(f"{name}: id must be a list of names and size a list of whole numbers")
    if len(ids) != len(sizes) or any(i not in dims for i in ids):
        raise TableError(f"{name}: id, size and dimension do not match")
    roles = doc.get("role", {}) if isinstance(doc.get("role", {}), dict) else {}
    geo = {r for r in roles.get("geo", []) if r in ids} | {i for i in ids if i.lower() in ORG_IDS}
    time = {r for r in roles.get("time", []) if r in ids} | {
        i for i in ids if i.lower() in TIME_IDS
    }
    sex = {i for i in ids if i.lower() in SEX_IDS}
    cats = {i: categories(dims[i]) for i in ids}
    for i, size in zip(ids, sizes, strict=True):
        if len(cats[i]) != size:
            raise TableError(
                f"{name}: dimension {i} has {len(cats[i])} categories, size says {size}"
            )
        if i not in geo | time | sex and size != 1:
            raise TableError(
                f"{name}: dimension {i} has {size} categories; only one is allowed "
                "(select one content or filter the table before downloading)"
            )
    if len(geo) != 1 or len(time) != 1:
        raise TableError(
            f"{name}: need exactly one organisation and one time dimension "
            f"(found {sorted(geo) or 'none'} and {sorted(time) or 'none'})"
        )
    total = 1
    for size in sizes:
        total *= size
    if total > MAX_CELLS:
        raise TableError(f"{name}: {total} cells; at most {MAX_CELLS} can be imported at once")
    values = doc.get("value", [])
    given = values.values() if isinstance(values, dict) else values
    if not isinstance(values, (list, dict)) or any(
        v is not None and (isinstance(v, (list, dict, bool))) for v in given
    ):
        raise TableError(f"{name}: 'value' must be a list (or object) of numbers")
    if isinstance(values, list) and len(values) != total:
        raise TableError(f"{name}: {len(values)} values for {total} cells")
    (geo_id,), (time_id,) = geo, time
    sex_id = next(iter(sex), None)

    def rows() -> Iterator[list[str]]:
        for n, combo in enumerate(itertools.product(*(cats[i] for i in ids))):
            cell = dict(zip(ids, combo, strict=True))
            value: Any = values.get(str(n)) if isinstance(values, dict) else values[n]
            sex_code = (
                SEX_CODES.get(str(cell[sex_id]).lower(), str(cell[sex_id])) if sex_id else "T"
            )
            row = [
                cell[geo_id],
                period_code(cell[time_id]),
                sex_code,
                "" if value is None else str(value),
            ]
            yield [clean_text(c).strip() for c in row]

    return ["org", "period", "sex", "value"], rows()
