"""Reading a PxWeb table: API v1 (``{url}/{table path}``, queries posted as ``{"query": …}``)
and API 2.0 (``{url}/tables/{id}``, ``/metadata``, ``/data``).

A sync asks first for the table's ``updated`` (API 2.0: ``/tables/{id}``; API v1: the listing
of the table's folder), then for ``/config`` (the most cells per query and the calls allowed per
time window, which the fetcher then keeps to), then the metadata, whose codes the registry's
selection is checked against and expanded with (``*``, ``?`` patterns, ``top(n)``, ``from(c)``,
``to(c)``), then the data in as many queries as the cell limit needs, each JSON-stat 2.0.
"""

from __future__ import annotations

import fnmatch
import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from naravard.ingest.jsonstat import categories
from naravard.sources.cells import Cell
from naravard.sources.fetch import SourceError, Validators
from naravard.sources.jsonstat import dataset_cells
from naravard.sources.reader import Probe, Progress, Reader, no_progress

DEFAULT_MAX_CELLS = 100_000  # when the server does not say


@dataclass(frozen=True)
class Variable:
    code: str
    codes: list[str]
    eliminable: bool
    is_time: bool


def _select(variable: Variable, wanted: Any) -> list[str]:
    """The codes a selection names, in the table's order; a SourceError for a code the table
    does not have."""
    codes = variable.codes
    if wanted == "*":
        return list(codes)
    if isinstance(wanted, str):
        name, _, arg = wanted.partition("(")
        arg = arg.rstrip(")")
        if name == "top":
            n = int(arg)
            return codes[-n:] if variable.is_time else codes[:n]
        if arg not in codes:
            raise SourceError(
                f"variabeln {variable.code} har inget värde {arg!r} ({name}); "
                f"tabellen har {_few(codes)}"
            )
        at = codes.index(arg)
        return codes[at:] if name == "from" else codes[: at + 1]
    out: list[str] = []
    for code in wanted:
        if any(c in code for c in "*?"):
            matched = [c for c in codes if fnmatch.fnmatchcase(c, code)]
            if not matched:
                raise SourceError(f"variabeln {variable.code}: mönstret {code!r} träffar inget")
            out += matched
        elif code in codes:
            out.append(code)
        else:
            raise SourceError(
                f"variabeln {variable.code} har inget värde {code!r}; tabellen har {_few(codes)}"
            )
    return list(dict.fromkeys(out))


def _few(codes: list[str]) -> str:
    return ", ".join(codes[:8]) + (f" … ({len(codes)} i allt)" if len(codes) > 8 else "")


