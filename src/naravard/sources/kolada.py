"""Reading KPI values from Kolada's API v3 (``https://api.kolada.se/v3``, and naravard's own
``/kolada/v3``): ``/kpi/{ids}`` first (its publication fields change when the data do), then
``/data?kpi_id=…&year=…`` page by page (``per_page`` at most 5000), following ``next_url``
(or v2's ``next_page``). Kolada's ids: ``0000`` the nation, ``0001``–``0025`` the regions, four digits a
municipality; genders T, K and M; a value Kolada withholds has ``value: null``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urljoin

from naravard.sources.cells import Cell
from naravard.sources.fetch import SourceError, Validators
from naravard.sources.jsonstat import number_text
from naravard.sources.reader import Probe, Progress, Reader, no_progress

PER_PAGE = 5000
MAX_PAGES = 10_000  # a server that pages without end is stopped


def org_code(kolada_id: str) -> str:
    """naravard's code of a Kolada id: 0000 → 00, 0001 → 01, a municipality as it is."""
    if kolada_id == "0000":
        return "00"
    if len(kolada_id) == 4 and kolada_id.startswith("00"):
        return kolada_id[2:]
    return kolada_id


class Kolada(Reader):
    @property
    def kpi_ids(self) -> str:
        return ",".join(self.source.kpis)

    def years(self) -> list[int]:
        first, last = self.source.years
        assert first is not None, "the schema requires years for a Kolada source"
        return list(range(first, (last or dt.date.today().year) + 1))

    def probe(self, validators: Validators | None) -> Probe:
        fetched = self.fetcher.get(
            f"{self.source.base_url}/kpi/{self.kpi_ids}", validators=validators
        )
        if fetched.not_modified:
            return Probe(fetched, "")
        doc = fetched.json()
        found = {str(v.get("id")) for v in _values(doc, fetched.url)}
        missing = [k for k in self.source.kpis if k not in found]
        if missing:
            raise SourceError(f"{fetched.url}: Kolada har ingen KPI {', '.join(missing)}")
        return Probe(fetched, fetched.sha256)

    def cells(self, progress: Progress = no_progress) -> Iterator[Cell]:
        years = ",".join(str(y) for y in self.years())
        url: str | None = f"{self.source.base_url}/data"
        params: dict | None = {"kpi_id": self.kpi_ids, "year": years, "per_page": PER_PAGE}
        seen = pages = 0
        while url:
            pages += 1
            if pages > MAX_PAGES:
                raise SourceError(f"{url}: fler än {MAX_PAGES} sidor; avbryter")
            fetched = self.fetcher.get(url, params)
            doc = fetched.json()
            items = _values(doc, fetched.url)
            total = doc.get("count") if isinstance(doc.get("count"), int) else None
            for item in items:
                if isinstance(item.get("period"), int) and not self.source.wants_year(
                    item["period"]
                ):
                    continue  # a year not asked for: a server may answer more than asked
                yield from _item_cells(item, fetched.url)
            seen += len(items)
            progress(f"Kolada {self.kpi_ids}: sida {pages}", seen, total)
            following = doc.get("next_url") or doc.get("next_page")
            url, params = (urljoin(fetched.url, following), None) if following else (None, None)

    def describe(self) -> list[str]:
        probe = self.probe(None)
        return [
            f"{v.get('id')}: {v.get('title')} ({v.get('municipality_type')}) → "
            f"{self.source.kpis.get(str(v.get('id')), '?')}"
            for v in _values(probe.fetched.json(), probe.fetched.url)
        ]


def _values(doc, url: str) -> list[dict]:
    values = doc.get("values") if isinstance(doc, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise SourceError(f"{url}: inget Kolada-svar (values saknas)")
    return values


def _item_cells(item: dict, url: str) -> Iterator[Cell]:
    try:
        kpi, municipality, period = str(item["kpi"]), str(item["municipality"]), item["period"]
        values = item["values"]
    except (KeyError, TypeError) as exc:
        raise SourceError(f"{url}: ett värde saknar {exc}") from exc
    for value in values if isinstance(values, list) else []:
        gender = str(value.get("gender") or "T")
        yield Cell(
            org=org_code(municipality),
            period=str(period),
            value=number_text(value.get("value")),
            sex=gender,
            measure=kpi,
            where=f"Kolada {kpi} {municipality} {period} {gender}",
        )