def chunks(chosen: dict[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """The selection split into queries of at most ``max_cells`` cells, along the variable
    with the most values (then the next, if one value of it is still too many)."""
    cells = math.prod(len(v) for v in chosen.values())
    if cells <= max_cells:
        return [chosen]
    largest = max(chosen, key=lambda k: len(chosen[k]))
    others = cells // len(chosen[largest])
    if others > max_cells:
        return [
            part
            for code in chosen[largest]
            for part in chunks(chosen | {largest: [code]}, max_cells)
        ]
    per = max(1, max_cells // others)
    values = chosen[largest]
    return [chosen | {largest: values[i : i + per]} for i in range(0, len(values), per)]


class PxWebReader(Reader):
    """What API v1 and 2.0 share; the subclasses know their URLs and bodies."""

    max_cells = DEFAULT_MAX_CELLS

    def variables(self) -> list[Variable]:
        raise NotImplementedError

    def query(self, chosen: dict[str, list[str]]) -> Any:
        raise NotImplementedError

    def configure(self) -> None:
        raise NotImplementedError

    def chosen(self) -> dict[str, list[str]]:
        """The registry's selection checked against the table and expanded to codes."""
        variables = {v.code: v for v in self.variables()}
        unknown = [name for name in self.source.selection if name not in variables]
        if unknown:
            raise SourceError(
                f"tabellen {self.source.table} har ingen variabel {', '.join(unknown)}; "
                f"den har {', '.join(variables)}"
            )
        needed = [
            name
            for name, v in variables.items()
            if name not in self.source.selection and not v.eliminable
        ]
        if needed:
            raise SourceError(
                f"tabellen {self.source.table}: variabeln {', '.join(needed)} kan inte "
                "elimineras; välj värden under selection"
            )
        return {
            name: _select(variables[name], wanted) for name, wanted in self.source.selection.items()
        }

    def cells(self, progress: Progress = no_progress) -> Iterator[Cell]:
        self.configure()
        parts = chunks(self.chosen(), self.max_cells)
        for n, part in enumerate(parts, start=1):
            progress(f"{self.source.table}: fråga {n} av {len(parts)}", n - 1, len(parts))
            fetched = self.query(part)
            yield from dataset_cells(self.source, fetched.json(), fetched.url)
        progress(self.source.table, len(parts), len(parts))

    def describe(self) -> list[str]:
        self.probe(None)  # the table is there
        self.configure()
        chosen = self.chosen()
        cells = math.prod(len(v) for v in chosen.values())
        parts = len(chunks(chosen, self.max_cells))
        return [
            f"tabellen {self.source.table}: "
            + ", ".join(f"{k} {len(v)} värden" for k, v in chosen.items()),
            f"{cells} celler i {parts} fråga/frågor (högst {self.max_cells} per fråga)",
        ]


class PxWeb2(PxWebReader):
    """PxWeb API 2.0 (Statistics Sweden's ``/OV0104/v2beta/api/v2``, naravard's ``/api/v2``)."""

    def _url(self, *path: str) -> str:
        return "/".join([self.source.base_url, *path])

    def probe(self, validators: Validators | None) -> Probe:
        fetched = self.fetcher.get(
            self._url("tables", self.source.table), {"lang": "sv"}, validators=validators
        )
        if fetched.not_modified:
            return Probe(fetched, "")
        info = fetched.json()
        updated = info.get("updated") if isinstance(info, dict) else None
        return Probe(fetched, str(updated) if updated else fetched.sha256)

    def configure(self) -> None:
        config = self.fetcher.get(self._url("config")).json()
        if not isinstance(config, dict):
            raise SourceError(f"{self._url('config')}: ingen konfiguration")
        calls, window = config.get("maxCallsPerTimeWindow"), config.get("timeWindow")
        if isinstance(calls, int) and calls > 0 and isinstance(window, (int, float)):
            self.fetcher.rate_limit(calls, float(window))
        cells = config.get("maxDataCells")
        if isinstance(cells, int) and cells > 0:
            self.max_cells = cells

    def variables(self) -> list[Variable]:
        fetched = self.fetcher.get(
            self._url("tables", self.source.table, "metadata"),
            {"lang": "sv", "outputFormat": "json-stat2"},
        )
        doc = fetched.json()
        try:
            time = set((doc.get("role") or {}).get("time") or [])
            return [
                Variable(
                    code,
                    categories(doc["dimension"][code]),
                    bool((doc["dimension"][code].get("extension") or {}).get("elimination")),
                    code in time,
                )
                for code in doc["id"]
            ]
        except (KeyError, TypeError, AttributeError) as exc:
            raise SourceError(f"{fetched.url}: metadata utan dimensioner ({exc})") from exc

    def query(self, chosen: dict[str, list[str]]) -> Any:
        return self.fetcher.post(
            self._url("tables", self.source.table, "data"),
            {"selection": [{"variableCode": k, "valueCodes": v} for k, v in chosen.items()]},
            params={"lang": "sv", "outputFormat": "json-stat2"},
        )


class PxWeb1(PxWebReader):
    """PxWeb API v1 (``https://api.scb.se/OV0104/v1/doris/sv/ssd`` and the many agencies that
    run PxWeb): ``table`` is the table's path under ``url``."""

    @property
    def table_url(self) -> str:
        return f"{self.source.base_url}/{self.source.table.strip('/')}"

    def probe(self, validators: Validators | None) -> Probe:
        folder, _, table_id = self.table_url.rpartition("/")
        fetched = self.fetcher.get(folder, validators=validators)
        if fetched.not_modified:
            return Probe(fetched, "")
        listing = fetched.json()
        entry = next(
            (
                item
                for item in (listing if isinstance(listing, list) else [])
                if isinstance(item, dict) and item.get("id") == table_id
            ),
            None,
        )
        if entry is None:
            raise SourceError(f"{folder}: ingen tabell {table_id!r} i mappen")
        version = entry.get("updated") or hashlib.sha256(repr(entry).encode()).hexdigest()
        return Probe(fetched, str(version))

    def configure(self) -> None:
        config = self.fetcher.get(f"{self.source.base_url}/?config").json()
        if not isinstance(config, dict):
            raise SourceError(f"{self.source.base_url}/?config: ingen konfiguration")
        calls, window = config.get("maxCalls"), config.get("timeWindow")
        if isinstance(calls, int) and calls > 0 and isinstance(window, (int, float)):
            self.fetcher.rate_limit(calls, float(window))
        cells = config.get("maxValues") or config.get("maxCells")
        if isinstance(cells, int) and cells > 0:
            self.max_cells = cells

    def variables(self) -> list[Variable]:
        fetched = self.fetcher.get(self.table_url)
        doc = fetched.json()
        try:
            return [
                Variable(
                    str(v["code"]),
                    [str(c) for c in v["values"]],
                    bool(v.get("elimination")),
                    bool(v.get("time")),
                )
                for v in doc["variables"]
            ]
        except (KeyError, TypeError) as exc:
            raise SourceError(f"{fetched.url}: metadata utan variabler ({exc})") from exc

    def query(self, chosen: dict[str, list[str]]) -> Any:
        return self.fetcher.post(
            self.table_url,
            {
                "query": [
                    {"code": k, "selection": {"filter": "item", "values": v}}
                    for k, v in chosen.items()
                ],
                "response": {"format": "json-stat2"},
            },
        )
